/**
 * Rounding as HJ 633 asks for it.
 * - Concentrations are rounded before indexing (HJ 633-2026 4.2.2): SO2, NO2, O3, PM10, PM2.5 in
 *   ug/m3 to an integer, CO in mg/m3 to one decimal, by GB/T 8170 (the 2012 text is silent; practice
 *   was the same).
 * - IAQI and AQI are rounded UP to an integer ("全部向上进位取整数", HJ 633-2026; "全部进位", 2012).
 *
 * GB/T 8170-2008 3.3: when the discarded part is exactly 5 (nothing after it), keep an even last
 * digit ("四舍六入五成双"). REFERENCE.md marks this detail UNCERTAIN, so the mode is a parameter;
 * the default is 'half-even' (GB/T 8170), 'half-up' is offered for systems that round that way.
 */
import type { Pollutant } from '../pollutants.ts';

export type RoundingMode = 'half-even' | 'half-up' | 'none';
export const DEFAULT_ROUNDING: RoundingMode = 'half-even';

/** Decimals HJ 633-2026 4.2.2 keeps: CO (mg/m3) one, everything else none. */
export const CONCENTRATION_DECIMALS: Readonly<Record<Pollutant, number>> = {
  pm25: 0, pm10: 0, so2: 0, no2: 0, o3: 0, co: 1,
};

// Binary floating point cannot hold most decimal halves exactly (1.35 is 1.35000000000000008882),
// so "exactly 5" is judged within a tolerance far below any measured resolution.
const HALF_TOL = 1e-9;

/** Round x to `decimals` places. half-even: 2.5 -> 2, 3.5 -> 4, 1.25 -> 1.2 (GB/T 8170);
 *  half-up: halves away from zero (2.5 -> 3, -2.5 -> -3). */
export function roundTo(x: number, decimals: number, mode: RoundingMode = DEFAULT_ROUNDING): number {
  if (mode === 'none' || !Number.isFinite(x)) return x;
  const f = 10 ** decimals;
  const s = x * f;
  const a = Math.abs(s);
  const fl = Math.floor(a);
  const frac = a - fl;
  let r: number;
  if (Math.abs(frac - 0.5) < HALF_TOL * Math.max(1, a)) {
    r = mode === 'half-even' ? (fl % 2 === 0 ? fl : fl + 1) : fl + 1;
  } else r = Math.round(a);
  return (Math.sign(s) * r) / f;
}

/** Concentration rounded as HJ 633-2026 4.2.2 asks before computing an IAQI. */
export function roundConcentration(p: Pollutant, c: number, mode: RoundingMode = DEFAULT_ROUNDING): number {
  return roundTo(c, CONCENTRATION_DECIMALS[p], mode);
}

/** IAQI/AQI rounding: up to the next integer. The tolerance absorbs floating error so an exact
 *  integer (e.g. 100.00000000000001 from 75 ug/m3) is not pushed to the next one. */
export function ceilIndex(x: number): number {
  return Math.ceil(x - 1e-9) + 0; // + 0 turns the -0 of ceil(-1e-9) into 0
}
