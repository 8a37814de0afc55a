/**
 * Historical files -> engine points (pure: text in, points and counts out). Used by
 * `airdesk episodes` and the real-data tests, so both run the same path.
 * - CNEMC/BJMEMC wide CSVs (common/formats/cnemc-wide.ts): plain pollutant types only (PM2.5, PM10,
 *   SO2, NO2, O3, CO); the published `_24h`, `O3_8h` and AQI columns are recomputed, not read.
 *   Beijing files name stations in Chinese: only the 12 national stations enter the city value
 *   (common/formats/beijing-stations.ts; ../shared/data/README.md).
 * - UCI PRSA files (../shared/data/prsa-beijing*, parsed by common/formats/prsa.ts): pollutants
 *   like any station's, plus meteorology (temp, RH from dew point, wind speed and direction,
 *   pressure, rain).
 * - Any file through the one importer (archiveToPoints over common/formats/archive-hours.ts), with
 *   the city of each station code from the station registry (common/formats/city-stations.ts).
 */
import { parseCnemcWide, pivotWide } from '../formats/cnemc-wide.ts';
import { beijingToUtc } from '../time.ts';
import { BEIJING_NATIONAL_STATIONS, PRSA_STATIONS, beijingNationalCode } from '../formats/beijing-stations.ts';
import { parsePrsa, PrsaFormatError, type PrsaFile } from '../formats/prsa.ts';
import { quantityKey, type Quantity } from '../pollutants.ts';
import { atCeiling } from '../ingest/qc.ts';
import type { HourlyPoint } from './types.ts';
import type { ArchiveHour } from '../formats/archive-hours.ts';

export interface ImportResult {
  points: HourlyPoint[];
  /** cells dropped as suspect ceiling values (common/ingest/qc.ts CEILING_VALUES: gases exactly
   *  500 ug/m3, CO exactly 20.0 mg/m3; ../shared/data/README.md "Known traps") */
  ceilings: number;
  /** station columns skipped (not in the station map) */
  skippedStations: string[];
  rejects: number;
}

const POLLUTANT_TYPES = new Set(['pm25', 'pm10', 'so2', 'no2', 'o3', 'co']);

/**
 * Points from one wide CSV. `stationCode` maps a header column to the station id to use, or null to
 * skip it (default: Beijing names -> 1001A..1012A, codes 1001A..1012A kept as they are).
 */
export function wideToPoints(
  text: string,
  city: string,
  stationCode: (col: string) => string | null = beijingColumn,
): ImportResult {
  const file = parseCnemcWide(text);
  const skipped = new Set<string>();
  const map = new Map<string, string | null>();
  for (const s of file.stations) {
    const c = stationCode(s);
    map.set(s, c);
    if (c === null) skipped.add(s);
  }
  let ceilings = 0;
  const points: HourlyPoint[] = [];
  for (const sh of pivotWide(file)) {
    const code = map.get(sh.station);
    if (!code) continue;
    const values: Partial<Record<Quantity, number | null>> = {};
    let any = false;
    for (const [type, v] of Object.entries(sh.byType)) {
      const q = quantityKey(type);
      if (!q || !POLLUTANT_TYPES.has(q) || v === null) continue;
      if (atCeiling(q, v, v)) {
        ceilings++;
        continue;
      }
      values[q] = v;
      any = true;
    }
    if (any) points.push({ city, station: code, time: sh.time, values });
  }
  return { points, ceilings, skippedStations: [...skipped], rejects: file.rejects.length };
}

const NATIONAL_CODES = new Set(Object.values(BEIJING_NATIONAL_STATIONS));

/** Beijing column -> national station code (null for the 23 municipal stations). */
export function beijingColumn(col: string): string | null {
  const c = col.trim();
  return beijingNationalCode(c) ?? (NATIONAL_CODES.has(c) ? c : null);
}

/**
 * Points from a UCI PRSA file (common/formats/prsa.ts parsePrsa: CO ug/m3 -> mg/m3, RH from the dew
 * point, wind direction in degrees, 'NA' = missing; rows it rejects are counted): pollutants count
 * like any station's (suspect ceiling values dropped as in wide files), with the meteorology of the
 * same hour. The hour is the CNEMC end-of-hour label, as parsePrsa documents. Station id: the
 * national code of the site (the mapping the importer uses), else 'prsa:<station>'.
 */
export function prsaToPoints(text: string, city: string): ImportResult {
  let file: PrsaFile;
  try {
    file = parsePrsa(text);
  } catch (e) {
    if (!(e instanceof PrsaFormatError)) throw e;
    return { points: [], ceilings: 0, skippedStations: [], rejects: text.split(/\r?\n/).length };
  }
  let ceilings = 0;
  const points: HourlyPoint[] = file.rows.map((r) => {
    const p = pollutantValues(r.values);
    ceilings += p.ceilings;
    return {
      city,
      station: PRSA_STATIONS[r.station] ?? `prsa:${r.station}`,
      time: beijingToUtc(r.year, r.month, r.day, r.hour),
      values: { ...p.values, ...r.met },
    };
  });
  return { points, ceilings, skippedStations: [], rejects: file.rejects.length };
}

/** Plain 1-h pollutant types of a station-hour -> engine values; suspect ceilings dropped. */
export function pollutantValues(byType: Readonly<Record<string, number | null>>): { values: Partial<Record<Quantity, number | null>>; ceilings: number; any: boolean } {
  const values: Partial<Record<Quantity, number | null>> = {};
  let ceilings = 0;
  let any = false;
  for (const [type, v] of Object.entries(byType)) {
    const q = quantityKey(type);
    if (!q || !POLLUTANT_TYPES.has(q) || v === null) continue;
    if (atCeiling(q, v, v)) {
      ceilings++;
      continue;
    }
    values[q] = v;
    any = true;
  }
  return { values, ceilings, any };
}

/**
 * Engine points from station-hours read by the one importer (common/formats/archive-hours.ts):
 * hours of stations outside `cityOf` are left out (counted by station), pollutants and meteorology
 * kept. Example: a Shanghai file and cityOf {1141A -> 'shanghai'} -> points of city 'shanghai'.
 */
export function archiveToPoints(hours: readonly ArchiveHour[], cityOf: (code: string) => string | null): ImportResult {
  const skipped = new Set<string>();
  const points: HourlyPoint[] = [];
  let ceilings = 0;
  for (const h of hours) {
    const city = cityOf(h.station);
    if (city === null) {
      skipped.add(h.raw);
      continue;
    }
    const p = pollutantValues(h.byType);
    ceilings += p.ceilings;
    const met = h.met ? Object.fromEntries(Object.entries(h.met).filter(([, v]) => v !== null)) : {};
    if (!p.any && !Object.keys(met).length) continue;
    points.push({ city, station: h.station, time: h.time, values: { ...p.values, ...met } });
  }
  return { points, ceilings, skippedStations: [...skipped], rejects: 0 };
}
