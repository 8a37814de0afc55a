import { describe, expect, it } from 'vitest';
import { analyseEkma } from '../../../common/obm/analysis.ts';
import { ekmaRatio, ekmaRegime, interpolate, reductionPath, ridgeLine, scalings, type EkmaGrid } from '../../../common/obm/ekma.ts';
import { rirRatioBound, rirRegime } from '../../../common/obm/rir.ts';

// An analytic isopleth with a known ridge: f(v, n) = 100 n exp(1 - n / v) peaks over n at n = v
// (df/dn = 0), so the ridge is the line NOx = VOC and the base (1, 1) sits on it.
const f = (v: number, n: number) => (v === 0 ? 0 : 100 * n * Math.exp(1 - n / v));
const axis = scalings(1.5, 0.1);
const grid: EkmaGrid = { voc: axis, nox: axis, value: axis.map((n) => axis.map((v) => f(v, n))) };

describe('EKMA analysis on an analytic isopleth', () => {
  it('scalings are 0..150 % in 10 % steps without float noise', () => {
    expect(axis).toHaveLength(16);
    expect(axis[3]).toBe(0.3);
    expect(axis[15]).toBe(1.5);
  });
  it('interpolates exactly at grid nodes and between them bilinearly', () => {
    expect(interpolate(grid, 1, 1)).toBeCloseTo(100, 9);
    expect(interpolate(grid, 0.95, 1)).toBeCloseTo((f(0.9, 1) + f(1, 1)) / 2, 9);
  });
  it('finds the ridge NOx = VOC', () => {
    const ridge = ridgeLine(grid);
    for (const p of ridge.filter((x) => x.voc >= 0.3 && x.voc <= 1.2)) {
      expect(p.interior).toBe(true);
      expect(p.nox).toBeCloseTo(p.voc, 1);
    }
  });
  it('places points above the ridge VOC-limited, below NOx-limited, on it transitional', () => {
    const ridge = ridgeLine(grid);
    expect(ekmaRegime(grid, ridge, 0.6, 1.2)).toBe('VOC-limited');
    expect(ekmaRegime(grid, ridge, 1.2, 0.6)).toBe('NOx-limited');
    expect(ekmaRegime(grid, ridge, 1, 1)).toBe('transitional');
  });
  it('a NOx-only cut from above the ridge first raises O3; a large enough VOC share does not', () => {
    const base = { voc: 0.7, nox: 1.2 };
    const r = ekmaRatio(grid, null, undefined, base);
    const noxOnly = r.paths.find((p) => p.ratio === 0)!;
    expect(noxOnly.monotone).toBe(false);
    expect(noxOnly.maxRise).toBeGreaterThan(10);
    expect(r.monotoneRatio).not.toBeNull();
    const best = reductionPath(grid, r.monotoneRatio!, null, { vocBase: base.voc, noxBase: base.nox });
    for (let i = 1; i < best.points.length; i++) expect(best.points[i]!.value).toBeLessThanOrEqual(best.points[i - 1]!.value + 0.05);
    // Everything smaller than the chosen ratio fails (it is the smallest).
    for (const p of r.paths.filter((x) => x.ratio < r.monotoneRatio!)) expect(p.monotone).toBe(false);
  });
  it('target ratio: least total cut to reach 90 % of the base value', () => {
    const a = analyseEkma(grid, 'peakO3');
    expect(a.target).toBeCloseTo(90, 9);
    const reach = a.ratio.paths.filter((p) => p.totalCutToTarget != null);
    const least = Math.min(...reach.map((p) => p.totalCutToTarget!));
    expect(a.ratio.paths.find((p) => p.ratio === a.ratio.targetRatio)!.totalCutToTarget).toBe(least);
    expect(a.band.monotone).not.toBeNull();
    expect(a.band.monotone![0]).toBeLessThanOrEqual(a.band.monotone![1]);
  });
});

describe('RIR rules (REFERENCE 5.4-5.5)', () => {
  it.each([
    [0.8, -0.5, 'VOC-limited', 0.625],
    [0.6, 0.3, 'transitional', 0],
    [0.1, 0.7, 'NOx-limited', 0],
    [null, 0.7, 'undetermined', null],
    [-0.1, -0.2, 'undetermined', null],
  ] as const)('RIR_AVOC %s, RIR_NOx %s -> %s, ratio bound %s', (a, n, regime, bound) => {
    expect(rirRegime(a, n)).toBe(regime);
    const b = rirRatioBound(a, n);
    if (bound == null) expect(b).toBeNull();
    else expect(b).toBeCloseTo(bound, 12);
  });
});
