/** Query-string times: epoch ms or ISO 8601. Kept apart so routes and tests share one parser. */
import { appError } from './errors.ts';

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}(:\d{2}(:\d{2}(\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Times the stores can hold: InfluxDB 1.x keeps int64 nanoseconds, years 1677-2262; both
 *  stores check the same range on write (stores/validate.ts). A query outside it is the
 *  caller's mistake (400), not an unavailable store (it was a 503). */
export const MIN_QUERY_MS = -5e12;
export const MAX_QUERY_MS = 9e12;

/** Epoch ms of a query time; throws AIRDESK_BAD_TIME. A date-time without offset is taken as UTC;
 *  a bare date as 00:00 Beijing time (the dashboard's calendar). Past year 2255 or before 1811
 *  (what the stores hold) is AIRDESK_BAD_TIME too. */
export function parseTime(name: string, raw: string): number {
  const t = parseAny(name, raw);
  if (t < MIN_QUERY_MS || t > MAX_QUERY_MS) throw appError('AIRDESK_BAD_TIME', `${name}=${JSON.stringify(raw)} is outside the years the store holds (1811-2255)`);
  return t;
}

function parseAny(name: string, raw: string): number {
  const s = raw.trim();
  if (/^-?\d{1,15}$/.test(s)) return Number(s);
  if (!ISO.test(s)) throw appError('AIRDESK_BAD_TIME', `${name}=${JSON.stringify(raw)}`);
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(s);
  const t = s.length === 10 ? Date.parse(`${s}T00:00:00+08:00`) : Date.parse(hasOffset ? s : `${s}Z`);
  if (!Number.isFinite(t)) throw appError('AIRDESK_BAD_TIME', `${name}=${JSON.stringify(raw)}`);
  return t;
}

/** A [from, to] range, checked: from < to, at most maxDays. */
export function parseRange(q: { from: string; to: string }, maxDays: number): { from: number; to: number } {
  const from = parseTime('from', q.from);
  const to = parseTime('to', q.to);
  if (!(from < to)) throw appError('AIRDESK_BAD_RANGE', 'from must be before to');
  if (to - from > maxDays * 86_400_000) throw appError('AIRDESK_RANGE_TOO_LARGE', `at most ${maxDays} days`);
  return { from, to };
}
