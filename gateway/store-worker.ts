/**
 * The spool -> store drainer in a thread of its own (gateway/app.ts `storeThread`).
 *
 * Why: ingest (MQTT, validation, normalisation, QC, group commit) and the store writes (read the
 * spool back, line protocol, HTTP) both ran on the gateway's one event loop. With a broker
 * backlog the incoming messages kept that loop busy and the drainer got its turn rarely: the
 * spool grew at ~15,000 readings/s while InfluxDB received ~3,000/s, with the second core idle.
 * Here the drainer has its own loop, its own READ-ONLY SQLite connection to the same spool file
 * and its own store client. It never writes the spool: a second writer would wait on the ingest
 * thread's back-to-back group commits for the write lock (and fail after the busy timeout).
 * Instead it reports how far the store has taken the spool ({done}) and the ingest thread
 * deletes those rows inside its next group commit, as it does for its own drainer. Spool ids
 * only grow (AUTOINCREMENT), so this thread's "taken up to id N" stays valid.
 *
 * The readings of each group commit come along in memory, already encoded in the store's text
 * form by the ingest thread ({readings}; stores/types.ts EncodedReadings says why), so this thread
 * normally writes them without reading the spool. It reads the spool when memory does not hold
 * exactly the oldest pending ids: after a (re)start, behind a store outage, past its memory cap.
 *
 * Messages: in {kick} after each group commit (or {readings: {first, count, text}}, which also
 * kicks), {stop, drainMs}; out {stats, done} after every store write and every 250 ms,
 * {refused} (items the store refused, for the dead letters) before the {done} that covers them,
 * {stopped} when done.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { InfluxStore } from '../stores/influx.ts';
import { openSqliteStore } from '../stores/sqlite.ts';
import type { EncodedReadings, TimeSeriesStore } from '../stores/types.ts';
import { Spool } from './spool.ts';
import { Drainer } from './drainer.ts';

export interface StoreWorkerData {
  spoolPath: string;
  /** InfluxDB server and database, an SQLite store file, or a module (file URL) whose
   *  `createStore(options)` returns a TimeSeriesStore (e.g. bench/peer/aq-store.ts) */
  store: { influx: { url: string; database: string } } | { sqlitePath: string } | { module: string; options: Record<string, unknown> };
  batch: number;
  /** Drainer lingerMs (gateway/drainer.ts) */
  lingerMs: number;
  logLevel: string;
}

export type ToStoreWorker = { kick: true } | { readings: EncodedReadings & { first: number } } | { stop: true; drainMs: number };

const port = parentPort!;
const data = workerData as StoreWorkerData;
const log = pino({ level: data.logLevel, base: { proc: 'gateway', module: 'drainer', thread: 'store' } });
// InfluxDB may be down now: construct without init; the drainer retries it.
const sc = data.store;
const store: TimeSeriesStore = 'influx' in sc
  ? new InfluxStore(sc.influx)
  : 'module' in sc
    ? ((await import(sc.module)) as { createStore(o: Record<string, unknown>): TimeSeriesStore }).createStore(sc.options)
    : await openSqliteStore(sc.sqlitePath);
const spool = new Spool(data.spoolPath, { readonly: true });
const report = (extra: object = {}) => port.postMessage({ stats: drainer.stats, done: spool.doneMarks(), ...extra });
// Text in memory: ~150-250 bytes a reading, so 100,000 (or four store batches) stay well inside
// the thread's heap limit; objects are never held here (they would have to be parsed again).
const memMax = store.writeEncodedReadings ? Math.max(4 * data.batch, 100_000) : 0;
// Refused items go to the ingest thread, the spool's only writer, which keeps them as dead letters
// before it handles the done marks that follow (messages arrive in order).
const drainer = new Drainer(spool, store, log, data.batch, {
  memMax, lingerMs: data.lingerMs, onWrite: () => report(), onRefused: (refused) => port.postMessage({ refused }),
});
try {
  await store.init();
} catch (err) {
  log.warn({ err: (err as Error).message }, 'store not reachable at start; spooling until it is');
}
drainer.start();
const timer = setInterval(() => report(), 250);
port.on('message', (m: ToStoreWorker) => {
  if ('readings' in m) {
    drainer.offerEncoded(m.readings.first, m.readings);
    drainer.kick();
  } else if ('kick' in m) drainer.kick();
  else if ('stop' in m) {
    void (async () => {
      clearInterval(timer);
      await drainer.stop(m.drainMs);
      spool.close();
      await store.close().catch(() => undefined);
      report({ stopped: true });
    })();
  }
});
report({ ready: true });
