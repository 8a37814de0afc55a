/**
 * AQI from hourly series: what the live engine and the episode engine call. Builds the inputs a
 * rule set needs (1-h values, O3 8-h and PM 24-h moving means, daily means, MDA8) from hourly
 * series and hands them to aqi.ts.
 */
import { POLLUTANTS, type Pollutant } from '../pollutants.ts';
import { beijingDayOfHourEnd, HOUR_MS } from '../time.ts';
import { dailyAqi, hourlyAqi, type AqiOptions, type AqiResult } from './aqi.ts';
import {
  dailyMax1h, dailyMean, indexSeries, mda8, moving24h, o3Moving8h, windowMean, VALIDITY,
  type HourlySeries, type Mda8Options, type Stat,
} from './hj663.ts';
import {
  dailyRuleFor, hourlyRuleFor, type DailyInput, type DailyRuleSet, type HourlyInput, type HourlyRuleSet,
} from './rulesets.ts';

/** Hourly series per pollutant (ug/m3, CO mg/m3), keyed by hour end. */
export type PollutantSeries = Partial<Record<Pollutant, HourlySeries>>;

function indexAll(s: PollutantSeries): Record<Pollutant, Map<number, number>> {
  return Object.fromEntries(POLLUTANTS.map((p) => [p, indexSeries(s[p] ?? [])])) as Record<Pollutant, Map<number, number>>;
}

/** Inputs of the real-time AQI at hour end t under a rule set: the hour's values, the O3 8-h moving
 *  mean (>= 6 of 8), and the 24-h moving means of PM (as the rule set's pmWindow says) and SO2
 *  (>= 20 of 24). */
export function hourlyInputsAt(series: PollutantSeries, t: number, rule: HourlyRuleSet): HourlyInput {
  const m = indexAll(series);
  const at = (p: Pollutant) => m[p].get(t) ?? null;
  const lag = rule.pmWindow?.lagHours ?? 0;
  const minPm = rule.pmWindow?.minHours ?? VALIDITY.dailyHours;
  return {
    so2_1h: at('so2'), no2_1h: at('no2'), co_1h: at('co'), o3_1h: at('o3'), pm25_1h: at('pm25'), pm10_1h: at('pm10'),
    o3_8h: o3Moving8h(m.o3, t).value,
    pm25_24h: moving24h(m.pm25, t, minPm, lag).value,
    pm10_24h: moving24h(m.pm10, t, minPm, lag).value,
    so2_24h: moving24h(m.so2, t, VALIDITY.dailyHours, 0).value,
  };
}

/** Real-time AQI at hour end t from hourly series (rule set by date unless given). */
export function hourlyAqiAt(series: PollutantSeries, t: number, rule: HourlyRuleSet = hourlyRuleFor(t), opts: AqiOptions = {}): AqiResult {
  return hourlyAqi(hourlyInputsAt(series, t, rule), rule, opts);
}

export interface DailyStats {
  input: DailyInput;
  stats: Partial<Record<keyof DailyInput, Stat>>;
}

/** Daily statistics of a Beijing day (hours 01..24): 24-h means (>= 20 h), O3 max 1-h, MDA8. */
export function dailyStatistics(series: PollutantSeries, day: string, mda8Opts: Mda8Options = {}): DailyStats {
  const m = indexAll(series);
  const stats: DailyStats['stats'] = {
    so2_24h: dailyMean(m.so2, day), no2_24h: dailyMean(m.no2, day), co_24h: dailyMean(m.co, day),
    pm25_24h: dailyMean(m.pm25, day), pm10_24h: dailyMean(m.pm10, day),
    o3_max1h: dailyMax1h(m.o3, day), o3_mda8: mda8(m.o3, day, mda8Opts),
  };
  const input = Object.fromEntries(Object.entries(stats).map(([k, s]) => [k, s!.value])) as DailyInput;
  return { input, stats };
}

/** Daily AQI of a Beijing day from its hourly series (rule set by date unless given).
 *  Example: 24 hours of PM2.5 = 80 on 2016-12-20 -> AQI 107, primary ['pm25']. */
export function dailyAqiOfDay(
  series: PollutantSeries, day: string, rule: DailyRuleSet = dailyRuleFor(day), opts: AqiOptions & { mda8?: Mda8Options } = {},
): AqiResult & { stats: DailyStats } {
  const st = dailyStatistics(series, day, opts.mda8);
  return { ...dailyAqi(st.input, rule, opts), stats: st };
}

/** Rolling daily AQI at hour end t: the daily formula over the 24 hours ending at t (24-h moving
 *  means >= 20 h; O3 max 1-h of those hours; O3 max of the 17 8-h windows inside them, >= 14 valid).
 *  The daily rule set is the one in force on the day of t unless given. */
export function rolling24hAqi(
  series: PollutantSeries, t: number, rule?: DailyRuleSet, opts: AqiOptions & { mda8?: Mda8Options } = {},
): AqiResult {
  const m = indexAll(series);
  const day = beijingDayOfHourEnd(t);
  const r = rule ?? dailyRuleFor(day);
  const wh = opts.mda8?.windowHours ?? VALIDITY.o3WindowHours;
  const need = opts.mda8?.minWindows ?? 14;
  const w8 = Array.from({ length: 17 }, (_, k) => windowMean(m.o3, t - k * HOUR_MS, 8, wh).value)
    .filter((v): v is number => v !== null);
  const o3hours = Array.from({ length: 24 }, (_, k) => m.o3.get(t - k * HOUR_MS)).filter((v): v is number => v !== undefined);
  const input: DailyInput = {
    so2_24h: moving24h(m.so2, t).value, no2_24h: moving24h(m.no2, t).value, co_24h: moving24h(m.co, t).value,
    pm25_24h: moving24h(m.pm25, t).value, pm10_24h: moving24h(m.pm10, t).value,
    o3_max1h: o3hours.length >= VALIDITY.dailyHours ? Math.max(...o3hours) : null,
    o3_mda8: w8.length >= need ? Math.max(...w8) : null,
  };
  return dailyAqi(input, r, opts);
}
