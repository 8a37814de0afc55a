/**
 * The live engine on its own: hourly values from sub-hourly readings (>= 45 minutes, GB 3095
 * Table 4), 'hour' readings first, completion by a later hour or the clock, late-data revisions,
 * city means over national stations with their station count, HJ 663 daily values, staleness.
 * Expected AQI values come from HJ 633 Table 1 by hand (noted per case).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LiveEngine, type LiveEvent } from '../../server/live/engine.ts';
import { HOUR_MS } from '../../common/time.ts';
import type { Reading } from '../../common/schemas/reading.ts';
import { HOURLY_RULES, DAILY_RULES } from '../../common/standards/index.ts';
import { STATIONS, bj, hourly } from './helpers.ts';

const cfg = { staleMinutes: 90, graceMinutes: 10, retentionHours: 200, rules: { hourly: null, daily: null } };

function engine(events: LiveEvent[] = []) {
  const e = new LiveEngine(cfg, STATIONS);
  e.on((ev) => events.push(ev));
  return e;
}

const minute = (station: string, t: number, v: Record<string, number>, flags: Record<string, string[]> = {}): Reading =>
  ({ station, time: t, interval: 'min', source: 'sim', values: v, flags });

describe('hourly values from readings', () => {
  const T = bj('2026-07-01', 10);

  it('derives the hour from >= 45 one-minute readings and ignores 44', () => {
    const e = engine();
    // 45 minutes of X1 (ends T-60min+1..45), 44 of X2; then a reading of the next hour completes both.
    e.ingest(Array.from({ length: 45 }, (_, k) => minute('X1', T - HOUR_MS + (k + 1) * 60_000, { pm25: 40 + (k % 2) * 20 })), T);
    e.ingest(Array.from({ length: 44 }, (_, k) => minute('X2', T - HOUR_MS + (k + 1) * 60_000, { pm25: 50 })), T);
    e.ingest([minute('X1', T + 60_000, { pm25: 1 }), minute('X2', T + 60_000, { pm25: 1 })], T + 60_000);
    const x1 = e.stationEntity('X1')!.points.get(T)!;
    // mean of 23 x 40 and 22 x 60 = (920 + 1320) / 45 = 49.777...
    expect(x1.values.pm25).toBeCloseTo(49.8, 5);
    expect(x1.basis).toBe('derived');
    expect(e.stationEntity('X2')!.points.has(T)).toBe(false);
  });

  it("prefers an 'hour' reading and falls back per pollutant", () => {
    const e = engine();
    e.ingest(Array.from({ length: 60 }, (_, k) => minute('X1', T - HOUR_MS + (k + 1) * 60_000, { pm25: 10, o3: 70 })), T);
    e.ingest(hourly('X1', T, [{ pm25: 80, o3: null as unknown as number }]), T);
    const p = e.stationEntity('X1')!.points.get(T)!;
    expect(p.values.pm25).toBe(80);
    expect(p.values.o3).toBe(70);
    expect(p.basis).toBe('hour');
  });

  it('leaves out values flagged invalid (HJ 212 D, C, M...) but keeps suspect ones', () => {
    const e = engine();
    e.ingest([{ station: 'X1', time: T, interval: 'hour', source: 'sim', values: { pm25: 80, o3: 100 }, flags: { pm25: ['C'], o3: ['spike'] } }], T);
    const p = e.stationEntity('X1')!.points.get(T)!;
    expect(p.values.pm25).toBeNull();
    expect(p.values.o3).toBe(100);
  });

  it('resolves a sub-hourly hour by the clock after the grace period', () => {
    const e = engine();
    e.ingest(Array.from({ length: 50 }, (_, k) => minute('X1', T - HOUR_MS + (k + 1) * 60_000, { pm25: 30 })), T);
    e.tick(T + 9 * 60_000);
    expect(e.stationEntity('X1')!.points.has(T)).toBe(false);
    e.tick(T + 10 * 60_000);
    expect(e.stationEntity('X1')!.points.get(T)!.values.pm25).toBe(30);
  });

  it('recomputes an hour touched by a late reading and says it is a revision', () => {
    const ev: LiveEvent[] = [];
    const e = engine(ev);
    e.ingest(hourly('X1', T, [{ pm25: 80 }]), T);
    e.ingest(hourly('X1', T + HOUR_MS, [{ pm25: 80 }]), T + HOUR_MS);
    ev.length = 0;
    e.ingest(hourly('X1', T, [{ pm25: 120 }]), T + 2 * HOUR_MS); // corrected value for hour T arrives late
    const st = ev.filter((x) => x.type === 'aqi:hour' && x.e.scope === 'station').map((x) => (x as { e: { point: { time: number }; revision: boolean } }).e);
    expect(st.map((x) => x.point.time)).toEqual([T]);
    expect(st[0].revision).toBe(true);
    // HJ 633-2026 PM2.5 on the 24-h column: 120 -> 150 + (120-115)/(150-115)*50 = 157.14 -> 158
    expect(e.stationEntity('X1')!.points.get(T)!.aqi!.aqi).toBe(158);
  });
});

describe('city values', () => {
  const T = bj('2026-07-01', 10);
  it('are the mean of national stations with the count they rest on', () => {
    const e = engine();
    e.ingest([...hourly('X1', T, [{ pm25: 100, o3: 60 }]), ...hourly('X2', T, [{ pm25: 50 }]), ...hourly('X3', T, [{ pm25: 500 }])], T);
    const c = e.cityEntity('Xcity')!.points.get(T)!;
    expect(c.values.pm25).toBe(75);
    expect(c.values.o3).toBe(60);
    expect(c.n).toMatchObject({ pm25: 2, o3: 1, so2: 0 });
    // 75 on the HJ 633-2026 PM2.5 24-h column: 100 + (75-60)/(115-60)*50 = 113.6 -> 114
    expect(c.aqi!.aqi).toBe(114);
  });

  it('streaming in any order and chunking ends in the same city hours as one batch', () => {
    const base = bj('2026-07-01', 1);
    const rs: Reading[] = [];
    for (const s of ['X1', 'X2', 'Y1']) rs.push(...hourly(s, base, Array.from({ length: 30 }, (_, k) => ({ pm25: 20 + ((k * 37 + s.length * 11) % 90), o3: 40 + ((k * 13) % 150) }))));
    const batch = engine();
    batch.ingest(rs, base);
    const want = JSON.stringify([...batch.cityEntity('Xcity')!.points.entries()].sort());
    fc.assert(fc.property(fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }), fc.integer({ min: 1, max: 20 }), (order, chunk) => {
      const e = engine();
      for (let k = 0; k < order.length; k += chunk) e.ingest(order.slice(k, k + chunk), base);
      return JSON.stringify([...e.cityEntity('Xcity')!.points.entries()].sort()) === want;
    }), { numRuns: 12 });
  });
});

describe('daily values (HJ 663) and moving means', () => {
  it('daily PM2.5 80 on 2016-12-20 gives daily AQI 107 under HJ 633-2012 (REFERENCE 1.4 example)', () => {
    const e = engine();
    const day = '2016-12-20';
    e.ingest(hourly('X1', bj(day, 1), Array.from({ length: 24 }, () => ({ pm25: 80 }))), bj(day, 24));
    const d = e.stationEntity('X1')!.days.get(day)!;
    expect(d.values.pm25_24h).toBe(80);
    expect(d.aqi!.rule).toBe(DAILY_RULES['hj633-2012'].name);
    expect(d.aqi!.aqi).toBe(107);
    // 2012 text rule set: hourly AQI from the 24-h moving mean, valid from the 20th hour on.
    const p19 = e.stationEntity('X1')!.points.get(bj(day, 19))!;
    const p20 = e.stationEntity('X1')!.points.get(bj(day, 20))!;
    expect(p19.aqi!.rule).toBe(HOURLY_RULES['hj633-2012'].name);
    expect(p19.values.pm25_24h).toBeNull();
    expect(p20.values.pm25_24h).toBe(80);
    expect(p20.aqi!.aqi).toBe(107);
  });

  it('MDA8: O3 100 all day except labels 14..21 at 200 -> 200 (hj663 example)', () => {
    const e = engine();
    const day = '2026-07-01';
    e.ingest(hourly('X1', bj(day, 1), Array.from({ length: 24 }, (_, k) => ({ o3: k + 1 >= 14 && k + 1 <= 21 ? 200 : 100 }))), bj(day, 24));
    const d = e.stationEntity('X1')!.days.get(day)!;
    expect(d.values.o3_mda8).toBe(200);
    expect(d.complete).toBe(true);
    // O3 8-h 200 on HJ 633 Table 1: 100 + (200-160)/(215-160)*50 = 136.4 -> 137
    expect(d.aqi!.aqi).toBe(137);
    expect(d.aqi!.primary).toEqual(['o3']);
  });
});

describe('freshness', () => {
  it('marks stations stale after the configured minutes and counts fresh city stations', () => {
    const ev: LiveEvent[] = [];
    const e = engine(ev);
    const T = bj('2026-07-01', 10);
    e.ingest(hourly('X1', T, [{ pm25: 10 }]), T);
    const f1 = e.emitFreshness(T + 90 * 60_000, true);
    expect(f1.stations.find((s) => s.station === 'X1')!.stale).toBe(false);
    expect(f1.cities.find((c) => c.city === 'Xcity')).toEqual({ city: 'Xcity', stations: 2, fresh: 1 });
    const f2 = e.emitFreshness(T + 91 * 60_000, false);
    expect(f2.stations.find((s) => s.station === 'X1')!.stale).toBe(true);
    expect(ev.filter((x) => x.type === 'freshness').length).toBe(2); // forced, then changed
  });
});
