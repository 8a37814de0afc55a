/**
 * /api/measures through app.inject(): create, read, change with versions, end, each audited; garbage
 * refused with coded 400s; a warning issued through /api/warnings/actions creates its warning
 * response (audited as the system on behalf of the issuer), a change of level ends it and starts
 * one at the new level, the lift ends it; the live evaluation on a simulated city in the store
 * (evaluated), and a coded "not enough history" when the store holds too little.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../stores/sqlite.ts';
import { createSim, simulateHour } from '../../simulators/model.ts';
import { normaliseStationReading } from '../../common/ingest/normalise.ts';
import type { Station } from '../../common/schemas/station.ts';
import { DAY_MS, HOUR_MS } from '../../common/time.ts';
import { injectAs, makeServer } from './helpers.ts';

type S = Awaited<ReturnType<typeof makeServer>>;
const FAST_EVAL = { everyMinutes: 0, historyDays: 60, minHistoryDays: 8, rounds: 20, placebos: 10, reps: 100 };

/** A simulated Beijing (simulators/) with `days` of hourly history in a store, the clock at its last hour. */
async function simulatedCity(days: number, minHistoryDays = FAST_EVAL.minHistoryDays) {
  const lastHour = Math.floor(Date.UTC(2026, 11, 2, 4) / HOUR_MS) * HOUR_MS; // 2026-12-02 12:00 Beijing
  const start = lastHour - days * DAY_MS;
  const sim = createSim({ seed: 'measures-test', scenario: 'normal', start, voc: false });
  const stations: Station[] = sim.stations.map((x) => ({ code: x.code, name: x.name, city: x.city, province: x.province, lon: x.lon, lat: x.lat, kind: x.kind }));
  const store = await openSqliteStore(':memory:');
  for (let t = start + HOUR_MS; t <= lastHour; t += HOUR_MS) {
    const rs = simulateHour(sim, t).readings.map((m) => normaliseStationReading(m, { source: 'sim', now: t + 60_000 })).flatMap((r) => (r.ok ? [r.reading] : []));
    await store.writeReadings(rs);
  }
  let now = lastHour + 5 * 60_000;
  const s = await makeServer({ store, stations, clock: () => now, config: { measureEval: { ...FAST_EVAL, minHistoryDays }, rebuildDays: 2 } });
  await s.start();
  // The emergency team's officer makes the changes (who may is tests/server/auth/'s business).
  const as = await injectAs(s.app, 'emergency_officer');
  return { s, as, city: stations[0].city, setNow: (t: number) => { now = t; }, now: () => now };
}

const draft = (city: string, start: number) => ({
  kind: 'action', title: '机动车单双号限行 / odd-even plates', area: { city, districts: ['东城区', '西城区'] }, start, end: null,
  sectors: ['traffic'], actions: [{ sector: 'traffic', code: 'odd-even-plates', text: '单双号限行' }],
  declaredBy: { who: '应急办', body: null, document: null, via: 'api' }, episodeIds: [], warningIds: [], note: null,
});

