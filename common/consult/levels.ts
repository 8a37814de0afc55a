/**
 * The level(s) a forecast AQI range states: one level, or two adjacent ones ("良至轻度污染",
 * REFERENCE 6.2), from the HJ 633 level table (common/standards/levels.ts). One rule for the
 * bulletin (a day whose levels were left empty) and for the averaged proposals.
 */
import { LEVELS, levelOf, type Level } from '../standards/levels.ts';

/**
 * Levels of [low, high]: the levels of both ends when they are the same or adjacent. A range that
 * spans three or more levels (wider than a forecast should be, but an average or a guidance may
 * give one) is stated as two adjacent levels, because the product allows no more: the level of
 * the midpoint (ceiled, as HJ 633 rounds an AQI) and its neighbour on the side where more of the
 * range lies outside the midpoint's level; on a tie the higher one (the cautious reading).
 * Example: [40, 160] -> midpoint 100, level 2 (良); 11 below it, 60 above -> [2, 3].
 */
export function levelsForRange(aqi: readonly [number, number]): Level[] {
  const lo = Math.min(aqi[0], aqi[1]);
  const hi = Math.max(aqi[0], aqi[1]);
  const a = levelOf(lo);
  const b = levelOf(hi);
  if (a === null || b === null) return [];
  if (a === b) return [a];
  if (b - a === 1) return [a, b];
  const m = levelOf(Math.ceil((lo + hi) / 2))!;
  const info = LEVELS[m - 1];
  const below = m === 1 ? -Infinity : info.min - lo;
  const above = m === 6 ? -Infinity : hi - info.max;
  return above >= below ? [m, (m + 1) as Level] : [(m - 1) as Level, m];
}

/** A stored levels array as the product states it: sorted, duplicates dropped; null when it is
 *  not one level or two adjacent ones. */
export function normaliseLevels(levels: readonly number[]): Level[] | null {
  const u = [...new Set(levels)].sort((x, y) => x - y);
  if (!u.every((l) => Number.isInteger(l) && l >= 1 && l <= 6)) return null;
  if (u.length > 2 || (u.length === 2 && u[1] - u[0] !== 1)) return null;
  return u as Level[];
}
