/**
 * Spring Festival dates for the fireworks classifier (REF 4.2: 除夕 night, 初一-初五, 元宵).
 * Table of 正月初一 (first day of the first lunar month), 2005-2035, from the Hong Kong Observatory
 * "Gregorian-Lunar Calendar Conversion Table" (https://www.hko.gov.hk/en/gts/time/conversion.htm);
 * 2005-2014 added so the archives held (UCI PRSA 2013-2015) are covered.
 * 除夕 is the day before 初一 (the last day of the twelfth month, whether it is the 29th or 30th) and
 * 元宵 (Lantern Festival) is 正月十五 = 初一 + 14 days. tests/episodes/lunar.test.ts checks the table
 * against ICU's Chinese calendar (Intl 'zh-u-ca-chinese') where the runtime has it.
 */
export const SPRING_FESTIVAL: Readonly<Record<number, string>> = Object.freeze({
  2005: '2005-02-09', 2006: '2006-01-29', 2007: '2007-02-18', 2008: '2008-02-07', 2009: '2009-01-26',
  2010: '2010-02-14', 2011: '2011-02-03', 2012: '2012-01-23', 2013: '2013-02-10', 2014: '2014-01-31',
  2015: '2015-02-19', 2016: '2016-02-08', 2017: '2017-01-28', 2018: '2018-02-16', 2019: '2019-02-05',
  2020: '2020-01-25', 2021: '2021-02-12', 2022: '2022-02-01', 2023: '2023-01-22', 2024: '2024-02-10',
  2025: '2025-01-29', 2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26', 2029: '2029-02-13',
  2030: '2030-02-03', 2031: '2031-01-23', 2032: '2032-02-11', 2033: '2033-01-31', 2034: '2034-02-19',
  2035: '2035-02-08',
});

/** Add n days to a 'YYYY-MM-DD' day. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export interface FestivalDay {
  day: string;
  /** 'eve' (除夕), 'first-days' (初一..初五), 'lantern' (元宵) */
  name: 'eve' | 'first-days' | 'lantern';
  zh: string;
}

/** Fireworks days of the Spring Festival of `year` (empty outside 2005-2035).
 *  Example: fireworksDays(2017)[0] -> { day: '2017-01-27', name: 'eve', zh: '除夕' }. */
export function fireworksDays(year: number): FestivalDay[] {
  const first = SPRING_FESTIVAL[year];
  if (!first) return [];
  const out: FestivalDay[] = [{ day: addDays(first, -1), name: 'eve', zh: '除夕' }];
  for (let k = 0; k < 5; k++) out.push({ day: addDays(first, k), name: 'first-days', zh: `初${'一二三四五'[k]}` });
  out.push({ day: addDays(first, 14), name: 'lantern', zh: '元宵' });
  return out;
}

/** The festival day a Beijing day falls on, or null (also null outside the table's years). */
export function fireworksDay(day: string): FestivalDay | null {
  const y = Number(day.slice(0, 4));
  // 除夕 can fall in the January of the festival's year only, so one year's table suffices.
  return fireworksDays(y).find((f) => f.day === day) ?? null;
}

/** Whether the table covers a year (the classifier reports "n/a" outside it, never "no"). */
export function festivalTableCovers(year: number): boolean {
  return SPRING_FESTIVAL[year] !== undefined;
}
