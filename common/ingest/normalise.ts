/**
 * Validation + normalisation of one wire message into a `Reading` / `VocCycle` (common/schemas).
 * Pure: the caller passes the clock, the station registry and the source. Used by the gateway for
 * every MQTT message and by the CSV importer and simulators, so all paths store the same shape.
 *
 *   normaliseStationReading({v:1, station:'1001A', time:'2026-07-01T14:00:00+08:00', interval:'hour',
 *     values:{O3: 100}, units:{O3:'ppb'}}, {source:'live', now: Date.now()})
 *   -> { ok: true, reading: { station:'1001A', time: 1782885600000, values:{o3: 196.18...}, ... } }
 *
 * Rules (docs/life-of-a-reading.md):
 * - keys map to canonical quantities (common/pollutants.ts), units convert to canonical units at
 *   298.15 K / 1013.25 hPa (units.ts); an unknown key or unit rejects the whole message.
 * - a negative concentration rejects the message (value.negative); meteorology may be negative.
 * - instrument flags (HJ 212 N F M S D C T B) and AirDesk QC flags (range, ceiling) are attached
 *   per quantity; 'N' (normal) is the absence of a flag and is not stored.
 * - `time` is the END of the interval (the wire convention); stored as UTC epoch ms.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { FormatRegistry } from '@sinclair/typebox';
import { quantityKey, type Quantity } from '../pollutants.ts';
import {
  StationReadingMsg, VocCycleMsg, StationStatusMsg,
  type Reading, type Source, type VocCycle, type Interval,
} from '../schemas/reading.ts';
import { reject, type Rejection } from './reasons.ts';
import { converter, ugm3ToPpb as ugm3ToPpbv } from './units.ts';
import { atCeiling, outOfRange } from './qc.ts';
import { isStorableName, keyProblem, nameProblem } from './names.ts';

export interface NormaliseContext {
  source: Source;
  /** clock, epoch ms */
  now: number;
  /** how far ahead of `now` a timestamp may be; default 10 minutes */
  maxFutureMs?: number;
  /** registry lookup; absent = every station is known */
  isKnownStation?: (code: string) => boolean;
  /** what to do with a station the registry does not know; default 'register' */
  unknownStation?: 'reject' | 'register';
  /** under 'register': may this unknown station be registered now (the gateway's bound and rate
   *  limit)? false -> `station.limit`. Absent: always. */
  admitStation?: (code: string) => boolean;
  /** VOC species name -> canonical id (common/voc/species.ts). Absent: keys are kept as given,
   *  lower-cased and trimmed. mw (g/mol) and carbons are needed to convert ug/m3 and ppbC. */
  resolveSpecies?: (name: string) => { id: string; mw?: number; carbons?: number } | null;
}

export type NormaliseResult = { ok: true; reading: Reading; warnings: string[] } | Rejection;
export type NormaliseVocResult = { ok: true; cycle: VocCycle; warnings: string[] } | Rejection;

export const DEFAULT_MAX_FUTURE_MS = 10 * 60_000;
/** Timestamps before this are a broken clock, not data (CNEMC archives start in 2013). */
const MIN_TIME = Date.UTC(1980, 0, 1);

/** ISO 8601 date-time WITH an offset: a time without one is ambiguous (Beijing or UTC?). */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

// Each message's time is parsed twice (the schema's 'date-time' format, then checkTime), and
// the stations of a network report the same time string, so consecutive messages mostly repeat
// it: the last string's parse is kept. Only string -> epoch ms is cached; anything that depends
// on the clock (the future check) is computed per message.
let lastTimeStr: string | undefined;
let lastTimeMs = NaN;
/** ISO_WITH_OFFSET.test(lastTimeStr); undefined until first asked for this string */
let lastTimeIso: boolean | undefined;
function parseTime(s: string): number {
  if (s !== lastTimeStr) {
    lastTimeMs = Date.parse(s);
    lastTimeIso = undefined;
    lastTimeStr = s;
  }
  return lastTimeMs;
}
export function isIsoWithOffset(s: string): boolean {
  const t = parseTime(s);
  // lastTimeStr === s now: the regex result is memoised with the parse.
  if (lastTimeIso === undefined) lastTimeIso = ISO_WITH_OFFSET.test(s);
  return lastTimeIso && !Number.isNaN(t);
}
// TypeBox rejects unknown formats; register ours unless the app registered one already.
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isIsoWithOffset);

const checkReading = TypeCompiler.Compile(StationReadingMsg);
const checkVoc = TypeCompiler.Compile(VocCycleMsg);
const checkStatus = TypeCompiler.Compile(StationStatusMsg);

