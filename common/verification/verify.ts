/**
 * All metrics of one source at once, and the same for several sources with skill against the
 * persistence and climatology references computed on the days both have. Pure; definitions in
 * metrics.ts and docs/verification.md.
 */
import {
  centralLevelAccuracy, continuous, contingency, halfLevelScore, levelAccuracy, offByTwo, primaryAccuracy,
  rangeHit, skillScore, withinOneLevel, type Contingency, type Continuous, type HalfLevel, type Pair, type Rate,
  type RangeHit,
} from './metrics.ts';

/** Concentrations verified, by key: 24-h means, O3 MDA8 ('o3_8h'). */
export const VERIFIED_CONC = ['pm25', 'pm10', 'o3_8h', 'no2'] as const;

export interface Verification {
  n: number;
  levelAccuracy: Rate;
  centralLevelAccuracy: Rate;
  rangeHit: RangeHit;
  withinOneLevel: Rate;
  offByTwo: Rate;
  primaryAccuracy: Rate;
  halfLevel: HalfLevel;
  exceed100: Contingency;
  heavy200: Contingency;
  aqi: Continuous;
  conc: Record<string, Continuous>;
}

/** Every metric over the pairs of one source (one lead, one season ... as the caller groups). */
export function verify(ps: readonly Pair[], concKeys: readonly string[] = VERIFIED_CONC): Verification {
  const conc: Record<string, Continuous> = {};
  for (const k of concKeys) conc[k] = continuous(ps.map((p) => p.forecast.conc?.[k]), ps.map((p) => p.observed.conc?.[k]));
  return {
    n: ps.filter((p) => p.observed.aqi !== null).length,
    levelAccuracy: levelAccuracy(ps),
    centralLevelAccuracy: centralLevelAccuracy(ps),
    rangeHit: rangeHit(ps),
    withinOneLevel: withinOneLevel(ps),
    offByTwo: offByTwo(ps),
    primaryAccuracy: primaryAccuracy(ps),
    halfLevel: halfLevelScore(ps),
    exceed100: contingency(ps, 100),
    heavy200: contingency(ps, 200),
    aqi: continuous(ps.map((p) => p.forecast.central), ps.map((p) => p.observed.aqi)),
    conc,
  };
}

export interface Skill {
  /** reference source name */
  reference: string;
  /** days both sources have */
  n: number;
  /** skill of the central-level accuracy, (A - A_ref) / (1 - A_ref) */
  centralLevel: number | null;
  /** skill of the level accuracy */
  level: number | null;
  /** 1 - RMSE(AQI) / RMSE_ref(AQI) */
  aqiRmse: number | null;
}

/** Skill of pairs `ps` against reference pairs `ref`, on the target days both have (pairs without
 *  a target day are matched by position). */
export function skillAgainst(ps: readonly Pair[], ref: readonly Pair[], reference: string): Skill {
  let a = ps;
  let b = ref;
  if (ps.every((p) => p.target) && ref.every((p) => p.target)) {
    const rb = new Map(ref.map((p) => [p.target!, p]));
    a = ps.filter((p) => rb.has(p.target!));
    b = a.map((p) => rb.get(p.target!)!);
  } else {
    const n = Math.min(ps.length, ref.length);
    a = ps.slice(0, n);
    b = ref.slice(0, n);
  }
  const rmse = (x: readonly Pair[]) => continuous(x.map((p) => p.forecast.central), x.map((p) => p.observed.aqi)).rmse;
  return {
    reference, n: a.length,
    centralLevel: skillScore(centralLevelAccuracy(a).rate, centralLevelAccuracy(b).rate, 1),
    level: skillScore(levelAccuracy(a).rate, levelAccuracy(b).rate, 1),
    aqiRmse: skillScore(rmse(a), rmse(b), 0),
  };
}

/** Verification of several sources, each with its skill against every reference source present
 *  (default 'persistence' and 'climatology'). */
export function verifySources(
  bySource: Readonly<Record<string, readonly Pair[]>>,
  references: readonly string[] = ['persistence', 'climatology'],
): Record<string, Verification & { skill: Skill[] }> {
  const out: Record<string, Verification & { skill: Skill[] }> = {};
  for (const [name, ps] of Object.entries(bySource)) {
    const skill = references.filter((r) => r !== name && bySource[r]).map((r) => skillAgainst(ps, bySource[r], r));
    out[name] = { ...verify(ps), skill };
  }
  return out;
}

export type Season = 'DJF' | 'MAM' | 'JJA' | 'SON';

/** Meteorological season of a day 'YYYY-MM-DD' (DJF winter, MAM spring, JJA summer, SON autumn). */
export function seasonOf(day: string): Season {
  const m = Number(day.slice(5, 7));
  return m === 12 || m <= 2 ? 'DJF' : m <= 5 ? 'MAM' : m <= 8 ? 'JJA' : 'SON';
}

/** Group items by a key, keys in first-seen order. */
export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const a = m.get(k);
    if (a) a.push(it);
    else m.set(k, [it]);
  }
  return m;
}
