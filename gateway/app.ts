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
import { hj212PwChecker, type Hj212PwMode } from './hj212-pw.ts';
import { signPayload, type MacFn } from '#common/schemas/internal-sig.ts';
import { createHmac } from 'node:crypto';
import { DEFAULT_MAX_FUTURE_MS } from '#common/ingest/normalise.ts';
import type { NormaliseContext } from '#common/ingest/normalise.ts';
import { resolveSpecies as resolveVocSpecies } from '#common/voc/species.ts';
import { AMBIENT_FACTORS, type Hj212Config } from '#common/hj212/index.ts';
import type { Reading, Source, VocCycle } from '#common/schemas/reading.ts';
import type { ReadingsEncoder, TimeSeriesStore } from '../stores/types.ts';
import { encodeReadings as encodeInflux } from '../stores/influx.ts';
import { Spool, type DeadLetterLimits } from './spool.ts';
import { statfsSync } from 'node:fs';
import path from 'node:path';
import { QcTracker } from './qc-tracker.ts';
import { Ingestor, type IngestStats } from './ingestor.ts';
import { Drainer, type DrainerStats, type Refused } from './drainer.ts';
import { startConsumers, type Consumers } from './consumer.ts';
import { Worker } from 'node:worker_threads';
import type { StoreWorkerData, ToStoreWorker } from './store-worker.ts';
import { compileProfile, type FlatProfile } from './profiles.ts';
import { redactUrl } from '#common/redact.ts';
import { StationAdmission, type StationLimit } from './station-admission.ts';

const hmacSha256: MacFn = (key, data) => createHmac('sha256', key).update(data).digest('base64url');

export interface GatewayOptions {
  mqttUrl: string;
  /** the store the drainer writes to in this thread (ignored with storeThread) */
  store: TimeSeriesStore | null;
  /** run the drainer in a worker thread that opens this store itself (gateway/store-worker.ts),
   *  so ingest and store writes each have a core; the `airdesk gateway` process does this */
  storeThread?: StoreWorkerData['store'];
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
  /** wait up to this long for a full store write (5,000 readings) before writing fewer; default 500 ms (gateway/drainer.ts) */
  storeLingerMs?: number;
  maxPayloadBytes?: number;
  maxFutureMs?: number;
  unknownStation?: 'reject' | 'register';
  isKnownStation?: (code: string) => boolean;
  /** called once per newly seen unknown station under the register policy */
  registerStation?: (code: string) => void;
  /**
   * Bound and rate of registrations under the register policy: at most `max` stations in the
   * registry (`registered()` tells how many it held at start; default 0), at most `perMinute`
   * new ones a minute (a burst of that many at once). Beyond: dead letter `station.limit`.
   * Why: every unknown code became a station; after ~101,000 InfluxDB's max-values-per-tag
   * refused every write. Default {max: 10,000, perMinute: 2,000}.
   */
  stationLimit?: StationLimit;
  hj212?: Hj212Config & { encoding?: 'utf8' | 'gbk' };
  resolveSpecies?: NormaliseContext['resolveSpecies'];
  /** republish accepted readings on TOPICS.acceptedReadings; default true */
  publishAccepted?: boolean;
  /** HJ 212 PW check (gateway/hj212-pw.ts): mode (default 'checked') and PW hashes by station */
  hj212Pw?: { mode: Hj212PwMode; hashes: ReadonlyMap<string, string> };
  /** key the republished messages are signed with (common/schemas/internal-sig.ts); unset = unsigned */
  internalKey?: string | null;
  /** MQTT filters consumed; default GATEWAY_FILTERS (profile filters are added to these) */
  filters?: readonly string[];
  /** third-party flat-JSON topic/payload profiles (gateway/profiles.ts) */
  profiles?: readonly FlatProfile[];
  /** read PUBLISH packets straight off the consumer sockets (gateway/mqtt-tap.ts); default true */
  mqttTap?: boolean;
  /** old-generation heap limit of the store thread, MB; default 160 */
  storeThreadHeapMb?: number;
  /** skip (and count) a live push batch while more than this many bytes wait in the socket; default 8 MiB */
  liveMaxBufferedBytes?: number;
  /** readings per AcceptedBatch message; default 2000 */
  acceptedBatchMax?: number;
  /** bounds of the dead-letter table (gateway/spool.ts DeadLetterLimits) */
  deadLetters?: Partial<DeadLetterLimits>;
  /** below this many free bytes on the spool's disk nothing new is dead-lettered (only counted),
   *  so garbage cannot take the space valid readings need; default 1 GiB */
  diskMinFreeBytes?: number;
  /** free bytes on the spool's disk (tests); default statfs of the spool's folder, every second */
  diskFree?: () => number;
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
  /** start() has finished: every connection is subscribed (messages published from now on reach us) */
  started: boolean;
  /** readings whose live push was skipped because the broker was not taking the previous ones */
  liveDropped: number;
  /** bytes of live push waiting in the socket */
  liveBuffered: number;
  /** per consumer connection: bytes (PUBACKs) written and not yet taken by the broker */
  consumerSockets: { bytes: number }[];
  /** age of the oldest reading committed to the spool that the store has not taken, ms */
  storeLagMs: number;
  /** dead letters kept (rows, bytes), pruned since start, not kept (disk watermark) */
  deadLetters: { rows: number; bytes: number; pruned: number; skipped: number };
  /** free bytes on the spool's disk, and whether that is below the watermark */
  disk: { freeBytes: number; low: boolean };
  /** unknown stations registered by this gateway, and messages refused as station.limit */
  stationsRegistered: number;
  stationLimited: number;
}

