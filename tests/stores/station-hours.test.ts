/**
 * The store methods the start-up rebuild reads (stores/types.ts): station-hour aggregates with
 * their seals, and the latest reading per station. One suite run against the embedded SQLite store
 * and a real InfluxDB (tests/run.sh exports AIRDESK_TEST_INFLUX_URL; a fresh database per test).
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Reading } from '#common/schemas/reading.ts';
import { StoreError } from '../../stores/errors.ts';
import { openInfluxStore } from '../../stores/influx.ts';
import { openSqliteStore } from '../../stores/sqlite.ts';
import type { StationHourRecord, TimeSeriesStore } from '../../stores/types.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 1, 0);
const ALL = { from: 0, to: Date.UTC(2100, 0, 1) };

interface Made {
  store: TimeSeriesStore;
  /** Write a row the adapter would never write itself (garbage read back). */
  corrupt(station: string, time: number, basis: string): Promise<void>;
  cleanup(): Promise<void>;
}

const rec = (station: string, time: number, values: StationHourRecord['values'], basis: StationHourRecord['basis'] = 'derived'): StationHourRecord => ({ station, time, basis, values });
const reading = (station: string, time: number, more: Partial<Reading> = {}): Reading => ({ station, time, interval: 'rt', source: 'live', values: { pm25: time / H }, flags: {}, ...more });

async function refused(p: Promise<unknown>): Promise<StoreError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(StoreError);
  return e as StoreError;
}

