/**
 * One aggregation core: the city hour, the HJ 663 day record (daily means, O3 max 1-h, MDA8 with its
 * configured validity), the rolling 24-h statistics and the daily AQI, computed ONCE here and called
 * by both the live engine (server/live) and the episode engine (common/episodes), with the same rule
 * set choice (AIRDESK_DAILY_RULE: a fixed daily rule set, or by date). Pure: maps of hour end (UTC ms)
 * -> value in, values out.
 *
 * Sources: GB 3095 Table 4 / HJ 663 (REF 2.2: >= 20 hours for a daily mean, >= 6 hours per 8-h
 * window); REF 2.3 (MDA8 = max of the 17 8-h windows ending 08..24, >= 14 valid windows, foqat
 * `nc=14`, UNCERTAIN in HJ 663); REF 3.1 (warnings: "any continuous 24 h").
 */
import type { Pollutant } from '../pollutants.ts';
import {
  cityMean, dailyAqi, dailyMax1h, dailyMean, dailyRuleFor, mda8, moving24h, windowMean, VALIDITY,
  type AqiResult, type DailyInput, type DailyRuleSet,
} from '../standards/index.ts';
import { HOUR_MS, endOfBeijingDay } from '../time.ts';

/** 8-h windows of an MDA8 (ending 08..24 of the day, REF 2.3) and how many must be valid. */
export const MDA8_WINDOWS = 17;
export const MDA8_MIN_WINDOWS = 14;
/** Hours so far before a day in progress shows its partial ("on track") means [own choice]. */
export const ON_TRACK_MIN_HOURS = 6;

/** Which daily rule set and which validity minimums a day record uses. */
export interface DayRules {
  /** Fixed daily rule set (AIRDESK_DAILY_RULE), or null: by date (HJ 633-2012 / HJ 633-2026). */
  daily: DailyRuleSet | null;
  /** Hours for a daily mean (GB 3095 Table 4: 20). */
  minHoursPerDay: number;
  /** Valid 8-h windows for an MDA8 (14 of 17). */
  mda8MinWindows: number;
}

export const DEFAULT_DAY_RULES: DayRules = Object.freeze({ daily: null, minHoursPerDay: VALIDITY.dailyHours, mda8MinWindows: MDA8_MIN_WINDOWS });

/** The daily rule set in force for a day. */
export function dailyRuleOf(rules: Pick<DayRules, 'daily'>, day: string): DailyRuleSet {
  return rules.daily ?? dailyRuleFor(day);
}

export type PollutantSeries = Readonly<Record<Pollutant, ReadonlyMap<number, number>>>;

/** City value of one pollutant-hour: the mean of the stations that report it (REF 2.4), null with
 *  fewer than `minStations`. */
export function cityHour(values: readonly number[], minStations = 1): number | null {
  return cityMean(values, minStations);
}

export interface DayRecordCore {
  input: DailyInput;
  /** Hours present per input (for the API's `n` and validity display). */
  n: Partial<Record<keyof DailyInput, number>>;
  aqi: AqiResult;
}

/**
 * HJ 663 statistics and the daily AQI of a Beijing day. For a day in progress pass `partial`:
 * its means use the hours so far (>= `partial.minHours`) and its MDA8 the windows complete so far
 * (>= 1), the "on track" values; a partial MDA8 can only grow.
 * Example: 24 hours of PM2.5 80 under hj633-2012 -> pm25_24h 80, AQI 106.
 */
export function dayRecord(s: PollutantSeries, day: string, rules: DayRules, partial: { minHours: number; upTo?: number } | null = null): DayRecordCore {
  const minH = partial ? partial.minHours : rules.minHoursPerDay;
  const md = partial ? mda8SoFar(s.o3 as Map<number, number>, day, partial.upTo ?? Infinity) : null;
  const m = (p: Pollutant) => s[p] as Map<number, number>;
  const st = {
    so2_24h: dailyMean(m('so2'), day, minH), no2_24h: dailyMean(m('no2'), day, minH), co_24h: dailyMean(m('co'), day, minH),
    pm25_24h: dailyMean(m('pm25'), day, minH), pm10_24h: dailyMean(m('pm10'), day, minH),
    o3_max1h: dailyMax1h(m('o3'), day, minH), o3_mda8: md ?? mda8(m('o3'), day, { minWindows: rules.mda8MinWindows }),
  };
  const input = Object.fromEntries(Object.entries(st).map(([k, v]) => [k, v.value])) as DailyInput;
  const n = Object.fromEntries(Object.entries(st).map(([k, v]) => [k, v.n])) as DayRecordCore['n'];
  return { input, n, aqi: dailyAqi(input, dailyRuleOf(rules, day)) };
}

/** MDA8 of a day in progress: the max over the 8-h windows ending 08..24 of the day that have
 *  ENDED by `upTo` (each >= 6 hours). A window still open could fall, so it does not count; the
 *  closed ones only add, so this value can only grow as the day goes on. */
export function mda8SoFar(o3: ReadonlyMap<number, number>, day: string, upTo: number): { value: number | null; raw: number | null; n: number } {
  const end = endOfBeijingDay(day);
  const vals: number[] = [];
  for (let k = 0; k < MDA8_WINDOWS; k++) {
    const t = end - k * HOUR_MS;
    if (t > upTo) continue;
    const v = windowMean(o3 as Map<number, number>, t, 8, VALIDITY.o3WindowHours).value;
    if (v !== null) vals.push(v);
  }
  const v = vals.length ? Math.max(...vals) : null;
  return { value: v, raw: v, n: vals.length };
}

/**
 * Rolling 24-h statistics at hour end t (REF 3.1): the daily formula over the 24 h ending at t,
 * i.e. 24-h means (>= minHoursPerDay hours), the O3 max 1-h of those 24 h, and the max of the 17
 * 8-h means ending in the last 17 hours (>= mda8MinWindows valid), with the rule set of t's day.
 */
export function rolling24h(s: PollutantSeries, t: number, day: string, rules: DayRules): { input: DailyInput; aqi: AqiResult } {
  const m = (p: Pollutant) => s[p] as Map<number, number>;
  const w8: number[] = [];
  for (let k = 0; k < MDA8_WINDOWS; k++) {
    const v = windowMean(m('o3'), t - k * HOUR_MS, 8, VALIDITY.o3WindowHours).value;
    if (v !== null) w8.push(v);
  }
  const o3h: number[] = [];
  for (let k = 0; k < 24; k++) {
    const v = m('o3').get(t - k * HOUR_MS);
    if (v !== undefined) o3h.push(v);
  }
  const minH = rules.minHoursPerDay;
  const input: DailyInput = {
    so2_24h: moving24h(m('so2'), t, minH).value, no2_24h: moving24h(m('no2'), t, minH).value, co_24h: moving24h(m('co'), t, minH).value,
    pm25_24h: moving24h(m('pm25'), t, minH).value, pm10_24h: moving24h(m('pm10'), t, minH).value,
    o3_max1h: o3h.length >= minH ? Math.max(...o3h) : null,
    o3_mda8: w8.length >= rules.mda8MinWindows ? Math.max(...w8) : null,
  };
  return { input, aqi: dailyAqi(input, dailyRuleOf(rules, day)) };
}
