import { describe, it, expect } from 'vitest';
import { fitGbm, predictGbm, gbmFromJson, lossValue, quantileOf, seededRandom, type GbmModel } from '../../../common/ml/gbm.ts';

/** Standard normal draws (Box-Muller) from the seeded generator. */
function normals(n: number, seed: number): number[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
}

describe('fitGbm on known small cases', () => {
  it('learns a step function exactly enough (one split at x = 0.5)', () => {
    const X = Array.from({ length: 200 }, (_, i) => [i / 200]);
    const y = X.map(([x]) => (x < 0.5 ? 10 : 30));
    const m = fitGbm(X, y, { rounds: 200, learningRate: 0.2, minLeaf: 5, maxBins: 255 }); // 200 distinct values: exact midpoints
    const [a, b] = predictGbm(m, [[0.2], [0.8]]);
    expect(a).toBeCloseTo(10, 0);
    expect(b).toBeCloseTo(30, 0);
    // the first tree's root split sits between the last 10 and the first 30
    expect(m.trees[0].threshold[0]).toBeGreaterThan(0.49);
    expect(m.trees[0].threshold[0]).toBeLessThan(0.5);
  });

  it('approximates a linear function on held-out points (RMSE well below the spread)', () => {
    const r = seededRandom(3);
    const X = Array.from({ length: 600 }, () => [r() * 10, r()]);
    const y = X.map(([a]) => 3 * a + 2);
    const m = fitGbm(X, y, { rounds: 400, learningRate: 0.1 });
    const Xt = Array.from({ length: 200 }, () => [0.5 + r() * 9, r()]);
    const yt = Xt.map(([a]) => 3 * a + 2);
    const rmse = Math.sqrt(lossValue('l2', yt, predictGbm(m, Xt)));
    expect(rmse).toBeLessThan(0.6); // y spans 30; a piecewise-constant fit of 600 points gets close
  });

  it('routes missing values to the learned side', () => {
    // missing x behaves like a large x (target 30): the split must send missing right
    const X: (number | null)[][] = Array.from({ length: 300 }, (_, i) => [i % 3 === 0 ? null : (i % 100) / 100]);
    const y = X.map(([x]) => (x === null || x >= 0.5 ? 30 : 10));
    const m = fitGbm(X, y, { rounds: 100, learningRate: 0.3 });
    const [miss, nan, low] = predictGbm(m, [[null], [NaN], [0.1]]);
    expect(miss).toBeCloseTo(30, 0);
    expect(nan).toBeCloseTo(30, 0);
    expect(low).toBeCloseTo(10, 0);
  });

  it('quantile models are ordered and cover near nominal on held-out noise', () => {
    const n = 3000;
    const r = seededRandom(7);
    const z = normals(2 * n, 11);
    const X = Array.from({ length: 2 * n }, () => [r() * 4]);
    // heteroscedastic: sd grows with x
    const y = X.map(([x], i) => 5 * x + (1 + x) * z[i]);
    const [Xa, ya, Xb, yb] = [X.slice(0, n), y.slice(0, n), X.slice(n), y.slice(n)];
    const fit = (tau: number) => fitGbm(Xa, ya, { loss: { quantile: tau }, rounds: 150, learningRate: 0.1, minLeaf: 40, seed: 2 });
    const [q10, q50, q90] = [0.1, 0.5, 0.9].map((t) => predictGbm(fit(t), Xb));
    let below10 = 0, below50 = 0, below90 = 0, ordered = 0;
    for (let i = 0; i < n; i++) {
      if (yb[i] <= q10[i]) below10++;
      if (yb[i] <= q50[i]) below50++;
      if (yb[i] <= q90[i]) below90++;
      if (q10[i] <= q50[i] && q50[i] <= q90[i]) ordered++;
    }
    expect(below10 / n).toBeGreaterThan(0.06);
    expect(below10 / n).toBeLessThan(0.14);
    expect(below50 / n).toBeGreaterThan(0.45);
    expect(below50 / n).toBeLessThan(0.55);
    expect(below90 / n).toBeGreaterThan(0.86);
    expect(below90 / n).toBeLessThan(0.94);
    expect(ordered / n).toBeGreaterThan(0.99);
    // the interval is wider where the noise is larger
    const width = (i: number) => q90[i] - q10[i];
    const lo = Xb.map(([x], i) => (x < 1 ? width(i) : NaN)).filter((v) => !Number.isNaN(v));
    const hi = Xb.map(([x], i) => (x > 3 ? width(i) : NaN)).filter((v) => !Number.isNaN(v));
    expect(quantileOf(hi, 0.5)).toBeGreaterThan(1.8 * quantileOf(lo, 0.5));
  });

  it('is deterministic for a seed and differs across seeds when subsampling', () => {
    const r = seededRandom(5);
    const X = Array.from({ length: 300 }, () => [r(), r(), r()]);
    const y = X.map(([a, b, c]) => a * 4 + Math.sin(6 * b) + c);
    const o = { rounds: 50, subsample: 0.7, colsample: 0.67, seed: 42 };
    const a = fitGbm(X, y, o);
    const b = fitGbm(X, y, o);
    const c = fitGbm(X, y, { ...o, seed: 43 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('round-trips through JSON with the same predictions', () => {
    const X = Array.from({ length: 100 }, (_, i) => [i, i % 7]);
    const y = X.map(([a, b]) => a + 10 * b);
    const m = fitGbm(X, y, { rounds: 30, names: ['a', 'b'] });
    const back = gbmFromJson(JSON.parse(JSON.stringify(m)));
    expect(predictGbm(back, X)).toEqual(predictGbm(m, X));
    expect(back.names).toEqual(['a', 'b']);
    expect(() => gbmFromJson({ kind: 'gbm', v: 2 })).toThrow(/version-1/);
    expect(() => gbmFromJson({ ...m, trees: [{ feature: [0], threshold: [] }] })).toThrow(/different lengths/);
  });

  it('early stopping keeps the best validation round', () => {
    const r = seededRandom(9);
    const z = normals(400, 4);
    const X = Array.from({ length: 400 }, () => [r(), r()]);
    const y = X.map(([a], i) => a + 2 * z[i]); // mostly noise: overfits quickly
    const m = fitGbm(X.slice(0, 200), y.slice(0, 200), {
      rounds: 500, learningRate: 0.3, minLeaf: 2, valid: { X: X.slice(200), y: y.slice(200) }, earlyStop: 10,
    });
    expect(m.trees.length).toBe(m.bestRound);
    expect(m.validLoss.length).toBeLessThan(500);
    const bestLoss = Math.min(...m.validLoss);
    expect(m.validLoss[m.bestRound - 1]).toBe(bestLoss);
  });

  it('monotone constraint: prediction never decreases in a +1 feature even with noise', () => {
    const r = seededRandom(13);
    const z = normals(500, 8);
    const X = Array.from({ length: 500 }, () => [r(), r()]);
    const y = X.map(([a, b], i) => a + 0.3 * Math.sin(20 * a) + b + 0.3 * z[i]); // wiggly in a
    const free = fitGbm(X, y, { rounds: 150, learningRate: 0.1, minLeaf: 5 });
    const mono = fitGbm(X, y, { rounds: 150, learningRate: 0.1, minLeaf: 5, monotone: [1, 0] });
    const drops = (m: GbmModel) => {
      let d = 0;
      for (const b of [0.1, 0.5, 0.9]) {
        const p = predictGbm(m, Array.from({ length: 101 }, (_, i) => [i / 100, b]));
        for (let i = 1; i < p.length; i++) if (p[i] < p[i - 1] - 1e-12) d++;
      }
      return d;
    };
    expect(drops(free)).toBeGreaterThan(0); // the constraint is doing something
    expect(drops(mono)).toBe(0);
  });

  it('rejects bad shapes and options with a clear error', () => {
    expect(() => fitGbm([], [])).toThrow(/0 rows/);
    expect(() => fitGbm([[1], [2]], [1])).toThrow(/2 rows and 1 targets/);
    expect(() => fitGbm([[1], [2, 3]], [1, 2])).toThrow(/different lengths/);
    expect(() => fitGbm([[1], [2]], [1, NaN])).toThrow(/finite/);
    expect(() => fitGbm([[1], [2]], [1, 2], { loss: { quantile: 1.5 } })).toThrow(/quantile/);
    expect(() => fitGbm([[1], [2]], [1, 2], { maxBins: 300 })).toThrow(/maxBins/);
    expect(() => fitGbm([[1], [2]], [1, 2], { monotone: [1, 1] })).toThrow(/monotone/);
    const m = fitGbm([[1], [2]], [1, 2], { rounds: 2, minLeaf: 1 });
    expect(() => predictGbm(m, [[1, 2]])).toThrow(/2 features/);
  });
});
