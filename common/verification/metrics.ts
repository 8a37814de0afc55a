/**
 * Forecast verification metrics (REFERENCE 6.3; HJ 1130-2020 families: concentration, AQI, heavy-
 * pollution days). Pure functions over forecast/observation pairs; every definition with its source
 * is in docs/verification.md. Levels come from common/standards (levelOf), never a second table.
 *
 * A missing observation (null AQI) drops the pair from every metric that needs it; each metric
 * reports `n`, the pairs it was computed on, and null when n is 0 (never a made-up 0 or 1).
 */
import type { Pollutant } from '../pollutants.ts';
import { levelOf, type Level } from '../standards/levels.ts';

/** What one source said about one target day. */
export interface ForecastDay {
  /** AQI range [low, high] (a point forecast has low = high) */
  aqi: readonly [number, number];
  /** central AQI */
  central: number;
  /** one level or two adjacent levels */
  levels: readonly Level[];
  /** primary pollutant(s), empty when the forecast AQI <= 50 */
  primary: readonly Pollutant[];
  /** forecast concentrations (ug/m3, CO mg/m3) by key: pm25, pm10, o3_8h, no2, so2, co */
  conc?: Readonly<Record<string, number | null | undefined>>;
}

/** What was observed on the target day (daily AQI by HJ 633 via common/standards). */
export interface ObservedDay {
  aqi: number | null;
  primary: readonly Pollutant[];
  conc?: Readonly<Record<string, number | null | undefined>>;
}

export interface Pair {
  /** target day 'YYYY-MM-DD' (lets skill scores compare sources on the same days) */
  target?: string;
  forecast: ForecastDay;
  observed: ObservedDay;
}

export interface Rate {
  n: number;
  hits: number;
  /** hits / n, null when n = 0 */
  rate: number | null;
}

const rate = (hits: number, n: number): Rate => ({ n, hits, rate: n ? hits / n : null });
const observed = (ps: readonly Pair[]) => ps.filter((p): p is Pair & { observed: { aqi: number } } => p.observed.aqi !== null && Number.isFinite(p.observed.aqi));

/** AQI level accuracy: share of days whose observed level is among the forecast's levels (one
 *  level or two adjacent ones). HJ 1130-2020 / REFERENCE 6.3 "AQI level accuracy". */
export function levelAccuracy(ps: readonly Pair[]): Rate {
  const o = observed(ps);
  return rate(o.filter((p) => p.forecast.levels.includes(levelOf(p.observed.aqi)!)).length, o.length);
}

/** Central-level accuracy: share of days whose observed level equals the level of the central AQI
 *  (a single-level forecast; no credit for naming two levels). */
export function centralLevelAccuracy(ps: readonly Pair[]): Rate {
  const o = observed(ps);
  return rate(o.filter((p) => levelOf(p.forecast.central) === levelOf(p.observed.aqi)).length, o.length);
}

/** +-1 level: share of days whose observed level is within one level of the central level. */
export function withinOneLevel(ps: readonly Pair[]): Rate {
  const o = observed(ps);
  return rate(o.filter((p) => Math.abs(levelOf(p.forecast.central)! - levelOf(p.observed.aqi)!) <= 1).length, o.length);
}

/** Off by two levels or more (跨级): count of days whose observed level is >= 2 levels from the
 *  central level (REFERENCE 6.3 "跨级"). */
export function offByTwo(ps: readonly Pair[]): Rate {
  const o = observed(ps);
  return rate(o.filter((p) => Math.abs(levelOf(p.forecast.central)! - levelOf(p.observed.aqi)!) >= 2).length, o.length);
}

export interface RangeHit extends Rate {
  /** mean of (high - low) over the same days, so a wide range does not look good for free */
  meanWidth: number | null;
}

/** AQI range hit rate: share of days with low <= observed AQI <= high, with the mean width. */
export function rangeHit(ps: readonly Pair[]): RangeHit {
  const o = observed(ps);
  const hits = o.filter((p) => p.forecast.aqi[0] <= p.observed.aqi && p.observed.aqi <= p.forecast.aqi[1]).length;
  const w = o.reduce((s, p) => s + (p.forecast.aqi[1] - p.forecast.aqi[0]), 0);
  return { ...rate(hits, o.length), meanWidth: o.length ? w / o.length : null };
}

/** Primary-pollutant accuracy: only days with observed AQI > 50 (HJ 633: no primary pollutant at
 *  or below 50); correct when the forecast and observed primary pollutants share one (ties: any
 *  match counts). REFERENCE 6.3. */
export function primaryAccuracy(ps: readonly Pair[]): Rate {
  const o = observed(ps).filter((p) => p.observed.aqi > 50 && p.observed.primary.length > 0);
  return rate(o.filter((p) => p.forecast.primary.some((x) => p.observed.primary.includes(x))).length, o.length);
}

export interface Continuous {
  n: number;
  /** normalised mean bias sum(F - O) / sum(O) */
  nmb: number | null;
  /** normalised mean error sum|F - O| / sum(O) */
  nme: number | null;
  /** root mean square error */
  rmse: number | null;
  /** Pearson correlation (null with n < 2 or no variance) */
  r: number | null;
  meanF: number | null;
  meanO: number | null;
}

