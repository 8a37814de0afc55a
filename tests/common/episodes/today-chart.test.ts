/**
 * The forecaster's "will today exceed?" and the O3 episode chart. O3 hour labels 13..20 at 200 and
 * 60 elsewhere: the 8-h mean ending 16:00 is (4*60 + 4*200)/8 = 130, ending 20:00 is 200 (REF 2.3);
 * 160 / 215 / 265 are HJ 633 Table 1's O3 8-h breakpoints at IAQI 100 / 150 / 200.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '#common/episodes/index.ts';
import { at, hours, points } from '../../episodes/series.ts';

const o3day = (day: string, x: number) => hours(`${day}T01`, [...Array(12).fill('60'), ...Array(8).fill(String(x)), ...Array(4).fill('60')].join(' '));

describe('today (O3)', () => {
  it('O3-8h now, MDA8 so far, on track once it is over 160', () => {
    const e = createEngine();
    e.ingest(points('bj', 'o3', hours('2017-06-15T01', [...Array(12).fill('60'), ...Array(4).fill('200')].join(' '))));
    expect(e.today('bj', '2017-06-15')).toMatchObject({ time: at('2017-06-15T16'), o3_8h: 130, mda8SoFar: 130, windows: 9, threshold: 160, onTrack: false, complete: false });
    e.ingest(points('bj', 'o3', hours('2017-06-15T17', '200 200 200 200')));
    expect(e.today('bj', '2017-06-15')).toMatchObject({ o3_8h: 200, mda8SoFar: 200, windows: 13, onTrack: true, levels: { moderate: 215, heavy: 265 } });
    // Another day (the clock moved on, no data yet): nothing is claimed.
    expect(e.today('bj', '2017-06-16')).toMatchObject({ time: null, o3_8h: null, mda8SoFar: null, onTrack: false });
  });
});

describe('O3 episode chart', () => {
  it('O3-8h of the city and each station against 160/215/265, and the MDA8 of each day', () => {
    const e = createEngine();
    const a = [...o3day('2017-06-14', 180), ...o3day('2017-06-15', 220), ...o3day('2017-06-16', 100)];
    const b = [...o3day('2017-06-14', 200), ...o3day('2017-06-15', 240), ...o3day('2017-06-16', 100)];
    e.ingest([...points('bj', 'o3', a, 'A'), ...points('bj', 'o3', b, 'B')]);
    const c = e.chart('o3:bj:2017-06-14')!;
    expect(c.metric).toBe('o3_8h');
    expect(c.thresholds.map((t) => t.value)).toEqual([160, 215, 265]);
    // City = station mean: 190 on 06-14, 230 on 06-15 (the MDA8s of the episode days).
    expect(c.daily).toEqual([
      { day: '2017-06-14', metric: 'mda8', value: 190, provisional: false },
      { day: '2017-06-15', metric: 'mda8', value: 230, provisional: false },
    ]);
    const peak = (s: { time: number; value: number | null }[]) => Math.max(...s.map((p) => p.value ?? -1));
    expect(peak(c.city)).toBe(230);
    expect(Object.keys(c.stations)).toEqual(['A', 'B']);
    expect([peak(c.stations.A), peak(c.stations.B)]).toEqual([220, 240]);
    expect(c.city.find((p) => p.time === at('2017-06-14T20'))!.value).toBe(190);
  });
});
