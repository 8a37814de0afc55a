/**
 * City names in pinyin / English (docs/api.md used `city=Beijing`, a 404 while the registry says
 * 北京): common/cities.ts resolves them, and the server rewrites a query's or a body's `city` at the
 * edge, so every route answers the alias exactly as it answers the registry's name; an unknown
 * name is still a coded 404 naming what was sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_ALIASES, foldCityName, resolveCity } from '#common/cities.ts';
import { injectAs, makeServer, hourly, bj } from './helpers.ts';
import type { Built } from '../../server/app.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import type { Station } from '#common/schemas/station.ts';

describe('resolveCity', () => {
  const known = ['北京', '西安', '哈尔滨', 'Xcity'];
  it.each([
    ['北京', '北京'], ['Beijing', '北京'], ['beijing', '北京'], ['BEIJING', '北京'], [' Beijing City ', '北京'], ['北京市', '北京'],
    ['Peking', '北京'], ["Xi'an", '西安'], ['xian', '西安'], ['Harbin', '哈尔滨'], ['Haerbin', '哈尔滨'], ['xcity', 'Xcity'],
  ])('%j -> %s', (name, want) => expect(resolveCity(name, known)).toBe(want));
  it.each([['Tianjin'], ['Atlantis'], [''], ['   '], ['市']])('%j -> null (not a city of the registry)', (name) => expect(resolveCity(name, known)).toBeNull());
  it('no two cities share an alias (a name would be ambiguous)', () => {
    const seen = new Map<string, string>();
    for (const [zh, latin] of Object.entries(CITY_ALIASES)) {
      for (const a of [zh, ...latin]) {
        const f = foldCityName(a);
        expect(seen.get(f) ?? zh, `${a} of ${zh}`).toBe(zh);
        seen.set(f, zh);
      }
    }
  });
});

describe('the server takes the English name wherever a city is named', () => {
  let s: Built & { store: TimeSeriesStore };
  const day = '2026-07-01';
  const now = bj('2026-07-02', 1) + 5 * 60_000;
  const STATIONS: Station[] = [
    { code: 'B1', name: '东四', city: '北京', province: '北京市', lon: 116.417, lat: 39.929, kind: 'national' },
    { code: 'B2', name: '天坛', city: '北京', province: '北京市', lon: 116.407, lat: 39.886, kind: 'national' },
  ];
  beforeAll(async () => {
    s = await makeServer({ clock: () => now, stations: STATIONS });
    await s.store.writeReadings([
      ...hourly('B1', bj(day, 1), Array.from({ length: 24 }, () => ({ pm25: 80 }))),
      ...hourly('B2', bj(day, 1), Array.from({ length: 24 }, () => ({ pm25: 40 }))),
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
  const from = bj(day, 1), to = bj(day, 24);

  it.each([
    [`/api/latest?city=`],
    [`/api/stations?city=`],
    [`/api/series/hourly?from=${from}&to=${to}&city=`],
    [`/api/series/daily?from=${from}&to=${to}&city=`],
    [`/api/aqi?period=day&from=${from}&to=${to}&city=`],
    [`/api/episodes?city=`],
    [`/api/warnings?city=`],
    [`/api/today?city=`],
    [`/api/forecasts?city=`],
  ])('%sBeijing answers as city=北京 does', async (url) => {
    const zh = await get(`${url}${encodeURIComponent('北京')}`);
    expect(zh.status).toBe(200);
    const en = await get(`${url}Beijing`);
    expect(en).toEqual(zh);
  });

  it('the series of city=Beijing are the registry city\'s (the hand-derived mean of B1 80 and B2 40 = 60)', async () => {
    const r = await get(`/api/series/hourly?city=Beijing&from=${bj(day, 11)}&to=${bj(day, 12)}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.id).toBe('北京');
    const p = r.body.points.find((x: { time: number }) => x.time === bj(day, 12));
    expect(p.values.pm25).toBe(60);
  });

  it('POST a forecast and a warning action for city "Beijing": stored under 北京', async () => {
    const f = await (await injectAs(s.app, 'lead_forecaster'))({ method: 'POST', url: '/api/forecasts', payload: { city: 'Beijing', days: [{ day: '2026-07-02', aqi: 230 }] } });
    expect(f.statusCode).toBe(201);
    expect(f.json().forecast.city).toBe('北京');
    expect(f.json().warnings.map((w: { city: string }) => w.city)).toEqual(['北京', '北京']);
    const a = await (await injectAs(s.app, 'lead_forecaster'))({ method: 'POST', url: '/api/warnings/actions', payload: { city: 'beijing', scheme: '2018', action: 'issue', level: 'blue', by: 'duty officer' } });
    expect(a.statusCode).toBe(200);
    expect(a.json().warning).toMatchObject({ city: '北京', status: 'in-force' });
  });

  it.each([['Atlantis'], ['Tianjin'], ['%20']])('city=%s is still 404 AIRDESK_UNKNOWN_CITY naming what was sent', async (name) => {
    const r = await get(`/api/latest?city=${name}`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('AIRDESK_UNKNOWN_CITY');
    expect(r.body.error.message).toContain(decodeURIComponent(name));
  });

  it('a city that is not a string is still the schema\'s 400, not rewritten', async () => {
    const r = await (await injectAs(s.app, 'lead_forecaster'))({ method: 'POST', url: '/api/forecasts', payload: { city: { name: 'Beijing' }, days: [{ day: '2026-07-02', aqi: 50 }] } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('AIRDESK_BAD_BODY');
  });
});
