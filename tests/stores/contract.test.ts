/**
 * One contract suite for every TimeSeriesStore adapter (as MQTT.js test/node/abstract_client.ts):
 * `storeContract(name, makeStore)` is written once and run against the embedded SQLite store
 * and against a real InfluxDB 1.x (tests/run.sh starts one and exports AIRDESK_TEST_INFLUX_URL;
 * each test gets its own fresh database, dropped afterwards).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createServer } from 'node:net';
import type { Reading, VocCycle } from '#common/schemas/reading.ts';
import { StoreError } from '../../stores/errors.ts';
import { InfluxStore, openInfluxStore } from '../../stores/influx.ts';
import { SqliteStore, openSqliteStore } from '../../stores/sqlite.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';

const H = 3_600_000;
const T0 = Date.UTC(2017, 0, 1, 0) - 8 * H; // 2017-01-01 00:00 Beijing, end of hour 24 of 2016-12-31

interface Made {
  store: TimeSeriesStore;
  cleanup?: () => Promise<void>;
}

/** What a reading looks like read back (stores/shape.ts, written out by hand here): the six AQI
 *  pollutants always present (null when missing), other quantities only when they have a number. */
function expected(r: Reading): Reading {
  const values: Record<string, number | null> = { pm25: null, pm10: null, so2: null, no2: null, co: null, o3: null };
  for (const [k, v] of Object.entries(r.values)) if (v !== null) values[k] = v;
  return { ...r, values, flags: r.flags };
}

function reading(station: string, time: number, values: Record<string, number | null>, more: Partial<Reading> = {}): Reading {
  return { station, time, interval: 'hour', source: 'live', values, flags: {}, ...more };
}

const ALL = { from: 0, to: Date.UTC(2100, 0, 1) };

