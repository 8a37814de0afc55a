/**
 * AirDesk's gateway as a contender in ../shared/bench/peer-ingest (run.sh --contender). It is the
 * real gateway (buildGateway): full validation through the normaliser, QC flags, the fsynced SQLite
 * spool with PUBACK only after the group commit, then the drain to InfluxDB. Only the edges are
 * the harness's: its topic and payload through a flat-JSON profile (gateway/profiles.ts), and its
 * measurement layout through a thin store adapter (aq-store.ts).
 *
 * Env (exported by run.sh): MQTT_URL, INFLUX_URL, INFLUX_DB. Knobs (defaults tuned on 2 cores):
 *   AIRDESK_GATEWAY_CONSUMERS=16  shared-subscription connections (mosquitto's in-flight window
 *                                 is 20 per connection in the harness: more connections, more
 *                                 messages waiting per fsync)
 *   AIRDESK_SPOOL_COMMIT_MS=2     group commit interval
 *   AIRDESK_STORE_BATCH=40000     readings per drain step (written as 5,000-line bodies, 8 in flight:
 *                                 under fsync contention one body takes influxd seconds)
 * Prints "ready" once every consumer is subscribed; SIGTERM stops it (drains, closes, exits 0).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildGateway } from '../../gateway/app.ts';
import { AqInfluxStore } from './aq-store.ts';

const env = process.env;
const need = (k: string) => env[k] || (console.error(`contender: ${k} is not set`), process.exit(2));
const num = (k: string, d: number) => (env[k] ? Number(env[k]) : d);

const dir = mkdtempSync(path.join(env.AIRDESK_BENCH_TMP ?? os.tmpdir(), 'airdesk-contender-'));
const storeOptions = { url: need('INFLUX_URL'), database: need('INFLUX_DB'), batchSize: 5000, concurrency: num('AIRDESK_STORE_CONCURRENCY', 8) };
// As in the `airdesk gateway` process, store writes run in a thread of their own (set
// AIRDESK_GATEWAY_STORE_THREAD=0 to keep them on the ingest thread).
const storeThread = env.AIRDESK_GATEWAY_STORE_THREAD !== '0';
const tag = `${process.pid}`;
const gw = buildGateway({
  mqttUrl: need('MQTT_URL'),
  store: storeThread ? null : new AqInfluxStore(storeOptions),
  storeThread: storeThread ? { module: new URL('./aq-store.ts', import.meta.url).href, options: storeOptions } : undefined,
  spoolPath: path.join(dir, 'spool.sqlite'),
  clientId: `airdesk-peer-${tag}`,
  shareGroup: `airdesk-peer-${tag}`,
  sessionExpirySec: 300,
  consumers: num('AIRDESK_GATEWAY_CONSUMERS', 16),
  commitIntervalMs: num('AIRDESK_SPOOL_COMMIT_MS', 2),
  groupMax: num('AIRDESK_SPOOL_GROUP_MAX', 2000),
  storeBatch: num('AIRDESK_STORE_BATCH', 40000),
  unknownStation: 'register',
  isKnownStation: () => false,
  // The harness's messages, and nothing of ours (it writes only the `aq` measurement).
  filters: [],
  profiles: [{ filter: env.AIRDESK_PEER_FILTER ?? 'aq/+/reading', stationField: 'station', timeField: 't', flagsField: 'flags', interval: 'rt' }],
  publishAccepted: false,
  maxFutureMs: 365 * 86_400_000,
  drainOnStopMs: 10_000,
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  const s = gw.stats();
  try {
    await gw.stop();
  } finally {
    // CPU split: system time is mostly the spool's fsyncs and the sockets.
    const u = process.resourceUsage();
    console.error(`contender: (at stop) stored ${s.stored} received ${s.received} accepted ${s.accepted} rejected ${s.rejected} ${JSON.stringify(s.byReason)} commits ${s.commits} max commit ${s.maxCommitMs.toFixed(1)} ms; cpu user ${(u.userCPUTime / 1e6).toFixed(2)} s system ${(u.systemCPUTime / 1e6).toFixed(2)} s (since start), context switches ${u.voluntaryContextSwitches}+${u.involuntaryContextSwitches}`);
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
await gw.start();
console.log('ready');
if (env.AIRDESK_BENCH_STATS_MS) {
  setInterval(() => console.error(`STATS ${JSON.stringify(gw.stats())}`), Number(env.AIRDESK_BENCH_STATS_MS)).unref();
}
