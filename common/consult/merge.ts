/**
 * Forecasts the consultation lead starts the official draft from (issue 17, AdoptOp): the average
 * of several participants' proposals, a guidance source's forecast turned into the consultation's
 * shape, and the empty forecast a room opens with. Pure; every result is a valid ConsultForecast.
 *
 * How "the average" is taken, field by field (averageForecasts):
 * - AQI range: the rounded means of the lows and of the highs, over the proposals that filled the
 *   range in; null when none did. (Means keep low <= high.)
 * - levels: derived from the averaged range by the one rule of common/consult/levels.ts (one level
 *   or two adjacent ones; a range over three or more levels gives the midpoint's level and its
 *   neighbour). A forecaster's own level choice is not averaged where a range exists, because the
 *   levels must agree with the range the draft states. Without any range, the trend rule below.
 * - primary: the pollutant(s) named by the most proposals (among those naming any); a tie keeps all
 *   tied, at most 3, in the order of PRIMARY_KEYS; none when the averaged high is <= 50 (HJ 633).
 * - PM2.5 and O3-8h ranges: as the AQI range, rounded to whole ug/m3.
 * - segments: each averaged as a day over the proposals that have that segment; null if none has it.
 * - trend (D+4..D+7): the rounded means of the proposals' lowest and highest levels, over the
 *   proposals that gave that day levels; [] when none did.
 * - text: the non-empty texts joined by a blank line, in proposal order (no author: the draft is the
 *   lead's), cut at the schema's 4000 characters.
 * - process: the driver most proposals expect (a tie: the driver named first, in proposal order),
 *   and that driver's first proposal's outlook as written (dates and area are not averaged: a
 *   process is one forecaster's picture of it); null when no proposal expects one.
 * - warning: the median level over all proposals, a proposal without one counting as no warning,
 *   with an even count the upper of the two middle ones. Not the highest: one outlier would then
 *   decide a public warning alone; not a mean: levels are ordered categories, not numbers. The upper
 *   middle because with the room evenly split, the precautionary side wins. The rule quoted is that
 *   of the first proposal at the chosen level.
 */
import { Value } from '@sinclair/typebox/value';
import { ConsultForecast, type ConsultDay, type SegmentForecast, type TrendDay, type WarningAdvice, SEGMENTS } from '../schemas/consult.ts';
import { GuidanceDay } from '../schemas/forecast.ts';
import { LEVELS, type Level } from '../standards/levels.ts';
import { PRIMARY_KEYS, type PrimaryKey } from '../pollutants.ts';
import { WARNING_RANK } from '../episodes/warning.ts';
import { addDays } from '../forecast/history.ts';
import { ConsultFormError, checkDay } from './errors.ts';
import { levelsForRange, normaliseLevels } from './levels.ts';

/** HJ 633: a primary pollutant only when AQI > 50. */
const NO_PRIMARY_MAX = LEVELS[0].max;
const MAX_PRIMARY = ConsultForecast.properties.days.items.properties.primary.maxItems!;
const MAX_TEXT = ConsultForecast.properties.text.maxLength!;
const AQI_MAX = 500;
const CONC_MAX = 5000;

type Range = [number, number];

const emptyDay = (target: string): ConsultDay => ({
  target, aqi: null, levels: [], primary: [], pm25: null, o3_8h: null,
  segments: { night: null, morning: null, afternoon: null },
});

/** The forecast a room opens with: targets D+1..D+3 and the trend D+4..D+7 of `issueDay`, every
 *  field empty. Throws ConsultFormError 'invalid' for a day that is not 'YYYY-MM-DD'. */
export function emptyForecast(issueDay: string): ConsultForecast {
  checkDay(issueDay, 'issueDay');
  return {
    days: [1, 2, 3].map((k) => emptyDay(addDays(issueDay, k))),
    trend: [4, 5, 6, 7].map((k) => ({ target: addDays(issueDay, k), levels: [] })),
    text: '',
    process: null,
    warning: null,
  };
}

/** The mean of the proposals (module comment: how each field is averaged). Throws ConsultFormError
 *  'invalid' for no proposals, one that is not a ConsultForecast, or proposals for other targets. */
