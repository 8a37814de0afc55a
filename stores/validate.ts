/**
 * Defence in depth: the gateway validates readings upstream, but a store must never turn a bug
 * there into silent corruption (InfluxDB would reject a whole batch at "NaN", SQLite would store
 * NaN as NULL). Both adapters run these checks on the WHOLE batch before writing anything, and
 * refuse the batch with STORE_INVALID_INPUT naming the first bad item: a refused batch leaves the
 * store as it was.
 *
 * Choice (tested in the contract suite): NaN / Infinity values are REFUSED, not stored as null,
 * because null means "not measured" and a NaN means a broken conversion upstream.
 */
import type { Reading, VocCycle } from '../common/schemas/reading.ts';
import { isStorableName, keyProblem, nameProblem, RESERVED_NAMES } from '../common/ingest/names.ts';
import { StoreError } from './errors.ts';
import { QUANTITIES, type Quantity } from '../common/pollutants.ts';
import type { StationHourRecord } from './types.ts';

const INTERVALS = new Set(['rt', 'min', 'hour', 'day']);
const SOURCES = new Set(['live', 'import', 'sim']);

/** Quantity keys of readings: plain identifiers (common/pollutants.ts) so they work as Influx
 *  fields and SQL columns; names that collide with tags or stored columns are refused. */
export const QUANTITY_KEY = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
export const RESERVED_KEYS: ReadonlySet<string> = RESERVED_NAMES;

/** Tag-like identifiers (station, analyzer, species id): the one rule of common/ingest/names.ts,
 *  which the gateway applies at the edge too. */
function checkName(what: string, s: unknown, where: string, key = false): void {
  const p = key ? keyProblem(s) : nameProblem(s);
  if (p) throw new StoreError('STORE_INVALID_INPUT', `${where}: ${what} ${JSON.stringify(s)} ${p}`);
}

function checkTime(t: unknown, where: string): void {
  // Influx 1.x holds int64 ns: roughly years 1677..2262. Keep well inside.
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < -5e12 || t > 9e12) {
    throw new StoreError('STORE_INVALID_INPUT', `${where}: time ${String(t)} is not an integer epoch ms in range`);
  }
}

function checkFlags(flags: unknown, where: string): void {
  if (flags === null || typeof flags !== 'object' || Array.isArray(flags)) {
    throw new StoreError('STORE_INVALID_INPUT', `${where}: flags must be an object of string arrays`);
  }
  for (const [k, v] of Object.entries(flags)) {
    if (!Array.isArray(v) || v.some((f) => typeof f !== 'string')) {
      throw new StoreError('STORE_INVALID_INPUT', `${where}: flags.${k} must be an array of strings`);
    }
  }
}

function checkValue(k: string, v: unknown, where: string): void {
  if (v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new StoreError('STORE_INVALID_INPUT', `${where}: ${k} = ${String(v)} is not a finite number or null`);
  }
}

/** The checks of validateReading without building a message: true when it would not throw.
 *  Batches of tens of thousands pass through here on the store path; the messages (strings per
 *  reading, Object.entries arrays) cost more than the checks, so they are built only on failure. */
export function readingIsValid(r: Reading): boolean {
  if (r === null || typeof r !== 'object') return false;
  if (!isStorableName(r.station)) return false;
  const t = r.time as unknown;
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < -5e12 || t > 9e12) return false;
  if (!INTERVALS.has(r.interval) || !SOURCES.has(r.source)) return false;
  const values = r.values as unknown;
  if (values === null || typeof values !== 'object') return false;
  for (const k in values as Record<string, unknown>) {
    if (!Object.hasOwn(values, k)) continue;
    if (!goodKey(k)) return false;
    const v = (values as Record<string, unknown>)[k];
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) return false;
  }
  const flags = r.flags as unknown;
  if (flags === null || typeof flags !== 'object' || Array.isArray(flags)) return false;
  for (const k in flags as Record<string, unknown>) {
    if (!Object.hasOwn(flags, k)) continue;
    const f = (flags as Record<string, unknown>)[k];
    if (!Array.isArray(f)) return false;
    for (let j = 0; j < f.length; j++) if (typeof f[j] !== 'string') return false;
  }
  return true;
}

// Quantity keys found to be plain, unreserved identifiers: the same few repeat in every batch.
const goodKeys = new Set<string>();
function goodKey(k: string): boolean {
  if (goodKeys.has(k)) return true;
  if (!QUANTITY_KEY.test(k) || RESERVED_KEYS.has(k)) return false;
  if (goodKeys.size < 4096) goodKeys.add(k);
  return true;
}

/** Throws STORE_INVALID_INPUT naming what is wrong with reading `i` (exported for the test that
 *  holds readingIsValid to it). */
export function validateReading(r: Reading, i: number): void {
  const where = `reading[${i}]`;
  if (r === null || typeof r !== 'object') throw new StoreError('STORE_INVALID_INPUT', `${where} is not an object`);
  checkName('station', r.station, where);
  checkTime(r.time, `${where} (${r.station})`);
  const at = `${where} (${r.station} @ ${r.time})`;
  if (!INTERVALS.has(r.interval)) throw new StoreError('STORE_INVALID_INPUT', `${at}: interval ${String(r.interval)} is not rt|min|hour|day`);
  if (!SOURCES.has(r.source)) throw new StoreError('STORE_INVALID_INPUT', `${at}: source ${String(r.source)} is not live|import|sim`);
  if (r.values === null || typeof r.values !== 'object') throw new StoreError('STORE_INVALID_INPUT', `${at}: values must be an object`);
  for (const [k, v] of Object.entries(r.values)) {
    if (!QUANTITY_KEY.test(k) || RESERVED_KEYS.has(k)) {
      throw new StoreError('STORE_INVALID_INPUT', `${at}: quantity key ${JSON.stringify(k)} is not a plain identifier or is reserved`);
    }
    checkValue(k, v, at);
  }
  checkFlags(r.flags, at);
}

