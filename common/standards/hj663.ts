/**
 * HJ 663-2013 statistics and GB 3095 Table 4 data-validity minimums, as pure functions over
 * hourly series. Time convention (common/time.ts): an hourly value is keyed by the UTC epoch ms of
 * the END of its hour; a Beijing calendar day is the 24 hours labelled 01..24; MDA8 uses the 17
 * 8-h windows ending 08..24 of the day.
 *
 * Series are arrays of { time, value } in any order (results do not depend on the order). A null
 * value is a missing hour, never 0. If one time occurs twice, the larger value is kept (an
 * order-independent choice; duplicates are a data error the caller should report).
 */
import { DAY_MS, HOUR_MS, endOfBeijingDay } from '../time.ts';

export interface HourPoint {
  readonly time: number;
  readonly value: number | null;
}
export type HourlySeries = readonly HourPoint[];

/** A statistic with its validity: `value` is null when the validity minimum is not met; `raw` is
 *  the statistic of whatever was present (null when nothing was); `n` counts the values used. */
export interface Stat {
  value: number | null;
  raw: number | null;
  n: number;
}

// GB 3095-2012 Table 4 / GB 3095-2026 Table 4 (data-validity minimums).
export const VALIDITY = Object.freeze({
  /** 1-h mean: at least 45 minutes of sampling in the hour. */
  hourMinutes: 45,
  /** Daily (24-h) mean of SO2, NO2, CO, PM10, PM2.5, NOx: at least 20 hourly values. */
  dailyHours: 20,
  /** O3 8-h mean: at least 6 hourly values in the window. */
  o3WindowHours: 6,
  /** Annual mean: at least 324 daily values, 27 per month (25 in February). */
  annualDays: 324,
  monthDays: 27,
  februaryDays: 25,
});

/** Whether a 1-h mean is valid given the minutes sampled (GB 3095 Table 4: >= 45 min). */
export function hourlyValid(minutesSampled: number): boolean {
  return minutesSampled >= VALIDITY.hourMinutes;
}

/** Index a series by time; non-finite or negative values count as missing. */
export function indexSeries(series: HourlySeries): Map<number, number> {
  const m = new Map<number, number>();
  for (const p of series) {
    const v = p.value;
    if (v === null || !Number.isFinite(v) || v < 0) continue;
    const prev = m.get(p.time);
    if (prev === undefined || v > prev) m.set(p.time, v);
  }
  return m;
}

type Indexed = HourlySeries | Map<number, number>;
const idx = (s: Indexed): Map<number, number> => (s instanceof Map ? s : indexSeries(s));

/** Mean of the `hours` hourly values ending at `end` (inclusive: ends end-(hours-1)h .. end),
 *  valid when at least `minValid` are present. Example: the O3 8-h moving mean at t is
 *  windowMean(o3, t, 8, 6); the 24-h moving mean is windowMean(x, t, 24, 20). */
export function windowMean(series: Indexed, end: number, hours: number, minValid: number): Stat {
  const m = idx(series);
  let sum = 0;
  let n = 0;
  for (let k = 0; k < hours; k++) {
    const v = m.get(end - k * HOUR_MS);
    if (v !== undefined) {
      sum += v;
      n++;
    }
  }
  const raw = n > 0 ? sum / n : null;
  return { value: n >= minValid ? raw : null, raw, n };
}

/** O3 8-h moving mean ending at t (>= 6 of 8 hours, GB 3095 Table 4). */
export function o3Moving8h(o3: Indexed, t: number, minHours: number = VALIDITY.o3WindowHours): Stat {
  return windowMean(o3, t, 8, minHours);
}

/** 24-h moving mean ending at t (>= 20 of 24 hours), as used by the 2012 real-time report and
 *  the rolling daily AQI. `lagHours` shifts the window earlier (rule sets' pmWindow). */
export function moving24h(series: Indexed, t: number, minHours: number = VALIDITY.dailyHours, lagHours = 0): Stat {
  return windowMean(series, t - lagHours * HOUR_MS, 24, minHours);
}

