/**
 * Report periods: a calendar month ('2015-01'), quarter ('2015-Q1') or year ('2015') of Beijing
 * days, as the ministry's monthly, quarterly and annual bulletins (MEE 月报/季报/年报) cover them,
 * and the same period of the previous year (同比, year-on-year).
 */
export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Period {
  kind: PeriodKind;
  /** '2015-01', '2015-Q1' or '2015' */
  key: string;
  year: number;
  /** first and last Beijing day, inclusive */
  from: string;
  to: string;
  /** the months 'YYYY-MM' the period is made of */
  months: string[];
}

export type PeriodParse = { ok: true; period: Period } | { ok: false; error: string };

const pad = (n: number) => String(n).padStart(2, '0');

/** Days in month `m` (1..12) of year `y` (proleptic Gregorian). */
export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function make(kind: PeriodKind, key: string, year: number, firstMonth: number, nMonths: number): Period {
  const months = Array.from({ length: nMonths }, (_, i) => `${year}-${pad(firstMonth + i)}`);
  const lastMonth = firstMonth + nMonths - 1;
  return { kind, key, year, from: `${year}-${pad(firstMonth)}-01`, to: `${year}-${pad(lastMonth)}-${pad(daysInMonth(year, lastMonth))}`, months };
}

/** Parse a period of the given kind. Example: parsePeriod('quarter', '2015-Q1') -> 2015-01-01..2015-03-31.
 *  Years 1900..2999 only (a typo like 20150 is an error, not a far-future report). */
export function parsePeriod(kind: PeriodKind, s: string): PeriodParse {
  const t = String(s ?? '').trim();
  const want = { month: 'YYYY-MM, e.g. 2015-01', quarter: 'YYYY-Qn, e.g. 2015-Q1', year: 'YYYY, e.g. 2015' }[kind];
  const bad: PeriodParse = { ok: false, error: `a ${kind} period must be ${want}, got '${t}'` };
  const yearOk = (y: number) => y >= 1900 && y <= 2999;
  if (kind === 'month') {
    const m = /^(\d{4})-(\d{2})$/.exec(t);
    if (!m || !yearOk(+m[1]) || +m[2] < 1 || +m[2] > 12) return bad;
    return { ok: true, period: make('month', t, +m[1], +m[2], 1) };
  }
  if (kind === 'quarter') {
    const m = /^(\d{4})-[Qq]([1-4])$/.exec(t);
    if (!m || !yearOk(+m[1])) return bad;
    return { ok: true, period: make('quarter', `${m[1]}-Q${m[2]}`, +m[1], 3 * (+m[2] - 1) + 1, 3) };
  }
  const m = /^(\d{4})$/.exec(t);
  if (!m || !yearOk(+m[1])) return bad;
  return { ok: true, period: make('year', t, +m[1], 1, 12) };
}

/** The same period one year earlier (同比). Example: 2015-Q1 -> 2014-Q1. */
export function previousYear(p: Period): Period {
  const y = p.year - 1;
  const key = p.kind === 'year' ? String(y) : `${y}${p.key.slice(4)}`;
  const r = parsePeriod(p.kind, key);
  if (!r.ok) throw new RangeError(r.error); // programming mistake: a valid period has a valid predecessor
  return r.period;
}

/** Every Beijing day of the period, in order. */
export function periodDays(p: Period): string[] {
  const out: string[] = [];
  for (const mo of p.months) {
    const [y, m] = mo.split('-').map(Number);
    for (let d = 1; d <= daysInMonth(y, m); d++) out.push(`${mo}-${pad(d)}`);
  }
  return out;
}
