import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { QcTracker } from '../../gateway/qc-tracker.ts';
import { FLAT_RUN, isFlatLine, isSpike } from '#common/ingest/qc.ts';
import type { Quantity } from '#common/pollutants.ts';
import type { Interval, Reading, Source } from '#common/schemas/reading.ts';

const H = 3_600_000;
const r = (t: number, values: Record<string, number | null>, station = 'S1'): Reading => ({ station, time: t * H, interval: 'hour', source: 'live', values, flags: {} });

describe('QcTracker (flat lines and spikes need the previous values)', () => {
  it('flags the 6th identical hourly value onward, not earlier, per station', () => {
    const q = new QcTracker();
    const out: string[][] = [];
    for (let h = 1; h <= 8; h++) {
      const a = r(h, { pm25: 42 });
      q.apply(a);
      q.apply(r(h, { pm25: 42 }, 'S2'));
      out.push(a.flags.pm25 ?? []);
    }
    expect(FLAT_RUN.hour).toBe(6);
    expect(out).toEqual([[], [], [], [], [], ['flat'], ['flat'], ['flat']]);
    const b = r(9, { pm25: 43 });
    q.apply(b);
    expect(b.flags).toEqual({});
  });
  it('flags a spike, keeps the value, and ignores out-of-order or replayed readings', () => {
    const q = new QcTracker();
    q.apply(r(1, { pm25: 30 }));
    const spike = r(2, { pm25: 420 });
    q.apply(spike);
    expect(spike.flags.pm25).toEqual(['spike']);
    expect(spike.values.pm25).toBe(420);
    const replay = r(2, { pm25: 420 });
    q.apply(replay);
    expect(replay.flags).toEqual({});
    const late = r(1, { pm25: 9000 });
    q.apply(late);
    expect(late.flags).toEqual({});
  });
  it('null values neither flag nor break a run', () => {
    const q = new QcTracker();
    const flags: (string[] | undefined)[] = [];
    for (const [h, v] of [[1, 5], [2, 5], [3, null], [4, 5], [5, 5], [6, 5], [7, 5]] as const) {
      const x = r(h, { so2: v });
      q.apply(x);
      flags.push(x.flags.so2);
    }
    expect(flags).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, ['flat']]);
  });
});

/** The rules stated plainly: one map keyed by station, interval, source and quantity. */
class ReferenceTracker {
  private readonly last = new Map<string, { time: number; v: number; run: number }>();
  apply(r: Reading): void {
    for (const q in r.values) {
      const v = r.values[q];
      if (v === null) continue;
      const key = JSON.stringify([r.station, r.interval, r.source, q]);
      const prev = this.last.get(key);
      if (prev && r.time <= prev.time) continue;
      const pv = prev ? prev.v : null;
      const run = prev ? prev.run : 0;
      const f: string[] = [];
      if (isFlatLine(q as Quantity, r.interval, pv, run, v)) f.push('flat');
      if (isSpike(q as Quantity, pv, v)) f.push('spike');
      if (f.length) r.flags[q] = [...(r.flags[q] ?? []), ...f];
      this.last.set(key, { time: r.time, v, run: pv === v ? run + 1 : 1 });
    }
  }
  get size(): number {
    return this.last.size;
  }
}

describe('QcTracker equals a plain reference over random reading sequences', () => {
  // Few stations, values and times so runs, spikes, replays and out-of-order readings all occur;
  // FLAT_RUN.hour and .day are small enough for flat lines to appear within a sequence.
  const reading = fc.record({
    station: fc.oneof({ weight: 4, arbitrary: fc.constant('S1') }, fc.constantFrom('S2', '__proto__')),
    interval: fc.oneof({ weight: 6, arbitrary: fc.constant<Interval>('day') }, fc.constantFrom<Interval>('hour', 'rt', 'min')),
    source: fc.oneof({ weight: 6, arbitrary: fc.constant<Source>('live') }, fc.constantFrom<Source>('import', 'sim')),
    // time moves on by dt hours from the previous reading: mostly forward, sometimes back
    dt: fc.integer({ min: -2, max: 3 }),
    values: fc.dictionary(
      fc.oneof({ weight: 4, arbitrary: fc.constant('pm25') }, fc.constantFrom('so2', 'co', 'ws', 'precip')),
      fc.oneof({ weight: 12, arbitrary: fc.constant(5) }, fc.constantFrom(30, 420, null), fc.double({ min: 0, max: 3000, noNaN: true })),
      { maxKeys: 3 },
    ),
    flags: fc.constantFrom<Record<string, string[]>>({}, { pm25: ['M'] }),
  });
  it('gives the same flags and series count', () => {
    const seen = { flat: 0, spike: 0 };
    fc.assert(fc.property(fc.array(reading, { minLength: 50, maxLength: 300 }), (rs) => {
      const a = new QcTracker();
      const b = new ReferenceTracker();
      let h = 0;
      for (const { dt, ...x } of rs) {
        h += dt;
        const ra: Reading = { ...x, time: h * 3_600_000, values: { ...x.values }, flags: structuredClone(x.flags) };
        const rb: Reading = { ...ra, values: { ...x.values }, flags: structuredClone(x.flags) };
        a.apply(ra);
        b.apply(rb);
        expect(ra.flags).toEqual(rb.flags);
        for (const f of Object.values(ra.flags).flat()) if (f === 'flat' || f === 'spike') seen[f]++;
      }
      expect(a.size).toBe(b.size);
    }), { numRuns: 500 });
    // The sequences did exercise both rules.
    expect(seen.flat).toBeGreaterThan(20);
    expect(seen.spike).toBeGreaterThan(20);
  });
});
