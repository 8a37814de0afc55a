import { describe, it, expect } from 'vitest';
import { mosApply, mosFit, type MosPair } from '../../../common/forecast/mos.ts';

const day = (k: number) => `2015-01-${String(k + 1).padStart(2, '0')}`;
const pairs = (f: number[], o: number[]): MosPair[] => f.map((x, k) => ({ day: day(k), f: x, o: o[k] }));

describe('MOS correction of an external model', () => {
  it('few pairs: removes the mean bias only (F 100, 80, 60 vs O 90, 70, 50 -> -10)', () => {
    const fit = mosFit(pairs([100, 80, 60], [90, 70, 50]));
    expect(fit).toEqual({ method: 'bias', a: -10, b: 1, n: 3 });
    expect(mosApply(fit, 120)).toBe(110);
    expect(mosApply(fit, 5)).toBe(0); // never negative
  });
  it('enough pairs: least-squares line; a model that doubles the truth is halved', () => {
    const f = Array.from({ length: 20 }, (_, k) => 20 + 10 * k);
    const fit = mosFit(pairs(f, f.map((x) => x / 2)));
    expect(fit.method).toBe('linear');
    expect(fit.b).toBeCloseTo(0.5, 12);
    expect(fit.a).toBeCloseTo(0, 9);
    expect(mosApply(fit, 300)).toBeCloseTo(150, 9);
  });
  it('hand-worked line: F 1..15, O = 2 + 1.5 F except one point; mean F 8, mean O 14 + 0.2', () => {
    const f = Array.from({ length: 15 }, (_, k) => k + 1);
    const o = f.map((x) => 2 + 1.5 * x);
    o[14] += 3; // F = 15: residual +3 -> slope += 3 (15 - 8) / 280, mean O += 0.2
    const fit = mosFit(pairs(f, o));
    const sff = f.reduce((s, x) => s + (x - 8) ** 2, 0); // 280
    expect(sff).toBe(280);
    expect(fit.b).toBeCloseTo(1.5 + (3 * 7) / 280, 12);
    expect(fit.a).toBeCloseTo(14.2 - fit.b * 8, 12);
  });
  it('uses only the latest window of pairs with both values, whatever their order', () => {
    const old = pairs(Array(20).fill(100), Array(20).fill(10)); // days 01..20: a wild bias
    const recent = Array.from({ length: 5 }, (_, k) => ({ day: `2015-02-0${k + 1}`, f: 50, o: 40 }));
    const gaps: MosPair[] = [{ day: '2015-02-06', f: null, o: 1 }, { day: '2015-02-07', f: 1, o: null }];
    const fit = mosFit([...recent, ...gaps, ...old].reverse(), { window: 5 });
    expect(fit).toEqual({ method: 'bias', a: -10, b: 1, n: 5 });
  });
  it('no pairs: unchanged; constant forecasts: bias only; slope clamped to [1/3, 3]', () => {
    expect(mosApply(mosFit([]), 42)).toBe(42);
    expect(mosFit(pairs(Array(20).fill(50), Array.from({ length: 20 }, (_, k) => k))).method).toBe('bias');
    const f = Array.from({ length: 20 }, (_, k) => k);
    expect(mosFit(pairs(f, f.map((x) => 10 * x))).b).toBe(3);
    expect(mosApply(mosFit([]), null)).toBeNull();
  });
});
