/**
 * From forecast concentrations to the published product (HJ 633-2026 forecast content: AQI
 * range, level(s), primary pollutant; REFERENCE 1.3 and 6.2): every IAQI and AQI through
 * common/standards dailyAqi under the rule set in force on the target day, never a formula here.
 *
 * The AQI range comes from the predicted quantiles: the low end is the AQI of the low-quantile
 * concentrations, the high end that of the high-quantile ones (AQI is a non-decreasing function of
 * every concentration, so this maps the quantiles of each pollutant through the index), the central
 * value that of the medians. The primary pollutant is the pollutant(s) with the largest IAQI at the
 * central value (ties all listed; none when the central AQI <= 50). The levels are those the range
 * touches, at most two adjacent ones (the forecast form "良至轻度污染"); when the range spans three
 * or more, the central level and the neighbour the range overlaps more are kept and the range is
 * cut to them, so range and levels always agree.
 */
import type { Pollutant } from '../pollutants.ts';
import { dailyAqi, dailyRuleFor, LEVELS, levelOf, type DailyInput, type DailyInputKey, type Level } from '../standards/index.ts';

export interface Product {
  aqi: [number, number];
  central: number;
  levels: Level[];
  primary: Pollutant[];
  /** IAQI per pollutant at the central concentrations */
  iaqi: Partial<Record<Pollutant, number | null>>;
}

/** Quantiles [low, median, high] of each daily statistic (ug/m3, CO mg/m3). */
export type ConcQuantiles = Partial<Record<DailyInputKey, readonly [number, number, number]>>;

/** The levels a range [lo, hi] touches, at most two adjacent around the central level, and the
 *  range cut to them. Example: [90, 160] central 120 touches levels 2, 3, 4; the central level is 3;
 *  the range overlaps level 2 by 90..100 (10) and level 4 by 151..160 (9) -> levels [2, 3], range
 *  [90, 150]. */
export function levelsOfRange(lo: number, hi: number, central: number): { levels: Level[]; aqi: [number, number] } {
  const a = levelOf(lo)!;
  const b = levelOf(hi)!;
  const c = levelOf(central)!;
  if (a === b) return { levels: [a], aqi: [lo, hi] };
  if (b - a === 1) return { levels: [a, b], aqi: [lo, hi] };
  const below = c > a ? Math.min(hi, LEVELS[c - 2].max) - Math.max(lo, LEVELS[c - 2].min) : -1;
  const above = c < b ? Math.min(hi, LEVELS[c].max) - Math.max(lo, LEVELS[c].min) : -1;
  const pair: [Level, Level] = below >= above ? [(c - 1) as Level, c] : [c, (c + 1) as Level];
  return { levels: pair, aqi: [Math.max(lo, LEVELS[pair[0] - 1].min), Math.min(hi, LEVELS[pair[1] - 1].max)] };
}

/** Standard normal CDF (Abramowitz & Stegun 26.2.17, |error| < 7.5e-8). */
function phi(z: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(z));
  const d = 0.3989422804014327 * Math.exp((-z * z) / 2);
  const p = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return z > 0 ? 1 - p : p;
}

/** Probability of each level (index 0..5 = levels 1..6) when the AQI is log-normal with median
 *  `mid` and quartiles `lo`, `hi` (sigma from the interquartile range: ln(hi / lo) / (2 x 0.6745)). */
export function levelProbabilities(lo: number, mid: number, hi: number): number[] {
  const m = Math.log(Math.max(1, mid));
  const s = Math.max(0.02, Math.log(Math.max(1, hi) / Math.max(1, lo)) / (2 * 0.6745));
  const cdf = (a: number) => phi((Math.log(Math.max(0.5, a)) - m) / s);
  return LEVELS.map((l) => (l.max === Infinity ? 1 : cdf(l.max + 0.5)) - (l.level === 1 ? 0 : cdf(l.min - 0.5)));
}

/** Levels from the predicted distribution: the central level alone when it holds at least
 *  `single` of the probability, else the central level and the adjacent level with more
 *  probability; the range [lo, hi] is then widened just enough to reach into the second level. */
export function levelsByMass(lo: number, hi: number, central: number, mid: number, single: number): { levels: Level[]; aqi: [number, number] } {
  const pr = levelProbabilities(lo, mid, hi);
  const c = levelOf(central)!;
  const r = levelsOfRange(lo, hi, central);
  if (pr[c - 1] >= single) return r.levels.length === 1 ? r : { levels: [c], aqi: [Math.max(lo, LEVELS[c - 1].min), Math.min(hi, LEVELS[c - 1].max)] };
  const below = c > 1 ? pr[c - 2] : -1;
  const above = c < 6 ? pr[c] : -1;
  const pair: [Level, Level] = below >= above ? [(c - 1) as Level, c] : [c, (c + 1) as Level];
  const a = Math.max(Math.min(lo, LEVELS[pair[1] - 1].min - 1), LEVELS[pair[0] - 1].min);
  const b = Math.min(Math.max(hi, LEVELS[pair[0] - 1].max + 1), LEVELS[pair[1] - 1].max);
  return { levels: pair, aqi: [a, b] };
}

/** How the levels are named: 'range' = the levels the quantile range touches (at most two);
 *  { single: p } = from the predicted distribution (levelsByMass). */
export type LevelRule = 'range' | { single: number };

/** The product of one target day from concentration quantiles. Null when no AQI can be formed. */
export function productOf(q: ConcQuantiles, targetDay: string, levelRule: LevelRule = 'range'): Product | null {
  const rule = dailyRuleFor(targetDay);
  const pick = (k: 0 | 1 | 2): DailyInput => {
    const out: DailyInput = {};
    for (const [key, v] of Object.entries(q) as [DailyInputKey, readonly [number, number, number]][]) out[key] = Math.max(0, v[k]);
    return out;
  };
  const mid = dailyAqi(pick(1), rule);
  const lo = dailyAqi(pick(0), rule).aqi;
  const hi = dailyAqi(pick(2), rule).aqi;
  if (mid.aqi === null || lo === null || hi === null) return null;
  const central = mid.aqi;
  const L = Math.min(lo, central);
  const H = Math.max(hi, central);
  const { levels, aqi } = levelRule === 'range' ? levelsOfRange(L, H, central) : levelsByMass(L, H, central, central, levelRule.single);
  const iaqi: Partial<Record<Pollutant, number | null>> = {};
  for (const [p, v] of Object.entries(mid.pollutantIaqi) as [Pollutant, number | null][]) if (v !== null) iaqi[p] = v;
  return { aqi, central, levels, primary: mid.primary, iaqi };
}

/** A point product (persistence, climatology): range = [AQI, AQI], one level. */
export function pointProduct(input: DailyInput, targetDay: string): Product | null {
  const r = dailyAqi(input, dailyRuleFor(targetDay));
  if (r.aqi === null) return null;
  const iaqi: Partial<Record<Pollutant, number | null>> = {};
  for (const [p, v] of Object.entries(r.pollutantIaqi) as [Pollutant, number | null][]) if (v !== null) iaqi[p] = v;
  return { aqi: [r.aqi, r.aqi], central: r.aqi, levels: [levelOf(r.aqi)!], primary: r.primary, iaqi };
}
