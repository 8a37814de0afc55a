/**
 * The box-model service and routes (server/obm, server/routes/obm.ts) against a real server on an
 * in-memory store seeded with the simulated city's o3 scenario (VOC analyzer at 1003A), with a
 * coarse grid and no spin-up so a full run takes a few seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { io as ioClient } from 'socket.io-client';
import { normaliseStationReading, normaliseVocCycle } from '../../common/ingest/normalise.ts';
import { ObmCompletedEvt, ObmProgressEvt, ObmResult, ObmRun } from '../../common/schemas/obm.ts';
import type { Station } from '../../common/schemas/station.ts';
import { DAY_MS, HOUR_MS } from '../../common/time.ts';
import { readConfig, ConfigError } from '../../server/config.ts';
import { DEFAULT_OBM_CONFIG } from '../../server/obm/config.ts';
import { createSim, simulateHour } from '../../simulators/model.ts';
import { openSqliteStore } from '../../stores/sqlite.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import type { Built } from '../../server/app.ts';
import { injectAs, makeServer } from './helpers.ts';

// 2026-07-10..11 Beijing, o3 scenario from 07-09: two whole days of readings and VOC cycles.
const START = Date.UTC(2026, 6, 8, 16); // 2026-07-09 00:00 Beijing
const DAY = '2026-07-10';
const NOW = Date.UTC(2026, 6, 12, 4);
const FAST = { ...DEFAULT_OBM_CONFIG, workers: 2, keySpecies: 2, spinupDays: 0, gridMax: 1.5, gridStep: 0.5 };

async function seeded(): Promise<{ store: TimeSeriesStore; stations: Station[] }> {
  const sim = createSim({ seed: 'obm-test', scenario: 'o3', start: START });
  const store = await openSqliteStore(':memory:');
  const ctx = { source: 'sim' as const, now: NOW };
  for (let t = START + HOUR_MS; t <= START + 3 * DAY_MS; t += HOUR_MS) {
    const h = simulateHour(sim, t);
    await store.writeReadings(h.readings.map((m) => { const r = normaliseStationReading(m, ctx); if (!r.ok) throw new Error('rejected'); return r.reading; }));
    await store.writeVocCycles(h.voc.map((v) => normaliseVocCycle(v, ctx)).flatMap((c) => (c.ok ? [c.cycle] : [])));
  }
  const stations = sim.stations.map((s) => ({ code: s.code, name: s.name, city: s.city, province: s.province, lon: s.lon, lat: s.lat, kind: s.kind }));
  return { store, stations };
}

let s: Built & { store: TimeSeriesStore };
let url: string;
let as: Awaited<ReturnType<typeof injectAs>>;
beforeAll(async () => {
  const { store, stations } = await seeded();
  s = await makeServer({ store, stations, clock: () => NOW, config: { obm: FAST } });
  as = await injectAs(s.app, 'analyst');
  await s.app.listen({ port: 0, host: '127.0.0.1' });
  const a = s.app.server.address();
  url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
}, 60_000);
afterAll(async () => { await s?.close(); });

const post = (payload: unknown) => as({ method: 'POST', url: '/api/obm/runs', payload: payload as object });

describe('POST /api/obm/runs: bad input is a coded error', () => {
  it.each([
    ['no body fields', {}, 400, 'AIRDESK_BAD_BODY'],
    ['station missing', { day: DAY }, 400, 'AIRDESK_BAD_BODY'],
    ['day not YYYY-MM-DD', { station: '1003A', day: '10/07/2026' }, 400, 'AIRDESK_BAD_BODY'],
    ['day not on the calendar', { station: '1003A', day: '2026-02-30' }, 400, 'AIRDESK_BAD_BODY'],
    ['a day that has not begun', { station: '1003A', day: '2026-07-13' }, 400, 'AIRDESK_BAD_BODY'],
    ['an unknown field', { station: '1003A', day: DAY, fast: true }, 400, 'AIRDESK_BAD_BODY'],
    ['grid step 0', { station: '1003A', day: DAY, grid: { max: 1.5, step: 0 } }, 400, 'AIRDESK_BAD_BODY'],
    ['grid as a string', { station: '1003A', day: DAY, grid: '11x11' }, 400, 'AIRDESK_BAD_BODY'],
    ['spin-up of 9 days', { station: '1003A', day: DAY, spinupDays: 9 }, 400, 'AIRDESK_BAD_BODY'],
    ['a grid of 41 x 41 cells', { station: '1003A', day: DAY, grid: { max: 2, step: 0.05 } }, 400, 'AIRDESK_OBM_GRID_TOO_LARGE'],
    ['an unknown station', { station: 'NOPE', day: DAY }, 404, 'AIRDESK_UNKNOWN_STATION'],
  ])('%s', async (_n, body, status, code) => {
    const r = await post(body);
    expect(r.statusCode).toBe(status);
    expect(r.json().error.code).toBe(code);
  });

  it('a body that is not JSON', async () => {
    const r = await as({ method: 'POST', url: '/api/obm/runs', headers: { 'content-type': 'application/json' }, payload: '{"station":' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toMatch(/^AIRDESK_/);
  });

  it('a station without a VOC analyzer: 422 saying there are no cycles', async () => {
    // 1001A (万寿西宫) has no analyzer in the simulated city.
    const r = await post({ station: '1001A', day: DAY });
    expect(r.statusCode).toBe(422);
    expect(r.json().error.code).toBe('AIRDESK_OBM_NO_INPUT');
    expect(r.json().error.message).toMatch(/^no-voc: no VOC analyzer cycles at station 1001A on 2026-07-10/);
  });

  it('a day before the data: 422 as well', async () => {
    const r = await post({ station: '1003A', day: '2026-07-01' });
    expect(r.statusCode).toBe(422);
    expect(r.json().error.message).toMatch(/no-voc/);
  });

  it.each([['0'], ['-3'], ['abc'], ['1.5']])('GET /api/obm/runs/%s: 400', async (id) => {
    const r = await s.app.inject({ url: `/api/obm/runs/${id}` });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('AIRDESK_BAD_PARAMS');
  });

  it('GET an unknown run: 404', async () => {
    const r = await s.app.inject({ url: '/api/obm/runs/999999' });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('AIRDESK_OBM_RUN_NOT_FOUND');
  });
});

describe('a run of 1003A', () => {
  it('runs in workers with progress events, one run per station-day, the result stored and reused', async () => {
    const sock = ioClient(url, { transports: ['websocket'], forceNew: true });
    const progress: ObmProgressEvt[] = [];
    const completed = new Promise<ObmCompletedEvt>((resolve) => sock.on('obm:completed', resolve));
    sock.on('obm:progress', (e) => progress.push(e));
    await new Promise<void>((r) => sock.on('connect', () => r()));
    try {
      const first = await post({ station: '1003A', day: DAY });
      expect(first.statusCode).toBe(202);
      const run = first.json() as ObmRun;
      expect(run.state).toBe('queued');
      // day analysis: base + 9 RIR groups + 2 key species = 12 runs; grid 0, 0.5, 1, 1.5 squared = 16
      expect(run.progress.total).toBe(12 + 16);
      // A second request for the same station-day joins the run.
      const again = await post({ station: '1003A', day: DAY });
      expect(again.statusCode).toBe(200);
      expect(again.json().id).toBe(run.id);

      const done = await completed;
      expect(Value.Check(ObmCompletedEvt, done)).toBe(true);
      expect(done).toMatchObject({ id: run.id, station: '1003A', day: DAY, state: 'done' });
      expect(progress.length).toBeGreaterThan(0);
      for (const e of progress) expect(Value.Check(ObmProgressEvt, e)).toBe(true);
      const dones = progress.map((e) => e.progress.done);
      expect(dones).toEqual([...dones].sort((a, b) => a - b));

      const got = await s.app.inject({ url: `/api/obm/runs/${run.id}` });
      expect(got.statusCode).toBe(200);
      const body = got.json() as ObmRun;
      expect(body.state).toBe('done');
      expect(Value.Check(ObmResult, body.result)).toBe(true);
      const res = body.result!;
      expect(res.hours).toHaveLength(24);
      expect(res.coverage.vocHours).toBe(24);
      expect(res.rir.groups.map((g) => g.name)).toEqual(['AVOC', 'alkane', 'alkene', 'alkyne', 'aromatic', 'ovoc', 'BVOC', 'NOx', 'CO']);
      expect(res.rir.species).toHaveLength(2);
      // The worker that ran the (100 %, 100 %) cell ran the same model as the day analysis: the
      // cell is the day's peak, so cells land where they belong.
      const g = res.ekma.grid;
      expect(g.voc).toEqual([0, 0.5, 1, 1.5]);
      expect(g.value[g.nox.indexOf(1)]![g.voc.indexOf(1)]).toBe(res.peakO3);
      expect(res.ekma.baseValue).toBe(res.peakO3);
      // No VOC and no NOx: no photochemical production, O3 falls below the 100 % cell.
      expect(g.value[0]![0]!).toBeLessThan(res.peakO3);
      expect(done.peakO3).toBe(res.peakO3);

      // The same request over the same data answers with the stored run: no new work.
      const cached = await post({ station: '1003A', day: DAY });
      expect(cached.statusCode).toBe(200);
      expect(cached.json().id).toBe(run.id);
      expect(cached.json().result.peakO3).toBe(res.peakO3);

      const audit = await s.app.records.audit.list({ target: `obm:1003A/${DAY}` });
      expect(audit.map((a) => a.action).sort()).toEqual(['obm.run.finished', 'obm.run.requested']);
      expect(audit.find((a) => a.action === 'obm.run.requested')!.actor).toBe('anonymous');
    } finally {
      sock.close();
    }
  }, 120_000);
});

describe('flood control', () => {
  it('past maxActive + maxQueued a request gets 503 AIRDESK_OBM_BUSY, not queued work', async () => {
    // A store whose reads wait on a gate, so the requests are all in flight at once.
    let open!: () => void;
    const gate = new Promise<void>((r) => { open = r; });
    const base = await openSqliteStore(':memory:');
    const slow: TimeSeriesStore = Object.assign(Object.create(base), {
      queryVocCycles: async (q: Parameters<TimeSeriesStore['queryVocCycles']>[0]) => { await gate; return base.queryVocCycles(q); },
    });
    const srv = await makeServer({ store: slow, stations: [{ code: 'S1', name: 's', city: 'c', province: 'p', lon: 116.4, lat: 39.9, kind: 'national' }], clock: () => NOW, config: { obm: { ...FAST, maxActive: 1, maxQueued: 1 } } });
    const srvAs = await injectAs(srv.app, 'analyst');
    try {
      const days = ['2026-07-01', '2026-07-02', '2026-07-03', '2026-07-04', '2026-07-05'];
      const pending = days.map((day) => srvAs({ method: 'POST', url: '/api/obm/runs', payload: { station: 'S1', day } }));
      await new Promise((r) => setTimeout(r, 200));
      open();
      const rs = await Promise.all(pending);
      const codes = rs.map((r) => r.json().error?.code);
      // two slots: two requests reach the store (and find no VOC data), three are turned away
      expect(codes.filter((c) => c === 'AIRDESK_OBM_BUSY')).toHaveLength(3);
      expect(codes.filter((c) => c === 'AIRDESK_OBM_NO_INPUT')).toHaveLength(2);
      expect(rs.find((r) => r.json().error?.code === 'AIRDESK_OBM_BUSY')!.statusCode).toBe(503);
      // the slots are given back: a later request is served again
      const later = await srvAs({ method: 'POST', url: '/api/obm/runs', payload: { station: 'S1', day: '2026-07-06' } });
      expect(later.json().error.code).toBe('AIRDESK_OBM_NO_INPUT');
    } finally {
      await srv.close();
      await base.close();
    }
  });
});

describe('OBM configuration', () => {
  it.each([
    ['AIRDESK_OBM_WORKERS', '0'], ['AIRDESK_OBM_WORKERS', '1.5'], ['AIRDESK_OBM_WORKERS', 'many'],
    ['AIRDESK_OBM_QUEUE', '-1'], ['AIRDESK_OBM_GRID_STEP', '0.01'], ['AIRDESK_OBM_GRID_STEP', 'x'],
    ['AIRDESK_OBM_SPINUP_DAYS', '7'],
  ])('%s=%s is refused with the variable named', (k, v) => {
    expect(() => readConfig({ [k]: v })).toThrow(ConfigError);
    expect(() => readConfig({ [k]: v })).toThrow(k);
  });
  it('defaults', () => {
    expect(readConfig({}).obm).toMatchObject({ workers: 2, maxQueued: 4, gridStep: 0.25, spinupDays: 1 });
  });
});

describe('a run left unfinished by a stopped server', () => {
  it('is marked failed (interrupted) when the next server starts', async () => {
    const { openRecords } = await import('../../records/open.ts');
    const records = await openRecords({ sqlitePath: ':memory:', clock: () => NOW });
    const rec = await records.obmRuns.create({ station: '1003A', day: DAY, inputHash: 'h', options: {} }, { who: 'tester', from: 'test' });
    await records.obmRuns.markRunning(rec.id);
    const srv = await makeServer({ clock: () => NOW, config: { obm: FAST } });
    // a server built on these records
    const { buildServer } = await import('../../server/app.ts');
    const b = await buildServer({ store: srv.store, stations: [], logger: (await import('./helpers.ts')).quiet(), records, clock: () => NOW, config: { publicRead: true } });
    try {
      const got = await b.app.inject({ url: `/api/obm/runs/${rec.id}` });
      expect(got.json()).toMatchObject({ state: 'failed', error: { code: 'AIRDESK_OBM_INTERRUPTED' } });
    } finally {
      await b.close();
      await srv.close();
      await records.close();
    }
  });
});
