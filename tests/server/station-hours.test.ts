/**
 * Station-hour aggregates on the live path (server/services/station-hours.ts): a store that
 * refuses them does not stop the live engine, its sockets or /readyz; the failures are counted on
 * /metrics, the records kept and written once the store takes them again, each hour sealed after
 * its aggregates. A rebuild whose aggregate reads fail rebuilds from raw readings instead.
 */
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../stores/sqlite.ts';
import { StoreError } from '../../stores/errors.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { bj, hourly, makeServer } from './helpers.ts';

/** A store whose aggregate methods fail while `broken.on` (everything else is the real store). */
function flaky(store: TimeSeriesStore, broken: { on: boolean }): TimeSeriesStore {
  return new Proxy(store, {
    get(t, p) {
      if (broken.on && (p === 'writeStationHours' || p === 'queryStationHours' || p === 'querySealedHours')) {
        return async () => { throw new StoreError('STORE_WRITE_FAILED', 'HTTP 500: disk full', { retryable: true }); };
      }
      const v = Reflect.get(t, p);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}

const metric = async (s: { app: { inject(o: string): Promise<{ body: string }> } }, name: string) =>
  Number(new RegExp(`^${name} (\\S+)$`, 'm').exec((await s.app.inject('/metrics')).body)?.[1] ?? NaN);

describe('station-hour aggregates on the live path', () => {
  it('a store refusing them stops nothing; they are counted, kept, and written when it recovers', async () => {
    const real = await openSqliteStore(':memory:');
    const broken = { on: true };
    const clock = { now: bj('2026-07-01', 1) };
    const s = await makeServer({ store: flaky(real, broken), clock: () => clock.now, config: { rebuildDays: 1 } });
    const cityHours: number[] = [];
    s.engine.on((ev) => { if (ev.type === 'aqi:hour' && ev.e.scope === 'city') cityHours.push(ev.e.point.time); });
    await s.start(); // the rebuild's own reads fail too: it rebuilds from raw readings
    const first = bj('2026-07-01', 1);
    for (let h = 1; h <= 6; h++) {
      clock.now = bj('2026-07-01', h) + 11 * 60_000;
      s.ingest(['X1', 'X2', 'Y1'].flatMap((st) => hourly(st, bj('2026-07-01', h), [{ pm25: 30 + h, o3: 50 }])));
      s.engine.tick(clock.now);
      s.app.stationHours.tick(clock.now);
      await s.app.stationHours.flush();
    }
    // The live path went on: every hour reached the city and the sockets' event stream.
    expect(new Set(cityHours).size).toBeGreaterThanOrEqual(6);
    expect((await s.app.inject('/readyz')).statusCode).toBe(200);
    expect(await metric(s, 'airdesk_station_hours_write_failures_total')).toBeGreaterThanOrEqual(6);
    expect(await metric(s, 'airdesk_station_hours_pending')).toBe(3 * 6);
    expect(await metric(s, 'airdesk_station_hours_written_total')).toBe(0);

    broken.on = false;
    await s.app.stationHours.flush();
    expect(await metric(s, 'airdesk_station_hours_pending')).toBe(0);
    expect(await metric(s, 'airdesk_station_hours_written_total')).toBe(3 * 6);
    const stored = await real.queryStationHours({ from: first, to: first + 6 * 3_600_000 });
    expect(stored.map((r) => `${r.station}@${(r.time - first) / 3_600_000}:${r.values.pm25}`)).toEqual(
      [0, 1, 2, 3, 4, 5].flatMap((k) => ['X1', 'X2', 'Y1'].map((st) => `${st}@${k}:${31 + k}`)),
    );
    expect(stored.every((r) => r.basis === 'hour')).toBe(true);
    // Every hour past its grace is sealed, none ahead of its aggregates.
    expect(await real.querySealedHours({ from: first, to: first + 6 * 3_600_000 })).toEqual([0, 1, 2, 3, 4, 5].map((k) => first + k * 3_600_000));
    await s.close();
    await real.close();
  });

  it('past the pending cap the oldest hours are dropped, counted and never sealed', async () => {
    const { StationHourWriter } = await import('../../server/services/station-hours.ts');
    const real = await openSqliteStore(':memory:');
    const broken = { on: true };
    const w = new StationHourWriter({ store: flaky(real, broken), logger: (await import('pino')).pino({ level: 'silent' }), graceMs: 0, maxPending: 4 });
    const t0 = bj('2026-07-01', 1);
    w.startSealing(t0);
    for (let k = 0; k < 3; k++) for (const st of ['A', 'B']) w.put({ station: st, time: t0 + k * 3_600_000, basis: 'hour', values: { pm25: k } });
    w.tick(t0 + 3 * 3_600_000);
    await w.flush();
    expect(w.counters).toMatchObject({ dropped: 2, failures: 1 });
    broken.on = false;
    await w.flush();
    expect((await real.queryStationHours({ from: 0, to: t0 + 4 * 3_600_000 + 1 })).map((r) => r.time)).toEqual([1, 1, 2, 2].map((k) => t0 + k * 3_600_000));
    expect(await real.querySealedHours({ from: 0, to: t0 + 4 * 3_600_000 + 1 })).toEqual([1, 2, 3].map((k) => t0 + k * 3_600_000));
    await real.close();
  });
});
