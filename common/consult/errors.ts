/**
 * Why a consultation forecast cannot be turned into what was asked (a bulletin, an average), as a
 * code the caller maps to its refusals (common/schemas/consult.ts REFUSALS): 'incomplete' = a field
 * a published forecast needs is not filled in; 'invalid' = a value or an argument is malformed.
 * `day` and `field` say where ('2026-12-03', 'aqi'); the message names both.
 */
export type ConsultFormCode = 'incomplete' | 'invalid';

export class ConsultFormError extends Error {
  constructor(readonly code: ConsultFormCode, readonly field: string, message: string, readonly day: string | null = null) {
    super(`${code}: ${day ? `${day} ` : ''}${field}: ${message}`);
    this.name = 'ConsultFormError';
  }
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day 'YYYY-MM-DD' (2026-02-30 is not). */
export function isDay(s: unknown): s is string {
  if (typeof s !== 'string' || !DAY_RE.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10) === s;
}

/** Throws 'invalid' unless `s` is a real calendar day. */
export function checkDay(s: unknown, field: string): string {
  if (!isDay(s)) throw new ConsultFormError('invalid', field, `not a day 'YYYY-MM-DD': ${JSON.stringify(s)}`);
  return s;
}
