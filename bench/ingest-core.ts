/**
 * The gateway's hot path without the network: route + validate + normalise + QC + group commit
 * to the fsynced spool, for N station readings, as the MQTT handler would call it.
 *   npx tsx bench/ingest-core.ts [readings=200000]
 * Prints figures and a final RESULT line.
 */
import path from 'node:path';
import pino from 'pino';
import { Ingestor } from '../gateway/ingestor.ts';
import { Spool } from '../gateway/spool.ts';
import { QcTracker } from '../gateway/qc-tracker.ts';
import { AMBIENT_FACTORS } from '#common/hj212/index.ts';
import { TOPICS } from '#common/schemas/topics.ts';
import { tmpDir } from '../tests/gateway/helpers.ts';

const N = Number(process.argv[2] ?? 200_000);
const STATIONS = 200;
const spool = new Spool(path.join(tmpDir('core'), 'spool.sqlite'));
let acked = 0;
const ing = new Ingestor({
  spool, tracker: new QcTracker(), log: pino({ level: 'silent' }),
  router: { maxPayloadBytes: 256 * 1024, hj212: { factors: AMBIENT_FACTORS } },
  context: { maxFutureMs: 600_000, unknownStation: 'register' },
  source: 'live', commitIntervalMs: 5, groupMax: 2000, now: Date.now,
  onCommitted: () => {}, onCommitFailed: (e) => { throw e; },
});
const t0 = Math.floor(Date.now() / 1000) * 1000 - 30 * 86_400_000;
const payloads: [string, Buffer][] = [];
for (let i = 0; i < Math.min(N, 20_000); i++) {
  const s = `B${i % STATIONS}`;
  payloads.push([TOPICS.stationReadings(s), Buffer.from(JSON.stringify({ v: 1, station: s, time: new Date(t0 + Math.floor(i / STATIONS) * 1000).toISOString(), interval: 'rt', values: { pm25: 35 + (i % 17), pm10: 60, no2: 40, o3: 80 + (i % 13), so2: 8, co: 0.7 }, units: { o3: 'ug/m3' } }))]);
}
const ack = () => { acked++; };
const start = performance.now();
// Feed in slices of 1,000 per macrotask, as socket reads would arrive, so the commit timer runs.
let i = 0;
await new Promise<void>((resolve) => {
  const step = () => {
    const end = Math.min(i + 1000, N);
    for (; i < end; i++) { const [t, p] = payloads[i % payloads.length]; ing.handle(t, p, ack); }
    if (i < N) setImmediate(step); else { ing.commit(); resolve(); }
  };
  step();
});
const ms = performance.now() - start;
const st = ing.stats;
console.log(`readings ${N}: ${Math.round(N / (ms / 1000))} readings/s through validate+normalise+QC+spool, ${st.commits} commits (${(N / st.commits).toFixed(0)}/commit, max ${st.maxCommitMs.toFixed(1)} ms), acked ${acked}, rejected ${st.rejected}`);
console.log(`RESULT ingest_core_readings_per_s=${Math.round(N / (ms / 1000))}`);
spool.close();
