/**
 * Data completeness of a period statistic (HJ 663-2013 / GB 3095 Table 4, through
 * common/standards VALIDITY and annualValid; no minimum is restated here):
 *  - month: at least 27 valid daily values (25 in February);
 *  - quarter: HJ 663 gives no quarterly minimum, so each of its months must meet the monthly one
 *    [own choice, the strictest reading that stays consistent with the annual rule];
 *  - year: at least 324 valid days and every month's minimum (annualValid).
 * A statistic that misses its minimum is still shown, flagged as not valid, as the bulletins mark
 * such values rather than drop them.
 */
import { annualValid, VALIDITY } from '../standards/index.ts';
import type { Period } from './period.ts';

export interface Completeness {
  /** days with a valid daily value (24-h mean >= 20 h, or a valid MDA8) */
  validDays: number;
  /** days in the period */
  periodDays: number;
  /** the minimum number of valid days the period needs (sum of the monthly minimums; 324 for a year) */
  required: number;
  /** months 'YYYY-MM' below their monthly minimum */
  shortMonths: string[];
  valid: boolean;
}

/** Monthly minimum of valid daily values (GB 3095 Table 4). */
export function monthMinimum(month: string): number {
  return month.endsWith('-02') ? VALIDITY.februaryDays : VALIDITY.monthDays;
}

/** Completeness of a period's daily values: `validDays` are the 'YYYY-MM-DD' days with a value. */
export function completeness(period: Period, validDays: readonly string[], periodDays: number): Completeness {
  const uniq = new Set(validDays.filter((d) => d >= period.from && d <= period.to));
  const perMonth = new Map<string, number>();
  for (const d of uniq) perMonth.set(d.slice(0, 7), (perMonth.get(d.slice(0, 7)) ?? 0) + 1);
  const shortMonths = period.months.filter((m) => (perMonth.get(m) ?? 0) < monthMinimum(m));
  const monthly = period.months.reduce((s, m) => s + monthMinimum(m), 0);
  const required = period.kind === 'year' ? Math.max(VALIDITY.annualDays, monthly) : monthly;
  const valid = period.kind === 'year' ? annualValid([...uniq]) : shortMonths.length === 0;
  return { validDays: uniq.size, periodDays, required, shortMonths, valid };
}