/** NMB, NME, RMSE and Pearson r of paired values (nulls drop the pair). HJ 1130-2020 /
 *  REFERENCE 6.3. Example: F = [2, 4], O = [1, 3] -> NMB 0.5, NME 0.5, RMSE 1, r 1. */
export function continuous(f: readonly (number | null | undefined)[], o: readonly (number | null | undefined)[]): Continuous {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < Math.min(f.length, o.length); i++) {
    const x = f[i];
    const y = o[i];
    if (x === null || x === undefined || y === null || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    a.push(x);
    b.push(y);
  }
  const n = a.length;
  if (!n) return { n, nmb: null, nme: null, rmse: null, r: null, meanF: null, meanO: null };
  let so = 0, sd = 0, sad = 0, sq = 0, sf = 0;
  for (let i = 0; i < n; i++) { so += b[i]; sf += a[i]; sd += a[i] - b[i]; sad += Math.abs(a[i] - b[i]); sq += (a[i] - b[i]) ** 2; }
  const mf = sf / n;
  const mo = so / n;
  let cov = 0, vf = 0, vo = 0;
  for (let i = 0; i < n; i++) { cov += (a[i] - mf) * (b[i] - mo); vf += (a[i] - mf) ** 2; vo += (b[i] - mo) ** 2; }
  return {
    n,
    nmb: so ? sd / so : null,
    nme: so ? sad / so : null,
    rmse: Math.sqrt(sq / n),
    r: n >= 2 && vf > 0 && vo > 0 ? cov / Math.sqrt(vf * vo) : null,
    meanF: mf,
    meanO: mo,
  };
}

export interface Contingency {
  threshold: number;
  hits: number;
  misses: number;
  falseAlarms: number;
  correctNegatives: number;
  /** probability of detection hits / (hits + misses) */
  pod: number | null;
  /** false alarm ratio falseAlarms / (hits + falseAlarms) */
  far: number | null;
  /** critical success index (threat score, TS) hits / (hits + misses + falseAlarms) */
  csi: number | null;
}

/** 2x2 table for the event "daily AQI > threshold" (forecast event: central AQI > threshold).
 *  Heavy pollution = AQI > 200 (REFERENCE 3); exceedance = AQI > 100 (REFERENCE 2.5). */
export function contingency(ps: readonly Pair[], threshold: number): Contingency {
  let hits = 0, misses = 0, falseAlarms = 0, correctNegatives = 0;
  for (const p of observed(ps)) {
    const fe = p.forecast.central > threshold;
    const oe = p.observed.aqi > threshold;
    if (fe && oe) hits++;
    else if (oe) misses++;
    else if (fe) falseAlarms++;
    else correctNegatives++;
  }
  const d = (a: number, b: number) => (b ? a / b : null);
  return {
    threshold, hits, misses, falseAlarms, correctNegatives,
    pod: d(hits, hits + misses), far: d(falseAlarms, hits + falseAlarms), csi: d(hits, hits + misses + falseAlarms),
  };
}

/** The 12 half-levels of the CNEMC half-level method (王晓彦等 2022, 环境科学 43(7):3396): each of
 *  the six HJ 633 levels cut at its midpoint. Upper AQI bound of each half-level, index 0..11.
 *  The paper's own boundaries for level 6 were not read: 301-400 / 401-500 is our choice. */
export const HALF_LEVEL_TOPS = [25, 50, 75, 100, 125, 150, 175, 200, 250, 300, 400, Infinity] as const;

/** Half-level index 0..11 of an AQI (0..25 -> 0, 26..50 -> 1, ..., > 400 -> 11). */
export function halfLevelOf(aqi: number): number {
  let k = 0;
  while (aqi > HALF_LEVEL_TOPS[k]) k++;
  return k;
}

export interface HalfLevel extends Rate {
  /** share of days whose observed half-level equals the central's half-level */
  exact: number | null;
}

/** Half-level score: a day counts when the observed half-level is within one half-level of the
 *  central AQI's half-level (the UK DAQI-style tolerance the paper adopts, as we read its abstract;
 *  the paper's exact scoring table was not read, see docs/verification.md). */
export function halfLevelScore(ps: readonly Pair[]): HalfLevel {
  const o = observed(ps);
  const d = o.map((p) => Math.abs(halfLevelOf(p.forecast.central) - halfLevelOf(p.observed.aqi)));
  return { ...rate(d.filter((x) => x <= 1).length, o.length), exact: o.length ? d.filter((x) => x === 0).length / o.length : null };
}

/** Skill score (S - S_ref) / (S_perfect - S_ref): 1 perfect, 0 as good as the reference, < 0
 *  worse (Wilks 2011, Statistical Methods in the Atmospheric Sciences, 3rd ed., eq. 8.4). For an
 *  accuracy S_perfect = 1; for RMSE S_perfect = 0, i.e. 1 - RMSE / RMSE_ref. */
export function skillScore(score: number | null, reference: number | null, perfect: number): number | null {
  if (score === null || reference === null || reference === perfect) return null;
  return (score - reference) / (perfect - reference);
}
