/**
 * bench:ingest: sustained ingest through the real gateway process, then the peer harness.
 *
 *   MQTT (Mosquitto from deploy/mosquitto.conf.tmpl) -> `airdesk gateway` (full validation,
 *   normaliser, QC, fsynced SQLite spool group commit, PUBACK after commit) -> InfluxDB 1.x
 *
 * Load (BENCH_LOAD): `backlog` (default), the issue's "broker backlog drained by a persistent
 * session": the gateway subscribes once (persistent sessions), stops, BENCH_PUBLISHERS raw-socket
 * publishers (bench/ingest-publisher.ts, pre-encoded QoS 1 PUBLISH packets) have the broker queue
 * BENCH_BACKLOG readings (default 40,000 x BENCH_SECONDS, so the drain does not run out before the window ends; capped
 * at 70 % of available memory, ~0.85 KB per queued reading in Mosquitto) for it, then the gateway starts and the
 * clock runs while it drains: no publisher competes for the 2 cores. Mosquitto runs the deploy
 * config except autosave (a snapshot of millions of queued readings blocks it for tens of
 * seconds) and the per-session queue cap (1,000,000 per session would drop a 7.5 M backlog). `live`: the publishers run during the window, kept at most BENCH_AHEAD readings ahead
 * of what the gateway has received. Either way the rate is readings STORED IN INFLUXDB during
 * BENCH_SECONDS (default 300) / seconds; then the rest drains and InfluxDB is counted per station
 * against what was published (lost, duplicates). CPU (utime+stime) and peak RSS (VmHWM) per
 * process come from /proc.
 * Then (unless BENCH_SKIP_PEERS=1) ../shared/bench/peer-ingest/run.sh runs Node-RED, the naive
 * bridge and our gateway (bench/peer/contender.mjs) on its own broker and database, same machine,
 * default 200k workload (BENCH_PEER_READINGS), and its ratios go into the RESULT line.
 *
 * Env: BENCH_LOAD=backlog|live BENCH_BACKLOG BENCH_SECONDS=300 BENCH_PUBLISHERS=2 BENCH_CONSUMERS=8 BENCH_STATIONS=2000 BENCH_AHEAD=20000
 *      BENCH_SKIP_PEERS=1 BENCH_PEER_READINGS=200000 BENCH_PEER_CONSUMERS=16 INFLUXD=/usr/bin/influxd
 *      BENCH_GATEWAY_NODE_OPTIONS (NODE_OPTIONS of the gateway process only; default --max-old-space-size=384)
 *      BENCH_GATEWAY_NODE_ARGS (node flags of the gateway process, e.g. --cpu-prof) BENCH_DEBUG=1
 * Last line: RESULT readings_per_s=N vs_nodered=R vs_naive=R lost=N duplicates=N rss_mb=N
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { InfluxStore } from '../stores/influx.ts';
import { ownInfluxd, startMosquitto, stopChild, until } from '../tests/gateway/helpers.ts';

const env = process.env;
const num = (k: string, d: number) => (env[k] ? Number(env[k]) : d);
const SECONDS = num('BENCH_SECONDS', 300);
const PUBLISHERS = num('BENCH_PUBLISHERS', 2);
const CONSUMERS = num('BENCH_CONSUMERS', 8);
const STATIONS = num('BENCH_STATIONS', 2000);
const AHEAD = num('BENCH_AHEAD', 20_000);
// backlog (default): the broker queues BACKLOG readings for the offline gateway's persistent
// sessions first, then the gateway drains them while the clock runs (no publisher competes for
// the 2 cores). live: publishers run during the window, kept AHEAD readings ahead.
const log = (s: string) => process.stderr.write(`[bench:ingest ${new Date().toISOString().slice(11, 19)}] ${s}\n`);
const LOAD = env.BENCH_LOAD === 'live' ? 'live' : 'backlog';
// Mosquitto holds each queued reading in memory: ~0.85 KB per reading (12 M took 9.9-10.3 GB).
// Without an explicit BENCH_BACKLOG, the default is capped at 70 % of the memory available now,
// with a warning: a backlog that runs out before the window ends understates the rate.
const QUEUED_KB = 0.85;
function defaultBacklog(): number {
  const want = 40_000 * SECONDS;
  const availKb = Number(/MemAvailable:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? Infinity);
  const fits = Math.floor((0.7 * availKb) / QUEUED_KB);
  if (fits >= want) return want;
  log(`WARNING: ${want} queued readings need ~${((want * QUEUED_KB) / 1048576).toFixed(1)} GB of broker memory; ${(availKb / 1048576).toFixed(1)} GB available: backlog capped at ${fits} (set BENCH_BACKLOG to override)`);
  return fits;
}
const BACKLOG = env.BENCH_BACKLOG ? Number(env.BENCH_BACKLOG) : LOAD === 'backlog' ? defaultBacklog() : 0;
const ROOT = path.resolve(import.meta.dirname, '..');

// ---- /proc figures --------------------------------------------------------------------------
const TICK = 100; // CLK_TCK on Linux
function tree(pid: number): number[] {
  const out = [pid];
  try {
    for (const c of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) out.push(...tree(Number(c)));
  } catch { /* gone */ }
  return out;
}
function cpuS(pid: number): number {
  let t = 0;
  for (const p of tree(pid)) {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      t += Number(f[11]) + Number(f[12]);
    } catch { /* gone */ }
  }
  return t / TICK;
}
function peakRssMb(pid: number): number {
  let kb = 0;
  for (const p of tree(pid)) {
    try {
      kb += Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch { /* gone */ }
  }
  return kb / 1024;
}
function rssNowMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}
/** A daemon this process started (helpers spawn them as our children), found by its name. */
function pidOf(name: string): number | null {
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (/\((.*)\)/.exec(st)?.[1] === name && Number(st.replace(/^.*\) /, '').split(' ')[1]) === process.pid) return Number(d);
    } catch { /* gone */ }
  }
  return null;
}

