/**
 * Hourly station points with pollutants AND meteorology from a UCI PRSA file, for the forecast's
 * history (the episode importer's prsaToPoints keeps only the meteorology, because there the
 * pollutants come from the CNEMC files). Parsing is common/formats/prsa.ts (parsePrsa); this only
 * maps its rows, dropping suspect ceiling values as the episode importer does (common/ingest/qc.ts).
 * Pure: text in, points and counts out.
 */
import type { HourlyPoint } from '../episodes/types.ts';
import { PRSA_STATIONS } from '../formats/beijing-stations.ts';
import { parsePrsa } from '../formats/prsa.ts';
import { atCeiling } from '../ingest/qc.ts';
import type { Quantity } from '../pollutants.ts';
import { beijingToUtc } from '../time.ts';

const PRSA_KEY = { 'PM2.5': 'pm25', PM10: 'pm10', SO2: 'so2', NO2: 'no2', CO: 'co', O3: 'o3' } as const;
const PRSA_NAMES = Object.keys(PRSA_KEY) as (keyof typeof PRSA_KEY)[];

export interface PrsaPoints {
  points: HourlyPoint[];
  /** rows parsePrsa rejected (bad date, hour, cell) */
  rejects: number;
  /** first few reject reasons, 'line N: reason detail' */
  rejectSamples: string[];
  ceilings: number;
}

/** Points of one PRSA file. Throws PrsaFormatError when the header is not PRSA. */
export function prsaHistoryPoints(text: string, city: string): PrsaPoints {
  const file = parsePrsa(text);
  let ceilings = 0;
  const points: HourlyPoint[] = [];
  for (const r of file.rows) {
    const values: Partial<Record<Quantity, number | null>> = r.met;
    for (const name of PRSA_NAMES) {
      const q = PRSA_KEY[name];
      const v = r.values[name];
      if (v === null) continue;
      if (atCeiling(q, v, v)) { ceilings++; continue; }
      values[q] = v;
    }
    points.push({ city, station: PRSA_STATIONS[r.station] ?? `prsa:${r.station}`, time: beijingToUtc(r.year, r.month, r.day, r.hour), values });
  }
  return {
    points, rejects: file.rejects.length, ceilings,
    rejectSamples: file.rejects.slice(0, 3).map((j) => `line ${j.line}: ${j.reason} ${j.detail}`),
  };
}
