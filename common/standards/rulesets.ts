/**
 * Named rule sets for the hourly (real-time) and daily AQI. Which concentrations enter, on which
 * breakpoint column, and which edition's special cases apply: written as data, so the choice between
 * practices is visible and testable, never an `if` buried in the arithmetic.
 *
 *  - 'hj633-2012'          HJ 633-2012 5.2 / Table 4: real-time AQI from 1-h SO2, NO2, CO, O3, the
 *                          O3 8-h moving mean, and PM10/PM2.5 24-h MOVING means (PM 1-h values carry no
 *                          IAQI). Used by CNEMC until the end of 2016.
 *  - 'hj633-2012-cnemc1h'  CNEMC practice from early 2017 (written down by HJ 633-2026): 1-h PM indexed
 *                          on the 24-h PM columns, 1-h gases on their 1-h columns, no O3 8-h; the 2012
 *                          tables; SO2 1-h > 800 gets no IAQI. Exact on every station-hour of
 *                          ../shared/data/cnemc-national (2017-01-01).
 *  - 'hj633-2012-raw24h'   Variant of 'hj633-2012' found by auditing Beijing 2016-12: the PM 24-h moving
 *                          means are computed from the 24 hourly values ending at the hour and indexed
 *                          WITHOUT rounding them first. Exact matches rise from 63% to 92% of station-
 *                          hours with a complete window; shifted windows (t-1, t+1, 23 or 25 h) all match
 *                          far worse. Figures in docs/standards.md.
 *  - 'hj633-2026'          HJ 633-2026 5.2: the six 1-h values, PM on the 2026 24-h PM columns,
 *                          SO2 1-h > 800 -> IAQI 200, and the 5.3 missing-data rule.
 */
import type { Pollutant } from '../pollutants.ts';
import type { Column, Edition } from './breakpoints.ts';

/** Concentrations a real-time (hourly) AQI may use. `_1h` = the hour's mean; `o3_8h` = 8-h moving
 *  mean ending at the hour; `pm*_24h`/`so2_24h` = 24-h moving mean (the rule set says how aligned). */
export type HourlyInputKey =
  | 'so2_1h' | 'no2_1h' | 'co_1h' | 'o3_1h' | 'pm25_1h' | 'pm10_1h'
  | 'o3_8h' | 'pm25_24h' | 'pm10_24h' | 'so2_24h';
export type HourlyInput = Partial<Record<HourlyInputKey, number | null>>;

/** Concentrations a daily AQI uses: daily (natural-day) means, O3 daily max 1-h and MDA8. */
export type DailyInputKey = 'so2_24h' | 'no2_24h' | 'co_24h' | 'pm25_24h' | 'pm10_24h' | 'o3_max1h' | 'o3_mda8';
export type DailyInput = Partial<Record<DailyInputKey, number | null>>;

/** One indicator of a report: which input, indexed on which column of HJ 633 Table 1. */
export interface Indicator<K extends string> {
  readonly input: K;
  readonly pollutant: Pollutant;
  readonly column: Column;
}

/** How the PM 24-h moving means of an hourly rule set are formed from hourly values: the `hours`
 *  values ending `lagHours` before the hour being indexed, valid with `minHours` of them, and
 *  whether the mean is rounded (GB/T 8170) before indexing. */
export interface MovingWindow {
  readonly hours: 24;
  readonly lagHours: number;
  readonly minHours: number;
  readonly rounded: boolean;
}

export type RuleName = 'hj633-2012' | 'hj633-2012-cnemc1h' | 'hj633-2012-raw24h' | 'hj633-2026';
export type DailyRuleName = 'hj633-2012' | 'hj633-2026';

/** What happens above 800 ug/m3 where HJ 633 Table 1 stops (its notes 2 and 3):
 *  SO2 1-h: 'so2-24h' = IAQI from the SO2 24-h mean (2012 text), 'omit' = no SO2 IAQI (CNEMC
 *  real-time practice, seen on 2 station-hours of the national file), 200 = IAQI 200 (2026).
 *  O3 8-h: 'o3-1h' = drop the 8-h IAQI, O3 from its 1-h value (2012), 300 = IAQI 300 (2026). */