// ---- the sustained run ----------------------------------------------------------------------
interface Stats { received: number; accepted: number; rejected: number; stored: number; commits: number; maxCommitMs: number; backlog: { readings: number }; redelivered: number }

async function sustained(): Promise<{ rps: number; lost: number; duplicates: number; rssMb: number; published: number }> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'airdesk-bench-ingest-'));
  const influxBin = env.INFLUXD ?? ['/usr/bin/influxd', '/usr/sbin/influxd'].find((b) => existsSync(b)) ?? 'influxd';
  const influx = await ownInfluxd(influxBin);
  await influx.start();
  // Backlog load: no broker snapshot during the run. Mosquitto 2.0 saves its whole queue each
  // autosave (deploy config: every 60 s); with millions of readings queued that blocked the broker
  // for tens of seconds, the gateway's connections timed out and the figure measured the
  // snapshot, not the gateway. Live load keeps the deploy config as it is.
  // Also no per-session queue cap: the deploy config's 1,000,000 per session (4 sessions here)
  // made Mosquitto drop everything past 4 M queued readings, although it had acknowledged them.
  const mq = env.BENCH_MQTT_URL ? { url: env.BENCH_MQTT_URL, stop: async () => {} } : await startMosquitto(LOAD === 'backlog' ? { autosave_interval: '86400', max_queued_messages: '0' } : {});
  const influxPid = pidOf('influxd');
  const mqPid = env.BENCH_MQTT_PID ? Number(env.BENCH_MQTT_PID) : pidOf('mosquitto');
  const db = `bench_ingest_${process.pid}`;
  const gwEnv = {
    ...env,
    MQTT_URL: mq.url,
    INFLUX_URL: `${influx.url}/${db}`,
    AIRDESK_DATA_DIR: tmp,
    AIRDESK_GATEWAY_CONSUMERS: String(CONSUMERS),
    AIRDESK_MQTT_CLIENT_ID: `airdesk-bench-${process.pid}`,
    AIRDESK_MQTT_SESSION_EXPIRY_S: '7200',
    AIRDESK_SPOOL_COMMIT_MS: env.AIRDESK_SPOOL_COMMIT_MS ?? '2',
    // The bench's own Mosquitto is the open test template (gateway/open-broker.ts would refuse it).
    AIRDESK_ALLOW_OPEN_BROKER: env.AIRDESK_ALLOW_OPEN_BROKER ?? '1',
    AIRDESK_STORE_BATCH: env.AIRDESK_STORE_BATCH ?? '20000',
    AIRDESK_GATEWAY_STATS_MS: '250',
    AIRDESK_LOG_LEVEL: 'warn',
    // The heap ceiling docs/operations.md gives for production (V8 otherwise lets the heap grow
    // with the allocation rate long before it needs to collect). BENCH_GATEWAY_NODE_OPTIONS=
    // (empty) runs without it. 256 was too tight once (out of memory while draining).
    NODE_OPTIONS: env.BENCH_GATEWAY_NODE_OPTIONS ?? '--max-old-space-size=384',
  };
  // One gateway process; in backlog mode it runs twice (subscribe, then drain) on the same spool.
  const startGateway = () => {
    const proc = spawn(process.execPath, [...(env.BENCH_GATEWAY_NODE_ARGS ? env.BENCH_GATEWAY_NODE_ARGS.split(' ') : []), path.join(ROOT, 'bin/airdesk.mjs'), 'gateway'], { env: gwEnv, stdio: ['ignore', 'inherit', 'pipe'] });
    let last: Stats | null = null;
    createInterface({ input: proc.stderr! }).on('line', (l) => {
      if (l.startsWith('STATS ')) last = JSON.parse(l.slice(6)) as Stats;
      else process.stderr.write(`[gateway] ${l}\n`);
    });
    const stats = (): Stats => last ?? ({ received: 0, stored: 0 } as Stats);
    const connected = () => until(() => last !== null && (last as Stats & { started: boolean }).started === true, 60_000, 'gateway started (subscribed)', 100);
    return { proc, stats, connected };
  };
  let gwp = startGateway();
  await gwp.connected();

  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 20 * 86_400_000;
  const pubs: ChildProcess[] = [];
  let rep: { sent: number; acked: number; errors: number }[] = [];
  const reports: Promise<{ sent: number; acked: number; errors: number }>[] = [];
  const pubAcked = new Array<number>(PUBLISHERS).fill(0);
  const pubCpu = new Array<number>(PUBLISHERS).fill(0);
  const pubRss = new Array<number>(PUBLISHERS).fill(0);
  const spawnPublishers = () => {
    for (let i = 0; i < PUBLISHERS; i++) {
      const p = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/ingest-publisher.ts'), mq.url, String(i), String(PUBLISHERS), String(STATIONS), String(t0)],
        { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
      pubs.push(p);
      let out = '';
      p.stdout!.on('data', (d) => (out += d));
      p.on('message', (m: { acked?: number }) => {
        if (typeof m.acked === 'number') pubAcked[i] = m.acked;
        // Sampled while alive: /proc is gone once it exits.
        pubCpu[i] = cpuS(p.pid!);
        pubRss[i] = peakRssMb(p.pid!);
      });
      reports.push(new Promise((r) => p.once('exit', () => r(out ? JSON.parse(out.trim().split('\n').pop()!) : { sent: 0, acked: 0, errors: 1 }))));
    }
  };
  const progress = (start: number, stored0: number, extra = '') => {
    const s = gwp.stats();
    const secs = (performance.now() - start) / 1000;
    const g = s as Stats & { liveDropped?: number; liveBuffered?: number };
    log(`${secs.toFixed(0)} s: received ${s.received}, stored ${s.stored} (${Math.round((s.stored - stored0) / secs)}/s), spool backlog ${s.backlog?.readings}, commits ${s.commits}, max commit ${s.maxCommitMs?.toFixed(0)} ms, gateway rss ${rssNowMb(gwp.proc.pid!).toFixed(0)} MB (main heap ${(s as Stats & { memMb?: { heapUsed: number; heapTotal: number } }).memMb?.heapUsed}/${(s as Stats & { memMb?: { heapTotal: number } }).memMb?.heapTotal} MB), live push buffered ${((g.liveBuffered ?? 0) / 1048576).toFixed(1)} MB, skipped ${g.liveDropped ?? 0}${extra}${env.BENCH_DEBUG ? ` ${JSON.stringify(s)}` : ''}`);
  };
  const procs = (): [string, number][] => [['gateway', gwp.proc.pid!], ['mosquitto', mqPid ?? 0], ['influxd', influxPid ?? 0]];
  const cpuNow = () => new Map(procs().map(([n, pid]) => [n, pid ? cpuS(pid) : 0] as [string, number]));

  let published = 0;
  let pubErrors = 0;
  let cpu0: Map<string, number>;
  let start: number;
  let elapsed: number;
  let storedInWindow: number;
  let cpu1: Map<string, number>;
  let rss: Map<string, number>;
  let backlogRanOut = false;
  if (LOAD === 'backlog') {
    // The gateway's persistent sessions are subscribed; take it offline and let the broker queue
    // BACKLOG readings for it (MQTT's own store-and-forward), then start it and time the drain.
    await stopChild(gwp.proc);
    const fillStart = performance.now();
    spawnPublishers();
    await new Promise((r) => setTimeout(r, 1000));
    for (const p of pubs) p.send({ limit: Math.ceil(BACKLOG / PUBLISHERS), finish: true });
    const done = Promise.all(reports);
    let over = false;
    void done.then(() => (over = true));
    let lastLog = performance.now();
    while (!over) {
      await new Promise((r) => setTimeout(r, 250));
      if (performance.now() - lastLog >= 10_000) {
        lastLog = performance.now();
        const a = pubAcked.reduce((x, y) => x + y, 0);
        log(`filling the broker backlog: ${a} / ${BACKLOG} (${Math.round(a / ((lastLog - fillStart) / 1000))}/s), mosquitto rss ${mqPid ? peakRssMb(mqPid).toFixed(0) : '?'} MB`);
      }
    }
    rep = await done;
    published = rep.reduce((a, r) => a + r.sent, 0);
    pubErrors = rep.reduce((a, r) => a + r.errors, 0);
    const fillS = (performance.now() - fillStart) / 1000;
    log(`backlog filled: ${published} readings queued for the offline gateway in ${fillS.toFixed(0)} s (publish errors ${pubErrors}); starting the gateway`);
    gwp = startGateway();
    cpu0 = cpuNow();
    start = performance.now();
    let lastLog2 = start;
    while (performance.now() - start < SECONDS * 1000) {
      await new Promise((r) => setTimeout(r, 100));
      if (gwp.stats().received >= published) {
        backlogRanOut = true;
        break;
      }
      if (performance.now() - lastLog2 >= 10_000) {
        lastLog2 = performance.now();
        progress(start, 0);
      }
    }
    elapsed = (performance.now() - start) / 1000;
    storedInWindow = gwp.stats().stored;
    cpu1 = cpuNow();
    rss = new Map(procs().map(([n, pid]) => [n, pid ? peakRssMb(pid) : 0] as [string, number]));
    log(`window over: ${storedInWindow} stored in ${elapsed.toFixed(1)} s${backlogRanOut ? ' (WARNING: the backlog ran out before the window ended; raise BENCH_BACKLOG)' : ''}; draining the rest`);
  } else {
    spawnPublishers();
    // Give the publishers a moment to connect, then start the clock.
    await new Promise((r) => setTimeout(r, 1500));
    cpu0 = cpuNow();
    pubs.forEach((p, i) => cpu0.set(`publisher${i}`, cpuS(p.pid!)));
    start = performance.now();
    const stored0 = gwp.stats().stored;
    let lastLog = start;
    const feed = () => {
      const limit = Math.ceil((gwp.stats().received + AHEAD) / PUBLISHERS);
      for (const p of pubs) p.send({ limit });
    };
    feed();
    while (performance.now() - start < SECONDS * 1000) {
      await new Promise((r) => setTimeout(r, 100));
      feed();
      if (performance.now() - lastLog >= 10_000) {
        lastLog = performance.now();
        progress(start, stored0);
      }
    }
    elapsed = (performance.now() - start) / 1000;
    storedInWindow = gwp.stats().stored - stored0;
    cpu1 = cpuNow();
    pubs.forEach((p, i) => cpu1.set(`publisher${i}`, cpuS(p.pid!)));
    rss = new Map(procs().map(([n, pid]) => [n, pid ? peakRssMb(pid) : 0] as [string, number]));
    pubs.forEach((p, i) => rss.set(`publisher${i}`, peakRssMb(p.pid!)));
    for (const p of pubs) p.send({ stop: true });
    rep = await Promise.all(reports);
    published = rep.reduce((a, r) => a + r.sent, 0);
    pubErrors = rep.reduce((a, r) => a + r.errors, 0);
    log(`window over: ${storedInWindow} stored in ${elapsed.toFixed(1)} s; published ${published} (publish errors ${pubErrors}); draining the rest`);
  }
  const gw = gwp.proc;
  const stats = gwp.stats;
  const drainStart = performance.now();
  await until(() => {
    if (gw.exitCode !== null || gw.signalCode !== null) throw new Error(`the gateway exited (${gw.exitCode ?? gw.signalCode}) before it drained`);
    return stats().received >= published && stats().stored >= stats().accepted && stats().backlog.readings === 0;
  }, 600_000, 'gateway drained', 250).catch((e) => log(String(e)));
  log(`drained in ${((performance.now() - drainStart) / 1000).toFixed(1)} s`);
  const gwRss = peakRssMb(gw.pid!);
  rss.set('gateway', gwRss);
  const final = stats();

  // Exact counts per station in InfluxDB against what the publishers sent.
  const expected = new Array<number>(STATIONS).fill(0);
  for (let i = 0; i < PUBLISHERS; i++) for (let j = 0; j < rep[i].sent; j++) expected[(i + PUBLISHERS * j) % STATIONS]++;
  const store = new InfluxStore({ url: influx.url, database: db });
  const counts = await store.countReadings({ from: t0, to: t0 + 400 * 86_400_000 });
  let lost = 0;
  let duplicates = 0;
  let extraStations = 0;
  for (let s = 0; s < STATIONS; s++) {
    const got = counts[`B${String(s).padStart(4, '0')}`] ?? 0;
    if (got < expected[s]) lost += expected[s] - got;
    if (got > expected[s]) duplicates += got - expected[s];
  }
  for (const k of Object.keys(counts)) if (!/^B\d{4}$/.test(k) || Number(k.slice(1)) >= STATIONS) extraStations++;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);

  const rps = Math.round(storedInWindow / elapsed);
  log(`sustained ${elapsed.toFixed(0)} s: ${rps} readings/s stored (received ${final.received}, accepted ${final.accepted}, rejected ${final.rejected}, broker redeliveries ${final.redelivered}, commits ${final.commits}, max commit ${final.maxCommitMs.toFixed(0)} ms)`);
  log(`InfluxDB: ${total} points in ${Object.keys(counts).length} stations; published ${published}; lost ${lost}, duplicates ${duplicates}, unexpected stations ${extraStations}`);
  for (const [name, c1] of cpu1) {
    const c = c1 - (cpu0.get(name) ?? 0);
    log(`  ${name.padEnd(11)} cpu ${c.toFixed(1)} s (${((100 * c) / elapsed).toFixed(0)}% of a core, ${((1e6 * c) / Math.max(1, storedInWindow)).toFixed(1)} us/reading)  peak rss ${rss.get(name)!.toFixed(0)} MB`);
  }
  await stopChild(gw);
  await mq.stop();
  await influx.stop();
  rmSync(tmp, { recursive: true, force: true });
  return { rps, lost, duplicates: duplicates + extraStations, rssMb: Math.round(gwRss), published };
}

