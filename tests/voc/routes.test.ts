import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading, VocCycle } from '#common/schemas/reading.ts';
import { VocCycleEvt } from '#common/schemas/events.ts';
import { Value } from '@sinclair/typebox/value';
import { beijingToUtc } from '#common/time.ts';
import { openSqliteStore } from '../../stores/sqlite.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { vocCycleEvent } from '../../server/routes/voc.ts';
import { buildServer, type Built } from '../../server/app.ts';

let app: FastifyInstance;
let server: Built;
let store: TimeSeriesStore;

beforeAll(async () => {
  store = await openSqliteStore(':memory:');
  await store.init();
  const cycles: VocCycle[] = [], readings: Reading[] = [];
  for (const [d, nox, o3] of [[1, 20, 250], [2, 2, 100]] as const) {
    for (let h = 1; h <= 24; h++) {
      const t = beijingToUtc(2026, 7, d, h);
      cycles.push({ analyzer: 'VOC1', station: 'S1', time: t, source: 'sim', species: { ethylene: 5, toluene: 1, 'mp-xylene': 2, propylene: d === 1 ? 3 : 1 }, flags: {} });
      readings.push({ station: 'S1', time: t, interval: 'hour', source: 'sim', values: { no2: nox * 1.880441, no: 0, o3 }, flags: {} });
    }
  }
  await store.writeVocCycles(cycles);
  await store.writeReadings(readings);
  // The server as it runs (VOC routes are registered like every other route).
  server = await buildServer({ store, stations: [], logger: pino({ level: 'silent' }), mqttUrl: null, config: { publicRead: true } });
  app = server.app;
  await app.ready();
});
afterAll(async () => { await server?.close(); await store?.close(); });

const get = (url: string) => app.inject({ method: 'GET', url });

describe('GET /api/voc/species', () => {
  it('lists the table with sources; filters by group', async () => {
    const r = await get('/api/voc/species');
    expect(r.statusCode).toBe(200);
    const b = r.json();
    expect(b.count).toBe(105); // REFERENCE 5.2 rows 1-99 + m/p-xylene + 5 added for issue 20
    expect(b.species.find((s: { id: string }) => s.id === 'mp-xylene')).toMatchObject({ mir: { carter2010: 7.8 }, koh: { value: 18.7 } });
    const a = (await get('/api/voc/species?group=aromatic')).json();
    expect(a.species.every((s: { group: string }) => s.group === 'aromatic')).toBe(true);
  });
  it('bad group is a coded 400', async () => {
    const r = await get('/api/voc/species?group=metal');
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('AIRDESK_BAD_QUERY');
  });
});

describe('GET /api/voc/analysis', () => {
  it('ranks by OFP and computes the regime from stored NOx and O3', async () => {
    const r = await get('/api/voc/analysis?analyzer=VOC1&from=2026-07-01&to=2026-07-04'); // `to` is exclusive
    expect(r.statusCode).toBe(200);
    const b = r.json();
    expect(b.cycles).toBe(48);
    // mean propylene 2 ppbv: 2 x 42.08/24.4654 x 11.66 = 40.11; mp-xylene 2 ppbv: 67.70; ethylene 5: 51.59; toluene 1: 15.06
    expect(b.rankings.ofp.map((x: { id: string }) => x.id)).toEqual(['mp-xylene', 'ethylene', 'propylene', 'toluene']);
    expect(b.rankings.ofp[0].value).toBeCloseTo(67.6977, 2);
    expect(b.regime.days.map((d: { regime: string }) => d.regime)).toEqual(['voc-limited', 'nox-limited']);
    expect(b.regime.episodeDaysSource).toBe('computed');
    expect(b.timeline).toHaveLength(48);
    expect(b.summary.zh).toContain('关键物种');
  });
  it.each([
    ['/api/voc/analysis?from=2026-07-01&to=2026-07-03', 'AIRDESK_BAD_QUERY'],
    ['/api/voc/analysis?analyzer=VOC1&to=2026-07-03', 'AIRDESK_BAD_QUERY'],
    ['/api/voc/analysis?analyzer=VOC1&from=yesterday&to=2026-07-03', 'AIRDESK_BAD_TIME'],
    ['/api/voc/analysis?analyzer=VOC1&from=2026-07-03&to=2026-07-01', 'AIRDESK_BAD_RANGE'],
    ['/api/voc/analysis?analyzer=VOC1&from=2025-01-01&to=2026-07-01', 'AIRDESK_RANGE_TOO_LARGE'],
    ['/api/voc/analysis?analyzer=VOC1&from=2026-07-01&to=2026-07-03&mir=saprc99', 'AIRDESK_BAD_QUERY'],
    ['/api/voc/analysis?analyzer=VOC1&from=2026-07-01&to=2026-07-03&episodeDays=July', 'AIRDESK_BAD_QUERY'],
    ['/api/voc/analysis?analyzer=VOC1&from=2026-07-01&to=2026-07-03&bogus=1', 'AIRDESK_BAD_QUERY'],
    ['/api/voc/analysis?analyzer=VOC1&from=2026-07-01&to=2026-07-03&vocLimitedBelow=20&noxLimitedAbove=10', 'AIRDESK_BAD_QUERY'],
  ])('%s -> 400 %s', async (url, code) => {
    const r = await get(url);
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatchObject({ code, statusCode: 400 });
  });
  it('empty period answers with zero cycles and says so', async () => {
    const b = (await get('/api/voc/analysis?analyzer=VOC1&from=2026-08-01&to=2026-08-02')).json();
    expect(b.cycles).toBe(0);
    expect(b.summary.en).toBe('No usable VOC data in this period.');
  });
});

describe('GET /api/voc/compare', () => {
  it('episode day (MDA8 250) vs clean day: propylene rises most', async () => {
    const b = (await get('/api/voc/compare?station=S1&from=2026-07-01&to=2026-07-03')).json();
    expect(b.episodeDays).toEqual(['2026-07-01']);
    expect(b.cleanDays).toEqual(['2026-07-02']);
    expect(b.species[0]).toMatchObject({ id: 'propylene', ratio: 3 });
  });
  it('episode days given as a parameter', async () => {
    const b = (await get('/api/voc/compare?station=S1&from=2026-07-01&to=2026-07-03&episodeDays=2026-07-02&window=day')).json();
    expect(b.episodeDaysSource).toBe('given');
    // sorted by episode/clean ratio, largest first: propylene (1/3) now ranks last
    expect(b.species.at(-1)).toMatchObject({ id: 'propylene', ratio: 1 / 3 });
  });
});

describe('vocCycleEvent', () => {
  it('keeps the VocCycle contract and adds metrics; bad values counted, not thrown', () => {
    const c: VocCycle = { analyzer: 'VOC1', station: 'S1', time: 1, source: 'live', species: { toluene: 1, benzene: -1, bogus: 2 }, flags: {} };
    const e = vocCycleEvent(c);
    expect(Value.Check(VocCycleEvt, e)).toBe(true);
    expect(e.metrics.ofpTotal).toBeCloseTo(15.0645, 3);
    expect(e.metrics.issues).toBe(2);
    expect(e.metrics.topOfp[0].id).toBe('toluene');
  });
});
