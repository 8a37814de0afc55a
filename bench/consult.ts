/**
 * Consultation-room latency (issue 17): 20 people in one room, each forecaster editing its own
 * proposal at a human-fast rate, everyone watching. Two processes, as in production:
 *   child server  buildServer (silent logger) on a records file in a temp dir (SQLite; PostgreSQL
 *                 at AIRDESK_BENCH_DATABASE_URL for the second variant), listening on 127.0.0.1:0;
 *                 seeds the users with API tokens (seedToken: the records and auth service the
 *                 admin routes use), opens one consultation as a lead (POST /api/consultations)
 *   parent        the socket.io clients (websocket transport), all in one process so that one
 *                 clock (performance.now) times the emit of an op and its arrival at each other
 *                 participant
 * Per op the bench records
 *   ack      sender's emit of `consult:op` -> its ack (the op applied, recorded, the room told)
 *   fan-out  sender's emit -> each OTHER participant's `consult:change` carrying the op's opId
 *            (one sample per op and receiver); "last" is the slowest receiver of each op
 * and, as the baseline measured in the same run from the same clients, the round trip of the
 * no-op `state:request` ack: idle before the room phase, and interleaved with the room traffic
 * (each client once a second), so the report gives room latency / bare socket latency.
 *
 * Workload: forecasters (users - 2) send an op every 300-600 ms: 85 % a `set` of a random one of
 * their own proposals.<name>.days.<0-2>.aqi with the revision they know from the changes they have
 * seen (base), 15 % a comment; the 2 leads comment every 3-6 s. A 2 s warm-up is not measured.
 *
 *   npm run bench:consult                         # --seconds 20 --users 20
 *   npm run bench:consult -- --seconds 10
 *   AIRDESK_BENCH_DATABASE_URL=postgres://... npm run bench:consult    # + the PostgreSQL variant
 *   BENCH_PROF=dir npm run bench:consult          # V8 CPU profile of the server process
 *
 * Target (issue 17): edit -> other participants p99 <= 200 ms with 20 users. PASS/FAIL is
 * printed; the exit code is 0 whenever the bench ran. Last line(s):
 *   RESULT store=sqlite fanout_p99_ms=N ack_p99_ms=N ping_p99_ms=N ops_per_s=N refusals=N
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const TARGET_P99_MS = 200;
const WARMUP_MS = 2000;
const IDLE_PING_MS = 3000;
const CITY = 'Xcity';

interface Ready { url: string; consultation: number; users: { name: string; token: string; lead: boolean }[] }
interface ServerStats { ops: number; applyMs: number[]; appendMs: number[]; docBytes: number; thread: number }

// ---------------------------------------------------------------------------------------------
// The server process.

async function runServer(store: 'sqlite' | 'postgres', dir: string, users: number): Promise<void> {
  const pino = (await import('pino')).default;
  const { openSqliteStore } = await import('../stores/sqlite.ts');
  const { buildServer } = await import('../server/app.ts');
  const { openRecords } = await import('../records/open.ts');
  const { seedToken, STATIONS } = await import('../tests/server/helpers.ts');
  const logger = pino({ level: 'silent' });
  const records = await openRecords(store === 'postgres'
    ? { databaseUrl: process.env.AIRDESK_BENCH_DATABASE_URL!, logger }
    : { sqlitePath: path.join(dir, 'records.sqlite'), logger });
  const ts = await openSqliteStore(':memory:');
  const s = await buildServer({
    store: ts, stations: STATIONS, logger, mqttUrl: null, records,
    // The schedule stays out of the way: the bench opens its own room.
    config: { tickSeconds: 3600, consult: { open: '16:30', deadline: '20:00', remindMinutes: 30, emergencyMinutes: 120, emergencyEveryMinutes: 0, openOnStart: false, checkSeconds: 3600 } },
  });
  await s.start();
  const url = await s.app.listen({ port: 0, host: '127.0.0.1' });

  // A run-unique suffix: a PostgreSQL database may hold the users of an earlier run.
  const tag = Date.now().toString(36);
  const seeded: Ready['users'] = [];
  for (let i = 0; i < users; i++) {
    const lead = i >= users - 2;
    const name = lead ? `lead-${tag}-${i}` : `fc-${tag}-${i}`;
    const { token } = await seedToken(s.app, lead ? 'lead_forecaster' : 'forecaster', name);
    seeded.push({ name, token, lead });
  }
  const leadTok = seeded.find((u) => u.lead)!.token;
  const res = await s.app.inject({ method: 'POST', url: '/api/consultations', headers: { authorization: `Bearer ${leadTok}` }, payload: { city: CITY, kind: 'emergency', minutes: 120 } });
  if (res.statusCode !== 201) throw new Error(`POST /api/consultations: ${res.statusCode} ${res.body}`);
  const consultation = res.json().doc.id as number;

  // Server-side times of each op, to tell transport from work: the whole apply (queue wait,
  // applyOp, the record's append, telling the room) and the append alone.
  const stats: ServerStats = { ops: 0, applyMs: [], appendMs: [], docBytes: 0, thread: 0 };
  const consult = s.app.consult;
  const apply = consult.apply.bind(consult);
  consult.apply = async (...a) => {
    const t0 = performance.now();
    const r = await apply(...a);
    stats.applyMs.push(performance.now() - t0);
    stats.ops++;
    return r;
  };
  const append = records.consultations.append.bind(records.consultations);
  records.consultations.append = async (...a) => {
    const t0 = performance.now();
    const r = await append(...a);
    stats.appendMs.push(performance.now() - t0);
    return r;
  };

  process.stdout.write(`READY ${JSON.stringify({ url, consultation, users: seeded } satisfies Ready)}\n`);
  process.on('SIGTERM', async () => {
    const doc = await consult.get(consultation);
    stats.docBytes = JSON.stringify(doc).length;
    stats.thread = doc?.thread.length ?? 0;
    process.stdout.write(`STATS ${JSON.stringify(stats)}\n`);
    await s.close();
    await records.close();
    await ts.close();
    process.exit(0);
  });
}

// ---------------------------------------------------------------------------------------------
// The clients and the report.

function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const line = (xs: number[]) => `p50 ${ms(pct(xs, 50))}  p95 ${ms(pct(xs, 95))}  p99 ${ms(pct(xs, 99))}  max ${ms(pct(xs, 100))}  (n=${xs.length})`;
const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo);

function spawnServer(store: string, dir: string, users: number): ChildProcess {
  const self = fileURLToPath(import.meta.url);
  const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  return spawn(process.execPath, [...prof, '--import', 'tsx', self, 'server', store, dir, String(users)], { stdio: ['ignore', 'pipe', 'inherit'] });
}

function waitLine(p: ChildProcess, re: RegExp, what: string): Promise<string> {
  return new Promise((res, rej) => {
    let buf = '';
    const t = setTimeout(() => rej(new Error(`server: no ${what} in 90 s`)), 90_000);
    const onData = (d: Buffer) => {
      buf += d;
      const m = re.exec(buf);
      if (m) { clearTimeout(t); p.stdout!.off('data', onData); p.off('exit', onExit); res(m[1]); }
    };
    const onExit = (code: number | null) => { clearTimeout(t); rej(new Error(`server exited ${code} before ${what}`)); };
    p.stdout!.on('data', onData);
    p.once('exit', onExit);
  });
}

interface Result {
  store: string; seconds: number; users: number;
  fanout: number[]; last: number[]; ack: number[]; pingIdle: number[]; pingLoad: number[];
  sent: number; applied: number; refusals: Record<string, number>; errors: number;
  deliveries: number; expected: number; server: ServerStats | null;
}

async function runVariant(store: 'sqlite' | 'postgres', seconds: number, users: number): Promise<Result> {
  const { io } = await import('socket.io-client');
  const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-bench-consult-'));
  const server = spawnServer(store, dir, users);
  type Sock = import('socket.io-client').Socket;
  const socks: Sock[] = [];
  const timers = new Set<NodeJS.Timeout>();
  try {
    const ready = JSON.parse(await waitLine(server, /READY (.+)\n/, 'READY')) as Ready;
    const id = ready.consultation;

    // Ops in flight or delivered: opId -> when it was emitted, by whom, whether it is measured.
    const ops = new Map<string, { t: number; by: number; measured: boolean; got: number; slowest: number }>();
    const r: Result = {
      store, seconds, users, fanout: [], last: [], ack: [], pingIdle: [], pingLoad: [],
      sent: 0, applied: 0, refusals: {}, errors: 0, deliveries: 0, expected: 0, server: null,
    };
    let measuring = false;
    let stopping = false;

    const people = ready.users.map((u, k) => ({ ...u, k, revs: new Map<string, number>(), sock: null as Sock | null }));
    for (const p of people) {
      const c = io(ready.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { token: p.token } });
      p.sock = c;
      socks.push(c);
      c.on('consult:change', (e: { id: number; op: { opId: string; seq: number; changes: { path: string }[] } }) => {
        const now = performance.now();
        if (e.id !== id) return;
        for (const ch of e.op.changes) p.revs.set(ch.path, e.op.seq);
        const o = ops.get(e.op.opId);
        if (!o || o.by === p.k) return;
        o.got++;
        if (!o.measured) return;
        const dt = now - o.t;
        r.fanout.push(dt);
        r.deliveries++;
        o.slowest = Math.max(o.slowest, dt);
        if (o.got === people.length - 1) r.last.push(o.slowest);
      });
    }
    await Promise.all(socks.map((c) => new Promise<void>((res, rej) => {
      c.once('connect', () => res());
      c.once('connect_error', (e) => rej(new Error(`connect: ${e.message}`)));
    })));
    const joins = await Promise.all(people.map((p) => p.sock!.timeout(10_000).emitWithAck('consult:join', { id }) as Promise<{ ok: boolean; error?: unknown }>));
    const bad = joins.findIndex((j) => !j.ok);
    if (bad >= 0) throw new Error(`consult:join refused for ${people[bad].name}: ${JSON.stringify(joins[bad])}`);

    const ping = async (c: Sock, into: number[]) => {
      const t0 = performance.now();
      try {
        await c.timeout(10_000).emitWithAck('state:request');
        into.push(performance.now() - t0);
      } catch { r.errors++; }
    };
    const every = (lo: number, hi: number, fn: () => void) => {
      const tick = () => {
        if (stopping) return;
        fn();
        const t = setTimeout(() => { timers.delete(t); tick(); }, rand(lo, hi));
        timers.add(t);
      };
      const t = setTimeout(() => { timers.delete(t); tick(); }, rand(0, hi));
      timers.add(t);
    };

    // 1. The baseline at rest: every client pings every 300-600 ms (state:request is answered at
    //    once; the state:sync it asks for is rate-limited by the server, server/socket.ts).
    const idleSamples: number[] = [];
    for (const p of people) every(300, 600, () => void ping(p.sock!, idleSamples));
    await new Promise((res) => setTimeout(res, IDLE_PING_MS));
    stopping = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    await new Promise((res) => setTimeout(res, 300));
    r.pingIdle = idleSamples;
    stopping = false;

    // 2. The room.
    let n = 0;
    const opId = (k: number) => `b${k.toString(36)}x${(++n).toString(36).padStart(7, '0')}`;
    const inflight = new Set<Promise<void>>();
    const send = (p: (typeof people)[number], op: Record<string, unknown>) => {
      const oid = opId(p.k);
      const t = performance.now();
      const measured = measuring;
      ops.set(oid, { t, by: p.k, measured, got: 0, slowest: 0 });
      r.sent++;
      const done = (p.sock!.timeout(15_000).emitWithAck('consult:op', { id, op: { ...op, opId: oid } }) as Promise<{ ok: boolean; refusal?: string; seq?: number; applied?: { changes: { path: string }[] } }>)
        .then((a) => {
          if (measured) r.ack.push(performance.now() - t);
          if (a.ok) {
            if (measured) { r.applied++; r.expected += people.length - 1; }
            for (const ch of a.applied?.changes ?? []) p.revs.set(ch.path, Math.max(p.revs.get(ch.path) ?? 0, a.seq!));
          } else if (measured) r.refusals[a.refusal ?? '?'] = (r.refusals[a.refusal ?? '?'] ?? 0) + 1;
        }, () => { r.errors++; });
      inflight.add(done);
      void done.finally(() => inflight.delete(done));
    };
    const forecasters = people.filter((p) => !p.lead);
    for (const p of forecasters) {
      every(300, 600, () => {
        if (Math.random() < 0.15) return send(p, { kind: 'comment', text: `D+${1 + Math.floor(Math.random() * 3)} 的 PM2.5 会更高 / PM2.5 higher (${p.name})` });
        const path = `proposals.${p.name}.days.${Math.floor(Math.random() * 3)}.aqi`;
        const lo = 40 + Math.floor(Math.random() * 150);
        send(p, { kind: 'set', path, value: [lo, lo + 20 + Math.floor(Math.random() * 30)], base: p.revs.get(path) ?? 0 });
      });
    }
    for (const p of people.filter((x) => x.lead)) every(3000, 6000, () => send(p, { kind: 'comment', text: `注意夜间静稳 / watch the stagnant night (${p.name})` }));
    for (const p of people) every(800, 1200, () => void ping(p.sock!, r.pingLoad));
    await new Promise((res) => setTimeout(res, WARMUP_MS));
    measuring = true;
    r.pingLoad.length = 0;
    const m0 = performance.now();
    await new Promise((res) => setTimeout(res, seconds * 1000));
    measuring = false;
    const m1 = performance.now();
    stopping = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    // Let what is in flight land (bounded), then the last deliveries.
    await Promise.race([Promise.allSettled([...inflight]), new Promise((res) => setTimeout(res, 15_000))]);
    await new Promise((res) => setTimeout(res, 500));
    r.seconds = (m1 - m0) / 1000;

    for (const c of socks) c.disconnect();
    server.stdout!.setEncoding('utf8');
    const statsP = waitLine(server, /STATS (.+)\n/, 'STATS').catch(() => null);
    server.kill('SIGTERM');
    const stats = await Promise.race([statsP, new Promise<null>((res) => setTimeout(() => res(null), 10_000))]);
    r.server = stats ? (JSON.parse(stats) as ServerStats) : null;
    return r;
  } finally {
    for (const t of timers) clearTimeout(t);
    for (const c of socks) c.disconnect();
    if (server.exitCode === null && server.signalCode === null) {
      await Promise.race([new Promise((res) => server.once('exit', res)), new Promise((res) => setTimeout(res, 10_000))]);
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(r: Result): void {
  const tag = `[${r.store}]`;
  const refused = Object.values(r.refusals).reduce((a, b) => a + b, 0);
  const fp99 = pct(r.fanout, 99);
  const idle99 = pct(r.pingIdle, 99);
  const load99 = pct(r.pingLoad, 99);
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}x` : '-');
  console.log(`${tag} ${r.users} users (${r.users - 2} forecasters, 2 leads), ${r.seconds.toFixed(1)} s measured after ${WARMUP_MS / 1000} s warm-up`);
  console.log(`${tag}   ops: ${r.applied} applied (${(r.applied / r.seconds).toFixed(1)} ops/s), refused ${refused}${refused ? ` ${JSON.stringify(r.refusals)}` : ''}, errors/timeouts ${r.errors}`);
  console.log(`${tag}   deliveries to the others: ${r.deliveries} of ${r.expected} expected`);
  console.log(`${tag}   fan-out  emit -> each other participant ms: ${line(r.fanout)}`);
  console.log(`${tag}   fan-out  emit -> slowest of the ${r.users - 1} others ms: ${line(r.last)}`);
  console.log(`${tag}   ack      emit -> sender's ack ms:           ${line(r.ack)}`);
  console.log(`${tag}   baseline state:request round trip, idle ms:  ${line(r.pingIdle)}`);
  console.log(`${tag}   baseline state:request round trip, in the room traffic ms: ${line(r.pingLoad)}`);
  console.log(`${tag}   ratio fan-out / bare socket: p50 ${ratio(pct(r.fanout, 50), pct(r.pingIdle, 50))} p99 ${ratio(fp99, idle99)} (idle), p50 ${ratio(pct(r.fanout, 50), pct(r.pingLoad, 50))} p99 ${ratio(fp99, load99)} (same traffic)`);
  if (r.server) {
    const s = r.server;
    console.log(`${tag}   server: apply (queue + applyOp + append + emit) ms: ${line(s.applyMs)}`);
    console.log(`${tag}   server: records append alone ms: ${line(s.appendMs)}`);
    console.log(`${tag}   server: document at the end ${(s.docBytes / 1024).toFixed(1)} KB JSON, ${s.thread} comments`);
  }
  console.log(`${tag}   target fan-out p99 <= ${TARGET_P99_MS} ms: ${fp99 <= TARGET_P99_MS ? 'PASS' : 'FAIL'} (${ms(fp99)} ms)`);
}

async function runBench(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '20' }, users: { type: 'string', default: '20' } }, strict: true });
  const seconds = Number(values.seconds);
  const users = Number(values.users);
  if (!(seconds > 0 && seconds <= 600)) throw new Error(`--seconds ${values.seconds}: give 1..600`);
  if (!(Number.isInteger(users) && users >= 3 && users <= 200)) throw new Error(`--users ${values.users}: give an integer 3..200`);
  console.log(`bench:consult on ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const stores: ('sqlite' | 'postgres')[] = ['sqlite'];
  if (process.env.AIRDESK_BENCH_DATABASE_URL) stores.push('postgres');
  else console.log('[postgres] skipped: set AIRDESK_BENCH_DATABASE_URL=postgres://... for the PostgreSQL variant');
  const results: Result[] = [];
  for (const st of stores) {
    const r = await runVariant(st, seconds, users);
    report(r);
    results.push(r);
  }
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const r of results) {
    const refused = Object.values(r.refusals).reduce((a, b) => a + b, 0);
    console.log(`RESULT store=${r.store} fanout_p99_ms=${ms(pct(r.fanout, 99))} ack_p99_ms=${ms(pct(r.ack, 99))} ping_p99_ms=${ms(pct(r.pingLoad, 99))} ops_per_s=${(r.applied / r.seconds).toFixed(1)} refusals=${refused}`);
  }
  process.exit(0);
}

// Last: the helpers above are initialised before a role runs.
const role = process.argv[2];
if (role === 'server') await runServer(process.argv[3] as 'sqlite' | 'postgres', process.argv[4], Number(process.argv[5]));
else await runBench();