/** First schema error as one line, or time.invalid when the time field is what failed. */
function schemaRejection(checker: { Errors(v: unknown): { First(): { path: string; message: string } | undefined } }, msg: unknown): Rejection {
  const e = checker.Errors(msg).First();
  if (!e) return reject('schema.invalid', 'does not match schema');
  if (e.path === '/time') return reject('time.invalid', `time: ${JSON.stringify((msg as { time?: unknown }).time)} is not ISO 8601 with an offset`);
  return reject('schema.invalid', `${e.path || '/'}: ${e.message}`);
}

function checkTime(iso: string, ctx: NormaliseContext): number | Rejection {
  const t = parseTime(iso);
  if (Number.isNaN(t) || t < MIN_TIME) return reject('time.invalid', `time ${iso} is not a plausible date`);
  const max = ctx.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS;
  if (t > ctx.now + max) return reject('time.future', `time ${iso} is ${Math.round((t - ctx.now) / 1000)} s ahead (limit ${max / 1000} s)`);
  return t;
}

/** null = known (or registered, with a warning pushed); Rejection = a name the stores cannot
 *  hold, or unknown and policy reject, or beyond the registration limit. */
function checkStation(code: string, ctx: NormaliseContext, warnings: string[]): Rejection | null {
  if (!isStorableName(code)) return reject('name.invalid', `station ${JSON.stringify(code.slice(0, 80))} ${nameProblem(code)}`);
  if (!ctx.isKnownStation || ctx.isKnownStation(code)) return null;
  if ((ctx.unknownStation ?? 'register') === 'reject') return reject('station.unknown', `station ${code} is not registered`);
  if (ctx.admitStation && !ctx.admitStation(code)) return reject('station.limit', `station ${code} is not registered and the registration limit is reached`);
  warnings.push(`station.registered:${code}`);
  return null;
}

// Key and unit lookups repeat for every message (same few spellings): memoised, bounded.
const keyCache = new Map<string, Quantity | null>();
/** quantityKey(k), memoised: for every key of every message (the flat profile's too). */
export function qkey(k: string): Quantity | null {
  let q = keyCache.get(k);
  if (q === undefined) {
    q = quantityKey(k);
    if (keyCache.size > 4096) keyCache.clear();
    keyCache.set(k, q);
  }
  return q;
}
// Quantity -> unit -> converter (no unit: the quantity's default, kept apart). Nested rather
// than one map keyed by `${q}\0${unit}`: that string was built for every value of every message.
type Conv = ReturnType<typeof converter>;
const noUnitConv = new Map<Quantity, Conv>();
const convCache = new Map<Quantity, Map<string, Conv>>();
function conv(q: Quantity, unit: string | undefined): Conv {
  if (unit === undefined) {
    let c = noUnitConv.get(q);
    if (c === undefined) {
      c = converter(q, undefined);
      noUnitConv.set(q, c);
    }
    return c;
  }
  let byUnit = convCache.get(q);
  if (byUnit === undefined) convCache.set(q, (byUnit = new Map()));
  let c = byUnit.get(unit);
  if (c === undefined) {
    c = converter(q, unit);
    // Units are wire strings: bound what a sender of ever-new spellings can make us keep.
    if (byUnit.size > 4096) byUnit.clear();
    byUnit.set(unit, c);
  }
  return c;
}

const INSTRUMENT_FLAGS = new Set(['N', 'F', 'M', 'S', 'D', 'C', 'T', 'B']);
const CONCENTRATIONS = new Set<Quantity>(['pm25', 'pm10', 'so2', 'no2', 'co', 'o3', 'no', 'nox']);

/**
 * Validate and normalise a StationReadingMsg (aq/v1/stations/{id}/readings, also produced by the
 * flat profile, HJ 212 decoding, the importer and the simulators).
 */
