/**
 * What a restart costs: `airdesk serve` started as its own process on a store holding 2,000
 * stations x 3 days of sub-hourly readings, timed from spawn to /readyz 200, rebuilding
 *   raw         AIRDESK_REBUILD_FROM=raw: every raw reading of the window through the live engine
 *               (what the server did before station-hour aggregates; its first start after the
 *               upgrade, which also writes the aggregates and seals the hours);
 *   aggregates  the default: sealed hours as station-hour aggregates, raw readings only for the
 *               hours not sealed (the hour still open, the grace period).
 * Runs alternate (raw, aggregates, raw, aggregates, ...) on the same data, and each run's
 * rebuild line (readings, aggregates, hours of each kind, ms) and peak RSS are printed.
 *
 *   npm run bench:restart
 *   BENCH_STATIONS=2000 BENCH_DAYS=3 BENCH_RT_MINUTES=5 BENCH_RUNS=2 BENCH_STORE=sqlite|influx npm run bench:restart
 *
 * BENCH_STORE=influx starts a throwaway influxd (or uses INFLUX_URL). BENCH_KEEP=DIR keeps the
 * SQLite data in DIR and reuses it on the next run (writing the history takes minutes; reuse it
 * within the hour, or the hours since have no data). Ends with
 * RESULT raw_ready_s=<median> aggregates_ready_s=<median> ratio=<raw/aggregates> readings=<n>
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { influxdConfig } from '../tests/gateway/helpers.ts';
import { createSim, simulateValues } from '../simulators/model.ts';
import { openStationRegistry } from '../stores/stations.ts';
import { openStore } from '../stores/open.ts';
import type { Reading } from '../common/schemas/reading.ts';
import type { Station } from '../common/schemas/station.ts';
import { DAY_MS, HOUR_MS } from '../common/time.ts';

const STATIONS = Number(process.env.BENCH_STATIONS ?? 2000);
const DAYS = Number(process.env.BENCH_DAYS ?? 3);
const RT_MIN = Number(process.env.BENCH_RT_MINUTES ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const KIND = process.env.BENCH_STORE ?? 'sqlite';
const MIN = 60_000;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function startInflux(dir: string): Promise<{ url: string; proc: ChildProcess }> {
  const [http, rpc] = [await freePort(), await freePort()];
  mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'influxdb.conf');
  writeFileSync(conf, influxdConfig(dir, http, rpc));
  const proc = spawn('influxd', ['-config', conf], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${http}`;
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${url}/ping`).then((r) => r.status === 204, () => false)) return { url, proc };
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill();
  throw new Error('influxd did not start');
}

/** The history: every station's simulated hour as 'rt' readings every RT_MIN minutes. */
async function writeHistory(env: Record<string, string>, stations: Station[], now: number): Promise<number> {
  const store = await openStore({ influxUrl: env.INFLUX_URL || undefined, sqlitePath: path.join(env.AIRDESK_DATA_DIR, 'airdesk.sqlite') });
  const sim = createSim({ seed: 'bench-restart', scenario: 'pm', start: now - (DAYS + 1) * DAY_MS, extraStations: STATIONS - 12 });
  const first = Math.floor((now - DAYS * DAY_MS) / HOUR_MS) * HOUR_MS;
  const open = Math.ceil(now / HOUR_MS) * HOUR_MS;
  let n = 0;
  const t0 = Date.now();
  for (let t = first; t <= open; t += HOUR_MS) {
    const vals = simulateValues(sim, t);
    const rs: Reading[] = [];
    for (const [code, v] of vals) {
      for (let m = RT_MIN; m <= 60; m += RT_MIN) {
        const time = t - HOUR_MS + m * MIN;
        if (time > now) break;
        const w = 1 + 0.05 * Math.sin(m + code.length);
        rs.push({
          station: code, time, interval: 'rt', source: 'sim', flags: {},
          values: { pm25: v.pm25 * w, pm10: v.pm10 * w, so2: v.so2, no2: v.no2 * w, co: v.co, o3: v.o3 * w, temp: v.temp, rh: v.rh, ws: v.ws, wd: v.wd },
        });
      }
    }
    for (let i = 0; i < rs.length; i += 20_000) await store.writeReadings(rs.slice(i, i + 20_000));
    n += rs.length;
  }
  await store.close();
  console.log(`history: ${n.toLocaleString('en')} readings (${stations.length} stations x ${DAYS} d, one every ${RT_MIN} min) written in ${((Date.now() - t0) / 1000).toFixed(1)} s to ${KIND}`);
  return n;
}

interface Run { mode: string; readyS: number; rebuild: Record<string, unknown>; rssMb: number }

async function metric(url: string, name: string): Promise<number> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text());
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
}

