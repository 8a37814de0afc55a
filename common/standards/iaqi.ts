/**
 * Individual air quality index (IAQI) of one concentration on one breakpoint column.
 * HJ 633-2012 / HJ 633-2026 formula (1):
 *   IAQI = (IAQI_Hi - IAQI_Lo) / (BP_Hi - BP_Lo) * (C - BP_Lo) + IAQI_Lo,  then rounded UP.
 */
import { BREAKPOINTS, COLUMN_POLLUTANT, type Breakpoint, type Column, type Edition } from './breakpoints.ts';
import { ceilIndex, roundConcentration, DEFAULT_ROUNDING, type RoundingMode } from './rounding.ts';

/** Linear IAQI before rounding up, or null when missing/negative or above a column the standard
 *  cuts short (SO2 1-h, O3 8-h above 800: see the edition's special case). Above the top of a full
 *  column (IAQI 500) the value is 500, as CNEMC publishes it (e.g. PM2.5 564 ug/m3 -> AQI 500). */
export function iaqiExact(c: number | null, table: readonly Breakpoint[]): number | null {
  if (c === null || !Number.isFinite(c) || c < 0) return null;
  const top = table[table.length - 1];
  if (c > top.c) return top.i === 500 ? 500 : null;
  for (let k = 1; k < table.length; k++) {
    const lo = table[k - 1];
    const hi = table[k];
    if (c <= hi.c) return ((hi.i - lo.i) / (hi.c - lo.c)) * (c - lo.c) + lo.i;
  }
  return null; // unreachable: c <= top.c
}

/** IAQI of a concentration already rounded as HJ 633 asks, rounded up (HJ 633 4.2 / 5.1).
 *  Example: iaqi(80, BREAKPOINTS['2012'].pm25_24h) -> 107 (106.25 rounded up). */
export function iaqi(c: number | null, table: readonly Breakpoint[]): number | null {
  const x = iaqiExact(c, table);
  return x === null ? null : ceilIndex(x);
}

/** IAQI of a raw concentration on an edition's column: the concentration is first rounded
 *  (CO to 0.1 mg/m3, others to 1 ug/m3, GB/T 8170 by default), then indexed and rounded up.
 *  Example: columnIaqi('2026', 'pm25_24h', 75.4) -> 114. */
export function columnIaqi(
  edition: Edition,
  column: Column,
  c: number | null,
  rounding: RoundingMode = DEFAULT_ROUNDING,
): number | null {
  if (c === null || !Number.isFinite(c)) return null;
  return iaqi(roundConcentration(COLUMN_POLLUTANT[column], c, rounding), BREAKPOINTS[edition][column]);
}