export interface Above800 {
  readonly so2_1h: 'so2-24h' | 'omit' | 200;
  readonly o3_8h: 'o3-1h' | 300;
}
const ABOVE800_2012: Above800 = Object.freeze({ so2_1h: 'so2-24h', o3_8h: 'o3-1h' });
const ABOVE800_CNEMC: Above800 = Object.freeze({ so2_1h: 'omit', o3_8h: 'o3-1h' });
const ABOVE800_2026: Above800 = Object.freeze({ so2_1h: 200, o3_8h: 300 });

export interface HourlyRuleSet {
  readonly name: RuleName;
  readonly edition: Edition;
  readonly title: string;
  readonly indicators: readonly Indicator<HourlyInputKey>[];
  readonly above800: Above800;
  /** For rule sets that use PM 24-h moving means: their window (see MovingWindow). */
  readonly pmWindow: MovingWindow | null;
}

export interface DailyRuleSet {
  readonly name: DailyRuleName;
  readonly edition: Edition;
  readonly title: string;
  readonly indicators: readonly Indicator<DailyInputKey>[];
  readonly above800: Above800;
}

const I = <K extends string>(input: K, pollutant: Pollutant, column: Column): Indicator<K> =>
  Object.freeze({ input, pollutant, column });

// HJ 633-2012 5.2 and Table 4 (real-time report format): SO2/NO2/CO/O3 1-h, O3 8-h moving,
// PM10/PM2.5 24-h moving; the PM 1-h columns have no IAQI.
const HOURLY_2012_TEXT = [
  I('so2_1h', 'so2', 'so2_1h'), I('no2_1h', 'no2', 'no2_1h'), I('co_1h', 'co', 'co_1h'),
  I('o3_1h', 'o3', 'o3_1h'), I('o3_8h', 'o3', 'o3_8h'),
  I('pm10_24h', 'pm10', 'pm10_24h'), I('pm25_24h', 'pm25', 'pm25_24h'),
] as const;
// HJ 633-2026 5.2 (and CNEMC since early 2017): six 1-h values, PM on the 24-h PM columns.
const HOURLY_SIX_1H = [
  I('so2_1h', 'so2', 'so2_1h'), I('no2_1h', 'no2', 'no2_1h'), I('co_1h', 'co', 'co_1h'),
  I('o3_1h', 'o3', 'o3_1h'), I('pm10_1h', 'pm10', 'pm10_24h'), I('pm25_1h', 'pm25', 'pm25_24h'),
] as const;

export const HOURLY_RULES: Readonly<Record<RuleName, HourlyRuleSet>> = Object.freeze({
  'hj633-2012': Object.freeze({
    name: 'hj633-2012', edition: '2012', title: 'HJ 633-2012 text: PM from 24-h moving means',
    indicators: HOURLY_2012_TEXT, above800: ABOVE800_2012,
    pmWindow: Object.freeze({ hours: 24, lagHours: 0, minHours: 20, rounded: true }),
  }),
  'hj633-2012-raw24h': Object.freeze({
    name: 'hj633-2012-raw24h', edition: '2012', title: 'HJ 633-2012, PM 24-h moving means indexed unrounded (BJMEMC 2016)',
    indicators: HOURLY_2012_TEXT, above800: ABOVE800_2012,
    pmWindow: Object.freeze({ hours: 24, lagHours: 0, minHours: 24, rounded: false }),
  }),
  'hj633-2012-cnemc1h': Object.freeze({
    name: 'hj633-2012-cnemc1h', edition: '2012', title: 'CNEMC practice 2017-2026: 1-h PM on the 24-h PM breakpoints',
    indicators: HOURLY_SIX_1H, above800: ABOVE800_CNEMC, pmWindow: null,
  }),
  'hj633-2026': Object.freeze({
    name: 'hj633-2026', edition: '2026', title: 'HJ 633-2026: six 1-h values, 2026 PM breakpoints',
    indicators: HOURLY_SIX_1H, above800: ABOVE800_2026, pmWindow: null,
  }),
});

