/**
 * The client takes its numbers from common/standards (issue 13): chart limit lines from the GB 3095
 * table in force on the day, provisional AQIs with the rule set the server announced in state:sync,
 * episode ranking from the HJ 633 levels.
 */
import { describe, expect, it } from 'vitest';
import { limitsFor } from '../../client/src/lib/metrics.ts';
import { provisionalHour, Store } from '../../client/src/data/store.ts';
import { hourlyAqi } from '#common/standards/aqi.ts';
import { HOURLY_RULES } from '#common/standards/rulesets.ts';
import type { Reading } from '#common/schemas/reading.ts';

describe('limit lines from GB 3095 by day', () => {
  it.each([
    // GB 3095-2012 Table 1 Grade II: PM2.5 24-h 75, PM10 150; 2026 transition: 60 / 120; final (2031): 50 / 100
    ['2025-12-01', 75, 150], ['2026-03-01', 60, 120], ['2031-01-01', 50, 100],
  ])('%s: PM2.5 24-h %i, PM10 24-h %i; O3 8-h 160 and 1-h 200 throughout', (day, pm25, pm10) => {
    const l = limitsFor(day);
    expect(l.pm25).toEqual({ 24: pm25 });
    expect(l.pm10).toEqual({ 24: pm10 });
    expect(l.o3).toEqual({ 1: 200, 8: 160 });
    expect(l.co).toEqual({ 1: 10, 24: 4 });
  });
});

describe('provisional AQI with the announced rule set', () => {
  // 2026-07-01 14:00 Beijing: the date rule is HJ 633-2026.
  const r: Reading = { station: 'X', time: Date.UTC(2026, 6, 1, 6), interval: 'hour', source: 'live', flags: {}, values: { pm25: 70, pm10: 60, o3: 90, no2: 30, so2: 5, co: 0.6 } };
  const v = r.values;
  const aqiBy = (name: keyof typeof HOURLY_RULES) => hourlyAqi({ pm25_1h: v.pm25, pm10_1h: v.pm10, so2_1h: v.so2, no2_1h: v.no2, co_1h: v.co, o3_1h: v.o3 }, HOURLY_RULES[name]).aqi;
  it('the rule sets give different AQIs for this hour (so the test can tell them apart)', () => {
    expect(aqiBy('hj633-2012')).not.toBe(aqiBy('hj633-2026'));
  });
  it("uses the server's rule when it names one, the date rule for 'by date' or before the first sync", () => {
    expect(provisionalHour(r, 'hj633-2012').aqi?.aqi).toBe(aqiBy('hj633-2012'));
    expect(provisionalHour(r, 'hj633-2012').aqi?.rule).toBe('hj633-2012');
    expect(provisionalHour(r, 'by date').aqi?.aqi).toBe(aqiBy('hj633-2026'));
    expect(provisionalHour(r, null).aqi?.aqi).toBe(aqiBy('hj633-2026'));
  });
  it('the store applies a raw reading with the rule announced in state:sync', () => {
    const s = new Store();
    s.setStations([{ code: 'X', name: 'x', city: 'c', lon: 116, lat: 40, kind: 'national' }]);
    s.hourlyRule = 'hj633-2012';
    s.applyReadings([r]);
    expect(s.hourAt('X', r.time)?.aqi?.aqi).toBe(aqiBy('hj633-2012'));
  });
});

describe('episode ranking from the HJ 633 levels', () => {
  it('the most severe open episode is the active one', () => {
    const s = new Store();
    const ep = (id: string, level: string, start: number) => ({ id, kind: 'heavy', city: 'c', level, status: 'open', start, end: null, peak: { value: 1, time: 0, metric: 'aqi' } });
    for (const e of [ep('a', 'heavy', 1), ep('b', 'severe', 0), ep('c', 'light', 2)]) s.upsertEpisode(e as never);
    expect(s.activeEpisode()?.id).toBe('b');
  });
});
