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
import { parseTopic, stationTopic, topicLevels } from '#common/schemas/topics.ts';
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
  /** the HJ 212 PW check (gateway/hj212-pw.ts); unset = PW ignored */
  hj212Pw?: (station: string, pw: string | undefined) => Rejection | null;
  /** third-party flat-JSON topic/payload profiles (gateway/profiles.ts), tried after ours */
  profiles?: readonly CompiledProfile[];
}

// The topic layout is read in one place (common/schemas/topics.ts); re-exported for the router test.
export { stationTopic };

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
  const s = topicLevels(topic);
  const t = parseTopic(topic, s);
  if (t?.kind === 'stationReadings') return stationReading(t.station, payload, ctx, opts);
  if (t?.kind === 'stationStatus') return stationStatus(t.station, payload, opts);
  if (t?.kind === 'flatReadings') {
    const j = json(payload, opts);
    if (!j.ok) return j;
    const r = normaliseFlatReading(j.value, t.station, ctx);
    return r.ok ? { kind: 'reading', reading: r.reading, warnings: r.warnings } : r;
  }
  if (t?.kind === 'vocCycles') {
    const j = json(payload, opts);
    if (!j.ok) return j;
    const an = (j.value as { analyzer?: unknown } | null)?.analyzer;
    if (typeof an === 'string' && an !== t.analyzer) return reject('topic.mismatch', `topic analyzer ${t.analyzer}, payload analyzer ${an}`);
    const r = normaliseVocCycle(j.value, ctx);
    return r.ok ? { kind: 'voc', cycle: r.cycle, warnings: r.warnings } : r;
  }
  if (t?.kind === 'hj212') {
    if (payload.length > opts.maxPayloadBytes) return reject('payload.oversized', `${payload.length} bytes > limit ${opts.maxPayloadBytes}`);
    const p = parsePacket(payload, opts.hj212Decode);
    if (!p.ok) return p;
    // hj212/{ST}/{MN}/{CN}: the packet speaks for the station in the topic, or for none (a
    // bridge must not file one station's data under another's topic, nor the reverse).
    if (s.length >= 3 && s[2] !== p.packet.mn) return reject('hj212.mn', `topic MN ${s[2].slice(0, 40)}, packet MN ${p.packet.mn.slice(0, 40)}`);
    const m = packetToReadingMsg(p.packet, opts.hj212);
    if (!m.ok) return m;
    // After the MN -> station mapping: the PW set is the station's.
    const pwRefused = opts.hj212Pw?.(m.msg.station, p.packet.pw);
    if (pwRefused) return pwRefused;
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
