/**
 * The figures of a period report, from the city's daily records (common/episodes DayRecord, made
 * by the aggregation core common/aggregate dayRecord: 24-h means >= 20 h, MDA8 of 17 windows, daily
 * AQI by HJ 633). Every statistic comes from common/standards:
 *  - day classes: dayCounts (good = AQI <= 100, heavy = AQI > 200, severe = AQI > 300) and levelOf;
 *  - pollutant statistics: periodStatistics (mean; HJ 663 Appendix A percentile at PERIOD_PERCENTILE:
 *    O3 90th of MDA8, CO 95th of daily means);
 *  - the evaluation statistic of each pollutant as the bulletins print it (HJ 663 5.x): PM2.5, PM10,
 *    SO2, NO2 the period mean; CO the 95th percentile of daily means; O3 the 90th percentile of MDA8;
 *  - exceedance days: exceedsStandard against GB 3095 grade II in force on each day (24-h limits, O3
 *    the 8-h limit on MDA8); the evaluation statistic against the annual limit (CO: 24-h, O3: 8-h);
 *  - completeness: validity.ts (GB 3095 Table 4 via VALIDITY / annualValid).
 * Provisional (ongoing) days are listed in the daily table but left out of every statistic.
 */
import { dayCounts, exceedsStandard, levelOf, limitFor, periodStatistics, PERIOD_PERCENTILE, type Averaging, type Level } from '../standards/index.ts';
import { POLLUTANTS, type Pollutant } from '../pollutants.ts';
import type { DayRecord } from '../episodes/city.ts';
import { periodDays, type Period } from './period.ts';
import { completeness, type Completeness } from './validity.ts';

/** One row of the daily table (the spreadsheet annex): a day of the period, null when no data. */
export interface DailyRow {
  day: string;
  aqi: number | null;
  level: Level | null;
  primary: Pollutant[];
  pm25: number | null;
  pm10: number | null;
  so2: number | null;
  no2: number | null;
  co: number | null;
  o3max1h: number | null;
  mda8: number | null;
  /** hours with a city value that day */
  hours: number;
  provisional: boolean;
}

/** Which statistic the bulletin prints for a pollutant (HJ 663). */
export type StatisticKind = 'mean' | 'percentile';
export const EVALUATION_STATISTIC: Readonly<Record<Pollutant, { kind: StatisticKind; limitAvg: Averaging; dailyAvg: Averaging }>> = Object.freeze({
  pm25: { kind: 'mean', limitAvg: 'annual', dailyAvg: '24h' },
  pm10: { kind: 'mean', limitAvg: 'annual', dailyAvg: '24h' },
  so2: { kind: 'mean', limitAvg: 'annual', dailyAvg: '24h' },
  no2: { kind: 'mean', limitAvg: 'annual', dailyAvg: '24h' },
  co: { kind: 'percentile', limitAvg: '24h', dailyAvg: '24h' },
  o3: { kind: 'percentile', limitAvg: '8h', dailyAvg: '8h' },
});

export interface PollutantFigures {
  pollutant: Pollutant;
  /** the daily value it is built on: 24-h mean, or for O3 the MDA8 */
  basis: '24h-mean' | 'mda8';
  /** the evaluation statistic (mean, or the percentile below), null without data */
  value: number | null;
  kind: StatisticKind;
  mean: number | null;
  percentile: number | null;
  p: number;
  /** highest daily value */
  max: number | null;
  maxDay: string | null;
  /** valid daily values used */
  n: number;
  /** GB 3095 grade II limit the statistic is compared with, and value / limit (标准指数) */
  limit: number | null;
  limitAvg: Averaging;
  index: number | null;
  /** days over the grade II daily limit (24-h, O3 8-h), and their share of the valid days (%) */
  exceedanceDays: number;
  exceedanceRate: number | null;
  dailyLimit: number | null;
  completeness: Completeness;
}

export interface DayFigures {
  /** days in the period, days with a daily AQI, days with no AQI (no data or below validity) */
  periodDays: number;
  validDays: number;
  missingDays: number;
  provisionalDays: number;
  goodDays: number;
  /** 优良天数比例, % of valid days */
  goodRatio: number | null;
  exceedanceDays: number;
  heavyDays: number;
  /** heavy or worse (AQI > 200), % of valid days */
  heavyRatio: number | null;
  severeDays: number;
  /** days at each level 1..6 */
  levels: Record<Level, number>;
  /** days over AQI 100 with each pollutant as (one of) the primary pollutants, and the share (%) */
  primaryOnExceedance: { pollutant: Pollutant; days: number; share: number }[];
}

export interface PeriodFigures {
  days: DayFigures;
  pollutants: Record<Pollutant, PollutantFigures>;
  daily: DailyRow[];
}

function dailyValue(r: DailyRow, p: Pollutant): number | null {
  return p === 'o3' ? r.mda8 : r[p];
}

