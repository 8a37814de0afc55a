/**
 * What Mosquitto's `autosave_interval` costs and saves (issue 14): the gateway is offline (its
 * persistent MQTT 5 session keeps a QoS 1 queue in the broker), stations keep publishing and get
 * PUBACKs, then the broker crashes (SIGKILL) and restarts from its persistence file. Whatever it
 * had acknowledged since its last save is gone. For each interval x rate this prints:
 *   acked     readings the broker acknowledged during the outage
 *   delivered readings the gateway's session got after the restart
 *   lost      acked - delivered, and as seconds of traffic (the loss window)
 *   stall     the longest wait for a PUBACK during the outage (a save blocks the broker)
 *   db        size of mosquitto.db at the crash
 * Run: `npx tsx bench/broker-autosave.ts` (BENCH_OUTAGE_S=30, BENCH_INTERVALS=1,10,60,
 * BENCH_RATES=2000,20). Needs the mosquitto binary (tests/run.sh installs it). Loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { freePort, stopChild, tmpDir, until } from '../tests/gateway/helpers.ts';

const env = process.env;
const OUTAGE_S = Number(env.BENCH_OUTAGE_S ?? 30);
const INTERVALS = (env.BENCH_INTERVALS ?? '1,10,60').split(',').map(Number);
const RATES = (env.BENCH_RATES ?? '2000,20').split(',').map(Number);
const BIN = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find(existsSync);
const TEMPLATE = path.join(import.meta.dirname, '../deploy/mosquitto.conf.tmpl');

interface Broker { url: string; dir: string; start(): Promise<void>; kill(): Promise<void>; stop(): Promise<void> }

async function broker(autosave: number): Promise<Broker> {
  const dir = tmpDir('autosave');
  chmodSync(dir, 0o777);
  const port = await freePort();
  const conf = readFileSync(TEMPLATE, 'utf8').replace(/^autosave_interval .*$/m, `autosave_interval ${autosave}`)
    .replaceAll('@PORT@', String(port)).replaceAll('@DIR@', `${dir}/`);
  writeFileSync(path.join(dir, 'mosquitto.conf'), conf);
  let p: ChildProcess | null = null;
  const url = `mqtt://127.0.0.1:${port}`;
  return {
    url, dir,
    async start() {
      p = spawn(BIN!, ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
      await until(async () => {
        const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 1000, clientId: `probe-${Math.random()}` }).catch(() => null);
        await c?.endAsync(true);
        return c !== null;
      }, 15_000, 'mosquitto up');
    },
    async kill() { if (p) await stopChild(p, 'SIGKILL'); },
    async stop() { if (p) await stopChild(p); },
  };
}

const SESSION = { protocolVersion: 5 as const, clean: false, clientId: 'autosave-gateway', properties: { sessionExpiryInterval: 3600 }, reconnectPeriod: 0 };

async function run(autosave: number, rate: number) {
  const b = await broker(autosave);
  await b.start();
  // The gateway's session: subscribed, then offline (its queue lives in the broker).
  const gw = await mqtt.connectAsync(b.url, SESSION);
  await gw.subscribeAsync('aq/v1/stations/+/readings', { qos: 1 });
  await gw.endAsync();
  const pub = await mqtt.connectAsync(b.url, { protocolVersion: 5, clientId: 'autosave-stations', reconnectPeriod: 0 });
  let acked = 0;
  let sent = 0;
  let stall = 0;
  let lastAck = Date.now();
  const t0 = Date.now();
  const end = t0 + OUTAGE_S * 1000;
  // Paced in 10-ms steps: `rate` readings a second, each a QoS 1 publish of a realistic size.
  while (Date.now() < end) {
    const due = Math.floor(((Date.now() - t0) / 1000) * rate);
    for (; sent < due; sent++) {
      const body = JSON.stringify({ v: 1, station: `S${sent % 500}`, time: t0 + sent, interval: 'rt', values: { pm25: 35, pm10: 60, o3: 80, no2: 30, so2: 5, co: 0.6 }, seq: sent });
      pub.publish(`aq/v1/stations/S${sent % 500}/readings`, body, { qos: 1 }, (err) => {
        if (err) return;
        acked++;
        const now = Date.now();
        stall = Math.max(stall, now - lastAck);
        lastAck = now;
      });
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await until(() => acked >= sent, 30_000, 'the last PUBACKs').catch(() => undefined);
  const ackedAtCrash = acked;
  const db = path.join(b.dir, 'mosquitto.db');
  const dbBytes = existsSync(db) ? statSync(db).size : 0;
  await b.kill(); // the crash: no save on the way down
  await pub.endAsync(true).catch(() => undefined);
  await b.start();
  const seen = new Set<number>();
  const back = await mqtt.connectAsync(b.url, SESSION);
  back.on('message', (_t, p) => { seen.add(JSON.parse(p.toString()).seq); });
  let last = -1;
  let quietSince = Date.now();
  // Drained when nothing new arrived for 3 s (bounded at 120 s).
  for (const stop = Date.now() + 120_000; Date.now() < stop && Date.now() - quietSince < 3_000; await new Promise((r) => setTimeout(r, 100))) {
    if (seen.size !== last) { last = seen.size; quietSince = Date.now(); }
  }
  await back.endAsync(true).catch(() => undefined);
  await b.stop();
  const lost = Math.max(0, ackedAtCrash - seen.size);
  return { autosave, rate, acked: ackedAtCrash, delivered: seen.size, lost, lostPct: ackedAtCrash ? (100 * lost) / ackedAtCrash : 0, lossWindowS: lost / rate, stallMs: stall, dbKB: dbBytes / 1024 };
}

if (!BIN) {
  console.error('bench/broker-autosave.ts: no mosquitto binary (apt-get install mosquitto)');
  process.exit(2);
}
console.log(`outage ${OUTAGE_S} s, broker SIGKILLed at its end; intervals ${INTERVALS.join(', ')} s; rates ${RATES.join(', ')} readings/s`);
console.log(['autosave_s', 'rate/s', 'acked', 'delivered', 'lost', 'lost_%', 'loss_window_s', 'max_puback_wait_ms', 'db_KB'].join('\t'));
for (const rate of RATES) {
  for (const interval of INTERVALS) {
    const r = await run(interval, rate);
    console.log([r.autosave, r.rate, r.acked, r.delivered, r.lost, r.lostPct.toFixed(1), r.lossWindowS.toFixed(1), r.stallMs, r.dbKB.toFixed(0)].join('\t'));
  }
}
