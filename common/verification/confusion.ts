/**
 * Level confusion matrix of a source: how often each forecast level (of the central AQI) met each
 * observed level, HJ 633 levels 1..6 through common/standards levelOf. The diagonal is the
 * single-level accuracy's hits; cells two or more off the diagonal are the 跨级 days (offByTwo).
 */
import { levelOf } from '../standards/levels.ts';
import type { Pair } from './metrics.ts';

/** counts[f - 1][o - 1]: days with central level f and observed level o (pairs without an
 *  observed AQI are left out). Example: one day forecast 80 (良), observed 120 (轻度) -> counts[1][2] = 1. */
export function levelConfusion(ps: readonly Pair[]): number[][] {
  const m = Array.from({ length: 6 }, () => [0, 0, 0, 0, 0, 0]);
  for (const p of ps) {
    if (p.observed.aqi === null || !Number.isFinite(p.observed.aqi)) continue;
    const f = levelOf(p.forecast.central);
    const o = levelOf(p.observed.aqi);
    if (f && o) m[f - 1][o - 1]++;
  }
  return m;
}
