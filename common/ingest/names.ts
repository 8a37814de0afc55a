/**
 * The one rule for names the stores keep as identifiers: station and analyzer codes (InfluxDB
 * tags, SQLite key columns) and VOC species ids (InfluxDB field keys, JSON keys in SQLite).
 * The gateway applies it at the edge (normalise.ts: `name.invalid`) and both store adapters apply
 * the same functions before writing (stores/validate.ts), so what the gateway accepts is exactly
 * what every store can hold (tests/stores/names.test.ts holds this against a real InfluxDB and
 * SQLite with arbitrary strings).
 *
 * What the stores cannot hold, and why each is refused rather than encoded:
 * - empty: InfluxDB drops an empty tag, so the point would lose its station.
 * - a backslash anywhere: InfluxDB line protocol has no escape for a backslash itself (1.x "Line
 *   protocol reference": only `\,` `\=` `\ ` in tags and keys); `EVIL\` ends in an escape of the
 *   separator and the whole write body fails to parse; `a\,b` is read back as another name.
 * - C0/C1 control characters and DEL: a newline ends a line-protocol line; the others make
 *   names that cannot be typed, shown or logged safely.
 * - U+2028/U+2029 (line and paragraph separators): break lines in logs and some JSON consumers.
 * - lone UTF-16 surrogates: not valid Unicode; both stores would keep U+FFFD instead, so the
 *   name read back differs from the one written.
 * - `__proto__`: results keyed by station (countReadings, the server's maps) are plain objects.
 * - longer than 128 code units (InfluxDB's tag index and our SQL keys hold any length, but a
 *   name that long is garbage, and the wire schemas already stop at 64).
 * Field keys (VOC species ids) also may not be one of the names the layouts use for tags and
 * stored columns (`time`, `station`, `flags`, `source`...): InfluxDB refuses a field named
 * `time` ("partial write") and a field `flags` or `station` would shadow ours; nor `__proto__`,
 * which a JavaScript object does not hold as a key.
 */

export const NAME_MAX = 128;

/** Names the stored layouts use themselves (docs/influx-schema.md, stores/sqlite.ts columns). */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'time', 'station', 'interval', 'source', 'flags', 'analyzer', 'extra', 'species',
  // As an object key, `__proto__` sets the prototype instead of a value: the species vanished
  // (found by tests/stores/names.test.ts).
  '__proto__',
]);

// eslint-disable-next-line no-control-regex
const BAD_CHAR = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/;

/** Why `s` cannot be a station/analyzer code or species id in the stores, or null when it can. */
export function nameProblem(s: unknown): string | null {
  if (typeof s !== 'string' || s.length === 0) return 'must be a non-empty string';
  if (s.length > NAME_MAX) return `longer than ${NAME_MAX} characters`;
  if (BAD_CHAR.test(s)) return 'has a backslash or a control character';
  if (!(s as string & { isWellFormed(): boolean }).isWellFormed()) return 'is not well-formed Unicode (lone surrogate)';
  if (s === '__proto__') return 'is __proto__, which a JavaScript object cannot hold as a key (counts and maps by station)';
  return null;
}

/** nameProblem for a field key (VOC species id): also not a reserved name. */
export function keyProblem(s: unknown): string | null {
  const p = nameProblem(s);
  if (p) return p;
  if (RESERVED_NAMES.has(s as string)) return 'is a reserved name';
  return null;
}

// Names found storable: every message names its station, and a network has a few thousand, so
// the check is a Set lookup after the first message of each (bounded: a sender of ever-new names
// only makes us check again).
const good = new Set<string>();

/** True when nameProblem(s) is null; the fast form for the hot path (no string built). */
export function isStorableName(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  if (good.has(s)) return true;
  if (s.length === 0 || s.length > NAME_MAX || BAD_CHAR.test(s) || !(s as string & { isWellFormed(): boolean }).isWellFormed() || s === '__proto__') return false;
  if (good.size >= 65_536) good.clear();
  good.add(s);
  return true;
}
