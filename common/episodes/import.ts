/**
 * Historical files -> engine points (pure: text in, points and counts out). Used by
 * `airdesk episodes` and the real-data tests, so both run the same path.
 * - CNEMC/BJMEMC wide CSVs (common/formats/cnemc-wide.ts): plain pollutant types only (PM2.5, PM10,
 *   SO2, NO2, O3, CO); the published `_24h`, `O3_8h` and AQI columns are recomputed, not read.
 *   Beijing files name stations in Chinese: only the 12 national stations enter the city value
 *   (common/formats/beijing-stations.ts; ../shared/data/README.md).
 * - UCI PRSA files (../shared/data/prsa-beijing): meteorology only (temp, RH from dew point, wind
 *   speed and direction, pressure, rain), as extra "stations" of the city that carry no pollutants,
 *   so they never change the city's pollutant means.
 */
import { parseCnemcWide, pivotWide, wideRowTime } from '../formats/cnemc-wide.ts';
import { BEIJING_NATIONAL_STATIONS } from '../formats/beijing-stations.ts';
import { quantityKey, type Quantity } from '../pollutants.ts';
import type { HourlyPoint } from './types.ts';

export interface ImportResult {
  points: HourlyPoint[];
  /** cells dropped as suspect ceiling values (gases exactly 500 ug/m3, CO exactly 20.0 mg/m3) */
  ceilings: number;
  /** station columns skipped (not in the station map) */
  skippedStations: string[];
  rejects: number;
}

const POLLUTANT_TYPES = new Set(['pm25', 'pm10', 'so2', 'no2', 'o3', 'co']);

/** Suspect ceiling values of this network's history (../shared/data/README.md "Known traps"). */
export function isCeiling(q: Quantity, v: number): boolean {
  return (q === 'co' && v === 20) || ((q === 'so2' || q === 'no2' || q === 'o3') && v === 500);
}

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
      if (isCeiling(q, v)) {
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
  return BEIJING_NATIONAL_STATIONS[c] ?? (NATIONAL_CODES.has(c) ? c : null);
}

/** RH (%) from temperature and dew point (degC), Magnus formula with the Alduchov & Eskridge (1996)
 *  coefficients 17.625 and 243.04 degC. Example: T 20, Td 10 -> 52.5 %. */
export function rhFromDewPoint(t: number, td: number): number {
  const e = (x: number) => Math.exp((17.625 * x) / (243.04 + x));
  return Math.min(100, (100 * e(td)) / e(t));
}

/** 16-point compass name -> degrees clockwise from north ('N' 0, 'NNE' 22.5, ... 'NNW' 337.5). */
export const COMPASS16: readonly string[] = ['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW', 'W', 'WNW', 'NW', 'NNW'];
export function compassDegrees(name: string): number | null {
  const i = COMPASS16.indexOf(name.trim().toUpperCase());
  return i < 0 ? null : i * 22.5;
}

/**
 * Meteorology points from a UCI PRSA file (`No,year,month,day,hour,PM2.5,...,TEMP,PRES,DEWP,RAIN,wd,
 * WSPM,station`; 'NA' = missing). The hour is read as a CNEMC-style end-of-hour label (the data set
 * is built from the same BJMEMC network) [assumption]. Station id: 'prsa:<station>'.
 */
export function prsaToPoints(text: string, city: string): ImportResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const head = (lines[0] ?? '').split(',').map((s) => s.replace(/"/g, '').trim());
  const col = (n: string) => head.indexOf(n);
  const need = ['year', 'month', 'day', 'hour', 'TEMP', 'PRES', 'DEWP', 'RAIN', 'wd', 'WSPM', 'station'];
  if (need.some((n) => col(n) < 0)) return { points: [], ceilings: 0, skippedStations: [], rejects: lines.length };
  const points: HourlyPoint[] = [];
  let rejects = 0;
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const c = lines[i].split(',').map((s) => s.replace(/"/g, '').trim());
    if (c.length !== head.length) { rejects++; continue; }
    const num = (n: string) => { const s = c[col(n)]; const v = Number(s); return s === '' || s === 'NA' || !Number.isFinite(v) ? null : v; };
    const [y, mo, d, h] = ['year', 'month', 'day', 'hour'].map(num);
    if (y === null || mo === null || d === null || h === null || h < 0 || h > 23) { rejects++; continue; }
    const date = `${y}${String(mo).padStart(2, '0')}${String(d).padStart(2, '0')}`;
    const t = num('TEMP');
    const td = num('DEWP');
    const values: Partial<Record<Quantity, number | null>> = {
      temp: t, pres: num('PRES'), precip: num('RAIN'), ws: num('WSPM'),
      wd: compassDegrees(c[col('wd')]), rh: t !== null && td !== null ? rhFromDewPoint(t, td) : null,
    };
    points.push({ city, station: `prsa:${c[col('station')]}`, time: wideRowTime({ date, hour: h }), values });
  }
  return { points, ceilings: 0, skippedStations: [], rejects };
}
