/** /api/today (O3 "will today exceed?"), state:sync's `today`, and /api/series/daily with the day in
 *  progress marked (complete = false, `partial` = the on-track statistics). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeServer, hourly, bj } from './helpers.ts';
import type { Built } from '../../server/app.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';

let s: Built & { store: TimeSeriesStore };
const now = bj('2026-07-02', 20) + 60_000;

beforeAll(async () => {
  s = await makeServer({ clock: () => now });
  await s.start();
  // 07-01 all day PM2.5 50 / O3 60; 07-02 hours 01..20: O3 60 to 12:00 then 200 (O3-8h at 20:00 = 200).
  for (const st of ['X1', 'X2']) {
    s.ingest(hourly(st, bj('2026-07-01', 1), Array.from({ length: 24 }, () => ({ pm25: 50, o3: 60 }))));
    s.ingest(hourly(st, bj('2026-07-02', 1), Array.from({ length: 20 }, (_, k) => ({ pm25: 80, o3: k + 1 <= 12 ? 60 : 200 }))));
  }
});
afterAll(async () => {
  await s?.close();
  await s?.store.close();
});

describe('will today exceed?', () => {
  it('/api/today gives the city O3-8h now, the MDA8 so far and on track over 160', async () => {
    const r = await s.app.inject({ url: '/api/today?city=Xcity' });
    expect(r.statusCode).toBe(200);
    expect(r.json().today).toEqual([{ city: 'Xcity', day: '2026-07-02', time: bj('2026-07-02', 20), o3_8h: 200, mda8SoFar: 200, windows: 13, threshold: 160, levels: { moderate: 215, heavy: 265 }, onTrack: true, complete: false }]);
  });
  it.each([
    ['/api/today?city=Atlantis', 404, 'AIRDESK_UNKNOWN_CITY'],
    ['/api/today?city=', 400, 'AIRDESK_BAD_QUERY'],
    ['/api/today?town=Xcity', 400, 'AIRDESK_BAD_QUERY'],
  ])('%s -> %d %s', async (url, status, code) => {
    const r = await s.app.inject({ url });
    expect(r.statusCode).toBe(status);
    expect(r.json().error.code).toBe(code);
  });
  it('/api/series/daily includes the day in progress, marked, with its on-track values', async () => {
    const r = await s.app.inject({ url: `/api/series/daily?city=Xcity&from=2026-07-01&to=${now}` });
    const pts = r.json().points;
    expect(pts.map((p: { day: string; complete: boolean }) => [p.day, p.complete])).toEqual([['2026-07-01', true], ['2026-07-02', false]]);
    expect(pts[0].partial).toBeUndefined();
    // 20 hours of PM2.5 80 is already a valid daily mean (>= 20 h); the MDA8 so far is 200.
    expect(pts[1].partial.values).toMatchObject({ pm25_24h: 80, o3_mda8: 200 });
  });
});
