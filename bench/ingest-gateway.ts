/**
 * Ingest throughput through the whole gateway: Mosquitto -> validate/normalise -> fsynced spool
 * group commit -> PUBACK -> drain to the store (SQLite by default, InfluxDB with INFLUX_URL).
 * Needs a Mosquitto: MQTT_URL (default: starts one from deploy/mosquitto.conf.tmpl on a free port).
 *   npx tsx bench/ingest-gateway.ts [readings=100000] [publishers=4] [consumers=1]
 * Prints figures and a final RESULT line.
 */
import path from 'node:path';
import mqtt from 'mqtt';
import { buildGateway } from '../gateway/app.ts';
import { openSqliteStore } from '../stores/sqlite.ts';
import { InfluxStore } from '../stores/influx.ts';
import { parseInfluxUrl } from '../stores/open.ts';
import { TOPICS } from '#common/schemas/topics.ts';
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

const t0 = Math.floor(Date.now() / 1000) * 1000 - 30 * 86_400_000;
const pubs = await Promise.all(Array.from({ length: PUBLISHERS }, (_, i) => mqtt.connectAsync(url, { clientId: `benchpub-${process.pid}-${i}` })));
const start = performance.now();
await Promise.all(pubs.map(async (c, pi) => {
  const inflight: Promise<unknown>[] = [];
  for (let i = pi; i < N; i += PUBLISHERS) {
    const s = `B${i % STATIONS}`;
    const msg = { v: 1, station: s, time: new Date(t0 + Math.floor(i / STATIONS) * 1000).toISOString(), interval: 'rt', values: { pm25: 35 + (i % 17), pm10: 60, no2: 40, o3: 80 + (i % 13), so2: 8, co: 0.7 } };
    inflight.push(c.publishAsync(TOPICS.stationReadings(s), JSON.stringify(msg), { qos: 1 }));
    if (inflight.length >= 500) await Promise.all(inflight.splice(0));
  }
  await Promise.all(inflight);
}));
const pubMs = performance.now() - start;
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
await Promise.all(pubs.map((c) => c.endAsync()));
await gw.stop();
await store.close();
await own?.stop();