export function averageForecasts(fs: readonly ConsultForecast[]): ConsultForecast {
  if (!Array.isArray(fs as unknown) || fs.length === 0) throw new ConsultFormError('invalid', 'proposals', 'nothing to average');
  fs.forEach((f, i) => {
    if (!Value.Check(ConsultForecast, f)) {
      const e = Value.Errors(ConsultForecast, f).First();
      throw new ConsultFormError('invalid', `proposals.${i}${e?.path.replaceAll('/', '.') ?? ''}`, `not a ConsultForecast: ${e?.message ?? 'wrong shape'}`);
    }
  });
  const first = fs[0];
  fs.forEach((f, i) => {
    const a = [...f.days, ...f.trend].map((d) => d.target).join();
    const b = [...first.days, ...first.trend].map((d) => d.target).join();
    if (a !== b) throw new ConsultFormError('invalid', `proposals.${i}`, `targets ${a} differ from the first proposal's ${b}`);
  });

  const days = first.days.map((d0, i) => {
    const ds = fs.map((f) => f.days[i]);
    const day = averageSegment(ds.map((d) => ({ aqi: d.aqi, primary: d.primary })));
    const aqi = day?.aqi ?? null;
    const out: ConsultDay = {
      target: d0.target,
      aqi,
      levels: aqi ? levelsForRange(aqi) : averageLevels(ds.map((d) => d.levels)),
      primary: aqi ? day!.primary : vote(ds.map((d) => d.primary)),
      pm25: meanRange(ds.map((d) => d.pm25), CONC_MAX),
      o3_8h: meanRange(ds.map((d) => d.o3_8h), CONC_MAX),
      segments: { night: null, morning: null, afternoon: null },
    };
    for (const s of SEGMENTS) out.segments[s] = averageSegment(ds.map((d) => d.segments[s]));
    return out;
  });
  const trend: TrendDay[] = first.trend.map((t0, i) => ({ target: t0.target, levels: averageLevels(fs.map((f) => f.trend[i].levels)) }));
  const text = fs.map((f) => f.text.trim()).filter(Boolean).join('\n\n').slice(0, MAX_TEXT);
  return { days, trend, text, process: commonestProcess(fs), warning: medianWarning(fs) };
}

/** A guidance source's days (common/schemas/forecast.ts GuidanceDay) as a consultation forecast of
 *  `issueDay`: D+1..D+3 with its AQI range, levels (derived from the range when the guidance's are
 *  not one or two adjacent ones), primary pollutant (O3 as O3-8h; none at AQI <= 50), PM2.5 24-h
 *  and O3 MDA8 [low, median, high] as [low, high]; D+4..D+7 as trend levels; a day the guidance
 *  lacks stays empty. Values outside the schema's bounds are clamped (AQI 0..500). Throws
 *  ConsultFormError 'invalid' for a malformed day or two days with the same target. */