export interface Gateway {
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): GatewayStats;
  readonly spool: Spool | null;
}

/** Store writes wait this long for a full write before writing fewer readings (Drainer lingerMs):
 *  the store then lags live ingest by at most about this; the live push does not wait for it. */
export const DEFAULT_LINGER_MS = 500;

/** Stations the registry may hold before unknown ones are no longer registered (station.limit):
 *  a city network is hundreds to a few thousand; InfluxDB 1.x refuses new tag values past
 *  max-values-per-tag (100,000 by default). */
export const DEFAULT_STATION_MAX = 10_000;
/** Free space on the spool's disk below which nothing new is dead-lettered (docs/operations.md). */
export const DEFAULT_DISK_MIN_FREE_BYTES = 1 << 30;
/** New stations registered per minute (also the burst): a fleet of 2,000 coming online at once
 *  registers at once (docs/life-of-a-reading.md). */
export const DEFAULT_STATION_PER_MIN = 2_000;

/** Filters the gateway consumes (docs/mqtt-topics.md): the whole `aq/` and `hj212/` space, so a
 *  typo (`aq/v1/station/X/readings`) or an unknown version (`aq/v2/...`) becomes a `topic.unknown`
 *  dead letter instead of a message the broker acknowledged and nobody read. The gateway's own
 *  live push (`aq/v1/internal/...`) comes back on these and is dropped first thing
 *  (Ingestor.handle). */
export const GATEWAY_FILTERS = ['aq/#', 'hj212/#'] as const;

/** The filters without those another one's `#` covers (a profile's `aq/+/reading` under `aq/#`):
 *  overlapping subscriptions may deliver a message once per subscription. */
export function coveringFilters(filters: readonly string[]): string[] {
  const uniq = [...new Set(filters)];
  const covers = (a: string, b: string) => a !== b && a.endsWith('/#') && !a.slice(0, -2).includes('+') && (b === a.slice(0, -2) || b.startsWith(a.slice(0, -1)));
  return uniq.filter((b) => !uniq.some((a) => covers(a, b)));
}

/** The encoder of the store the store thread opens (stores/types.ts EncodedReadings): InfluxDB's
 *  line protocol, a store module's `encodeReadings` export, none for SQLite. */
