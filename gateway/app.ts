/**
 * The gateway as a factory (no env, no process handling): MQTT -> route/validate/normalise ->
 * group commit to the spool -> PUBACK + live push -> drain to the store.
 * gateway/main.ts wires it from the environment; tests and `npm start` call buildGateway directly.
 *
 *   const gw = buildGateway({ mqttUrl, store, spoolPath });
 *   await gw.start(); ... gw.stats(); ... await gw.stop();
 */
import pino, { type Logger } from 'pino';
import iconv from 'iconv-lite';
import { TOPICS } from '#common/schemas/topics.ts';
import { DEFAULT_MAX_FUTURE_MS } from '#common/ingest/normalise.ts';
import type { NormaliseContext } from '#common/ingest/normalise.ts';
import { resolveSpecies as resolveVocSpecies } from '#common/voc/species.ts';
import { AMBIENT_FACTORS, type Hj212Config } from '#common/hj212/index.ts';
import type { AcceptedBatch, Reading, Source, VocCycle } from '#common/schemas/reading.ts';
import type { TimeSeriesStore } from '../stores/types.ts';
import { Spool } from './spool.ts';
import { QcTracker } from './qc-tracker.ts';
import { Ingestor, type IngestStats } from './ingestor.ts';
import { Drainer, type DrainerStats } from './drainer.ts';
import { startConsumers, type Consumers } from './consumer.ts';
import { compileProfile, type FlatProfile } from './profiles.ts';

export interface GatewayOptions {
  mqttUrl: string;
  store: TimeSeriesStore;
  spoolPath: string;
  logger?: Logger;
  /** source tag when a message has no MQTT 5 user property "source"; default 'live' */
  source?: Source;
  /** consumer connections; > 1 uses shared subscriptions (MQTT 5 only); default 1 */
  consumers?: number;
  /** 5 (default) or 4 for MQTT 3.1.1 brokers such as aedes */
  protocolVersion?: 4 | 5;
  clientId?: string;
  sessionExpirySec?: number;
  /** shared-subscription group ($share/<group>/...) when consumers > 1; default 'airdesk'.
   *  Every session subscribed in the group gets a share, offline ones included (queued). */
  shareGroup?: string;
  commitIntervalMs?: number;
  groupMax?: number;
  storeBatch?: number;
  maxPayloadBytes?: number;
  maxFutureMs?: number;
  unknownStation?: 'reject' | 'register';
  isKnownStation?: (code: string) => boolean;
  /** called once per newly seen unknown station under the register policy */
  registerStation?: (code: string) => void;
  hj212?: Hj212Config & { encoding?: 'utf8' | 'gbk' };
  resolveSpecies?: NormaliseContext['resolveSpecies'];
  /** republish accepted readings on TOPICS.acceptedReadings; default true */
  publishAccepted?: boolean;
  /** MQTT filters consumed; default GATEWAY_FILTERS (profile filters are added to these) */
  filters?: readonly string[];
  /** third-party flat-JSON topic/payload profiles (gateway/profiles.ts) */
  profiles?: readonly FlatProfile[];
  /** readings per AcceptedBatch message; default 2000 */
  acceptedBatchMax?: number;
  /** on stop, keep draining the spool into the store for up to this long; default 2000 ms */
  drainOnStopMs?: number;
  now?: () => number;
}

export interface GatewayStats extends IngestStats, DrainerStats {
  backlog: { readings: number; voc: number };
  uncommitted: number;
  connected: number;
  published: number;
  /** messages the broker marked DUP (sent before, not acknowledged in time or before a crash) */
  redelivered: number;
}

export interface Gateway {
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): GatewayStats;
  readonly spool: Spool | null;
}

/** Filters the gateway consumes (docs/mqtt-topics.md). */
export const GATEWAY_FILTERS = [
  TOPICS.stationReadingsFilter,
  TOPICS.flatReadingsFilter,
  TOPICS.vocCyclesFilter,
  TOPICS.hj212Filter,
  TOPICS.stationStatusFilter,
] as const;

const defaultResolveSpecies: NormaliseContext['resolveSpecies'] = (name) => {
  const s = resolveVocSpecies(name);
  return s ? { id: s.id, mw: s.mw, carbons: s.carbon } : null;
};

