/**
 * The flat-JSON profile for third-party sensors, topic aq/v1/flat/{station}:
 *   {"station":"S1","time":"2026-07-01T14:05:00+08:00","pm25":35,"pm10":60,"temp":28.1}
 * Quantity keys at the top level; optional "interval" (default "rt"), "units", "flags"; "time" as
 * ISO 8601 with offset or epoch seconds/milliseconds. Keys that are not quantities (battery,
 * rssi, ...) are ignored with a warning. It is turned into a StationReadingMsg and goes through
 * the same normaliser, so there is still one schema and one set of rules.
 */
import { reject } from './reasons.ts';
import { normaliseStationReading, qkey, type NormaliseContext, type NormaliseResult } from './normalise.ts';

const RESERVED = new Set(['station', 'time', 'interval', 'units', 'flags', 'v']);

/** A flat message's time as the wire message takes it: epoch seconds or milliseconds become ISO
 *  8601 (ms from 2001-09-09 onwards is > 1e12); anything else is left for the schema to judge. */
export function flatTime(time: unknown): unknown {
  return typeof time === 'number' && Number.isFinite(time) ? new Date(time < 1e12 ? time * 1000 : time).toISOString() : time;
}

/** Normalise a flat-profile message; `topicStation` is the {station} segment of the topic. */
export function normaliseFlatReading(msg: unknown, topicStation: string, ctx: NormaliseContext): NormaliseResult {
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return reject('schema.invalid', '/: expected an object');
  const m = msg as Record<string, unknown>;
  if (m.station !== undefined && m.station !== topicStation) {
    return reject('topic.mismatch', `topic station ${topicStation}, payload station ${String(m.station)}`);
  }
  const time = flatTime(m.time);
  const values: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const k in m) {
    if (RESERVED.has(k)) continue;
    if (qkey(k)) values[k] = m[k];
    else ignored.push(k);
  }
  const wire = {
    v: 1,
    station: topicStation,
    time,
    interval: m.interval ?? 'rt',
    values,
    ...(m.units !== undefined ? { units: m.units } : {}),
    ...(m.flags !== undefined ? { flags: m.flags } : {}),
  };
  const r = normaliseStationReading(wire, ctx);
  if (r.ok && ignored.length) r.warnings.push(`flat.ignored:${ignored.join(',')}`);
  return r;
}