export function storeContract(name: string, makeStore: () => Promise<Made>, extra: { unreachable?: () => Promise<TimeSeriesStore> } = {}) {
  describe(`TimeSeriesStore contract: ${name}`, () => {
    let made: Made[] = [];
    const open = async () => {
      const m = await makeStore();
      made.push(m);
      return m.store;
    };
    afterEach(async () => {
      for (const m of made) {
        await m.store.close();
        await m.cleanup?.();
      }
      made = [];
    });

    it('round-trips values and flags, including extra quantities, met and an all-null reading', async () => {
      const s = await open();
      const rs: Reading[] = [
        reading('1001A', T0, { pm25: 80, pm10: 120.5, so2: 9, no2: 61, co: 1.3, o3: 4, no: 12.25, nox: 80.1, temp: -3.5, rh: 81, pres: 1021.3, ws: 1.1, wd: 337.5, precip: 0 },
          { flags: { pm25: ['N'], co: ['T', 'ceiling'] } }),
        reading('1002A', T0, { pm25: null, pm10: null, so2: null, no2: null, co: null, o3: null }, { flags: { pm25: ['D'] } }),
        reading('1003A', T0, {}, { flags: {} }), // nothing at all: must still be a stored reading
        reading('万寿西宫', T0, { pm25: 1e-3, o3: 0, voc_total: 33.3 }),
        reading('odd name, with=signs "and" quotes\'', T0, { pm25: 7 }, { flags: { pm25: ['a"b\\c', ''] } }),
      ];
      await s.writeReadings(rs);
      const got = await s.queryReadings(ALL);
      const want = rs.map(expected).sort((a, b) => (a.station < b.station ? -1 : 1));
      expect(got).toEqual(want);
    });

    it('re-writing the same batch is idempotent (same count, same content)', async () => {
      const s = await open();
      const rs = [0, 1, 2].flatMap((h) => ['A', 'B'].map((st) => reading(st, T0 + h * H, { pm25: h * 10 + 1 }, { flags: { pm25: ['N'] } })));
      await s.writeReadings(rs);
      const first = await s.queryReadings(ALL);
      await s.writeReadings(rs);
      await s.writeReadings(rs.slice(2, 4));
      expect(await s.countReadings(ALL)).toEqual({ A: 3, B: 3 });
      expect(await s.queryReadings(ALL)).toEqual(first);
    });

    it('a later write of the same identity replaces its values; another source never overwrites', async () => {
      const s = await open();
      await s.writeReadings([reading('A', T0, { pm25: 10, o3: 5 }, { source: 'live' })]);
      await s.writeReadings([reading('A', T0, { pm25: 99, o3: 98 }, { source: 'import' })]);
      await s.writeReadings([reading('A', T0, { pm25: 50, o3: 6 }, { source: 'sim' })]);
      await s.writeReadings([reading('A', T0, { pm25: 11, o3: 5 }, { source: 'live', flags: { pm25: ['M'] } })]);
      const live = await s.queryReadings({ ...ALL, source: 'live' });
      expect(live.map((r) => [r.values.pm25, r.values.o3, r.flags])).toEqual([[11, 5, { pm25: ['M'] }]]);
      const imp = await s.queryReadings({ ...ALL, source: 'import' });
      expect(imp.map((r) => r.values.pm25)).toEqual([99]);
      expect((await s.queryReadings(ALL)).map((r) => r.source)).toEqual(['import', 'live', 'sim']);
      expect(await s.countReadings(ALL)).toEqual({ A: 3 });
    });

    it('filters by stations, interval, source; from inclusive, to exclusive; ordered by time then station', async () => {
      const s = await open();
      const rs: Reading[] = [];
      for (let h = 0; h < 5; h++) {
        for (const st of ['C', 'A', 'B']) rs.push(reading(st, T0 + h * H, { pm25: h }));
      }
      rs.push(reading('A', T0 + H, { pm25: 100 }, { interval: 'day' }));
      rs.push(reading('A', T0 + 2 * H, { pm25: 200 }, { interval: 'min', source: 'sim' }));
      // written shuffled: order must come from the store
      await s.writeReadings([...rs].reverse());

      const all = await s.queryReadings(ALL);
      expect(all.map((r) => `${r.time - T0}/${r.station}/${r.interval}`)).toEqual([
        `0/A/hour`, `0/B/hour`, `0/C/hour`,
        `${H}/A/day`, `${H}/A/hour`, `${H}/B/hour`, `${H}/C/hour`,
        `${2 * H}/A/hour`, `${2 * H}/A/min`, `${2 * H}/B/hour`, `${2 * H}/C/hour`,
        `${3 * H}/A/hour`, `${3 * H}/B/hour`, `${3 * H}/C/hour`,
        `${4 * H}/A/hour`, `${4 * H}/B/hour`, `${4 * H}/C/hour`,
      ]);

      const win = await s.queryReadings({ from: T0 + H, to: T0 + 3 * H, stations: ['C', 'B'], interval: 'hour' });
      expect(win.map((r) => [r.time - T0, r.station])).toEqual([[H, 'B'], [H, 'C'], [2 * H, 'B'], [2 * H, 'C']]);

      expect((await s.queryReadings({ ...ALL, interval: 'day' })).map((r) => r.values.pm25)).toEqual([100]);
      expect((await s.queryReadings({ ...ALL, source: 'sim' })).map((r) => r.values.pm25)).toEqual([200]);
      expect(await s.queryReadings({ ...ALL, stations: [] })).toEqual([]);
      expect(await s.queryReadings({ ...ALL, stations: ['nope'] })).toEqual([]);
      expect(await s.queryReadings({ from: T0 + 4 * H + 1, to: ALL.to })).toEqual([]);
      expect((await s.queryReadings({ from: T0 + 4 * H, to: T0 + 4 * H + 1 })).length).toBe(3);
      expect(await s.queryReadings({ from: T0, to: T0 })).toEqual([]);
    });

    it('station filters match names literally (dots, pluses, brackets, slashes, quotes); a backslash is refused (common/ingest/names.ts)', async () => {
      const s = await open();
      await expect(s.writeReadings([reading('b\\s', T0, { pm25: 1 })])).rejects.toMatchObject({ code: 'STORE_INVALID_INPUT' });
      const names = ['a.b', 'aXb', 'a+b(1)|c', 'x/y', 'b?s', "o'k", 'd"q', '[z]', '^$', '万寿西宫', 'ab', 'a'];
      await s.writeReadings(names.map((n, i) => reading(n, T0, { pm25: i })));
      const pick = async (stations: string[]) => (await s.queryReadings({ ...ALL, stations })).map((r) => r.station).sort();
      expect(await pick(['a.b'])).toEqual(['a.b']);
      expect(await pick(['a+b(1)|c', 'x/y', 'b?s'])).toEqual(['a+b(1)|c', 'b?s', 'x/y']);
      expect(await pick(["o'k", 'd"q', '[z]', '^$'])).toEqual(['[z]', 'd"q', "o'k", '^$'].sort());
      expect(await pick(['万寿西宫', 'a'])).toEqual(['a', '万寿西宫']);
      expect(await pick(['b', 'a.', '.*'])).toEqual([]);
      expect(await s.countReadings({ ...ALL, stations: ['a.b', 'ab'] })).toEqual({ 'a.b': 1, ab: 1 });
    });

    it('counts readings per station, with the same filters', async () => {
      const s = await open();
      const rs: Reading[] = [];
      for (let h = 1; h <= 24; h++) rs.push(reading('A', T0 + h * H, { pm25: h }));
      for (let h = 1; h <= 10; h++) rs.push(reading('B', T0 + h * H, {}));
      rs.push(reading('B', T0 + H, { pm25: 1 }, { source: 'import' }));
      await s.writeReadings(rs);
      expect(await s.countReadings(ALL)).toEqual({ A: 24, B: 11 });
      expect(await s.countReadings({ ...ALL, source: 'live' })).toEqual({ A: 24, B: 10 });
      expect(await s.countReadings({ from: T0 + 5 * H, to: T0 + 11 * H, stations: ['B'] })).toEqual({ B: 6 });
      expect(await s.countReadings({ ...ALL, interval: 'day' })).toEqual({});
    });

    it('round-trips VOC cycles (null species are not stored), idempotently, with filters', async () => {
      const s = await open();
      const cycles: VocCycle[] = [
        { analyzer: 'GC-1', station: '1001A', time: T0, source: 'live', species: { ethane: 3.2, propene: 0.41, 'm,p-xylene': 0.12, '2,2-dimethylbutane': 0.02, benzene: null }, flags: { propene: ['C'] } },
        { analyzer: 'GC-1', station: '1001A', time: T0 + H, source: 'live', species: { ethane: 2.9 }, flags: {} },
        { analyzer: 'GC-2', station: '1003A', time: T0, source: 'sim', species: { isoprene: 0.5 }, flags: {} },
        { analyzer: 'GC-3', station: '1003A', time: T0 + 2 * H, source: 'live', species: {}, flags: { all: ['D'] } },
      ];
      await s.writeVocCycles(cycles);
      await s.writeVocCycles(cycles);
      const got = await s.queryVocCycles(ALL);
      expect(got).toEqual([
        { ...cycles[0], species: { ethane: 3.2, propene: 0.41, 'm,p-xylene': 0.12, '2,2-dimethylbutane': 0.02 } },
        cycles[2],
        cycles[1],
        cycles[3],
      ]);
      expect((await s.queryVocCycles({ ...ALL, analyzer: 'GC-1' })).length).toBe(2);
      expect((await s.queryVocCycles({ ...ALL, station: '1003A' })).map((c) => c.analyzer)).toEqual(['GC-2', 'GC-3']);
      expect((await s.queryVocCycles({ from: T0 + H, to: T0 + 2 * H })).map((c) => c.time)).toEqual([T0 + H]);
      // readings and VOC cycles do not see each other
      expect(await s.queryReadings(ALL)).toEqual([]);
    });

    it('writes a 50,000-reading batch completely and exactly', async () => {
      const s = await open();
      const stations = Array.from({ length: 100 }, (_, i) => `S${String(i).padStart(3, '0')}`);
      const rs: Reading[] = [];
      for (let h = 0; h < 500; h++) {
        for (let i = 0; i < stations.length; i++) {
          rs.push(reading(stations[i], T0 + h * H, { pm25: h + i / 1000, pm10: 2 * h, so2: 5, no2: 40, co: 0.8, o3: i }, { flags: h % 50 === 0 ? { pm25: ['M'] } : {} }));
        }
      }
      await s.writeReadings(rs);
      const counts = await s.countReadings(ALL);
      expect(Object.keys(counts).length).toBe(100);
      expect(Object.values(counts).every((n) => n === 500)).toBe(true);
      const one = await s.queryReadings({ ...ALL, stations: ['S042'] });
      expect(one.length).toBe(500);
      expect(one[250].values).toEqual({ pm25: 250.042, pm10: 500, so2: 5, no2: 40, co: 0.8, o3: 42 });
      expect(one[250].flags).toEqual({ pm25: ['M'] });
      const all = await s.queryReadings(ALL);
      expect(all.length).toBe(50_000);
      expect(all[49_999]).toEqual(expected(rs[49_999]));
    });

    it('refuses NaN/Infinity and malformed readings with STORE_INVALID_INPUT, writing nothing of the batch', async () => {
      const s = await open();
      const good = reading('A', T0, { pm25: 1 });
      const bad: [string, Reading][] = [
        ['NaN', reading('A', T0 + H, { pm25: NaN })],
        ['Infinity', reading('A', T0 + H, { o3: Infinity })],
        ['-Infinity', reading('A', T0 + H, { co: -Infinity })],
        ['string value', reading('A', T0 + H, { pm25: '12' as unknown as number })],
        ['empty station', reading('', T0 + H, { pm25: 1 })],
        ['newline in station', reading('A\nB', T0 + H, { pm25: 1 })],
        ['fractional time', reading('A', T0 + 0.5, { pm25: 1 })],
        ['NaN time', reading('A', NaN, { pm25: 1 })],
        ['bad interval', reading('A', T0, { pm25: 1 }, { interval: 'week' as Reading['interval'] })],
        ['bad source', reading('A', T0, { pm25: 1 }, { source: 'x' as Reading['source'] })],
        ['key with space', reading('A', T0, { 'pm 25': 1 })],
        ['reserved key', reading('A', T0, { station: 1 })],
        ['bad flags', reading('A', T0, { pm25: 1 }, { flags: { pm25: 'T' as unknown as string[] } })],
      ];
      for (const [what, r] of bad) {
        const err = await s.writeReadings([good, r]).then(() => null, (e: unknown) => e);
        expect(err, what).toBeInstanceOf(StoreError);
        expect((err as StoreError).code, what).toBe('STORE_INVALID_INPUT');
        expect((err as StoreError).message, what).toMatch(/reading\[1\]/);
      }
      const vocErr = await s
        .writeVocCycles([{ analyzer: 'G', station: 'A', time: T0, source: 'live', species: { ethane: NaN }, flags: {} }])
        .then(() => null, (e: unknown) => e);
      expect((vocErr as StoreError).code).toBe('STORE_INVALID_INPUT');
      expect(await s.queryReadings(ALL)).toEqual([]);
      expect(await s.queryVocCycles(ALL)).toEqual([]);
      expect(await s.ping()).toBe(true);
    });

    it('round-trips any finite values and flag strings (property)', async () => {
      const s = await open();
      const value = fc.oneof(
        fc.constant(null),
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v)),
      );
      const arb = fc.record({
        values: fc.record({ pm25: value, o3: value, co: value, temp: value }, { requiredKeys: [] }),
        flags: fc.dictionary(fc.constantFrom('pm25', 'o3', 'co'), fc.array(fc.string({ maxLength: 6, unit: 'binary' }), { maxLength: 3 }), { maxKeys: 3 }),
      });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(arb, async ({ values, flags }) => {
          const r = reading(`P${run}`, T0 + run++ * H, values, { flags });
          await s.writeReadings([r]);
          const [got] = await s.queryReadings({ from: r.time, to: r.time + 1 });
          expect(got).toEqual(expected(r));
        }),
        { numRuns: 60 },
      );
    });

    it('ping() is true while open', async () => {
      const s = await open();
      expect(await s.ping()).toBe(true);
    });

    if (extra.unreachable) {
      it('ping() is false, and writes fail with a retryable STORE_UNREACHABLE, when the store cannot be reached', async () => {
        const s = await extra.unreachable!();
        const t = Date.now();
        expect(await s.ping()).toBe(false);
        const err = await s.writeReadings([reading('A', T0, { pm25: 1 })]).then(() => null, (e: unknown) => e);
        expect(err).toBeInstanceOf(StoreError);
        expect((err as StoreError).code).toBe('STORE_UNREACHABLE');
        expect((err as StoreError).retryable).toBe(true);
        expect(Date.now() - t).toBeLessThan(10_000);
        await s.close();
      });
    }
  });
}

// ---- SQLite: always runs ----
storeContract('sqlite :memory:', async () => ({ store: await openSqliteStore(':memory:') }), {
  unreachable: async () => {
    const s = new SqliteStore(':memory:'); // never opened
    return s;
  },
});

// ---- InfluxDB: needs the real server tests/run.sh starts ----
const INFLUX = process.env.AIRDESK_TEST_INFLUX_URL;
if (!INFLUX) console.warn('tests/stores: AIRDESK_TEST_INFLUX_URL not set, skipping the InfluxDB contract (run via tests/run.sh)');

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

let dbSeq = 0;
describe.skipIf(!INFLUX)('InfluxDB', () => {
  storeContract(
    'influx',
    async () => {
      const database = `contract_${process.pid}_${Date.now()}_${dbSeq++}`;
      const store = await openInfluxStore({ url: INFLUX!, database });
      return {
        store,
        cleanup: async () => {
          await fetch(`${INFLUX}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }) });
        },
      };
    },
    { unreachable: async () => new InfluxStore({ url: `http://127.0.0.1:${await closedPort()}`, database: 'x', timeoutMs: 3000 }) },
  );
});