// ---- the peer harness ------------------------------------------------------------------------
async function peers(): Promise<{ vsNodered: string; vsNaive: string; line: string }> {
  const runSh = path.resolve(ROOT, '../shared/bench/peer-ingest/run.sh');
  if (!existsSync(runSh)) {
    log(`${runSh} not found: peers skipped`);
    return { vsNodered: 'NA', vsNaive: 'NA', line: '' };
  }
  const n = env.BENCH_PEER_READINGS ?? '200000';
  const p = spawn('bash', [runSh, '--readings', n, '--contender', 'airdesk', '--contender-cmd', `node ${path.join(ROOT, 'bench/peer/contender.mjs')}`], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...env, AIRDESK_GATEWAY_CONSUMERS: env.BENCH_PEER_CONSUMERS ?? '16' },
  });
  let out = '';
  p.stdout!.on('data', (d) => (out += d));
  await new Promise((r) => p.once('exit', r));
  const line = out.trim().split('\n').filter((l) => l.startsWith('RESULT')).pop() ?? '';
  const get = (k: string) => new RegExp(`(?:^| )${k}=(\\S+)`).exec(line)?.[1] ?? 'NA';
  log(`peer harness: ${line || 'no RESULT line'}`);
  return { vsNodered: get('airdesk_vs_nodered'), vsNaive: get('airdesk_vs_naive'), line };
}

const s = SECONDS > 0 ? await sustained() : { rps: 0, lost: 0, duplicates: 0, rssMb: 0, published: 0 };
const p = env.BENCH_SKIP_PEERS === '1' ? { vsNodered: 'NA', vsNaive: 'NA', line: '' } : await peers();
console.log(`RESULT readings_per_s=${s.rps} vs_nodered=${p.vsNodered} vs_naive=${p.vsNaive} lost=${s.lost} duplicates=${s.duplicates} rss_mb=${s.rssMb}`);
process.exit(0);
