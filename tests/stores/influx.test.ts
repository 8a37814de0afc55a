/** InfluxDB adapter specifics beyond the shared contract: the exact line protocol, and how server
 *  errors surface. The contract suite (contract.test.ts) covers behaviour. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Reading } from '#common/schemas/reading.ts';
import { bodySplit, encodeReadings, InfluxStore, readingLine, vocLine } from '../../stores/influx.ts';
import { StoreError } from '../../stores/errors.ts';

const T = 1483200000000; // 2017-01-01 00:00 Beijing

describe('line protocol', () => {
  it('writes sorted tags, escaped, float fields, flags always, ms timestamp', () => {
    expect(
      readingLine({ station: 'a b,c=d', time: T, interval: 'hour', source: 'live', values: { pm25: 80, co: 1.3, o3: null }, flags: { co: ['T'] } }),
    ).toBe('readings,interval=hour,source=live,station=a\\ b\\,c\\=d flags="{\\"co\\":[\\"T\\"]}",pm25=80,co=1.3 1483200000000');
    expect(readingLine({ station: '1001A', time: T, interval: 'min', source: 'sim', values: {}, flags: {} })).toBe(
      'readings,interval=min,source=sim,station=1001A flags="{}" 1483200000000',
    );
  });
  it('escapes species ids used as field keys', () => {
    expect(
      vocLine({ analyzer: 'GC 1', station: '1001A', time: T, source: 'live', species: { 'm,p-xylene': 0.12, '1=2 x': 1, benzene: null }, flags: {} }),
    ).toBe('voc,analyzer=GC\\ 1,source=live,station=1001A flags="{}",m\\,p-xylene=0.12,1\\=2\\ x=1 1483200000000');
  });
  it('encodeReadings is the readings\' lines joined by newlines, and validates as writeReadings does', () => {
    const a: Reading = { station: 'A', time: T, interval: 'hour', source: 'live', values: { pm25: 1 }, flags: {} };
    const b: Reading = { ...a, station: 'B', values: { o3: 2.5 } };
    expect(encodeReadings([a, b])).toBe(`${readingLine(a)}\n${readingLine(b)}`);
    expect(encodeReadings([])).toBe('');
    expect(() => encodeReadings([a, { ...a, values: { pm25: Infinity } }])).toThrow(/reading\[1\] \(A @ \d+\): pm25 = Infinity is not a finite number/);
    expect(() => encodeReadings([{ ...a, time: Number.NaN }])).toThrow(StoreError);
  });
  it('refuses a bad configuration with STORE_BAD_CONFIG', () => {
    expect(() => new InfluxStore({ url: 'nope', database: 'x' })).toThrow(StoreError);
    expect(() => new InfluxStore({ url: 'http://h:8086', database: 'a;DROP' })).toThrow(/STORE_BAD_CONFIG/);
  });
});

describe('bodySplit: chunks of encoded readings into write bodies', () => {
  it('group-commit chunks make round(total / batch) bodies of a near-equal share, none a small remainder', () => {
    // 11 chunks of 900 = 9,900 lines: 2 bodies (6 + 5 chunks), not 4,500 + 4,500 + 900 by filling up to 5,000.
    expect(bodySplit(new Array(11).fill(900), 5000)).toEqual([6, 5]);
    expect(bodySplit([5500], 5000)).toEqual([1]);
    expect(bodySplit([100, 100], 5000)).toEqual([2]);
    expect(bodySplit([], 5000)).toEqual([]);
  });
  it('every chunk once, in order; a body of several chunks ends within half a chunk of its share', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3000 }), { maxLength: 60 }), fc.integer({ min: 1, max: 8000 }), (counts, batch) => {
        const split = bodySplit(counts, batch);
        expect(split.reduce((a, b) => a + b, 0)).toBe(counts.length);
        expect(split.every((n) => n >= 1)).toBe(true);
        if (!counts.length) return;
        const total = counts.reduce((a, b) => a + b, 0);
        const bodies = Math.max(1, Math.round(total / batch));
        expect(split.length).toBeLessThanOrEqual(bodies);
        const max = Math.max(...counts);
        let i = 0;
        let sum = 0;
        split.forEach((n, b) => {
          for (let k = 0; k < n; k++) sum += counts[i++];
          // The last body ends at the total; another ends within half the largest chunk of its
          // share's end, unless it is one chunk larger than that (a chunk is never cut).
          const end = b === split.length - 1 ? total : (total / bodies) * (b + 1);
          if (b === split.length - 1) expect(sum).toBe(total);
          else if (n > 1) expect(Math.abs(sum - end)).toBeLessThanOrEqual(max / 2 + 1e-9);
        });
      }),
      { numRuns: 2000 },
    );
  });
});

const INFLUX = process.env.AIRDESK_TEST_INFLUX_URL;
describe.skipIf(!INFLUX)('InfluxDB server errors', () => {
  it('a write to a database that does not exist fails with a retryable STORE_WRITE_FAILED and the server message (a server problem: the data is kept)', async () => {
    const s = new InfluxStore({ url: INFLUX!, database: `missing_${Date.now()}` }); // no init()
    const err = await s
      .writeReadings([{ station: 'A', time: T, interval: 'hour', source: 'live', values: { pm25: 1 }, flags: {} }])
      .then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'STORE_WRITE_FAILED', retryable: true });
    expect((err as Error).message).toMatch(/404.*database not found/);
  });

  it('a field type conflict (someone wrote pm25 as an integer) is a non-retryable STORE_INVALID_INPUT (HTTP 400: the drainer splits the batch)', async () => {
    const database = `conflict_${Date.now()}`;
    const s = new InfluxStore({ url: INFLUX!, database });
    await s.init();
    try {
      const res = await fetch(`${INFLUX}/write?db=${database}&precision=ms`, {
        method: 'POST',
        body: `readings,interval=hour,source=live,station=A pm25=5i ${T}`,
      });
      expect(res.status).toBe(204);
      const err = await s
        .writeReadings([{ station: 'B', time: T, interval: 'hour', source: 'live', values: { pm25: 1.5 }, flags: {} }])
        .then(() => null, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'STORE_INVALID_INPUT', retryable: false });
      expect((err as Error).message).toMatch(/HTTP 400.*field type conflict/);
    } finally {
      await fetch(`${INFLUX}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }) });
    }
  });
});

const drop = (database: string) => fetch(`${INFLUX}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }) });

describe.skipIf(!INFLUX)('writeEncodedReadings (the gateway store thread\'s path)', () => {
  const reading = fc.record({
    station: fc.constantFrom('1001A', '1002A', 'a b,c=d'),
    hour: fc.integer({ min: 0, max: 40 }),
    pm25: fc.option(fc.double({ min: 0, max: 999, noNaN: true }), { nil: null }),
    o3: fc.option(fc.integer({ min: 0, max: 800 }), { nil: null }),
    flagged: fc.boolean(),
  });

  it('stores exactly what writeReadings stores, for any readings cut into any chunks and bodies', async () => {
    // Two databases for the whole property; each run has stations of its own. Identities are
    // unique: the store's contract is that one identity always carries the same content.
    const dbA = `enc_a_${process.pid}`;
    const dbB = `enc_b_${process.pid}`;
    const init = new InfluxStore({ url: INFLUX!, database: dbA });
    await init.init();
    await new InfluxStore({ url: INFLUX!, database: dbB }).init();
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(reading, { minLength: 1, maxLength: 30, selector: (r) => `${r.station}|${r.hour}` }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 9 }), async (rows, cuts, batchSize) => {
          const tag = `r${run++}`;
          const readings: Reading[] = rows.map((r) => ({
            station: `${tag} ${r.station}`, time: T + r.hour * 3_600_000, interval: 'hour', source: 'live',
            values: { pm25: r.pm25, o3: r.o3 }, flags: r.flagged ? { pm25: ['N', 'spike'] } : ({} as Record<string, string[]>),
          }));
          // Chunks as the ingest thread makes them (one per group commit), of the drawn sizes.
          const chunks = [];
          for (let i = 0, c = 0; i < readings.length; c++) {
            const part = readings.slice(i, i + cuts[c % cuts.length]);
            chunks.push({ count: part.length, text: encodeReadings(part) });
            i += part.length;
          }
          const a = new InfluxStore({ url: INFLUX!, database: dbA, batchSize, concurrency: 2 });
          const b = new InfluxStore({ url: INFLUX!, database: dbB, batchSize, concurrency: 2 });
          await a.writeEncodedReadings(chunks);
          await b.writeReadings(readings);
          const q = { stations: [...new Set(readings.map((r) => r.station))], from: 0, to: Date.UTC(2100, 0, 1) };
          const got = await a.queryReadings(q);
          expect(got).toEqual(await b.queryReadings(q));
          expect(got.length).toBe(readings.length);
        }),
        { numRuns: 25 },
      );
    } finally {
      await drop(dbA);
      await drop(dbB);
    }
  });

  it('a chunk the server refuses fails the write (STORE_INVALID_INPUT), so the drainer splits it', async () => {
    const database = `enc_bad_${process.pid}`;
    const s = new InfluxStore({ url: INFLUX!, database, batchSize: 2 });
    await s.init();
    try {
      const good = encodeReadings([{ station: 'A', time: T, interval: 'hour', source: 'live', values: { pm25: 1 }, flags: {} }]);
      const err = await s.writeEncodedReadings([{ count: 1, text: good }, { count: 1, text: 'readings,station=A pm25=' }]).then(() => null, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'STORE_INVALID_INPUT' });
    } finally {
      await s.close();
      await drop(database);
    }
  });
});
