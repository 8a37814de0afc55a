/**
 * REST routes through app.inject() on the SQLite store: shapes, hand-derived values, coded errors
 * for garbage input, OpenAPI at /docs, Prometheus /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeServer, hourly, bj, seedToken, type Seeded } from './helpers.ts';
import type { Built } from '../../server/app.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { ERRORS } from '../../server/errors.ts';

let s: Built & { store: TimeSeriesStore };
/** The lead forecaster on duty: posts forecasts and issues warnings (common/auth/permissions.ts). */
let duty: Seeded;
const day = '2026-07-01';
let now = bj('2026-07-02', 1) + 5 * 60_000;

beforeAll(async () => {
  s = await makeServer({ clock: () => now });
  duty = await seedToken(s.app, 'lead_forecaster', 'duty.forecaster');
  // Stored history: X1 PM2.5 = 80 and X2 = 40 for every hour of 2026-07-01; O3 as in the MDA8 example.
  const o3 = (k: number) => (k + 1 >= 14 && k + 1 <= 21 ? 200 : 100);
  await s.store.writeReadings([
    ...hourly('X1', bj(day, 1), Array.from({ length: 24 }, (_, k) => ({ pm25: 80, o3: o3(k) }))),
    ...hourly('X2', bj(day, 1), Array.from({ length: 24 }, (_, k) => ({ pm25: 40, o3: o3(k) }))),
  ]);
  await s.start();
});
afterAll(async () => {
  await s?.close();
  await s?.store.close();
});

const get = async (url: string) => {
  const r = await s.app.inject({ url });
  return { status: r.statusCode, body: r.json() };
};

