/** Query times outside what the stores hold are the caller's mistake: 400 AIRDESK_BAD_TIME, not
 *  a 503 from the store (issue 14: a time past 2262 overflowed InfluxDB's int64 nanoseconds). */
import { describe, expect, it } from 'vitest';
import { parseRange, parseTime } from '../../server/time-param.ts';

const err = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as { code?: string; statusCode?: number; message: string };
  }
  return null;
};

describe('query time parameters', () => {
  it.each([['2263-01-01'], ['9999-12-31T00:00:00Z'], ['9000000000001'], ['-5000000000001'], ['1700-01-01T00:00:00Z']])('%s -> 400 AIRDESK_BAD_TIME', (raw) => {
    const e = err(() => parseTime('to', raw));
    expect(e?.code).toBe('AIRDESK_BAD_TIME');
    expect(e?.statusCode).toBe(400);
  });

  it.each([
    ['2026-07-01', Date.UTC(2026, 5, 30, 16)], // a bare date is 00:00 Beijing time
    ['2255-01-01T00:00:00Z', Date.UTC(2255, 0, 1)],
    ['1782889200000', 1782889200000],
  ])('%s -> %d', (raw, want) => {
    expect(parseTime('from', raw)).toBe(want);
  });

  it('a range ending past 2262 is refused before any store is asked', () => {
    expect(err(() => parseRange({ from: '2262-04-01', to: '2262-04-12' }, 93))?.statusCode).toBe(400);
  });
});
