/**
 * Time conventions, in one place.
 * - Stored times are UTC epoch milliseconds of the END of the averaging interval
 *   (CNEMC labels an hour by its end: "16" = mean of 15:00-16:00 Beijing time).
 * - HJ 212 DataTime marks the START of the interval; decoders add the interval.
 * - Beijing time is UTC+8 all year (no DST), so conversions are fixed offsets.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** Epoch ms of a Beijing-time wall clock date + hour label (0..24). */
export function beijingToUtc(y: number, m: number, d: number, h = 0, min = 0): number {
  return Date.UTC(y, m - 1, d, h, min) - BEIJING_OFFSET_MS;
}

/** ISO 8601 with the Beijing offset, to the second, e.g. 2017-06-15T16:00:00+08:00 (the form of the
 *  wire messages' `time`). */
export function isoBeijing(t: number): string {
  return `${new Date(t + BEIJING_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** "2026-07-01 14:00" in Beijing time, as UX.md asks dates to read. */
export function formatBeijing(t: number): string {
  const s = new Date(t + BEIJING_OFFSET_MS).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 16)}`;
}

/** Beijing calendar day (YYYY-MM-DD) an hourly value ending at t belongs to, per HJ 663:
 *  a day is the hours labelled 01..24, so the value ending at 00:00 belongs to the previous day. */
/** Beijing calendar day 'YYYY-MM-DD' of an instant (UTC+8, no DST). */
export function beijingDayOf(t: number): string {
  return new Date(t + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

export function beijingDayOfHourEnd(t: number): string {
  return new Date(t - 1 + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** UTC epoch ms of the end of Beijing day `day` (its hour label 24). */
export function endOfBeijingDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return beijingToUtc(y, m, d + 1, 0);
}

/** Weekday names, Sunday first (the index of Date#getUTCDay), as Chinese bulletins ("周四") and
 *  English ones write them. */
export const WEEKDAYS = Object.freeze({
  zh: Object.freeze(['周日', '周一', '周二', '周三', '周四', '周五', '周六']),
  en: Object.freeze(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']),
});

/** Weekday (0 = Sunday) of a calendar day 'YYYY-MM-DD'. */
export function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** English month names, January first (index = month - 1). */
export const MONTHS_EN = Object.freeze(['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']);