export const DAILY_RULES: Readonly<Record<DailyRuleName, DailyRuleSet>> = Object.freeze({
  // HJ 633-2012 5.1: 24-h means of SO2, NO2, PM10, PM2.5, CO; O3 daily max 1-h; O3 MDA8.
  'hj633-2012': Object.freeze({
    name: 'hj633-2012', edition: '2012', title: 'HJ 633-2012 daily report (7 indicators)',
    indicators: [
      I('so2_24h', 'so2', 'so2_24h'), I('no2_24h', 'no2', 'no2_24h'), I('co_24h', 'co', 'co_24h'),
      I('o3_max1h', 'o3', 'o3_1h'), I('o3_mda8', 'o3', 'o3_8h'),
      I('pm10_24h', 'pm10', 'pm10_24h'), I('pm25_24h', 'pm25', 'pm25_24h'),
    ] as const,
    above800: ABOVE800_2012,
  }),
  // HJ 633-2026 5.1: daily means of SO2, NO2, CO, PM10, PM2.5 and O3 MDA8 (daily max 1-h dropped).
  'hj633-2026': Object.freeze({
    name: 'hj633-2026', edition: '2026', title: 'HJ 633-2026 daily report (6 indicators)',
    indicators: [
      I('so2_24h', 'so2', 'so2_24h'), I('no2_24h', 'no2', 'no2_24h'), I('co_24h', 'co', 'co_24h'),
      I('o3_mda8', 'o3', 'o3_8h'), I('pm10_24h', 'pm10', 'pm10_24h'), I('pm25_24h', 'pm25', 'pm25_24h'),
    ] as const,
    above800: ABOVE800_2026,
  }),
});

export const RULE_NAMES = Object.keys(HOURLY_RULES) as RuleName[];

/** 2017-01-01 00:00 Beijing (CNEMC switch to 1-h PM, taken as the start of the year) and
 *  2026-03-01 00:00 Beijing (HJ 633-2026 in force), as UTC epoch ms of the hour ends. */
export const CNEMC_1H_FROM = Date.UTC(2016, 11, 31, 16);
export const HJ633_2026_FROM = Date.UTC(2026, 1, 28, 16);

/** Default hourly rule set for an hour ending at t (UTC epoch ms): the 2012 text until
 *  2016-12-31, CNEMC 1-h PM practice from 2017-01-01, HJ 633-2026 from 2026-03-01 (Beijing time).
 *  A real-time report is published at the end of its hour, so the switch is judged on the hour end:
 *  the hour labelled 2017-01-01 00 (23:00-24:00 on 12-31) is already published the new way, as the
 *  national file of that day shows (all 1,309 station-hours of label 00 match only the 1-h rule). */
export function hourlyRuleFor(t: number): HourlyRuleSet {
  if (t >= HJ633_2026_FROM) return HOURLY_RULES['hj633-2026'];
  if (t >= CNEMC_1H_FROM) return HOURLY_RULES['hj633-2012-cnemc1h'];
  return HOURLY_RULES['hj633-2012'];
}

/** Default daily rule set for a Beijing day 'YYYY-MM-DD': HJ 633-2026 from 2026-03-01. */
export function dailyRuleFor(day: string): DailyRuleSet {
  return day >= '2026-03-01' ? DAILY_RULES['hj633-2026'] : DAILY_RULES['hj633-2012'];
}

/** Rule set by name, or null for an unknown name (for CLI options and config). */
export function hourlyRuleByName(name: string): HourlyRuleSet | null {
  return (HOURLY_RULES as Record<string, HourlyRuleSet>)[name] ?? null;
}
