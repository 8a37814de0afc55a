/**
 * Subscribes (MQTT 3.1.1) to the gateway's internal topics: accepted reading batches and VOC cycles.
 * Every message is checked against its schema (AcceptedBatch, VocCycle[]) before it reaches the
 * engine; a bad one is counted and logged once per reason, never thrown out of the handler.
 * A plain (non-shared) subscription: every server instance sees the whole stream. With a key ring
 * (AIRDESK_INTERNAL_KEY) a message must carry the gateway's signature (common/schemas/internal-sig.ts)
 * or it is rejected before it is parsed: on an external broker the ACL is not the only guard.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Type } from '@sinclair/typebox';
import type { Logger } from 'pino';
import { AcceptedBatch, VocCycle, type Reading, type VocCycle as VocCycleT } from '#common/schemas/reading.ts';
import { parseTopic, TOPICS } from '#common/schemas/topics.ts';
import { redactUrl } from '#common/redact.ts';
import { verifyPayload, type KeyRing, type MacFn } from '#common/schemas/internal-sig.ts';
import { createHmac } from 'node:crypto';

const batchCheck = TypeCompiler.Compile(AcceptedBatch);
// The gateway's VOC payload: accept a single cycle, an array, or { v: 1, cycles: [...] }.
const vocCheck = TypeCompiler.Compile(Type.Union([
  VocCycle, Type.Array(VocCycle), Type.Object({ v: Type.Literal(1), cycles: Type.Array(VocCycle) }),
]));

export interface Subscriber {
  client: MqttClient;
  connected: () => boolean;
  close: () => Promise<void>;
}

export interface SubscriberHandlers {
  readings: (r: Reading[]) => void;
  voc: (c: VocCycleT[]) => void;
  /** A message not computed on: its reason code, one line for people, its topic. */
  rejected: (reason: string, detail: string, topic: string) => void;
}

export interface SubscribeOptions {
  clientId?: string;
  /** The gateway's keys: a message not signed with one of them is rejected (internal.*);
   *  null = messages are taken unsigned. */
  keys?: KeyRing | null;
  now?: () => number;
}

const hmacSha256: MacFn = (key, data) => createHmac('sha256', key).update(data).digest('base64url');

export function subscribe(url: string, logger: Logger, h: SubscriberHandlers, o: SubscribeOptions = {}): Promise<Subscriber> {
  const { clientId, keys = null, now = Date.now } = o;
  const log = logger.child({ module: 'mqtt' });
  const client = mqtt.connect(url, {
    // MQTT 3.1.1: a plain clean-session subscription needs nothing from v5, and 3.1.1 is what the
    // embedded broker (aedes) speaks, so one setting works with Mosquitto and aedes alike.
    protocolVersion: 4,
    clientId: clientId ?? `airdesk-server-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    clean: true,
    reconnectPeriod: 2_000,
    connectTimeout: 10_000,
  });
  let subscribed = false;
  const seen = new Set<string>();
  const reject = (reason: string, detail: string, topic: string) => {
    h.rejected(reason, detail, topic);
    if (!seen.has(reason)) {
      seen.add(reason);
      log.warn({ reason, detail }, 'rejected internal message (logged once per reason)');
    }
  };
  client.on('message', (topic, payload) => {
    let text = payload.toString('utf8');
    if (keys) {
      // Before anything is parsed: only the gateway's signature makes a message worth computing on.
      const v = verifyPayload(topic, text, keys, now(), hmacSha256);
      if (!v.result.ok) return reject(v.result.reason, v.result.detail, topic);
      text = v.json;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return reject('json.invalid', `${topic}: not JSON`, topic);
    }
    const kind = parseTopic(topic)?.kind;
    if (kind === 'acceptedReadings') {
      if (!batchCheck.Check(msg)) {
        const e = batchCheck.Errors(msg).First();
        return reject('batch.invalid', `${e?.path ?? ''} ${e?.message ?? ''}`, topic);
      }
      h.readings(msg.readings);
    } else if (kind === 'acceptedVoc') {
      if (!vocCheck.Check(msg)) return reject('voc.invalid', vocCheck.Errors(msg).First()?.message ?? '', topic);
      const cycles = Array.isArray(msg) ? msg : 'cycles' in msg ? msg.cycles : [msg as VocCycleT];
      h.voc(cycles);
    }
  });
  client.on('error', (err) => log.error({ err: err.message }, 'mqtt error'));
  client.on('offline', () => log.warn('mqtt offline'));
  return new Promise((resolve, reject) => {
    const onFirst = (err?: Error) => {
      if (err) return reject(err);
      resolve({
        client,
        connected: () => client.connected && subscribed,
        close: () => new Promise<void>((r) => client.end(false, {}, () => r())),
      });
    };
    let first = true;
    client.on('connect', () => {
      client.subscribe([TOPICS.acceptedReadings, TOPICS.acceptedVoc], { qos: 1 }, (err) => {
        subscribed = !err;
        if (err) log.error({ err: err.message }, 'subscribe failed');
        else log.info({ url: redactUrl(url) }, 'subscribed to internal topics');
        if (first) {
          first = false;
          onFirst(err ?? undefined);
        }
      });
    });
    client.once('error', (err) => {
      if (first) {
        first = false;
        client.end(true);
        onFirst(err);
      }
    });
  });
}