export function validateReadings(readings: readonly Reading[]): void {
  if (!Array.isArray(readings)) throw new StoreError('STORE_INVALID_INPUT', 'readings must be an array');
  for (let i = 0; i < readings.length; i++) if (!readingIsValid(readings[i])) validateReading(readings[i], i);
}

export function validateVocCycles(cycles: readonly VocCycle[]): void {
  if (!Array.isArray(cycles)) throw new StoreError('STORE_INVALID_INPUT', 'cycles must be an array');
  for (let i = 0; i < cycles.length; i++) {
    const c = cycles[i];
    const where = `voc[${i}]`;
    if (c === null || typeof c !== 'object') throw new StoreError('STORE_INVALID_INPUT', `${where} is not an object`);
    checkName('analyzer', c.analyzer, where);
    checkName('station', c.station, where);
    checkTime(c.time, `${where} (${c.analyzer})`);
    const at = `${where} (${c.analyzer} @ ${c.time})`;
    if (!SOURCES.has(c.source)) throw new StoreError('STORE_INVALID_INPUT', `${at}: source ${String(c.source)} is not live|import|sim`);
    if (c.species === null || typeof c.species !== 'object') throw new StoreError('STORE_INVALID_INPUT', `${at}: species must be an object`);
    for (const [k, v] of Object.entries(c.species)) {
      checkName('species id', k, at, true);
      checkValue(k, v, at);
    }
    checkFlags(c.flags, at);
  }
}

const HOUR = 3_600_000;
const BASES: ReadonlySet<string> = new Set(['hour', 'derived']);
const QSET: ReadonlySet<string> = new Set(QUANTITIES);

function checkHourEnd(t: unknown, where: string): void {
  checkTime(t, where);
  if ((t as number) % HOUR !== 0) throw new StoreError('STORE_INVALID_INPUT', `${where}: time ${String(t)} is not a whole hour (an hour end)`);
}

/** Station-hour aggregates (types.ts StationHourRecord) and seal hours: the whole batch, before
 *  anything is written. Quantity keys must be canonical (common/pollutants.ts): the engine never
 *  makes any other, so another key means a bug upstream. */
export function validateStationHours(hours: readonly StationHourRecord[], sealed: readonly number[]): void {
  if (!Array.isArray(hours)) throw new StoreError('STORE_INVALID_INPUT', 'station hours must be an array');
  if (!Array.isArray(sealed)) throw new StoreError('STORE_INVALID_INPUT', 'sealed hours must be an array');
  for (let i = 0; i < hours.length; i++) {
    const h = hours[i];
    const where = `stationHour[${i}]`;
    if (h === null || typeof h !== 'object') throw new StoreError('STORE_INVALID_INPUT', `${where} is not an object`);
    checkName('station', h.station, where);
    checkHourEnd(h.time, `${where} (${h.station})`);
    const at = `${where} (${h.station} @ ${h.time})`;
    if (!BASES.has(h.basis)) throw new StoreError('STORE_INVALID_INPUT', `${at}: basis ${String(h.basis)} is not hour|derived`);
    if (h.values === null || typeof h.values !== 'object' || Array.isArray(h.values)) throw new StoreError('STORE_INVALID_INPUT', `${at}: values must be an object`);
    for (const [k, v] of Object.entries(h.values)) {
      if (!QSET.has(k)) throw new StoreError('STORE_INVALID_INPUT', `${at}: ${JSON.stringify(k)} is not a canonical quantity key`);
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new StoreError('STORE_INVALID_INPUT', `${at}: ${k} = ${String(v)} is not a finite number`);
    }
  }
  for (let i = 0; i < sealed.length; i++) checkHourEnd(sealed[i], `sealed[${i}]`);
}

/** A station-hour row read back from a store, checked (a hand-edited or foreign row must not reach
 *  the engine): the record, or a STORE_QUERY_FAILED naming the row. */
export function storedStationHour(station: unknown, time: unknown, basis: unknown, values: Record<string, unknown>): StationHourRecord {
  const bad = (why: string) => new StoreError('STORE_QUERY_FAILED', `station_hours row ${JSON.stringify(station)} @ ${String(time)}: ${why}`);
  if (typeof station !== 'string' || !isStorableName(station)) throw bad('bad station');
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time % HOUR !== 0) throw bad('time is not an hour end');
  if (typeof basis !== 'string' || !BASES.has(basis)) throw bad(`basis ${JSON.stringify(basis)} is not hour|derived`);
  const out: Partial<Record<Quantity, number>> = {};
  for (const k in values) {
    const v = values[k];
    if (v === null || v === undefined) continue;
    if (!QSET.has(k)) throw bad(`${JSON.stringify(k)} is not a canonical quantity key`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`${k} = ${String(v)} is not a finite number`);
    out[k as Quantity] = v;
  }
  return { station, time, basis: basis as StationHourRecord['basis'], values: out };
}
