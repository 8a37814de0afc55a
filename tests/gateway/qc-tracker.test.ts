import { describe, it, expect } from 'vitest';
import { QcTracker } from '../../gateway/qc-tracker.ts';
import { FLAT_RUN } from '#common/ingest/qc.ts';
import type { Reading } from '#common/schemas/reading.ts';

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
