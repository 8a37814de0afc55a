/**
 * Publisher half of bench/ingest-gateway.ts, run as its own process so the gateway's event loop
 * is measured alone: publishes N station readings QoS 1 over P connections as fast as the
 * broker acknowledges them, then prints one JSON line.
 *   npx tsx bench/ingest-publisher.ts <mqttUrl> <N> <P>
 */
import mqtt from 'mqtt';
import { TOPICS } from '#common/schemas/topics.ts';

const [url, nArg, pArg] = process.argv.slice(2);
const N = Number(nArg);
const P = Number(pArg);
const STATIONS = 200;
const t0 = Math.floor(Date.now() / 1000) * 1000 - 30 * 86_400_000;
const pubs = await Promise.all(Array.from({ length: P }, (_, i) => mqtt.connectAsync(url, { clientId: `benchpub-${process.pid}-${i}` })));
const start = performance.now();
await Promise.all(pubs.map(async (c, pi) => {
  const inflight: Promise<unknown>[] = [];
  for (let i = pi; i < N; i += P) {
    const s = `B${i % STATIONS}`;
    const msg = { v: 1, station: s, time: new Date(t0 + Math.floor(i / STATIONS) * 1000).toISOString(), interval: 'rt', values: { pm25: 35 + (i % 17), pm10: 60, no2: 40, o3: 80 + (i % 13), so2: 8, co: 0.7 } };
    inflight.push(c.publishAsync(TOPICS.stationReadings(s), JSON.stringify(msg), { qos: 1 }));
    if (inflight.length >= 1000) await Promise.all(inflight.splice(0));
  }
  await Promise.all(inflight);
}));
console.log(JSON.stringify({ published: N, ms: performance.now() - start }));
await Promise.all(pubs.map((c) => c.endAsync()));
