/**
 * Write throughput of the time-series stores: readings/s for the SQLite store, the InfluxDB
 * adapter (line protocol over HTTP), and, for comparison, the `influx` npm client's writePoints.
 * Each reading = 6 pollutants + flags (one InfluxDB point with 7 fields).
 *
 *   npm run bench:store                      # starts a throwaway influxd if INFLUX_URL is unset
 *   INFLUX_URL=http://127.0.0.1:8086 npm run bench:store
 *   BENCH_READINGS=200000 npm run bench:store
 *
 * Ends with one line: RESULT sqlite=<r/s> influx=<r/s> influx-drain=<r/s> influx-client=<r/s>
 * (influx = calls of 5,000 as the live gateway makes; influx-drain = one call with all N, as when
 * draining a backlog, which keeps two requests in flight).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { influxdConfig } from '../tests/gateway/helpers.ts';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import Influx from 'influx';
import type { Reading } from '../common/schemas/reading.ts';
import { openInfluxStore } from '../stores/influx.ts';
import { openSqliteStore } from '../stores/sqlite.ts';
import type { TimeSeriesStore } from '../stores/types.ts';

const N = Number(process.env.BENCH_READINGS ?? 100_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const H = 3_600_000;
const T0 = Date.UTC(2017, 0, 1);

function makeReadings(n: number, offset: number): Reading[] {
  const out: Reading[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = i + offset;
    out[i] = {
      station: `${1000 + (k % 2000)}A`,
      time: T0 + Math.floor(k / 2000) * H,
      interval: 'hour',
      source: 'sim',
      values: { pm25: 35 + (k % 97), pm10: 70 + (k % 131), so2: 8 + (k % 13), no2: 40 + (k % 29), co: 0.8 + (k % 7) / 10, o3: 60 + (k % 53) },
      flags: k % 10 === 0 ? { pm25: ['T'] } : {},
    };
  }
  return out;
}

/** CPU seconds a process has used (Linux /proc; clock ticks at 100 Hz), or null when unknown. */
function procCpu(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime (fields 14, 15)
  } catch {
    return null;
  }
}
let serverPid: number | undefined;

/** Write `N` readings in `BATCH`-sized calls (as the gateway drains); returns readings/s. */
async function run(label: string, write: (rs: Reading[]) => Promise<void>, batch = BATCH): Promise<number> {
  await write(makeReadings(1000, 10_000_000)); // warm up (connection, prepared statements)
  const all = makeReadings(N, 0);
  const cpu0 = process.cpuUsage();
  const srv0 = procCpu(serverPid);
  const t = performance.now();
  for (let i = 0; i < N; i += batch) await write(all.slice(i, i + batch));
  const s = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const srv1 = procCpu(serverPid);
  const rate = Math.round(N / s);
  // Client CPU shows the adapter's own ceiling: on a shared machine the server may be the limit.
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(
    `${label.padEnd(14)} ${N} readings in ${s.toFixed(2)} s = ${rate} readings/s (calls of ${batch}); ` +
      `this process used ${cpuS.toFixed(2)} s CPU = ${Math.round(N / cpuS)} readings per CPU-second` +
      (srv0 !== null && srv1 !== null ? `; influxd used ${(srv1 - srv0).toFixed(2)} s CPU = ${Math.round(N / (srv1 - srv0))} readings per CPU-second` : ''),
  );
  return rate;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A throwaway influxd in a temp folder (deploy/influxdb.conf.tmpl, as tests/run.sh). */
async function startInflux(dir: string): Promise<{ url: string; proc: ChildProcess }> {
  const [http, rpc] = [await freePort(), await freePort()];
  mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'influxdb.conf');
  writeFileSync(conf, influxdConfig(dir, http, rpc));
  const proc = spawn('influxd', ['-config', conf], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${http}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/ping`).then((r) => r.status === 204, () => false);
    if (ok) return { url, proc };
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill();
  throw new Error('influxd did not start');
}

console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
const tmp = mkdtempSync(path.join(tmpdir(), 'airdesk-bench-'));
let influxd: ChildProcess | undefined;
try {
  const sqlite: TimeSeriesStore = await openSqliteStore(path.join(tmp, 'bench.sqlite'));
  const rSqlite = await run('sqlite', (rs) => sqlite.writeReadings(rs));
  await sqlite.close();

  let url = process.env.INFLUX_URL;
  if (!url) {
    ({ url, proc: influxd } = await startInflux(path.join(tmp, 'influx')));
    serverPid = influxd.pid;
  }
  const base = new URL(url);
  const serverUrl = `${base.protocol}//${base.host}`;
  const db = `bench_${Date.now()}`;
  const influx = await openInfluxStore({ url: serverUrl, database: db });
  const rInflux = await run('influx', (rs) => influx.writeReadings(rs));
  // Backlog drain: one call with everything; the adapter sends 5,000-reading bodies, 2 in flight.
  const drain = await openInfluxStore({ url: serverUrl, database: `${db}_drain` });
  const rDrain = await run('influx drain', (rs) => drain.writeReadings(rs), N);
  const n = await influx.countReadings({ from: 0, to: Date.UTC(2100, 0, 1) });
  const stored = Object.values(n).reduce((a, b) => a + b, 0);
  console.log(`influx         stored ${stored} distinct readings (expected ${N + 1000})`);

  const client = new Influx.InfluxDB({ host: base.hostname, port: Number(base.port), database: `${db}_client` });
  await client.createDatabase(`${db}_client`);
  const rClient = await run('influx-client', (rs) =>
    client.writePoints(
      rs.map((r) => ({
        measurement: 'readings',
        tags: { station: r.station, interval: r.interval, source: r.source },
        fields: { ...(r.values as Record<string, number>), flags: JSON.stringify(r.flags) },
        timestamp: r.time,
      })),
      { precision: 'ms' },
    ),
  );
  for (const d of [db, `${db}_drain`, `${db}_client`]) await client.dropDatabase(d);
  console.log(`RESULT sqlite=${rSqlite} influx=${rInflux} influx-drain=${rDrain} influx-client=${rClient} readings/s`);
} finally {
  influxd?.kill();
  rmSync(tmp, { recursive: true, force: true });
}