/** Moving means of every hour from `from` to `to` (hour ends, inclusive). */
export function movingMeans(series: Indexed, hours: number, minValid: number, from: number, to: number): HourPoint[] {
  const m = idx(series);
  const out: HourPoint[] = [];
  for (let t = from; t <= to; t += HOUR_MS) out.push({ time: t, value: windowMean(m, t, hours, minValid).value });
  return out;
}

/** Hour ends (UTC ms) of a Beijing day 'YYYY-MM-DD': labels 01..24, i.e. 01:00 .. 24:00. */
export function dayHourEnds(day: string): number[] {
  const end = endOfBeijingDay(day);
  return Array.from({ length: 24 }, (_, k) => end - DAY_MS + (k + 1) * HOUR_MS);
}

/** Daily (natural-day) mean: the hours labelled 01..24, valid with >= 20 values (GB 3095 Table 4).
 *  Example: 20 hours of 80 and 4 missing -> { value: 80, n: 20 }. */
export function dailyMean(series: Indexed, day: string, minHours: number = VALIDITY.dailyHours): Stat {
  return windowMean(series, endOfBeijingDay(day), 24, minHours);
}

/** Daily maximum 1-h value (used for O3 by the 2012 daily report). HJ 663 gives no minimum for
 *  it; by default the day needs the same 20 hours as a daily mean (configurable). */
export function dailyMax1h(series: Indexed, day: string, minHours: number = VALIDITY.dailyHours): Stat {
  const m = idx(series);
  const vs = dayHourEnds(day).map((t) => m.get(t)).filter((v): v is number => v !== undefined);
  const raw = vs.length ? Math.max(...vs) : null;
  return { value: vs.length >= minHours ? raw : null, raw, n: vs.length };
}

export interface Mda8Options {
  /** Hours needed in each 8-h window (GB 3095 Table 4: 6). */
  windowHours?: number;
  /** Valid windows needed out of 17 (default 14, as foqat; REFERENCE 2.3, UNCERTAIN in HJ 663). */
  minWindows?: number;
  /** If set, a day with too few windows still counts when its max exceeds this value (the
   *  "exceedance stays valid" practice, UNCERTAIN; e.g. 160). Default null: not applied. */
  validIfAbove?: number | null;
}

/** Daily maximum 8-h O3 (MDA8, HJ 663): max of the 8-h moving means ending at labels 08..24 of the
 *  day (17 windows, all inside the day). `n` = number of valid windows.
 *  Example: 24 hours of 100 except hours 14..21 at 200 -> 200. */
export function mda8(o3: Indexed, day: string, opts: Mda8Options = {}): Stat {
  const m = idx(o3);
  const wh = opts.windowHours ?? VALIDITY.o3WindowHours;
  const need = opts.minWindows ?? 14;
  const ends = dayHourEnds(day).slice(7); // labels 08..24
  const vals = ends.map((t) => windowMean(m, t, 8, wh).value).filter((v): v is number => v !== null);
  const raw = vals.length ? Math.max(...vals) : null;
  const ok = vals.length >= need || (opts.validIfAbove != null && raw !== null && raw > opts.validIfAbove);
  return { value: ok ? raw : null, raw, n: vals.length };
}

/** Percentile by HJ 663 Appendix A: sort ascending, k = 1 + (n-1)p/100, s = floor(k),
 *  m = X(s) + (X(s+1) - X(s))(k - s) (= Excel PERCENTILE.INC). Nulls are ignored; null if empty.
 *  Example: percentile([3,4,8,2,5,4], 90) -> 6.5. */
export function percentile(values: readonly (number | null)[], p: number): number | null {
  const x = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (x.length === 0) return null;
  const k = 1 + ((x.length - 1) * p) / 100;
  const s = Math.floor(k);
  if (s >= x.length) return x[x.length - 1];
  return x[s - 1] + (x[s] - x[s - 1]) * (k - s);
}

