/**
 * stores/validate.ts checks readings without building messages (readingIsValid) and builds the
 * message only for a reading that fails. The fast check must accept exactly what the message-
 * building check accepts, or a bad reading could slip through (or a good batch be refused).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readingIsValid, validateReading, validateReadings } from '../../stores/validate.ts';
import type { Reading } from '#common/schemas/reading.ts';

const key = fc.oneof(fc.constantFrom('pm25', 'o3', 'no2', 'temp', 'time', 'flags', '2x', 'a-b', 'x'.repeat(32), 'y'.repeat(33)), fc.string({ maxLength: 6 }));
const value = fc.oneof(fc.double(), fc.constant(null), fc.constantFrom(NaN, Infinity, '1', undefined, true));
const reading = fc.record({
  station: fc.oneof(fc.constantFrom('1001A', '', 'a\nb', 'x\\', 'z'.repeat(129)), fc.string({ maxLength: 8 }), fc.integer()),
  time: fc.oneof(fc.integer({ min: -6e12, max: 1e13 }), fc.double(), fc.constant('1')),
  interval: fc.constantFrom('rt', 'min', 'hour', 'day', '5min', undefined),
  source: fc.constantFrom('live', 'import', 'sim', 'other'),
  values: fc.oneof(fc.dictionary(key, value, { maxKeys: 5 }), fc.constant(null), fc.constant('x')),
  flags: fc.oneof(fc.dictionary(key, fc.oneof(fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }), fc.array(fc.integer(), { minLength: 1, maxLength: 2 }), fc.constant('N')), { maxKeys: 3 }), fc.constant(null), fc.constant([])),
}, { requiredKeys: ['values', 'flags'] }) as fc.Arbitrary<unknown> as fc.Arbitrary<Reading>;

describe('readingIsValid', () => {
  it('accepts exactly the readings the message-building check accepts', () => {
    fc.assert(
      fc.property(reading, (r) => {
        let threw: unknown = null;
        try {
          validateReading(r, 0);
        } catch (e) {
          threw = e;
        }
        expect(readingIsValid(r)).toBe(threw === null);
        if (threw) expect((threw as { code?: string }).code).toBe('STORE_INVALID_INPUT');
      }),
      { numRuns: 3000 },
    );
  });

  it('names the first bad reading of a batch', () => {
    const ok: Reading = { station: 'S1', time: 1_700_000_000_000, interval: 'hour', source: 'live', values: { pm25: 1 }, flags: {} };
    expect(() => validateReadings([ok, { ...ok, values: { pm25: NaN } }])).toThrow(/reading\[1\] \(S1 @ 1700000000000\): pm25 = NaN/);
  });
});