async function restart(env: Record<string, string>, mode: 'raw' | 'aggregates'): Promise<Run> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  const child = spawn(process.execPath, ['bin/airdesk.mjs', 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), AIRDESK_REBUILD_FROM: mode }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  let readyS = NaN;
  for (let i = 0; i < 12_000; i++) {
    const ok = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) { readyS = (Date.now() - t0) / 1000; break; }
    if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}): ${out.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // Let it write what it rebuilt from raw readings (the next start's aggregates), then stop it.
  for (let i = 0; i < 1200; i++) {
    if ((await metric(url, 'airdesk_station_hours_written_total')) > 0 && (await metric(url, 'airdesk_station_hours_pending')) === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const line = out.split('\n').find((l) => l.includes('state rebuilt from the store'));
  const rebuild = line ? JSON.parse(line) : {};
  for (const k of ['level', 'time', 'pid', 'hostname', 'app', 'msg']) delete rebuild[k];
  return { mode, readyS, rebuild, rssMb: Math.round(Number(hwm ?? 0) / 1024) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores; store ${KIND}`);
const KEEP = process.env.BENCH_KEEP;
const tmp = KEEP ?? mkdtempSync(path.join(tmpdir(), 'airdesk-bench-restart-'));
let influxd: ChildProcess | undefined;
try {
  const env: Record<string, string> = {
    AIRDESK_DATA_DIR: path.join(tmp, 'data'), HOST: '127.0.0.1', MQTT_URL: '', LOG_LEVEL: 'info',
    AIRDESK_CLIENT_DIR: path.join(tmp, 'no-client'), AIRDESK_REBUILD_DAYS: String(DAYS),
  };
  if (KIND === 'influx') {
    let url = process.env.INFLUX_URL;
    if (!url) ({ url, proc: influxd } = await startInflux(path.join(tmp, 'influx')));
    const u = new URL(url);
    env.INFLUX_URL = `${u.protocol}//${u.host}/bench_restart_${Date.now()}`;
  }
  const now = Date.now();
  const sim = createSim({ seed: 'bench-restart', scenario: 'pm', start: now - (DAYS + 1) * DAY_MS, extraStations: STATIONS - 12 });
  const stations: Station[] = sim.stations.map((s) => ({ code: s.code, name: s.name, city: s.city, province: s.province, lon: s.lon, lat: s.lat, kind: s.kind }));
  const kept = path.join(tmp, 'readings.txt');
  let readings: number;
  if (KEEP && KIND === 'sqlite' && existsSync(kept)) {
    readings = Number(readFileSync(kept, 'utf8'));
    console.log(`history: reusing ${readings.toLocaleString('en')} readings in ${tmp}`);
  } else {
    const reg = openStationRegistry(path.join(env.AIRDESK_DATA_DIR, 'stations.sqlite'));
    reg.upsert(stations);
    reg.close();
    readings = await writeHistory(env, stations, now);
    if (KEEP) writeFileSync(kept, String(readings));
  }
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const mode of ['raw', 'aggregates'] as const) {
      const r = await restart(env, mode);
      runs.push(r);
      console.log(`${mode.padEnd(10)} ready in ${r.readyS.toFixed(2)} s, peak RSS ${r.rssMb} MB; rebuild ${JSON.stringify(r.rebuild)}`);
    }
  }
  const raw = median(runs.filter((r) => r.mode === 'raw').map((r) => r.readyS));
  const agg = median(runs.filter((r) => r.mode === 'aggregates').map((r) => r.readyS));
  // At 2,000 readings/s (the rate) raw cost grows with readings; the aggregate rebuild's
  // grows only with the raw tail it still reads (the open hour and grace: up to 70 minutes).
  const rawRun = runs.find((r) => r.mode === 'raw')!;
  const aggRun = runs.find((r) => r.mode === 'aggregates')!;
  // CPU, not wall time: a loaded machine inflates wall time several-fold, CPU time far less.
  const perReading = Number(rawRun.rebuild.cpuMs) / 1000 / readings;
  console.log(`rebuild CPU: raw ${(Number(rawRun.rebuild.cpuMs) / 1000).toFixed(1)} s (${(perReading * 1e6).toFixed(1)} us a reading), aggregates ${(Number(aggRun.rebuild.cpuMs) / 1000).toFixed(1)} s; ` +
    `at 2,000 readings/s a 3-day raw replay (518 M readings) would need ~${Math.round(perReading * 518.4e6)} CPU-s, the aggregate rebuild's raw tail (open hour + grace, <= 8.4 M readings) up to ~${Math.round(perReading * 8.4e6)} CPU-s`);
  console.log(`RESULT raw_ready_s=${raw.toFixed(2)} aggregates_ready_s=${agg.toFixed(2)} ratio=${(raw / agg).toFixed(1)} readings=${readings} stations=${STATIONS} days=${DAYS} store=${KIND}`);
} finally {
  influxd?.kill();
  if (!KEEP) rmSync(tmp, { recursive: true, force: true });
}