export function normaliseStationReading(msg: unknown, ctx: NormaliseContext): NormaliseResult {
  if (!checkReading.Check(msg)) return schemaRejection(checkReading, msg);
  const warnings: string[] = [];
  const t = checkTime(msg.time, ctx);
  if (typeof t !== 'number') return t;
  const st = checkStation(msg.station, ctx, warnings);
  if (st) return st;

  const values: Record<string, number | null> = {};
  const flags: Record<string, string[]> = {};
  // Units and flags may be keyed as the value was ("O3") or canonically ("o3").
  const units = msg.units;
  const inFlags = msg.flags;
  let unitByKey: Record<string, string> | undefined;
  if (units) {
    unitByKey = {};
    for (const k in units) {
      const q = qkey(k);
      if (!q) return reject('quantity.unknown', `units: unknown quantity "${k}"`);
      unitByKey[q] = units[k];
    }
  }
  let n = 0;
  // values, then met if present (without building an array of the two per message)
  for (let g = 0; g < 2; g++) {
    const group = g === 0 ? msg.values : msg.met;
    if (!group) break;
    for (const k in group) {
      const q = qkey(k);
      if (!q) return reject('quantity.unknown', `unknown quantity "${k}"`);
      if (q in values) return reject('quantity.duplicate', `"${k}" repeats ${q}`);
      n++;
      const raw = group[k];
      if (raw === null) {
        values[q] = null;
        continue;
      }
      const cv = conv(q, unitByKey?.[q]);
      if (!cv) return reject('unit.unknown', `unit "${unitByKey?.[q]}" for ${q}`);
      if (raw < 0 && CONCENTRATIONS.has(q)) return reject('value.negative', `${k} = ${raw}`);
      const v = cv(raw);
      if (!Number.isFinite(v)) return reject('value.overflow', `${k} = ${raw} is not finite in canonical units`);
      values[q] = v;
      let f: string[] | undefined;
      if (outOfRange(q, v)) (f ??= []).push('range');
      if (atCeiling(q, raw, v)) (f ??= []).push('ceiling');
      if (f) flags[q] = f;
    }
  }
  if (n === 0) return reject('values.empty', 'no values');

  if (inFlags) {
    for (const k in inFlags) {
      const q = qkey(k);
      const code = inFlags[k].trim().toUpperCase();
      if (!INSTRUMENT_FLAGS.has(code)) return reject('flag.unknown', `flag "${inFlags[k]}" for ${k}`);
      if (!q || !(q in values)) {
        warnings.push(`flag.orphan:${k}`);
        continue;
      }
      if (code !== 'N') (flags[q] ??= []).unshift(code);
    }
  }
  return {
    ok: true,
    reading: { station: msg.station, time: t, interval: msg.interval as Interval, source: ctx.source, values, flags },
    warnings,
  };
}

/**
 * Validate and normalise a VocCycleMsg to ppbv keyed by canonical species id. ppbC needs the
 * carbon count and ug/m3 the molar mass (from ctx.resolveSpecies); without them: unit.unconvertible.
 */
export function normaliseVocCycle(msg: unknown, ctx: NormaliseContext): NormaliseVocResult {
  if (!checkVoc.Check(msg)) return schemaRejection(checkVoc, msg);
  const warnings: string[] = [];
  const t = checkTime(msg.time, ctx);
  if (typeof t !== 'number') return t;
  if (!isStorableName(msg.analyzer)) return reject('name.invalid', `analyzer ${JSON.stringify(msg.analyzer.slice(0, 80))} ${nameProblem(msg.analyzer)}`);
  const st = checkStation(msg.station, ctx, warnings);
  if (st) return st;
  const species: Record<string, number | null> = {};
  const flags: Record<string, string[]> = {};
  const idOf: Record<string, string> = {};
  let n = 0;
  for (const name in msg.species) {
    const info = ctx.resolveSpecies ? ctx.resolveSpecies(name) : null;
    if (ctx.resolveSpecies && !info) warnings.push(`species.unknown:${name}`);
    const id = info?.id ?? name.trim().toLowerCase();
    const bad = keyProblem(id);
    if (bad) return reject('name.invalid', `species ${JSON.stringify(id.slice(0, 80))} ${bad}`);
    if (id in species) return reject('quantity.duplicate', `"${name}" repeats ${id}`);
    idOf[name] = id;
    n++;
    const raw = msg.species[name];
    if (raw === null) {
      species[id] = null;
      continue;
    }
    if (raw < 0) return reject('value.negative', `${name} = ${raw}`);
    let v = raw;
    if (msg.unit === 'ppbC') {
      if (!info?.carbons) return reject('unit.unconvertible', `ppbC for ${name} needs its carbon count`);
      v = raw / info.carbons;
    } else if (msg.unit === 'ugm3') {
      if (!info?.mw) return reject('unit.unconvertible', `ug/m3 for ${name} needs its molar mass`);
      v = ugm3ToPpbv(raw, info.mw);
    }
    if (!Number.isFinite(v)) return reject('value.overflow', `${name} = ${raw} is not finite in ppbv`);
    species[id] = v;
  }
  if (n === 0) return reject('values.empty', 'no species');
  if (msg.flags) {
    for (const name in msg.flags) {
      const code = msg.flags[name].trim().toUpperCase();
      if (!INSTRUMENT_FLAGS.has(code)) return reject('flag.unknown', `flag "${msg.flags[name]}" for ${name}`);
      const id = idOf[name];
      if (!id) {
        warnings.push(`flag.orphan:${name}`);
        continue;
      }
      if (code !== 'N') (flags[id] ??= []).push(code);
    }
  }
  return {
    ok: true,
    cycle: { analyzer: msg.analyzer, station: msg.station, time: t, source: ctx.source, species, flags },
    warnings,
  };
}

export type StatusResult = { ok: true; status: StationStatusMsg & { t: number } } | Rejection;

/** Validate a retained station status message (aq/v1/stations/{id}/status). */
export function validateStationStatus(msg: unknown): StatusResult {
  if (!checkStatus.Check(msg)) return schemaRejection(checkStatus, msg);
  const t = parseTime(msg.time);
  if (Number.isNaN(t)) return reject('time.invalid', `time ${msg.time}`);
  return { ok: true, status: { ...msg, t } };
}