describe('health and docs', () => {
  it('/healthz and /readyz answer', async () => {
    expect((await get('/healthz')).body.status).toBe('ok');
    expect(await get('/readyz')).toEqual({ status: 200, body: { ready: true, checks: { store: true, mqtt: true, rebuilt: true } } });
  });
  it('serves the OpenAPI document with every API route', async () => {
    const doc = (await get('/docs/json')).body;
    for (const p of ['/api/stations', '/api/latest', '/api/series/hourly', '/api/series/daily', '/api/aqi', '/api/episodes', '/api/episodes/{id}', '/api/warnings', '/api/forecasts', '/api/dead-letters/summary', '/healthz', '/readyz', '/metrics']) {
      expect(doc.paths, p).toHaveProperty([p]);
    }
  });
  it('/metrics is Prometheus text', async () => {
    const r = await s.app.inject({ url: '/metrics' });
    expect(r.headers['content-type']).toMatch(/text\/plain/);
    expect(r.body).toMatch(/^# HELP airdesk_live_readings_total/m);
  });
});

describe('stations and latest (rebuilt from the store)', () => {
  it('lists stations with freshness; filters by city and kind', async () => {
    const all = (await get('/api/stations')).body.stations;
    expect(all.map((x: { code: string }) => x.code)).toEqual(['X1', 'X2', 'X3', 'Y1']);
    const x1 = all[0];
    expect(x1.lastTime).toBe(bj(day, 24));
    expect(x1.stale).toBe(false); // 5 minutes after its last hour
    expect((await get('/api/stations?city=Xcity&kind=national')).body.stations.length).toBe(2);
  });
  it('latest: city hour = mean of national stations, with n', async () => {
    const b = (await get('/api/latest?city=Xcity')).body;
    const c = b.cities[0];
    expect(c.city).toBe('Xcity');
    expect(c.hour.time).toBe(bj(day, 24));
    expect(c.hour.values.pm25).toBe(60);
    expect(c.hour.n.pm25).toBe(2);
    // 60 on the HJ 633-2026 PM2.5 24-h column is exactly IAQI 100
    expect(c.hour.aqi.iaqi.pm25_1h).toBe(100);
    expect(b.stations.map((x: { station: string }) => x.station)).toEqual(['X1', 'X2', 'X3']);
  });
});

describe('series and AQI', () => {
  const from = encodeURIComponent(`${day}T01:00+08:00`);
  const to = encodeURIComponent('2026-07-02T00:00+08:00');
  it('hourly series of a station: 24 points with moving means', async () => {
    const b = (await get(`/api/series/hourly?station=X1&from=${from}&to=${to}`)).body;
    expect(b.points.length).toBe(24);
    expect(b.points[23].values.pm25_24h).toBe(80);
    expect(b.points[19].values.pm25_24h).toBe(80); // 20th hour: 20 of 24 present
    expect(b.points[18].values.pm25_24h).toBeNull();
  });
  it('daily series of the city: PM2.5 60, MDA8 200, daily AQI 137 (O3 8-h, HJ 633 Table 1)', async () => {
    const b = (await get(`/api/series/daily?city=Xcity&from=${from}&to=${to}`)).body;
    expect(b.points.length).toBe(1);
    const d = b.points[0];
    expect(d.day).toBe(day);
    expect(d.values.pm25_24h).toBe(60);
    expect(d.values.o3_mda8).toBe(200);
    expect(d.aqi.aqi).toBe(137);
    expect(d.n.pm25).toBe(2);
  });
  it('AQI per day under a named rule set (HJ 633-2012: PM2.5 80 -> 107, O3 max 1-h 200 -> 100, MDA8 200 -> 137)', async () => {
    const b = (await get(`/api/aqi?station=X1&period=day&rule=hj633-2012&from=${from}&to=${to}`)).body;
    expect(b.points).toHaveLength(1);
    expect(b.points[0].aqi.rule).toBe('hj633-2012');
    expect(b.points[0].aqi.iaqi.pm25_24h).toBe(107);
    expect(b.points[0].aqi.iaqi.o3_max1h).toBe(100);
    expect(b.points[0].aqi.iaqi.o3_mda8).toBe(137);
    expect(b.points[0].aqi.aqi).toBe(137);
    expect(b.points[0].aqi.primary).toEqual(['o3']);
  });
  it('hourly AQI of the city by date rule (hj633-2026)', async () => {
    const b = (await get(`/api/aqi?city=Xcity&from=${from}&to=${to}`)).body;
    expect(b.points).toHaveLength(24);
    expect(new Set(b.points.map((p: { aqi: { rule: string } }) => p.aqi.rule))).toEqual(new Set(['hj633-2026']));
  });
});

describe('garbage input -> 400 with a code and the reason', () => {
  const T = '&from=2026-07-01&to=2026-07-02';
  it.each([
    ['/api/latest?bogus=1', 'AIRDESK_BAD_QUERY', /additional properties/],
    ['/api/stations?kind=satellite', 'AIRDESK_BAD_QUERY', /kind/],
    [`/api/series/hourly?station=X1&from=yesterday&to=2`, 'AIRDESK_BAD_TIME', /from="yesterday"/],
    [`/api/series/hourly?station=X1&from=2026-07-02&to=2026-07-01`, 'AIRDESK_BAD_RANGE', /before/],
    [`/api/series/hourly?station=X1&from=2020-01-01&to=2026-07-01`, 'AIRDESK_RANGE_TOO_LARGE', /93 days/],
    [`/api/series/hourly?station=X1`, 'AIRDESK_BAD_QUERY', /from/],
    [`/api/series/daily?station=X1&city=Xcity${T}`, 'AIRDESK_SCOPE_REQUIRED', /exactly one/],
    [`/api/series/daily?${T.slice(1)}`, 'AIRDESK_SCOPE_REQUIRED', /exactly one/],
    [`/api/aqi?city=Xcity&period=week${T}`, 'AIRDESK_BAD_QUERY', /period/],
    [`/api/aqi?city=Xcity&rule=hj633-1999${T}`, 'AIRDESK_UNKNOWN_RULE', /hj633-1999/],
    [`/api/episodes?status=maybe`, 'AIRDESK_BAD_QUERY', /status/],
    [`/api/episodes?from=2026-13-45`, 'AIRDESK_BAD_TIME', /from/],
    [`/api/dead-letters/summary?since=-4`, 'AIRDESK_BAD_QUERY', /since/],
  ])('%s -> %s', async (url, code, msg) => {
    const r = await get(url);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.statusCode).toBe(400);
    expect(r.body.error.message).toMatch(msg);
  });

  it.each([
    ['/api/latest?station=NOPE', 'AIRDESK_UNKNOWN_STATION'],
    ['/api/latest?city=Atlantis', 'AIRDESK_UNKNOWN_CITY'],
    ['/api/series/hourly?city=Atlantis&from=2026-07-01&to=2026-07-02', 'AIRDESK_UNKNOWN_CITY'],
    ['/api/episodes/heavy:Xcity:1999-01-01', 'AIRDESK_EPISODE_NOT_FOUND'],
    ['/api/no-such-route', 'AIRDESK_ROUTE_NOT_FOUND'],
  ])('%s -> 404 %s', async (url, code) => {
    const r = await get(url);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe(code);
  });

  it('bad forecast bodies are 400 with the reason; non-JSON is 415', async () => {
    const post = (payload: unknown, headers: Record<string, string> = {}) => s.app.inject({ method: 'POST', url: '/api/forecasts', payload: payload as string, headers: { ...duty.headers, ...headers } });
    let r = await post({ city: 'Xcity', days: [] });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('AIRDESK_BAD_BODY');
    expect(r.json().error.message).toMatch(/days/);
    r = await post({ city: 'Xcity', days: [{ day: '2026-07-03', aqi: 900 }] });
    expect(r.json().error.message).toMatch(/aqi/);
    r = await post('{not json', { 'content-type': 'application/json' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('AIRDESK_BAD_REQUEST');
    r = await post('x', { 'content-type': 'text/csv' });
    expect(r.statusCode).toBe(415);
    expect(r.json().error.code).toBe('AIRDESK_UNSUPPORTED_MEDIA_TYPE');
  });

  it('every code in the table has a status and a message', () => {
    for (const [k, v] of Object.entries(ERRORS)) {
      expect(k).toMatch(/^AIRDESK_[A-Z_]+$/);
      expect(v.status).toBeGreaterThanOrEqual(400);
      expect(v.message.length).toBeGreaterThan(0);
    }
  });
});

describe('forecasts -> warning recommendations (2018 and 2024 schemes)', () => {
  it('a forecast of 3 days > 200 with one > 300 recommends orange (2018) and red needs 72 h > 200 and 24 h > 300 (2024)', async () => {
    const r = await s.app.inject({
      method: 'POST', url: '/api/forecasts', headers: duty.headers,
      payload: { city: 'Xcity', days: [{ day: '2026-07-02', aqi: 230 }, { day: '2026-07-03', aqi: 310 }, { day: '2026-07-04', aqi: 220 }] },
    });
    expect(r.statusCode).toBe(201);
    const w = Object.fromEntries(r.json().warnings.map((x: { scheme: string; level: string }) => [x.scheme, x.level]));
    // REFERENCE 3.1: > 200 for >= 3 days with a day > 300 -> orange. 3.2: > 200 for >= 72 h and > 300 for >= 24 h -> red.
    expect(w).toEqual({ 2018: 'orange', 2024: 'red' });
    const list = (await get('/api/warnings?city=Xcity&scheme=2018')).body.warnings;
    expect(list).toHaveLength(1);
    expect(list[0].level).toBe('orange');
    expect((await get('/api/forecasts?city=Xcity')).body.forecasts[0].days).toHaveLength(3);
  });
  it('unknown city -> 404', async () => {
    const r = await s.app.inject({ method: 'POST', url: '/api/forecasts', headers: duty.headers, payload: { city: 'Atlantis', days: [{ day: '2026-07-02', aqi: 50 }] } });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('AIRDESK_UNKNOWN_CITY');
  });
});

describe('warning lifecycle through the API (recommended -> issued -> in force -> lifted)', () => {
  const act = (payload: unknown) => s.app.inject({ method: 'POST', url: '/api/warnings/actions', payload: payload as string, headers: duty.headers });
  it('a person issues the recommended level; it is in force with who (the signed-in identity, not the name the body claims) and when; lift ends it', async () => {
    const r = await act({ city: 'Xcity', scheme: '2018', action: 'issue', level: 'orange', by: '值班预报员' });
    expect(r.statusCode).toBe(200);
    expect(r.json().warning).toMatchObject({ status: 'in-force', inForce: { level: 'orange', issuedBy: 'duty.forecaster', issuedAt: now, rule: { id: '2018-orange' } } });
    const list = (await get('/api/warnings?city=Xcity&scheme=2018')).body.warnings;
    expect(list[0].history.map((h: { step: string; by: string }) => `${h.step} ${h.by}`)).toEqual(['recommended system', 'issued duty.forecaster']);
    const audit = await s.app.records.audit.list({ target: 'warning:Xcity/2018' });
    expect(audit[0]).toMatchObject({ actor: 'duty.forecaster', origin: '127.0.0.1', action: 'warning.issued', after: { actor: 'duty.forecaster', level: 'orange' } });
    const again = await act({ city: 'Xcity', scheme: '2018', action: 'issue', level: 'red', by: 'x' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('AIRDESK_WARNING_TRANSITION');
    expect((await act({ city: 'Xcity', scheme: '2018', action: 'lift', by: 'x' })).json().warning.status).toBe('recommended');
    expect((await act({ city: 'Xcity', scheme: '2018', action: 'lift', by: 'x' })).statusCode).toBe(409);
  });
  it.each([
    [{ city: 'Xcity', scheme: '2018', action: 'issue', level: 'purple', by: 'x' }, 400, 'AIRDESK_BAD_BODY'],
    [{ city: 'Xcity', scheme: '2018', action: 'issue', level: 'red', by: 'x'.repeat(65) }, 400, 'AIRDESK_BAD_BODY'],
    [{ city: 'Xcity', scheme: '2019', action: 'lift', by: 'x' }, 400, 'AIRDESK_BAD_BODY'],
    [{ city: 'Xcity', scheme: '2018', action: 'issue', by: 'x' }, 400, 'AIRDESK_BAD_BODY'],
    [{ city: 'Xcity', scheme: '2018', action: 'lift', by: 'x', extra: 1 }, 400, 'AIRDESK_BAD_BODY'],
    [{ city: 'Atlantis', scheme: '2018', action: 'lift', by: 'x' }, 404, 'AIRDESK_UNKNOWN_CITY'],
  ])('garbage action %j -> %d %s', async (payload, status, code) => {
    const r = await act(payload);
    expect(r.statusCode).toBe(status);
    expect(r.json().error.code).toBe(code);
  });
});

describe('dead letters', () => {
  it('say unavailable when no gateway spool is wired', async () => {
    expect((await get('/api/dead-letters/summary')).body).toEqual({ available: false, total: 0, byReason: [] });
  });
});