/** Period (e.g. annual) evaluation statistics of HJ 663 over daily values. */
export const PERIOD_PERCENTILE = Object.freeze({
  /** O3: 90th percentile of MDA8 (yearbook "臭氧日最大8小时第90百分位浓度"). */
  o3: 90,
  /** CO: 95th percentile of daily means. */
  co: 95,
  /** PM10, PM2.5: 95th percentile of daily means (CNEMC, 王帅等 2014). */
  pm10: 95,
  pm25: 95,
  /** SO2, NO2: 98th percentile of daily means (REFERENCE 2.4, UNCERTAIN). */
  so2: 98,
  no2: 98,
});

/** Arithmetic mean of the non-null values (null if none). */
export function mean(values: readonly (number | null)[]): number | null {
  let s = 0;
  let n = 0;
  for (const v of values) if (v !== null && Number.isFinite(v)) { s += v; n++; }
  return n ? s / n : null;
}

/** Whether daily values support an annual mean: >= 324 days, >= 27 in every month (>= 25 in
 *  February) (GB 3095 Table 4). `days` are the 'YYYY-MM-DD' days with a valid daily value. */
export function annualValid(days: readonly string[]): boolean {
  const uniq = new Set(days);
  if (uniq.size < VALIDITY.annualDays) return false;
  const perMonth = new Map<string, number>();
  for (const d of uniq) perMonth.set(d.slice(5, 7), (perMonth.get(d.slice(5, 7)) ?? 0) + 1);
  for (let mo = 1; mo <= 12; mo++) {
    const k = String(mo).padStart(2, '0');
    if ((perMonth.get(k) ?? 0) < (mo === 2 ? VALIDITY.februaryDays : VALIDITY.monthDays)) return false;
  }
  return true;
}

export interface DayCounts {
  /** days with a daily AQI */
  validDays: number;
  /** 优良天: AQI <= 100 */
  goodDays: number;
  /** 优良天数比例, percent of valid days (null with no valid day) */
  goodRatio: number | null;
  /** 超标天 / 污染天: AQI > 100 */
  exceedanceDays: number;
  /** 重污染天: AQI > 200 */
  heavyDays: number;
  /** 严重污染天: AQI > 300 */
  severeDays: number;
}

/** Day classification counts over daily AQIs (REFERENCE 2.5); nulls are days without an AQI. */
export function dayCounts(dailyAqi: readonly (number | null)[]): DayCounts {
  const v = dailyAqi.filter((a): a is number => a !== null && Number.isFinite(a));
  const good = v.filter((a) => a <= 100).length;
  return {
    validDays: v.length,
    goodDays: good,
    goodRatio: v.length ? (100 * good) / v.length : null,
    exceedanceDays: v.filter((a) => a > 100).length,
    heavyDays: v.filter((a) => a > 200).length,
    severeDays: v.filter((a) => a > 300).length,
  };
}

export interface PeriodStat {
  /** days with a value */
  n: number;
  /** arithmetic mean of the daily values (for O3: of MDA8), null if none */
  mean: number | null;
  /** the pollutant's HJ 663 evaluation percentile (PERIOD_PERCENTILE) of the daily values */
  percentile: number | null;
  /** which percentile that is */
  p: number;
}

/** Period (month, quarter, year) evaluation statistics of HJ 663 from daily values: for SO2, NO2,
 *  CO, PM10, PM2.5 their daily means, for O3 its MDA8 values. Example:
 *  periodStatistics({ o3: mda8s }).o3 -> { n, mean, percentile: 90th of MDA8, p: 90 }. Validity of
 *  an annual mean is a separate question (annualValid). */
export function periodStatistics(
  daily: Partial<Record<keyof typeof PERIOD_PERCENTILE, readonly (number | null)[]>>,
): Partial<Record<keyof typeof PERIOD_PERCENTILE, PeriodStat>> {
  const out: Partial<Record<keyof typeof PERIOD_PERCENTILE, PeriodStat>> = {};
  for (const [k, vs] of Object.entries(daily) as [keyof typeof PERIOD_PERCENTILE, readonly (number | null)[]][]) {
    const p = PERIOD_PERCENTILE[k];
    out[k] = { n: vs.filter((v) => v !== null && Number.isFinite(v)).length, mean: mean(vs), percentile: percentile(vs, p), p };
  }
  return out;
}