export function buildGateway(opts: GatewayOptions): Gateway {
  const log = (opts.logger ?? pino({ level: 'silent' })).child({ module: 'gateway' });
  const tracker = new QcTracker();
  let spool: Spool | null = null;
  let ingestor: Ingestor | null = null;
  let drainer: Drainer | null = null;
  let consumers: Consumers | null = null;
  let summary: NodeJS.Timeout | null = null;
  let published = 0;
  let redelivered = 0;
  const known = new Set<string>();
  const batchMax = opts.acceptedBatchMax ?? 2000;
  const publish = opts.publishAccepted ?? true;
  const profiles = (opts.profiles ?? []).map(compileProfile);
  const filters = [...new Set([...(opts.filters ?? GATEWAY_FILTERS), ...profiles.map((p) => p.profile.filter)])];

  const isKnown = opts.isKnownStation
    ? (code: string) => known.has(code) || (opts.isKnownStation!(code) && (known.add(code), true))
    : undefined;

  function onCommitted(readings: Reading[], voc: VocCycle[], firstReadingId?: number): void {
    if (firstReadingId !== undefined) drainer?.offer(firstReadingId, readings);
    drainer?.kick();
  }

  function onAccepted(readings: Reading[], voc: VocCycle[]): void {
    if (!publish || !consumers) return;
    // The live push waits for neither the store nor the spool's fsync (see Ingestor.commit).
    for (let i = 0; i < readings.length; i += batchMax) {
      const batch: AcceptedBatch = { v: 1, readings: readings.slice(i, i + batchMax) };
      if (consumers.publish(TOPICS.acceptedReadings, JSON.stringify(batch))) published += batch.readings.length;
    }
    for (let i = 0; i < voc.length; i += batchMax) {
      consumers.publish(TOPICS.acceptedVoc, JSON.stringify({ v: 1, cycles: voc.slice(i, i + batchMax) }));
    }
  }

  return {
    get spool() {
      return spool;
    },
    async start() {
      spool = new Spool(opts.spoolPath);
      const hj = opts.hj212 ?? {};
      const hjDecode = hj.encoding === 'gbk' ? (b: Uint8Array) => iconv.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength), 'gbk') : undefined;
      ingestor = new Ingestor({
        spool,
        tracker,
        log: log.child({ module: 'ingest' }),
        router: {
          maxPayloadBytes: opts.maxPayloadBytes ?? 256 * 1024,
          hj212: { factors: hj.factors ?? AMBIENT_FACTORS, mnToStation: hj.mnToStation, minuteRecordMinutes: hj.minuteRecordMinutes },
          hj212Decode: hjDecode,
          profiles: profiles.length ? profiles : undefined,
        },
        context: {
          maxFutureMs: opts.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS,
          isKnownStation: isKnown,
          unknownStation: opts.unknownStation ?? 'register',
          resolveSpecies: opts.resolveSpecies ?? defaultResolveSpecies,
        },
        source: opts.source ?? 'live',
        commitIntervalMs: opts.commitIntervalMs ?? 5,
        groupMax: opts.groupMax ?? 2000,
        now: opts.now ?? Date.now,
        onAccepted,
        onCommitted,
        onCommitFailed: (err) => {
          log.error({ err: err.message }, 'spool commit failed; messages not acknowledged, reconnecting so the broker redelivers');
          setTimeout(() => consumers?.reconnect(), 1000).unref();
        },
        registerStation: (code) => {
          if (known.has(code)) return;
          known.add(code);
          log.info({ station: code }, 'registering unknown station');
          opts.registerStation?.(code);
        },
      });
      drainer = new Drainer(spool, opts.store, log.child({ module: 'drainer' }), opts.storeBatch ?? 5000);
      try {
        await opts.store.init();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'store not reachable at start; spooling until it is');
      }
      drainer.start();
      const ing = ingestor;
      consumers = startConsumers({
        url: opts.mqttUrl,
        clientId: opts.clientId ?? 'airdesk-gateway',
        count: opts.consumers ?? 1,
        protocolVersion: opts.protocolVersion ?? 5,
        sessionExpirySec: opts.sessionExpirySec ?? 7 * 86400,
        filters,
        shareGroup: opts.shareGroup ?? 'airdesk',
        log: log.child({ module: 'mqtt' }),
        onMessage: (topic, payload, ack, source) => ing.handle(topic, payload, ack, source),
        onRedelivery: () => {
          redelivered++;
        },
      });
      await consumers.ready();
      let lastRejected = 0;
      summary = setInterval(() => {
        const s = ing.stats;
        if (s.rejected > lastRejected) {
          log.warn({ rejected: s.rejected - lastRejected, byReason: s.byReason }, 'messages dead-lettered in the last minute');
          lastRejected = s.rejected;
        }
      }, 60_000);
      summary.unref();
      const b = spool.backlog();
      log.info({ spool: opts.spoolPath, backlog: b, store: opts.store.kind }, 'gateway started');
    },
    async stop() {
      if (summary) clearInterval(summary);
      ingestor?.commit();
      await consumers?.close();
      ingestor?.commit(); // whatever arrived while closing: spooled, acks dropped, redelivered later (idempotent)
      await drainer?.stop(opts.drainOnStopMs ?? 2000);
      spool?.close();
      log.info('gateway stopped');
    },
    stats(): GatewayStats {
      const i = ingestor?.stats;
      const d = drainer?.stats;
      return {
        ...(i ?? ({} as IngestStats)),
        ...(d ?? ({} as DrainerStats)),
        byReason: { ...(i?.byReason ?? {}) },
        backlog: spool ? spool.backlog() : { readings: 0, voc: 0 },
        uncommitted: ingestor?.uncommitted ?? 0,
        connected: consumers ? consumers.clients.filter((c) => c.connected).length : 0,
        published,
        redelivered,
      };
    },
  };
}
