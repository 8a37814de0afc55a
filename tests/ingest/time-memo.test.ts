import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { isIsoWithOffset, normaliseStationReading, validateStationStatus, DEFAULT_MAX_FUTURE_MS } from '#common/ingest/normalise.ts';

// normalise.ts keeps the last time string's parse (schema format check + checkTime share it).
// These tests hold the memoised answers to the plain ones over sequences that repeat, alternate
// and change strings, with a clock that moves between messages.
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const plainIso = (s: string) => ISO.test(s) && !Number.isNaN(Date.parse(s));
const NOW = Date.parse('2026-07-01T07:00:00Z');

const TIMES = [
  '2026-07-01T15:00:00+08:00', '2026-07-01T07:00:00Z', '2026-07-01T07:05:00Z', '2026-07-01T07:20:00Z',
  '2026-07-01 15:00+0800', '2026-07-01T15:00:00', 'yesterday', '1970-01-01T00:00:00Z',
  '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-07-01T07:00:00.123456789+08:00', '',
];
const time = fc.oneof(fc.constantFrom(...TIMES), fc.string({ maxLength: 30 }));

describe('time parse memo', () => {
  it('isIsoWithOffset answers as the regex + Date.parse do, whatever came before', () => {
    fc.assert(fc.property(fc.array(time, { maxLength: 30 }), (ts) => {
      for (const s of ts) expect(isIsoWithOffset(s)).toBe(plainIso(s));
    }), { numRuns: 300 });
  });

  it('normaliseStationReading: same verdict, reason and detail as parsing each time afresh', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(time, fc.integer({ min: -30, max: 30 })), { maxLength: 30 }),
      (seq) => {
        for (const [s, minutes] of seq) {
          const now = NOW + minutes * 60_000;
          const r = normaliseStationReading({ v: 1, station: 'S1', time: s, interval: 'hour', values: { pm25: 1 } }, { source: 'live', now });
          if (!plainIso(s)) {
            expect(r).toEqual({ ok: false, reason: 'time.invalid', detail: `time: ${JSON.stringify(s)} is not ISO 8601 with an offset` });
            continue;
          }
          const t = Date.parse(s);
          if (t < Date.UTC(1980, 0, 1)) expect(r).toMatchObject({ ok: false, reason: 'time.invalid', detail: `time ${s} is not a plausible date` });
          else if (t > now + DEFAULT_MAX_FUTURE_MS) {
            expect(r).toMatchObject({ ok: false, reason: 'time.future', detail: `time ${s} is ${Math.round((t - now) / 1000)} s ahead (limit 600 s)` });
          } else expect(r.ok && r.reading.time).toBe(t);
        }
      },
    ), { numRuns: 300 });
  });

  it('the future check uses each message\'s clock, not the one the string was first seen with', () => {
    const msg = { v: 1, station: 'S1', time: '2026-07-01T07:20:00Z', interval: 'hour', values: { pm25: 1 } };
    expect(normaliseStationReading(msg, { source: 'live', now: NOW }).ok).toBe(false);
    expect(normaliseStationReading({ ...msg }, { source: 'live', now: NOW + 15 * 60_000 }).ok).toBe(true);
    expect(normaliseStationReading({ ...msg }, { source: 'live', now: NOW }).ok).toBe(false);
  });

  it('status times share the memo and give the same epoch', () => {
    for (const s of ['2026-07-01T15:00:00+08:00', '2026-07-01T07:00:00Z', '2026-07-01T15:00:00+08:00']) {
      const r = validateStationStatus({ v: 1, station: 'S1', state: 'online', time: s });
      expect(r.ok && r.status.t).toBe(Date.parse(s));
    }
  });
});