describe('measures API', () => {
  let c: Awaited<ReturnType<typeof simulatedCity>>;
  let s: S;
  const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => c.as({ method, url, payload: payload as string });
  beforeAll(async () => {
    c = await simulatedCity(12);
    s = c.s;
  }, 60_000);
  afterAll(async () => { await s?.close(); });

  it('creates, lists, reads, changes with a version and ends a measure; every change audited as the request actor', async () => {
    const start = c.now() - 2 * HOUR_MS;
    const r = await inject('POST', '/api/measures', draft(c.city, start));
    expect(r.statusCode, r.body).toBe(201);
    const m = r.json().measure;
    expect(m).toMatchObject({ version: 1, createdBy: 'anonymous', measure: { v: 1, id: String(m.id), kind: 'action', start, end: null } });
    expect((await inject('GET', `/api/measures/${m.id}`)).json().measure).toEqual(m);
    expect((await inject('GET', `/api/measures?city=${encodeURIComponent(c.city)}&active=true`)).json().measures.map((x: { id: number }) => x.id)).toContain(m.id);

    const p = await inject('PATCH', `/api/measures/${m.id}`, { note: '加严 / stricter', version: 1 });
    expect(p.statusCode).toBe(200);
    expect(p.json().measure).toMatchObject({ version: 2, measure: { note: '加严 / stricter' } });
    const stale = await inject('PATCH', `/api/measures/${m.id}`, { note: 'stale', version: 1 });
    expect([stale.statusCode, stale.json().error.code]).toEqual([409, 'AIRDESK_MEASURE_CONFLICT']);
    const end = await inject('PATCH', `/api/measures/${m.id}`, { end: c.now() });
    expect(end.json().measure.measure.end).toBe(c.now());
    expect((await inject('GET', '/api/measures?active=true')).json().measures.map((x: { id: number }) => x.id)).not.toContain(m.id);

    const audit = (await s.app.records.audit.list({ target: `measure:${m.id}` })).reverse();
    expect(audit.map((a) => [a.action, a.actor])).toEqual([['measure.created', 'anonymous'], ['measure.updated', 'anonymous'], ['measure.ended', 'anonymous']]);
    expect(audit[1].before).toMatchObject({ version: 1 });
    expect(audit[1].after).toMatchObject({ version: 2 });
  });

  const start = Date.UTC(2026, 11, 1);
  it.each([
    ['not JSON', 'hello', 415, 'AIRDESK_UNSUPPORTED_MEDIA_TYPE'],
    ['a JSON array', [1, 2], 400, 'AIRDESK_BAD_BODY'],
    ['no kind', { ...draft('北京', start), kind: undefined }, 400, 'AIRDESK_BAD_BODY'],
    ['unknown kind', { ...draft('北京', start), kind: 'prayer' }, 400, 'AIRDESK_BAD_BODY'],
    ['start as text', { ...draft('北京', start), start: 'yesterday' }, 400, 'AIRDESK_BAD_BODY'],
    ['an id given', { ...draft('北京', start), id: '7' }, 400, 'AIRDESK_BAD_BODY'],
    ['an extra field', { ...draft('北京', start), colour: 'red' }, 400, 'AIRDESK_BAD_BODY'],
    ['a huge title', { ...draft('北京', start), title: 'x'.repeat(300) }, 400, 'AIRDESK_BAD_BODY'],
    ['end before start', { ...draft('北京', start), end: start - 1 }, 400, 'AIRDESK_BAD_MEASURE'],
    ['an action outside the sectors', { ...draft('北京', start), sectors: ['industry'] }, 400, 'AIRDESK_BAD_MEASURE'],
    ['a warning response without a level', { ...draft('北京', start), kind: 'warning-response' }, 400, 'AIRDESK_BAD_MEASURE'],
    ['an unknown city', { ...draft('Atlantis', start) }, 404, 'AIRDESK_UNKNOWN_CITY'],
  ])('POST %s', async (_label, body, status, code) => {
    const city = c.city;
    const b = typeof body === 'object' && !Array.isArray(body) && body.area.city === '北京' ? { ...body, area: { ...body.area, city } } : body;
    const r = await inject('POST', '/api/measures', b);
    expect([r.statusCode, r.json().error.code]).toEqual([status, code]);
  });

  it.each([
    ['GET', '/api/measures/abc', undefined, 400, 'AIRDESK_BAD_PARAMS'],
    ['GET', '/api/measures/0', undefined, 400, 'AIRDESK_BAD_PARAMS'],
    ['GET', '/api/measures/99999', undefined, 404, 'AIRDESK_MEASURE_NOT_FOUND'],
    ['GET', '/api/measures/99999/evaluation', undefined, 404, 'AIRDESK_MEASURE_NOT_FOUND'],
    ['GET', '/api/measures?kind=prayer', undefined, 400, 'AIRDESK_BAD_QUERY'],
    ['GET', '/api/measures?limit=0', undefined, 400, 'AIRDESK_BAD_QUERY'],
    ['GET', '/api/measures?colour=red', undefined, 400, 'AIRDESK_BAD_QUERY'],
    ['PATCH', '/api/measures/99999', { note: 'x' }, 404, 'AIRDESK_MEASURE_NOT_FOUND'],
    ['PATCH', '/api/measures/1', {}, 400, 'AIRDESK_BAD_BODY'],
    ['PATCH', '/api/measures/1', { version: 3 }, 400, 'AIRDESK_BAD_BODY'],
    ['PATCH', '/api/measures/1', { kind: 'campaign' }, 400, 'AIRDESK_BAD_BODY'],
    ['PATCH', '/api/measures/1', { end: -5 }, 400, 'AIRDESK_BAD_BODY'],
    ['PATCH', '/api/measures/1', { start: 4_102_444_800_000 }, 400, 'AIRDESK_BAD_MEASURE'], // after its end
  ] as const)('%s %s', async (method, url, body, status, code) => {
    const r = await inject(method, url, body);
    expect([r.statusCode, r.json().error.code]).toEqual([status, code]);
  });

  it('a warning issued creates its warning response; a change of level ends it and starts the next; the lift ends it', async () => {
    // Two officers, each signed in (the server records who is signed in, not a name in the body).
    const wang = await injectAs(s.app, 'emergency_officer', 'wang.fang');
    const li = await injectAs(s.app, 'emergency_officer', 'li.qiang');
    const act = (who: typeof wang, payload: unknown) => who({ method: 'POST', url: '/api/warnings/actions', payload: payload as string });
    const t0 = c.now();
    expect((await act(wang, { city: c.city, scheme: '2024', action: 'issue', level: 'orange' })).statusCode).toBe(200);
    await s.measures.settled();
    const ref = { city: c.city, scheme: '2024' as const, issuedAt: t0 };
    const [m1] = await s.app.records.measures.list({ warning: ref });
    expect(m1.measure).toMatchObject({ kind: 'warning-response', level: 'orange', start: t0, end: null, declaredBy: { who: 'wang.fang', via: 'warning' }, warnings: [ref] });
    const a1 = (await s.app.records.audit.list({ target: `measure:${m1.id}` }))[0];
    expect([a1.action, a1.actor, a1.origin]).toEqual(['measure.created', 'system', `warning ${c.city}/2024 issued by wang.fang`]);
    // The same warning again (a restart's event, a repeated push): nothing new.
    s.measures.warningChanged((await inject('GET', `/api/warnings?city=${encodeURIComponent(c.city)}&scheme=2024`)).json().warnings[0]);
    await s.measures.settled();
    expect(await s.app.records.measures.list({ warning: ref })).toHaveLength(1);

    c.setNow(t0 + 3 * HOUR_MS);
    await act(li, { city: c.city, scheme: '2024', action: 'change', level: 'red' });
    await s.measures.settled();
    const both = await s.app.records.measures.list({ warning: ref });
    expect(both.map((m) => [m.measure.level, m.measure.start, m.measure.end])).toEqual([['red', t0 + 3 * HOUR_MS, null], ['orange', t0, t0 + 3 * HOUR_MS]]);
    expect((await s.app.records.audit.list({ target: `measure:${m1.id}` }))[0]).toMatchObject({ action: 'measure.ended', actor: 'system', origin: `warning ${c.city}/2024 changed by li.qiang` });

    c.setNow(t0 + 9 * HOUR_MS);
    await act(li, { city: c.city, scheme: '2024', action: 'lift' });
    await s.measures.settled();
    const after = await s.app.records.measures.list({ warning: ref });
    expect(after.every((m) => m.measure.end !== null)).toBe(true);
    expect(after[0].measure.end).toBe(t0 + 9 * HOUR_MS);
    c.setNow(t0);
  });

  it('evaluates a measure in force on the store history: observed vs counterfactual so far, with the band and the words', async () => {
    const start = c.now() - 30 * HOUR_MS;
    const m = (await inject('POST', '/api/measures', draft(c.city, start))).json().measure;
    const r = await inject('GET', `/api/measures/${m.id}/evaluation`);
    expect(r.statusCode).toBe(200);
    const e = r.json().evaluation;
    expect(e, JSON.stringify({ ...e, hours: e.hours.length })).toMatchObject({ measureId: m.id, status: 'evaluated', code: 'MEASURE_EVALUATED', pollutant: 'pm25' });
    // The window runs from the measure's first Beijing day (00:00) to the last data hour.
    expect(e.dataUntil).toBe(Math.floor(c.now() / HOUR_MS) * HOUR_MS);
    expect(e.hours.length).toBe(e.effect.hours);
    expect(e.hours.length).toBeGreaterThanOrEqual(30);
    for (const h of e.hours) expect(h.low).toBeLessThanOrEqual(h.counterfactual);
    expect(e.history.days).toBeGreaterThanOrEqual(FAST_EVAL.minHistoryDays);
    expect(e.en).toMatch(/^So far \(\d+ h\): PM2.5/);
    expect(e.ms).toBeGreaterThan(0);
  });
});

describe('measures: too little history', () => {
  it('says "not enough history: N days, need M" with a code, not an empty success', async () => {
    const c = await simulatedCity(4, 30);
    try {
      const m = (await c.as({ method: 'POST', url: '/api/measures', payload: draft(c.city, c.now() - HOUR_MS) })).json().measure;
      const e = (await c.as({ method: 'GET', url: `/api/measures/${m.id}/evaluation` })).json().evaluation;
      // 4 days of data, the measure's day not counted; the first day starts at 12:00, under 18 hours.
      expect(e).toMatchObject({ status: 'not-enough-history', code: 'MEASURE_NOT_ENOUGH_HISTORY', history: { days: 3, need: 30 }, effect: null, hours: [] });
      expect(e.en).toBe('Not enough history: 3 days without measures, need 30; no weather-adjusted evaluation yet.');
    } finally {
      await c.s.close();
    }
  }, 30_000);
});