/** The daily table of a period: every day, with its record or nulls. */
export function dailyRows(period: Period, records: readonly DayRecord[]): DailyRow[] {
  const byDay = new Map(records.map((r) => [r.day, r]));
  return periodDays(period).map((day) => {
    const r = byDay.get(day);
    if (!r) return { day, aqi: null, level: null, primary: [], pm25: null, pm10: null, so2: null, no2: null, co: null, o3max1h: null, mda8: null, hours: 0, provisional: false };
    return { day, aqi: r.aqi, level: levelOf(r.aqi), primary: [...r.primary], pm25: r.pm25, pm10: r.pm10, so2: r.so2, no2: r.no2, co: r.co, o3max1h: r.o3max1h, mda8: r.mda8, hours: r.hours, provisional: r.provisional };
  });
}

const share = (n: number, of: number) => (of > 0 ? (100 * n) / of : null);

/** All figures of a period from its daily records. */
export function periodFigures(period: Period, records: readonly DayRecord[]): PeriodFigures {
  const daily = dailyRows(period, records);
  const done = daily.filter((r) => !r.provisional);
  const c = dayCounts(done.map((r) => r.aqi));
  const levels = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0 } as Record<Level, number>;
  for (const r of done) if (r.level !== null) levels[r.level]++;
  const over = done.filter((r) => r.aqi !== null && r.aqi > 100);
  const primaryOnExceedance = POLLUTANTS
    .map((p) => ({ pollutant: p, days: over.filter((r) => r.primary.includes(p)).length }))
    .filter((x) => x.days > 0)
    .map((x) => ({ ...x, share: share(x.days, over.length)! }))
    .sort((a, b) => b.days - a.days);
  const days: DayFigures = {
    periodDays: daily.length, validDays: c.validDays, missingDays: daily.length - c.validDays - daily.filter((r) => r.provisional).length,
    provisionalDays: daily.filter((r) => r.provisional).length,
    goodDays: c.goodDays, goodRatio: c.goodRatio, exceedanceDays: c.exceedanceDays,
    heavyDays: c.heavyDays, heavyRatio: share(c.heavyDays, c.validDays), severeDays: c.severeDays, levels, primaryOnExceedance,
  };
  const stats = periodStatistics(Object.fromEntries(POLLUTANTS.map((p) => [p, done.map((r) => dailyValue(r, p))])));
  const pollutants = Object.fromEntries(POLLUTANTS.map((p) => {
    const ev = EVALUATION_STATISTIC[p];
    const s = stats[p]!;
    const value = ev.kind === 'mean' ? s.mean : s.percentile;
    const withValue = done.filter((r) => dailyValue(r, p) !== null);
    let max: number | null = null;
    let maxDay: string | null = null;
    for (const r of withValue) if (max === null || dailyValue(r, p)! > max) { max = dailyValue(r, p); maxDay = r.day; }
    const limit = limitFor(p, ev.limitAvg, period.from);
    const exceed = withValue.filter((r) => exceedsStandard(p, ev.dailyAvg, dailyValue(r, p), r.day, 2) === true).length;
    const f: PollutantFigures = {
      pollutant: p, basis: p === 'o3' ? 'mda8' : '24h-mean', value, kind: ev.kind, mean: s.mean, percentile: s.percentile, p: PERIOD_PERCENTILE[p],
      max, maxDay, n: s.n, limit, limitAvg: ev.limitAvg, index: value !== null && limit ? value / limit : null,
      exceedanceDays: exceed, exceedanceRate: share(exceed, withValue.length), dailyLimit: limitFor(p, ev.dailyAvg, period.from),
      completeness: completeness(period, withValue.map((r) => r.day), daily.length),
    };
    return [p, f];
  })) as Record<Pollutant, PollutantFigures>;
  return { days, pollutants, daily };
}

export interface Change {
  previous: number | null;
  /** current - previous (percentage points for ratios, days for counts, ug/m3 or mg/m3 for statistics) */
  delta: number | null;
  /** (current - previous) / previous, % (null for ratios and when previous is 0 or missing) */
  pct: number | null;
}

export interface YearOnYear {
  /** the same period a year earlier and whether it has any valid day */
  period: string;
  present: boolean;
  goodRatio: Change;
  heavyRatio: Change;
  goodDays: Change;
  heavyDays: Change;
  pollutants: Record<Pollutant, Change & { previousValid: boolean }>;
}

function change(cur: number | null, prev: number | null, relative: boolean): Change {
  if (cur === null || prev === null) return { previous: prev, delta: null, pct: null };
  return { previous: prev, delta: cur - prev, pct: relative && prev !== 0 ? (100 * (cur - prev)) / prev : null };
}

/** Year-on-year changes (同比) of a period's figures against the same period one year earlier. */
export function yearOnYear(cur: PeriodFigures, prev: PeriodFigures, prevKey: string): YearOnYear {
  return {
    period: prevKey,
    present: prev.days.validDays > 0,
    goodRatio: change(cur.days.goodRatio, prev.days.goodRatio, false),
    heavyRatio: change(cur.days.heavyRatio, prev.days.heavyRatio, false),
    goodDays: change(cur.days.goodDays, prev.days.validDays ? prev.days.goodDays : null, false),
    heavyDays: change(cur.days.heavyDays, prev.days.validDays ? prev.days.heavyDays : null, false),
    pollutants: Object.fromEntries(POLLUTANTS.map((p) => [p, { ...change(cur.pollutants[p].value, prev.pollutants[p].value, true), previousValid: prev.pollutants[p].completeness.valid }])) as YearOnYear['pollutants'],
  };
}