export function guidanceToForecast(days: readonly GuidanceDay[], issueDay: string): ConsultForecast {
  const f = emptyForecast(issueDay);
  if (!Array.isArray(days as unknown)) throw new ConsultFormError('invalid', 'guidance', 'not an array of days');
  const byTarget = new Map<string, GuidanceDay>();
  days.forEach((g, i) => {
    if (!Value.Check(GuidanceDay, g)) {
      const e = Value.Errors(GuidanceDay, g).First();
      throw new ConsultFormError('invalid', `guidance.${i}${e?.path.replaceAll('/', '.') ?? ''}`, `not a GuidanceDay: ${e?.message ?? 'wrong shape'}`);
    }
    if (byTarget.has(g.target)) throw new ConsultFormError('invalid', `guidance.${i}.target`, `a second day for ${g.target}`, g.target);
    byTarget.set(g.target, g);
  });
  for (const d of f.days) {
    const g = byTarget.get(d.target);
    if (!g) continue;
    const aqi = clampRange(g.aqi, AQI_MAX, true)!;
    d.aqi = aqi;
    d.levels = normaliseLevels(g.levels) ?? levelsForRange(aqi);
    d.primary = aqi[1] <= NO_PRIMARY_MAX ? [] : primaryKeys(g.primary);
    d.pm25 = lowHigh(g.conc.pm25_24h);
    d.o3_8h = lowHigh(g.conc.o3_mda8);
  }
  for (const t of f.trend) {
    const g = byTarget.get(t.target);
    if (g) t.levels = normaliseLevels(g.levels) ?? levelsForRange(clampRange(g.aqi, AQI_MAX, true)!);
  }
  return f;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Rounded means of the lows and the highs of the ranges given; null when none is. */
function meanRange(rs: readonly (readonly [number, number] | null)[], max: number): Range | null {
  const given = rs.filter((r): r is readonly [number, number] => r !== null);
  if (given.length === 0) return null;
  return clampRange([Math.round(mean(given.map((r) => r[0]))), Math.round(mean(given.map((r) => r[1])))], max, true);
}

/** AQI range and primary of a day or a segment, over the ones that have a range. */
function averageSegment(ss: readonly (Pick<SegmentForecast, 'primary'> & { aqi: Range | null } | null)[]): SegmentForecast | null {
  const given = ss.filter((s): s is { aqi: Range; primary: PrimaryKey[] } => s !== null && s.aqi !== null);
  const aqi = meanRange(given.map((s) => s.aqi), AQI_MAX);
  if (!aqi) return null;
  return { aqi, primary: aqi[1] <= NO_PRIMARY_MAX ? [] : vote(given.map((s) => s.primary)) };
}

/** The pollutant(s) the most lists name; ties all kept (PRIMARY_KEYS order), at most 3. */
function vote(lists: readonly (readonly PrimaryKey[])[]): PrimaryKey[] {
  const n = new Map<PrimaryKey, number>();
  for (const l of lists) for (const k of new Set(l)) n.set(k, (n.get(k) ?? 0) + 1);
  const top = Math.max(0, ...n.values());
  if (top === 0) return [];
  return PRIMARY_KEYS.filter((k) => n.get(k) === top).slice(0, MAX_PRIMARY);
}

/** Rounded means of the lowest and highest levels of the non-empty lists. The means of one-or-two
 *  adjacent levels are at most one apart, and so are their roundings; lists the schema allows but
 *  the product does not (two levels apart) are kept to two adjacent levels around their middle. */
function averageLevels(lists: readonly (readonly number[])[]): Level[] {
  const given = lists.filter((l) => l.length > 0);
  if (given.length === 0) return [];
  const lo = Math.round(mean(given.map((l) => Math.min(...l))));
  const hi = Math.round(mean(given.map((l) => Math.max(...l))));
  if (hi - lo <= 1) return (lo === hi ? [lo] : [lo, hi]) as Level[];
  const c = Math.min(5, Math.floor((lo + hi) / 2));
  return [c, c + 1] as Level[];
}

function commonestProcess(fs: readonly ConsultForecast[]): ConsultForecast['process'] {
  const groups = new Map<string, NonNullable<ConsultForecast['process']>[]>();
  for (const { process: outlook } of fs) if (outlook) groups.set(outlook.driver, [...(groups.get(outlook.driver) ?? []), outlook]);
  let best: NonNullable<ConsultForecast['process']>[] | null = null;
  // Map iteration is insertion order: on a tie the driver named first stays
  for (const g of groups.values()) if (!best || g.length > best.length) best = g;
  return best ? { ...best[0] } : null;
}

function medianWarning(fs: readonly ConsultForecast[]): WarningAdvice | null {
  const rank = (w: WarningAdvice | null) => (w ? WARNING_RANK[w.level] : 0);
  const ranks = fs.map((f) => rank(f.warning)).sort((a, b) => a - b);
  const m = ranks[Math.floor(ranks.length / 2)];
  if (m === 0) return null;
  const w = fs.find((f) => rank(f.warning) === m)!.warning!;
  return { level: w.level, rule: w.rule };
}

function clampRange(r: readonly [number, number], max: number, integer: boolean): Range | null {
  if (!Number.isFinite(r[0]) || !Number.isFinite(r[1])) return null;
  const c = (x: number) => Math.min(max, Math.max(0, integer ? Math.round(x) : x));
  const a = c(r[0]);
  const b = c(r[1]);
  return a <= b ? [a, b] : [b, a];
}

/** [low, median, high] -> [low, high], null when missing. */
function lowHigh(t: readonly [number, number, number] | null | undefined): Range | null {
  return t ? clampRange([t[0], t[2]], CONC_MAX, false) : null;
}

/** The guidance's primary pollutants that are primary keys (the same pollutant keys); others dropped. */
function primaryKeys(ps: readonly string[]): PrimaryKey[] {
  const out: PrimaryKey[] = [];
  for (const p of ps) {
    const k = (PRIMARY_KEYS as readonly string[]).includes(p) ? (p as PrimaryKey) : null;
    if (k && !out.includes(k)) out.push(k);
  }
  return out.slice(0, MAX_PRIMARY);
}
