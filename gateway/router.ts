/**
 * One MQTT message -> what it means: an accepted reading / VOC cycle / status, or a coded
 * rejection. Synchronous and allocation-light (it runs once per message on the hot path); never
 * throws for bad input: anything unexpected becomes a rejection.
 */
import { decodeText, parseJson } from '#common/ingest/decode.ts';
import { normaliseStationReading, normaliseVocCycle, validateStationStatus, type NormaliseContext } from '#common/ingest/normalise.ts';
import { normaliseFlatReading } from '#common/ingest/flat.ts';
import { reject, type Rejection } from '#common/ingest/reasons.ts';
import { parsePacket, packetToReadingMsg, type Hj212Config } from '#common/hj212/index.ts';
import type { Reading, VocCycle } from '#common/schemas/reading.ts';
import type { CompiledProfile } from './profiles.ts';

export type Routed =
  | { kind: 'reading'; reading: Reading; warnings: string[] }
  | { kind: 'voc'; cycle: VocCycle; warnings: string[] }
  | { kind: 'status'; station: string; state: string; time: number }
  | { kind: 'ignore' }
  | Rejection;

export interface RouterOptions {
  maxPayloadBytes: number;
  hj212: Hj212Config;
  /** decoder for HJ 212 bytes that are not UTF-8 (GBK via iconv-lite) */
  hj212Decode?: (b: Uint8Array) => string;
  /** third-party flat-JSON topic/payload profiles (gateway/profiles.ts), tried after ours */
  profiles?: readonly CompiledProfile[];
}

const STATIONS_PREFIX = 'aq/v1/stations/';

/**
 * The station of `aq/v1/stations/<station>/<leaf>` (exactly five segments; the station may be
 * empty, as split('/') would give), or null for any other topic. Nearly every message arrives
 * on such a topic: this answers without splitting the topic into an array of segments.
 */
export function stationTopic(topic: string, leaf: string): string | null {
  const end = topic.length - leaf.length - 1; // the '/' before the leaf
  if (end < STATIONS_PREFIX.length || !topic.startsWith(STATIONS_PREFIX) || !topic.endsWith(leaf)) return null;
  // The first '/' after the prefix must be that one: one segment (maybe empty) between them.
  return topic.indexOf('/', STATIONS_PREFIX.length) === end ? topic.slice(STATIONS_PREFIX.length, end) : null;
}

export function route(topic: string, payload: Uint8Array, ctx: NormaliseContext, opts: RouterOptions): Routed {
  try {
    // The fast path gives what routeBySegments would for these topics (tests/gateway/router.test.ts).
    let station = stationTopic(topic, 'readings');
    if (station !== null) return stationReading(station, payload, ctx, opts);
    station = stationTopic(topic, 'status');
    if (station !== null) return stationStatus(station, payload, opts);
    return routeBySegments(topic, payload, ctx, opts);
  } catch (err) {
    // A bug in a rule must not take the gateway down; the message is kept as a dead letter.
    return reject('schema.invalid', `internal error while validating: ${(err as Error).message}`);
  }
}

function json(payload: Uint8Array, opts: RouterOptions): { ok: true; value: unknown } | Rejection {
  const t = decodeText(payload, opts.maxPayloadBytes);
  return t.ok ? parseJson(t.text) : t;
}

function stationReading(station: string, payload: Uint8Array, ctx: NormaliseContext, opts: RouterOptions): Routed {
  const j = json(payload, opts);
  if (!j.ok) return j;
  const st = (j.value as { station?: unknown } | null)?.station;
  if (typeof st === 'string' && st !== station) return reject('topic.mismatch', `topic station ${station}, payload station ${st}`);
  const r = normaliseStationReading(j.value, ctx);
  return r.ok ? { kind: 'reading', reading: r.reading, warnings: r.warnings } : r;
}

function stationStatus(station: string, payload: Uint8Array, opts: RouterOptions): Routed {
  // An empty retained message clears the retained status: nothing to keep.
  if (payload.length === 0) return { kind: 'ignore' };
  const j = json(payload, opts);
  if (!j.ok) return j;
  const r = validateStationStatus(j.value);
  if (!r.ok) return r;
  if (r.status.station !== station) return reject('topic.mismatch', `topic station ${station}, payload station ${r.status.station}`);
  return { kind: 'status', station, state: r.status.state, time: r.status.t };
}

/** The general router over the topic's segments; throws on a bug (route() catches). Exported
 *  so the property test can hold route()'s fast path against it. */
export function routeBySegments(topic: string, payload: Uint8Array, ctx: NormaliseContext, opts: RouterOptions): Routed {
  const s = topic.split('/');
  if (s[0] === 'aq' && s[1] === 'v1') {
    if (s[2] === 'stations' && s.length === 5) {
      if (s[4] === 'readings') return stationReading(s[3], payload, ctx, opts);
      if (s[4] === 'status') return stationStatus(s[3], payload, opts);
    }
    if (s[2] === 'flat' && s.length === 4) {
      const j = json(payload, opts);
      if (!j.ok) return j;
      const r = normaliseFlatReading(j.value, s[3], ctx);
      return r.ok ? { kind: 'reading', reading: r.reading, warnings: r.warnings } : r;
    }
    if (s[2] === 'voc' && s.length === 5 && s[4] === 'cycles') {
      const j = json(payload, opts);
      if (!j.ok) return j;
      const an = (j.value as { analyzer?: unknown } | null)?.analyzer;
      if (typeof an === 'string' && an !== s[3]) return reject('topic.mismatch', `topic analyzer ${s[3]}, payload analyzer ${an}`);
      const r = normaliseVocCycle(j.value, ctx);
      return r.ok ? { kind: 'voc', cycle: r.cycle, warnings: r.warnings } : r;
    }
  }
  if (s[0] === 'hj212') {
    if (payload.length > opts.maxPayloadBytes) return reject('payload.oversized', `${payload.length} bytes > limit ${opts.maxPayloadBytes}`);
    const p = parsePacket(payload, opts.hj212Decode);
    if (!p.ok) return p;
    // hj212/{ST}/{MN}/{CN}: the packet speaks for the station in the topic, or for none (a
    // bridge must not file one station's data under another's topic, nor the reverse).
    if (s.length >= 3 && s[2] !== p.packet.mn) return reject('hj212.mn', `topic MN ${s[2].slice(0, 40)}, packet MN ${p.packet.mn.slice(0, 40)}`);
    const m = packetToReadingMsg(p.packet, opts.hj212);
    if (!m.ok) return m;
    const r = normaliseStationReading(m.msg, ctx);
    if (!r.ok) return r;
    if (m.warnings.length) r.warnings.push(...m.warnings);
    return { kind: 'reading', reading: r.reading, warnings: r.warnings };
  }
  if (opts.profiles) {
    for (const p of opts.profiles) {
      if (!p.matches(s)) continue;
      const j = json(payload, opts);
      if (!j.ok) return j;
      const r = p.normalise(j.value, s, ctx);
      return r.ok ? { kind: 'reading', reading: r.reading, warnings: r.warnings } : r;
    }
  }
  return reject('topic.unknown', topic.slice(0, 200));
}
