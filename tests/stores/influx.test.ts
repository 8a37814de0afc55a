/** InfluxDB adapter specifics beyond the shared contract: the exact line protocol, and how server
 *  errors surface. The contract suite (contract.test.ts) covers behaviour. */
import { describe, expect, it } from 'vitest';
import { InfluxStore, readingLine, vocLine } from '../../stores/influx.ts';
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
  it('refuses a bad configuration with STORE_BAD_CONFIG', () => {
    expect(() => new InfluxStore({ url: 'nope', database: 'x' })).toThrow(StoreError);
    expect(() => new InfluxStore({ url: 'http://h:8086', database: 'a;DROP' })).toThrow(/STORE_BAD_CONFIG/);
  });
});

const INFLUX = process.env.AIRDESK_TEST_INFLUX_URL;
describe.skipIf(!INFLUX)('InfluxDB server errors', () => {
  it('a write to a database that does not exist fails with STORE_WRITE_FAILED and the server message', async () => {
    const s = new InfluxStore({ url: INFLUX!, database: `missing_${Date.now()}` }); // no init()
    const err = await s
      .writeReadings([{ station: 'A', time: T, interval: 'hour', source: 'live', values: { pm25: 1 }, flags: {} }])
      .then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'STORE_WRITE_FAILED', retryable: false });
    expect((err as Error).message).toMatch(/404.*database not found/);
  });

  it('a field type conflict (someone wrote pm25 as an integer) is a non-retryable STORE_WRITE_FAILED', async () => {
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
      expect(err).toMatchObject({ code: 'STORE_WRITE_FAILED', retryable: false });
      expect((err as Error).message).toMatch(/field type conflict/);
    } finally {
      await fetch(`${INFLUX}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }) });
    }
  });
});
