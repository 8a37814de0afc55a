/**
 * Argument checks shared by the repositories. The repositories are an edge (the last one before
 * the disk), so they refuse what they cannot store faithfully with RECORDS_INVALID_INPUT, naming
 * the field, before any write begins.
 */
import { RecordsError } from './errors.ts';

/** Who made a change and from where (client address, 'cli', 'system'...): both go to the audit log. */
export interface Actor {
  who: string;
  from: string;
}

function bad(detail: string): never {
  throw new RecordsError('RECORDS_INVALID_INPUT', detail);
}

/** A non-empty single-line string of at most `max` characters. */
export function text(what: string, v: unknown, max = 128): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) bad(`${what} must be a non-empty string of at most ${max} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(v)) bad(`${what} ${JSON.stringify(v)} has a control character`);
  return v;
}

/** Free text (a reason, a rule): may span lines, at most `max` characters; null when absent. */
export function optNote(what: string, v: unknown, max = 2000): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v.length === 0 || v.length > max) bad(`${what} must be a non-empty string of at most ${max} characters`);
  if (v.includes('\u0000')) bad(`${what} has a NUL character`);
  return v;
}

export function optText(what: string, v: unknown, max = 128): string | null {
  return v === undefined || v === null ? null : text(what, v, max);
}

/** A dotted identifier: action names, setting keys. */
export function ident(what: string, v: unknown, max = 128): string {
  if (typeof v !== 'string' || !/^[a-z][a-z0-9_.:-]*$/.test(v) || v.length > max) {
    bad(`${what} ${JSON.stringify(v)} must be lowercase letters, digits and _ . : - (at most ${max}), starting with a letter`);
  }
  return v;
}

/** Epoch milliseconds, years 1970..2285 (a safe integer). */
export function epochMs(what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > 1e13) bad(`${what} ${String(v)} is not an integer epoch ms`);
  return v;
}

/** A real calendar day 'YYYY-MM-DD'. */
export function day(what: string, v: unknown): string {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) bad(`${what} ${JSON.stringify(v)} is not a day YYYY-MM-DD`);
  const t = Date.parse(`${v}T00:00:00Z`);
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== v) bad(`${what} ${v} is not a calendar day`);
  return v;
}

export function actor(v: unknown): Actor {
  const a = v as Partial<Actor> | null;
  if (!a || typeof a !== 'object') bad('by must be { who, from }');
  return { who: text('by.who', a.who), from: text('by.from', a.from, 256) };
}

/** Max size of one JSON document (a forecast payload, an audit before/after). */
export const MAX_JSON_CHARS = 1 << 20;

/** JSON text of a document, refusing what JSON would silently change: NaN/Infinity (would become
 *  null), undefined and functions (dropped), non-plain objects such as Date/Map (reshaped), cycles. */
export function json(what: string, v: unknown): string {
  const seen = new Set<unknown>();
  const walk = (x: unknown, at: string): void => {
    if (x === null || typeof x === 'string' || typeof x === 'boolean') return;
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) bad(`${what}${at} is ${String(x)}, which JSON cannot hold`);
      return;
    }
    if (typeof x !== 'object') bad(`${what}${at} is a ${typeof x}, which JSON cannot hold`);
    if (seen.has(x)) bad(`${what}${at} is circular`);
    seen.add(x);
    if (Array.isArray(x)) x.forEach((e, i) => walk(e, `${at}[${i}]`));
    else {
      const proto = Object.getPrototypeOf(x);
      if (proto !== Object.prototype && proto !== null) bad(`${what}${at} is a ${(proto as { constructor?: { name?: string } })?.constructor?.name ?? 'non-plain'} object, not plain JSON`);
      for (const [k, e] of Object.entries(x)) walk(e, `${at}.${k}`);
    }
    seen.delete(x);
  };
  walk(v, '');
  const s = JSON.stringify(v);
  if (s.length > MAX_JSON_CHARS) bad(`${what} is ${s.length} characters of JSON, more than ${MAX_JSON_CHARS}`);
  return s;
}

export function optJson(what: string, v: unknown): string | null {
  return v === undefined ? null : json(what, v);
}

export function parseJson(s: string | null): unknown {
  return s === null ? null : JSON.parse(s);
}

/** A row count limit: 1..max, default `def`. */
export function limit(v: unknown, def: number, max: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) bad(`limit ${String(v)} must be an integer 1..${max}`);
  return v;
}
