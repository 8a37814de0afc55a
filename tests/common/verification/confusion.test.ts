/** levelConfusion against hand-worked days (HJ 633 levels: 1 = 0-50, 2 = 51-100, 3 = 101-150 ...). */
import { describe, expect, it } from 'vitest';
import { levelConfusion, offByTwo, centralLevelAccuracy, type Pair } from '#common/verification/index.ts';

const pair = (central: number, observed: number | null): Pair => ({
  forecast: { aqi: [central, central], central, levels: [1], primary: [] }, observed: { aqi: observed, primary: [] },
});

describe('levelConfusion', () => {
  it('counts central level against observed level', () => {
    // 80 (2) vs 120 (3); 80 (2) vs 100 (2); 50 (1) vs 51 (2); 210 (5) vs 90 (2); missing observation left out
    const ps = [pair(80, 120), pair(80, 100), pair(50, 51), pair(210, 90), pair(60, null)];
    const m = levelConfusion(ps);
    expect(m[1][2]).toBe(1);
    expect(m[1][1]).toBe(1);
    expect(m[0][1]).toBe(1);
    expect(m[4][1]).toBe(1);
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(4);
    // the diagonal is the single-level hits, cells >= 2 off it the 跨级 days
    const diag = m.reduce((s, row, i) => s + row[i], 0);
    expect(diag).toBe(centralLevelAccuracy(ps).hits);
    const far = m.flatMap((row, i) => row.filter((_, j) => Math.abs(i - j) >= 2)).reduce((a, b) => a + b, 0);
    expect(far).toBe(offByTwo(ps).hits);
  });
});