async function storeEncoder(cfg: StoreWorkerData['store']): Promise<ReadingsEncoder | null> {
  if ('influx' in cfg) return encodeInflux;
  if ('module' in cfg) {
    const m = (await import(cfg.module)) as { encodeReadings?: unknown };
    return typeof m.encodeReadings === 'function' ? (m.encodeReadings as ReadingsEncoder) : null;
  }
  return null;
}

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
  let worker: Worker | null = null;
  let workerStats: DrainerStats | null = null;
  let workerGone: Promise<void> | null = null;
  let encode: ReadingsEncoder | null = null;
  let lastEncodeError = 0;
  let consumers: Consumers | null = null;
  let summary: NodeJS.Timeout | null = null;
  let published = 0;
  let redelivered = 0;
  let started = false;
  let liveDropped = 0;
  // The live push is QoS 0 (the store, not the push, is the record): when more than this is
  // still waiting in the socket, a batch is skipped and counted instead of queued in the heap.
  const liveMaxBuffered = opts.liveMaxBufferedBytes ?? 8 * 1024 * 1024;
  let stopping = false;
  const known = new Set<string>();
  const batchMax = opts.acceptedBatchMax ?? 2000;
  const publish = opts.publishAccepted ?? true;
  const internalKey = opts.internalKey ?? null;
  // The server checks this signature before computing on anything from the internal topics.
  // Wall time (not opts.now, which tests may step): the server checks it against its own.
  const signed = (topic: string, json: string) => (internalKey ? signPayload(topic, json, internalKey, Date.now(), hmacSha256) : json);
  const profiles = (opts.profiles ?? []).map((p) => compileProfile(p));
  const filters = coveringFilters([...(opts.filters ?? GATEWAY_FILTERS), ...profiles.map((p) => p.profile.filter)]);

  const admission = new StationAdmission(opts.stationLimit ?? { max: DEFAULT_STATION_MAX, perMinute: DEFAULT_STATION_PER_MIN });
  const now = opts.now ?? Date.now;
  const admitStation = (code: string): boolean => known.has(code) || admission.admit(now());

  // Disk watermark: checked once a second (statfs), not per message.
  const minFree = opts.diskMinFreeBytes ?? DEFAULT_DISK_MIN_FREE_BYTES;
  const diskFree = opts.diskFree ?? (() => {
    const st = statfsSync(path.dirname(path.resolve(opts.spoolPath)));
    return st.bavail * st.bsize;
  });
  let freeBytes = Infinity;
  let diskLow = false;
  let diskTimer: NodeJS.Timeout | null = null;
  const checkDisk = () => {
    try {
      freeBytes = diskFree();
    } catch {
      return;
    }
    const low = freeBytes < minFree;
    if (low !== diskLow) {
      if (low) log.error({ freeBytes, minFree }, 'disk below the watermark: rejected messages are counted, not kept, until space is freed');
      else log.info({ freeBytes }, 'disk above the watermark again: dead letters are kept');
    }
    diskLow = low;
  };

  const isKnown = opts.isKnownStation
    ? (code: string) => known.has(code) || (opts.isKnownStation!(code) && (known.add(code), true))
    : undefined;

  // Store lag: when each recent group was committed (its first spool id), so the age of the
  // oldest pending reading is one lookup per stats() call, not a timestamp per reading.
  const commitIds: number[] = [];
  const commitTimes: number[] = [];
  let startedAt = Date.now();
  function storeLagMs(): number {
    const id = spool?.firstPendingReading() ?? 0;
    if (id === 0) return 0;
    // The last group whose first id is <= id holds it (ids grow with time).
    let lo = 0;
    let hi = commitIds.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (commitIds[mid] <= id) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return Math.max(0, Date.now() - (at >= 0 ? commitTimes[at] : startedAt));
  }

  function onCommitted(readings: Reading[], voc: VocCycle[], firstReadingId?: number): void {
    if (firstReadingId !== undefined) {
      commitIds.push(firstReadingId);
      commitTimes.push(Date.now());
      if (commitIds.length > 20_000) {
        commitIds.splice(0, 10_000);
        commitTimes.splice(0, 10_000);
      }
    }
    if (firstReadingId !== undefined) drainer?.offer(firstReadingId, readings);
    drainer?.kick();
    if (!worker) return;
    // The store thread gets the readings as the store's text (it would otherwise read them back
    // from the spool and parse them again); without an encoder, or if encoding fails, it reads
    // the spool as after a restart.
    let msg: ToStoreWorker = { kick: true };
    if (encode && firstReadingId !== undefined && readings.length) {
      try {
        msg = { readings: { first: firstReadingId, count: readings.length, text: encode(readings) } };
      } catch (err) {
        // At most once a minute: a reading the store refuses would fail every group holding it.
        if (Date.now() - lastEncodeError > 60_000) {
          lastEncodeError = Date.now();
          log.error({ err: (err as Error).message }, 'encoding readings for the store thread failed; it reads them from the spool');
        }
      }
    }
    worker.postMessage(msg);
  }

  /** Items the store refused as invalid (gateway/drainer.ts splits the batch to find them):
   *  dead letters `store.refused` with the store's reason, written before their rows are deleted. */
  function keepRefused(refused: readonly Refused[]): void {
    if (!spool) return;
    const now = (opts.now ?? Date.now)();
    try {
      spool.appendDeadLetters(refused.map((x) => {
        const raw = Buffer.from(x.body);
        return { time: now, topic: x.kind === 'voc' ? 'store:voc' : 'store:readings', reason: 'store.refused', detail: x.error.slice(0, 500), raw, size: raw.length };
      }));
    } catch (err) {
      // The store did not take them either: they are lost; say so, with what they were.
      log.error({ err: (err as Error).message, refused: refused.length, first: refused[0]?.body.slice(0, 300) }, 'could not keep refused items as dead letters');
    }
  }

  /** The drainer in its own thread; resolves when it has opened the spool and the store. */
  async function startWorker(storeCfg: StoreWorkerData['store']): Promise<void> {
    encode = await storeEncoder(storeCfg);
    const data: StoreWorkerData = { spoolPath: opts.spoolPath, store: storeCfg, batch: opts.storeBatch ?? 5000, lingerMs: opts.storeLingerMs ?? DEFAULT_LINGER_MS, logLevel: log.level };
    // A heap limit of its own: the thread holds at most a few store batches; if it ever ran out
    // it dies alone, the rows stay in the spool and it is started again (below).
    const w = new Worker(new URL('./store-worker.mjs', import.meta.url), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: opts.storeThreadHeapMb ?? 160 } });
    worker = w;
    let ready!: () => void;
    let failed!: (e: Error) => void;
    const started = new Promise<void>((res, rej) => ((ready = res), (failed = rej)));
    w.on('message', (m: { stats?: DrainerStats; ready?: boolean; done?: { readings: number; voc: number }; refused?: Refused[] }) => {
      if (m.stats) workerStats = m.stats;
      if (m.refused) keepRefused(m.refused);
      // The store has these rows: delete them with the next group commit (this thread is the
      // spool's only writer).
      if (m.done && spool) {
        if (m.done.readings > 0) spool.doneReadings({ first: 0, last: m.done.readings });
        if (m.done.voc > 0) spool.doneVoc({ first: 0, last: m.done.voc });
      }
      if (m.ready) ready();
    });
    workerGone = new Promise((resolve) => w.once('exit', (code) => {
      if (worker === w) worker = null;
      if (code !== 0 && !stopping) {
        // Nothing is lost (the rows stay in the spool, it reads them again from the oldest);
        // start it again after a pause, so a thread that fails at once does not spin.
        log.error({ code }, 'store thread exited; readings stay in the spool; starting it again in 2 s');
        if (workerStats) workerStats = { ...workerStats, storeUp: false, lastError: `store thread exited with code ${code}` };
        setTimeout(() => {
          if (!stopping) startWorker(storeCfg).catch((err) => log.error({ err: (err as Error).message }, 'store thread restart failed'));
        }, 2000).unref();
      }
      failed(new Error(`store thread exited with code ${code} before it started`));
      resolve();
    }));
    w.on('error', (err) => log.error({ err: err.message }, 'store thread failed'));
    return started;
  }

  function onAccepted(readings: Reading[], voc: VocCycle[], bodies: readonly string[]): void {
    if (!publish || !consumers) return;
    // The live push waits for neither the store nor the spool's fsync (see Ingestor.commit).
    // An AcceptedBatch is {"v":1,"readings":[...]}: assembled from the readings' JSON the spool
    // stores anyway instead of serialising every reading a second time.
    for (let i = 0; i < readings.length; i += batchMax) {
      const part = bodies.slice(i, i + batchMax);
      const json = `{"v":1,"readings":[${part.join(',')}]}`;
      if (consumers.publish(TOPICS.acceptedReadings, signed(TOPICS.acceptedReadings, json), liveMaxBuffered)) published += part.length;
      else liveDropped += part.length;
    }
    for (let i = 0; i < voc.length; i += batchMax) {
      consumers.publish(TOPICS.acceptedVoc, signed(TOPICS.acceptedVoc, JSON.stringify({ v: 1, cycles: voc.slice(i, i + batchMax) })));
    }
  }

  return {
    get spool() {
      return spool;
    },
    async start() {
      spool = new Spool(opts.spoolPath, { deadLetters: opts.deadLetters });
      startedAt = Date.now();
      checkDisk();
      diskTimer = setInterval(checkDisk, 1000);
      diskTimer.unref();
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
          hj212Pw: hj212PwChecker(opts.hj212Pw?.mode ?? 'checked', opts.hj212Pw?.hashes ?? new Map()),
          profiles: profiles.length ? profiles : undefined,
        },
        context: {
          maxFutureMs: opts.maxFutureMs ?? DEFAULT_MAX_FUTURE_MS,
          isKnownStation: isKnown,
          unknownStation: opts.unknownStation ?? 'register',
          admitStation,
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
        keepDeadLetters: () => !diskLow,
        registerStation: (code) => {
          if (known.has(code)) return;
          known.add(code);
          admission.added();
          log.info({ station: code }, 'registering unknown station');
          opts.registerStation?.(code);
        },
      });
      if (opts.storeThread) await startWorker(opts.storeThread);
      else {
        if (!opts.store) throw new Error('buildGateway needs a store or storeThread');
        drainer = new Drainer(spool, opts.store, log.child({ module: 'drainer' }), opts.storeBatch ?? 5000, { lingerMs: opts.storeLingerMs ?? DEFAULT_LINGER_MS, onRefused: keepRefused });
        try {
          await opts.store.init();
        } catch (err) {
          log.warn({ err: (err as Error).message }, 'store not reachable at start; spooling until it is');
        }
        drainer.start();
      }
      const ing = ingestor;
      consumers = startConsumers({
        url: opts.mqttUrl,
        clientId: opts.clientId ?? 'airdesk-gateway',
        count: opts.consumers ?? 1,
        protocolVersion: opts.protocolVersion ?? 5,
        sessionExpirySec: opts.sessionExpirySec ?? 7 * 86400,
        filters,
        shareGroup: opts.shareGroup ?? 'airdesk',
        livePush: publish,
        tap: opts.mqttTap ?? true,
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
      started = true;
      log.info({ mqtt: redactUrl(opts.mqttUrl), spool: opts.spoolPath, backlog: b, store: opts.storeThread ? `${'influx' in opts.storeThread ? 'influx' : 'sqlitePath' in opts.storeThread ? 'sqlite' : opts.storeThread.module} (store thread)` : opts.store?.kind }, 'gateway started');
    },
    async stop() {
      stopping = true;
      if (summary) clearInterval(summary);
      if (diskTimer) clearInterval(diskTimer);
      ingestor?.commit();
      await consumers?.close();
      ingestor?.commit(); // whatever arrived while closing: spooled, acks dropped, redelivered later (idempotent)
      await drainer?.stop(opts.drainOnStopMs ?? 2000);
      if (worker && workerGone) {
        const w = worker;
        const stopped = new Promise<void>((resolve) => w.on('message', (m: { stopped?: boolean }) => m.stopped && resolve()));
        w.postMessage({ stop: true, drainMs: opts.drainOnStopMs ?? 2000 } satisfies ToStoreWorker);
        // Bounded: a store that hangs must not keep the gateway from stopping (rows stay spooled).
        await Promise.race([stopped, workerGone, new Promise((r) => setTimeout(r, (opts.drainOnStopMs ?? 2000) + 10_000).unref())]);
        await w.terminate();
      }
      spool?.close();
      log.info('gateway stopped');
    },
    stats(): GatewayStats {
      const i = ingestor?.stats;
      const d = drainer?.stats ?? workerStats;
      return {
        ...(i ?? ({} as IngestStats)),
        ...(d ?? ({} as DrainerStats)),
        byReason: { ...(i?.byReason ?? {}) },
        backlog: spool ? spool.backlog() : { readings: 0, voc: 0 },
        uncommitted: ingestor?.uncommitted ?? 0,
        connected: consumers ? consumers.clients.filter((c) => c.connected).length : 0,
        published,
        redelivered,
        started,
        liveDropped,
        liveBuffered: consumers ? consumers.buffered() : 0,
        consumerSockets: consumers ? consumers.clients.map((c) => ({ bytes: c.stream?.writableLength ?? 0 })) : [],
        storeLagMs: spool ? storeLagMs() : 0,
        deadLetters: { ...(spool ? spool.deadLetterSize() : { rows: 0, bytes: 0 }), pruned: spool?.deadPruned ?? 0, skipped: i?.deadSkipped ?? 0 },
        disk: { freeBytes, low: diskLow },
        stationsRegistered: admission.registered,
        stationLimited: admission.limited,
      };
    },
  };
}
