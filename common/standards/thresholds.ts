/**
 * Named thresholds the episode, warning and forecaster views use, DERIVED from their source tables
 * so no number is typed twice:
 * - AQI level bounds: HJ 633-2012 / 2026 Table 2 (LEVELS). "> 150" = above level 3 (轻度) ...
 * - O3 8-h concentrations at IAQI 100 / 150 / 200: HJ 633 Table 1, column "O3 8-hour moving
 *   average" (identical in both editions) = 160 / 215 / 265 ug/m3; 160 is also the GB 3095
 *   Grade II 8-h limit (REF 2.1, 4.1).
 */
import { BREAKPOINTS } from './breakpoints.ts';
import { LEVELS } from './levels.ts';

const levelMax = (level: number) => LEVELS[level - 1].max;

/** AQI upper bounds of the levels (HJ 633 Table 2): a day is "over" a bound when AQI > it. */
export const AQI_BOUNDS = Object.freeze({
  /** > 150: 中度污染 or worse (the 2024 warning scheme's lower trigger, REF 3.2; gap merging REF 3.3) */
  moderate: levelMax(3),
  /** > 200: 重度污染, a heavy-pollution day (REF 3) */
  heavy: levelMax(4),
  /** > 300: 严重污染 */
  severe: levelMax(5),
  /** 500: the top of the index (the 2018 red "AQI reaching 500" rule, REF 3.1) */
  top: BREAKPOINTS['2012'].pm25_24h[BREAKPOINTS['2012'].pm25_24h.length - 1].i,
});

/** O3 8-h concentration (ug/m3) at an IAQI of HJ 633 Table 1 (both editions agree). */
export function o3At(iaqi: 100 | 150 | 200): number {
  const row = BREAKPOINTS['2012'].o3_8h.find((b) => b.i === iaqi);
  if (!row) throw new Error(`no O3 8-h breakpoint at IAQI ${iaqi}`);
  return row.c;
}

/** O3 8-h / MDA8 thresholds: exceedance day > 160, moderate > 215, heavy > 265 (REF 4.1). */
export const O3_8H = Object.freeze({ exceed: o3At(100), moderate: o3At(150), heavy: o3At(200) });
