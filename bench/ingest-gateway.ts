/**
 * Ingest throughput through the whole gateway: Mosquitto -> validate/normalise -> fsynced spool
 * group commit -> PUBACK -> drain to the store (SQLite by default, InfluxDB with INFLUX_URL).
 * Publishers run in a child process. Needs a Mosquitto: MQTT_URL (default: starts one from deploy/mosquitto.conf.tmpl on a free port).
 *   npx tsx bench/ingest-gateway.ts [readings=100000] [publishers=4] [consumers=1]
 * Prints figures and a final RESULT line.
 */
import path from 'node:path';
import { spawn } from 'node:child_process';
import { buildGateway } from '../gateway/app.ts';
import { openSqliteStore } from '../stores/sqlite.ts';
import { InfluxStore } from '../stores/influx.ts';
import { parseInfluxUrl } from '../stores/open.ts';
import { startMosquitto, tmpDir, until } from '../tests/gateway/helpers.ts';

const N = Number(process.argv[2] ?? 100_000);
const PUBLISHERS = Number(process.argv[3] ?? 4);
const CONSUMERS = Number(process.argv[4] ?? 1);
const STATIONS = 200;

const own = process.env.MQTT_URL ? null : await startMosquitto();
const url = process.env.MQTT_URL ?? own!.url;
const dir = tmpDir('bench');
// BENCH_NULL_STORE=1: a store that accepts and forgets, to measure the ingest side alone.
const nullStore = { kind: 'sqlite', init: async () => {}, writeReadings: async () => {}, writeVocCycles: async () => {}, queryReadings: async () => [], queryVocCycles: async () => [], countReadings: async () => ({}), ping: async () => true, close: async () => {} } as const;
const store = process.env.BENCH_NULL_STORE === '1' ? (nullStore as unknown as import('../stores/types.ts').TimeSeriesStore) : process.env.INFLUX_URL
  ? new InfluxStore({ ...parseInfluxUrl(process.env.INFLUX_URL), database: `bench${Date.now()}` })
  : await openSqliteStore(path.join(dir, 'store.sqlite'));
const gw = buildGateway({ mqttUrl: url, store, spoolPath: path.join(dir, 'spool.sqlite'), clientId: `bench-${process.pid}`, consumers: CONSUMERS });
await gw.start();

// Publishers in their own process (bench/ingest-publisher.ts): the gateway's loop is measured alone.
const start = performance.now();
const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'ingest-publisher.ts'), url, String(N), String(PUBLISHERS)], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout!.on('data', (d) => (out += d));
await new Promise((r) => child.once('exit', r));
const pubMs = out ? JSON.parse(out.trim().split('\n').pop()!).ms as number : performance.now() - start;
await until(() => gw.stats().received >= N && gw.stats().uncommitted === 0, 600_000, 'gateway received all', 10);
const spoolMs = performance.now() - start;
await until(() => gw.stats().stored >= N, 600_000, 'store has all', 50);
const storeMs = performance.now() - start;
const st = gw.stats();
console.log(`readings ${N}, publishers ${PUBLISHERS}, consumers ${CONSUMERS}, store ${store.kind}`);
console.log(`published+acked (spooled) in ${(spoolMs / 1000).toFixed(2)} s -> ${Math.round(N / (spoolMs / 1000))} readings/s (publish side ${Math.round(N / (pubMs / 1000))}/s)`);
console.log(`in store after ${(storeMs / 1000).toFixed(2)} s -> ${Math.round(N / (storeMs / 1000))} readings/s end to end`);
console.log(`commits ${st.commits} (${(N / st.commits).toFixed(0)} msgs/commit), max commit ${st.maxCommitMs.toFixed(1)} ms, rejected ${st.rejected}`);
console.log(`RESULT ingest_gateway_readings_per_s=${Math.round(N / (spoolMs / 1000))} end_to_end_per_s=${Math.round(N / (storeMs / 1000))}`);
await gw.stop();
await store.close();
await own?.stop();
