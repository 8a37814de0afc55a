/**
 * Live-path benchmark: AcceptedBatch messages published on the internal topic of a local Mosquitto
 * (started here on a free port; the embedded aedes broker if mosquitto is absent) reach 50 socket.io
 * clients through the server (a child process, SQLite ':memory:' store, 100 stations in 10 cities).
 * Measures publish -> client latency at a target rate (default 5,000 readings/s for 20 s after a 2 s
 * warm-up) and, in the same run, broker-only latency (publish -> a plain MQTT subscriber).
 * The path measured is direct: publisher -> internal topic -> server -> socket.io (no gateway).
 *
 *   npm run bench:live            (BENCH_RATE, BENCH_SECONDS, BENCH_CLIENTS override)
 * Last line: RESULT p50_ms=N p99_ms=N broker_p99_ms=N
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { io as ioc, type Socket } from 'socket.io-client';
import type { Reading } from '../common/schemas/reading.ts';
import type { Station } from '../common/schemas/station.ts';
import { TOPICS } from '../common/schemas/topics.ts';

const RATE = Number(process.env.BENCH_RATE ?? 5000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const WARMUP_MS = 2000;
const TICK_MS = 10; // one AcceptedBatch every 10 ms
const CITIES = 10;
const PER_CITY = 10;

const stations: Station[] = [];
for (let c = 0; c < CITIES; c++) {
  for (let k = 0; k < PER_CITY; k++) {
    stations.push({ code: `B${c}-${k}`, name: `bench ${c}-${k}`, city: `City${c}`, province: 'Bench', lon: 116 + c / 10, lat: 39 + k / 10, kind: 'national' });
  }
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => res(p));
    });
    s.on('error', rej);
  });
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

// ---------------------------------------------------------------------------------------------
// Child role: the server under test.
if (process.argv[2] === 'server') {
  const pino = (await import('pino')).default;
  const { openSqliteStore } = await import('../stores/sqlite.ts');
  const { buildServer } = await import('../server/app.ts');
  const store = await openSqliteStore(':memory:');
  const s = await buildServer({
    store, stations, logger: pino({ level: 'warn' }), mqttUrl: process.argv[3],
    config: { socketBatchMs: Number(process.env.AIRDESK_SOCKET_BATCH_MS ?? 50), tickSeconds: 5 },
  });
  await s.start();
  const url = await s.app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`LISTENING ${url}\n`);
  process.on('SIGTERM', async () => {
    await s.close();
    process.exit(0);
  });
} else {
  await runBench();
}

async function startBroker(dir: string): Promise<{ url: string; stop: () => Promise<void>; kind: string }> {
  const port = await freePort();
  const bin = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((b) => spawnSync('test', ['-x', b]).status === 0);
  if (bin) {
    const conf = path.join(dir, 'mosquitto.conf');
    writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 1000000\nmax_inflight_messages 1000\n`);
    const p = spawn(bin, ['-c', conf], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise<boolean>((res) => {
        const c = net.connect(port, '127.0.0.1', () => { c.end(); res(true); });
        c.on('error', () => res(false));
      });
      if (ok) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return { url: `mqtt://127.0.0.1:${port}`, kind: 'mosquitto', stop: async () => { p.kill('SIGTERM'); } };
  }
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  const srv = net.createServer(broker.handle);
  await new Promise<void>((r) => srv.listen(port, '127.0.0.1', () => r()));
  return { url: `mqtt://127.0.0.1:${port}`, kind: 'aedes', stop: async () => { srv.close(); broker.close(); } };
}

async function runBench(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-bench-'));
  const broker = await startBroker(dir);
  let server: ChildProcess | null = null;
  const clients: Socket[] = [];
  try {
    const self = fileURLToPath(import.meta.url);
    server = spawn(process.execPath, ['--import', 'tsx', self, 'server', broker.url], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<string>((res, rej) => {
      let buf = '';
      const t = setTimeout(() => rej(new Error('server did not start in 60 s')), 60_000);
      server!.stdout!.on('data', (d) => {
        buf += d;
        const m = /LISTENING (\S+)/.exec(buf);
        if (m) { clearTimeout(t); res(m[1]); }
      });
      server!.on('exit', (code) => rej(new Error(`server exited ${code}`)));
    });

    // 50 clients over the 10 city rooms (5 each): each sees its city's 1/10 of the stream.
    const lat: number[] = [];
    let received = 0;
    let measuring = false;
    for (let i = 0; i < CLIENTS; i++) {
      const c = ioc(url, { transports: ['websocket'], reconnection: false, query: { cities: `City${i % CITIES}` } });
      c.on('reading:batch', (b: { readings: Reading[] }) => {
        const now = Date.now();
        received += b.readings.length;
        if (measuring) for (const r of b.readings) lat.push(now - r.time);
      });
      clients.push(c);
    }
    await Promise.all(clients.map((c) => new Promise<void>((res) => c.once('state:sync', () => res()))));

    // Broker-only latency, same messages, same run.
    const brokerLat: number[] = [];
    const probe = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    probe.on('message', (_t, payload) => {
      if (!measuring) return;
      const now = Date.now();
      const m = JSON.parse(payload.toString()) as { readings: Reading[] };
      brokerLat.push(now - m.readings[0].time);
    });
    await probe.subscribeAsync(TOPICS.acceptedReadings, { qos: 1 });

    const pub = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    const perTick = Math.round((RATE * TICK_MS) / 1000);
    let sent = 0;
    let seq = 0;
    const t0 = Date.now();
    const end = t0 + WARMUP_MS + SECONDS * 1000;
    let lag = 0;
    await new Promise<void>((done) => {
      const step = () => {
        const now = Date.now();
        if (now >= end) return done();
        if (!measuring && now >= t0 + WARMUP_MS) measuring = true;
        // Catch up if the timer slipped, so the offered rate stays at RATE.
        const due = Math.floor(((now - t0) / 1000) * RATE) - sent;
        const n = Math.max(0, Math.min(due, perTick * 5));
        if (due > perTick * 5) lag++;
        if (n > 0) {
          const readings: Reading[] = [];
          for (let k = 0; k < n; k++) {
            const st = stations[seq++ % stations.length];
            readings.push({ station: st.code, time: Date.now(), interval: 'rt', source: 'sim', values: { pm25: 30 + (seq % 50), pm10: 60, o3: 80, no2: 20 }, flags: {} });
          }
          pub.publish(TOPICS.acceptedReadings, JSON.stringify({ v: 1, readings }), { qos: 0 });
          sent += n;
        }
        setTimeout(step, TICK_MS);
      };
      step();
    });
    measuring = false;
    await new Promise((r) => setTimeout(r, 1000)); // drain
    const elapsed = (Date.now() - t0 - 1000) / 1000;
    const p50 = pct(lat, 50);
    const p99 = pct(lat, 99);
    const b50 = pct(brokerLat, 50);
    const b99 = pct(brokerLat, 99);
    console.log(`broker: ${broker.kind}; path: publisher -> ${TOPICS.acceptedReadings} -> server -> socket.io (direct, no gateway)`);
    console.log(`offered ${RATE} readings/s for ${SECONDS} s (+${WARMUP_MS / 1000} s warm-up), ${sent} published (${(sent / elapsed).toFixed(0)}/s), timer slips ${lag}`);
    console.log(`clients ${CLIENTS} in ${CITIES} city rooms; readings delivered to clients ${received} (expected ~${Math.round(sent * CLIENTS / CITIES)})`);
    console.log(`publish -> client latency ms: p50 ${p50} p90 ${pct(lat, 90)} p99 ${p99} max ${pct(lat, 100)} (n=${lat.length})`);
    console.log(`publish -> broker subscriber latency ms: p50 ${b50} p99 ${b99} (n=${brokerLat.length})`);
    console.log(`RESULT p50_ms=${p50} p99_ms=${p99} broker_p99_ms=${b99}`);
    await pub.endAsync();
    await probe.endAsync();
  } finally {
    for (const c of clients) c.disconnect();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => { server!.once('exit', r); setTimeout(r, 5000); });
    }
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}
