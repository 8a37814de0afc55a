/** The emergency chart's geometry (client/src/measures/chart.ts) and the measure shown (data.ts). */
import { describe, expect, it } from 'vitest';
import { bandChart } from '../../client/src/measures/chart.ts';
import { pickMeasure } from '../../client/src/measures/data.ts';
import type { MeasureRecord } from '../../common/schemas/measures.ts';

const H = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 16); // 2026-12-02 00:00 Beijing

describe('bandChart', () => {
  const hours = Array.from({ length: 6 }, (_, i) => ({ t: T0 + (i + 1) * H, observed: i === 2 ? null : 100 + 10 * i, counterfactual: 150, low: 90, high: 240 }));
  it('scales to the highest of band, counterfactual and observed; breaks the observed line at a missing hour', () => {
    const c = bandChart(hours, 600, 300);
    expect(c.max).toBeGreaterThanOrEqual(240);
    // d3 starts a new subpath (M) after a gap: two pieces for one missing hour.
    expect(c.observed.match(/M/g)).toHaveLength(2);
    expect(c.counterfactual.match(/M/g)).toHaveLength(1);
    expect(c.band.startsWith('M')).toBe(true);
    expect(c.days.map((d) => d.label)).toEqual(['03:00', '06:00']);
    expect(c.yTicks[0]).toEqual({ v: 0, y: 300 });
  });
  it('an empty series draws nothing rather than failing', () => {
    expect(bandChart([], 600, 300)).toMatchObject({ observed: '', counterfactual: '', band: '' });
  });
});

describe('pickMeasure', () => {
  const rec = (id: number, start: number, end: number | null) => ({ id, measure: { start, end } }) as unknown as MeasureRecord;
  it('shows the measure in force that started last, else the latest ended one', () => {
    expect(pickMeasure([rec(1, T0, null), rec(2, T0 + H, null), rec(3, T0 + 2 * H, T0 + 3 * H)], T0 + 4 * H)?.id).toBe(2);
    expect(pickMeasure([rec(1, T0, T0 + H), rec(3, T0 + 2 * H, T0 + 3 * H)], T0 + 4 * H)?.id).toBe(3);
    expect(pickMeasure([], T0)).toBeNull();
  });
});
