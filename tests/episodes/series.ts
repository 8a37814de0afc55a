/**
 * Compact hourly series notation for episode tests:
 *   hours('2017-06-15T10', '150 185 190 . 200')  -> hour ends 10:00, 11:00, ... Beijing time,
 * '.' = missing hour. The label is the END of the first hour (CNEMC convention), so
 * '2017-06-15T01' is the first hour of 2017-06-15 and 'T24' style labels are written as the next
 * day's 'T00'. `days(...)` repeats one value for whole days.
 */
import { HOUR_MS, beijingToUtc } from '#common/time.ts';
import type { HourlyPoint } from '#common/episodes/index.ts';
import type { Quantity } from '#common/pollutants.ts';

/** UTC ms of a Beijing hour label 'YYYY-MM-DDTHH' (end of hour). */
export function at(label: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/.exec(label);
  if (!m) throw new Error(`bad hour label ${label}`);
  return beijingToUtc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]));
}

/** [time, value] pairs from a start label and a space-separated list ('.' = missing). */
export function hours(start: string, text: string): [number, number | null][] {
  const t0 = at(start);
  return text.trim().split(/\s+/).map((tok, k) => [t0 + k * HOUR_MS, tok === '.' ? null : Number(tok)]);
}

/** The same value for `n` whole days starting with day 'YYYY-MM-DD' (hours 01..24). */
export function flatDays(day: string, n: number, value: number): [number, number | null][] {
  return hours(`${day}T01`, Array(24 * n).fill(String(value)).join(' '));
}

/** Hourly points of one quantity for a city (or a station with `station`); missing hours skipped. */
export function points(city: string, q: Quantity, series: [number, number | null][], station?: string): HourlyPoint[] {
  return series.filter(([, v]) => v !== null).map(([time, v]) => ({ city, station, time, values: { [q]: v } }));
}

/** Daily series with a value per day (one whitespace-separated token per day; '.' = no data). */
export function daily(city: string, q: Quantity, firstDay: string, text: string): HourlyPoint[] {
  const toks = text.trim().split(/\s+/);
  const out: HourlyPoint[] = [];
  toks.forEach((tok, k) => {
    if (tok === '.') return;
    const [y, m, d] = firstDay.split('-').map(Number);
    const day = new Date(Date.UTC(y, m - 1, d + k)).toISOString().slice(0, 10);
    out.push(...points(city, q, flatDays(day, 1, Number(tok))));
  });
  return out;
}