function suite(name: string, make: () => Promise<Made>) {
  describe(`station-hour aggregates and latest readings: ${name}`, () => {
    let made: Made[] = [];
    const open = async () => {
      const m = await make();
      made.push(m);
      return m;
    };
    afterEach(async () => {
      for (const m of made) {
        await m.store.close();
        await m.cleanup();
      }
      made = [];
    });

    it('round-trips aggregates in (time, station) order, filtered by time and station', async () => {
      const { store } = await open();
      const hs = [
        rec('B', T0 + H, { pm25: 80.25, o3: 4, wd: 337.5, temp: -3.5 }, 'hour'),
        rec('A', T0 + H, { pm25: 1 / 3, co: 1.3 }),
        rec('A', T0, {}), // an hour with no valid value is still an hour
        rec('A', T0 + 2 * H, { no2: 61, nox: 80.1, precip: 0 }),
      ];
      await store.writeStationHours(hs, []);
      expect(await store.queryStationHours(ALL)).toEqual([hs[2], hs[1], hs[0], hs[3]]);
      expect(await store.queryStationHours({ from: T0 + H, to: T0 + 2 * H })).toEqual([hs[1], hs[0]]);
      expect(await store.queryStationHours({ ...ALL, stations: ['B'] })).toEqual([hs[0]]);
      expect(await store.queryStationHours({ ...ALL, stations: [] })).toEqual([]);
    });

    it('a re-resolved hour replaces the earlier one whole, and seals are idempotent', async () => {
      const { store } = await open();
      await store.writeStationHours([rec('A', T0, { pm25: 80, o3: 4 }, 'hour')], [T0]);
      await store.writeStationHours([rec('A', T0, { pm25: 81 })], [T0, T0 + H]);
      // o3 is gone (InfluxDB would have kept the old field: the adapter reads only this write's keys).
      expect(await store.queryStationHours(ALL)).toEqual([rec('A', T0, { pm25: 81 })]);
      expect(await store.querySealedHours(ALL)).toEqual([T0, T0 + H]);
      expect(await store.querySealedHours({ from: T0 + 1, to: T0 + 2 * H })).toEqual([T0 + H]);
      await store.writeStationHours([], []); // nothing to do is not an error
    });

    it.each([
      ['NaN value', [rec('A', T0, { pm25: Number.NaN })], [], /pm25 = NaN is not a finite number/],
      ['Infinity value', [rec('A', T0, { o3: Infinity })], [], /o3 = Infinity/],
      ['null value', [rec('A', T0, { o3: null as unknown as number })], [], /o3 = null/],
      ['non-canonical key', [rec('A', T0, { 'PM2.5': 1 } as never)], [], /"PM2.5" is not a canonical quantity key/],
      ['reserved key', [rec('A', T0, { time: 1 } as never)], [], /"time" is not a canonical quantity key/],
      ['time not an hour end', [rec('A', T0 + 1, { pm25: 1 })], [], /is not a whole hour/],
      ['time not a number', [rec('A', 'x' as never, { pm25: 1 })], [], /is not an integer epoch ms/],
      ['bad basis', [rec('A', T0, { pm25: 1 }, 'city' as never)], [], /basis city is not hour\|derived/],
      ['bad station', [rec('EVIL\\', T0, { pm25: 1 })], [], /station/],
      ['values not an object', [{ station: 'A', time: T0, basis: 'hour', values: [1] } as never], [], /values must be an object/],
      ['a null record', [null as never], [], /is not an object/],
      ['seal not an hour end', [], [T0 + 5], /sealed\[1\]: time \d+ is not a whole hour/],
      ['seal out of range', [], [1e300], /sealed\[1\]: time 1e\+300 is not an integer epoch ms/],
    ] as [string, StationHourRecord[], number[], RegExp][])('refuses %s with STORE_INVALID_INPUT, writing nothing of the batch', async (_n, bad, seals, why) => {
      const { store } = await open();
      const e = await refused(store.writeStationHours([rec('OK', T0, { pm25: 1 }), ...bad], [T0 + H, ...seals]));
      expect(e.code).toBe('STORE_INVALID_INPUT');
      expect(e.message).toMatch(why);
      expect(await store.queryStationHours(ALL)).toEqual([]);
      expect(await store.querySealedHours(ALL)).toEqual([]);
    });

    it('a stored row that is not a valid record is a STORE_QUERY_FAILED naming it, not a crash', async () => {
      const m = await open();
      await m.store.writeStationHours([rec('A', T0, { pm25: 1 })], []);
      await m.corrupt('B', T0 + H, 'bogus');
      const e = await refused(m.store.queryStationHours(ALL));
      expect(e.code).toBe('STORE_QUERY_FAILED');
      expect(e.message).toMatch(/"B" @ \d+: basis "bogus"/);
    });

    it('latest reading per station: the latest time, at a tie the last in queryReadings order, within [from, to)', async () => {
      const { store } = await open();
      const rs = [
        reading('A', T0 + 5 * 60_000), reading('A', T0 + 10 * 60_000),
        reading('A', T0 + 10 * 60_000, { interval: 'min', values: { pm25: 7 } }), // the same time in another series
        reading('A', T0, { interval: 'hour', values: { pm25: 9 } }),
        reading('B', T0 + H, { source: 'sim' }), reading('B', T0 + H, { source: 'import' }),
        reading('C', T0 + 3 * H, { interval: 'day' }),
        reading('D', T0 + 9 * H), // out of range below
      ];
      await store.writeReadings(rs);
      const to = T0 + 4 * H;
      const all = await store.queryReadings({ from: 0, to });
      const lastOf = (st: string) => all.filter((r) => r.station === st).at(-1);
      const want = ['A', 'B', 'C'].map(lastOf);
      expect(await store.latestReadings({ from: 0, to })).toEqual(want);
      expect(want[0]!.interval).toBe('rt'); // 'rt' sorts after 'min' at the same time
      expect(want[1]!.source).toBe('sim');
      expect(await store.latestReadings({ from: 0, to, stations: ['B', 'Z'] })).toEqual([want[1]]);
      expect(await store.latestReadings({ from: T0 + 2 * H, to: T0 + 9 * H })).toEqual([want[2]]);
    });
  });
}

const dirs: string[] = [];
suite('sqlite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-sh-'));
  dirs.push(dir);
  const file = path.join(dir, 'ts.sqlite');
  const store = await openSqliteStore(file);
  return {
    store,
    corrupt: async (station, time, basis) => {
      const db = new Database(file);
      db.prepare('INSERT INTO station_hours (station, time, basis, pm25) VALUES (?, ?, ?, 1)').run(station, time, basis);
      db.close();
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

const INFLUX = process.env.AIRDESK_TEST_INFLUX_URL;
if (!INFLUX) console.warn('tests/stores/station-hours: AIRDESK_TEST_INFLUX_URL not set, skipping InfluxDB (run via tests/run.sh)');
let seq = 0;
describe.skipIf(!INFLUX)('InfluxDB', () => {
  suite('influx', async () => {
    const database = `sh_${process.pid}_${Date.now()}_${seq++}`;
    const store = await openInfluxStore({ url: INFLUX!, database });
    return {
      store,
      corrupt: async (station, time, basis) => {
        const res = await fetch(`${INFLUX}/write?db=${database}&precision=ms`, { method: 'POST', body: `station_hours,station=${station} basis="${basis}",keys="pm25",pm25=1 ${time}` });
        expect(res.status).toBe(204);
      },
      cleanup: async () => {
        await fetch(`${INFLUX}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }) });
      },
    };
  });
});
