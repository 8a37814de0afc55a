/**
 * The measure evaluation on a synthetic city (synthetic.ts) where the truth is known: weather-driven
 * PM2.5 with a day-long multiplicative error, and a -20% effect injected in a 10-day window. Four
 * seeds, judged as a 95% interval should be: the injected effect inside the interval in at least 3
 * of 4 (expected 3.8), the reduction distinguishable from zero in all 4, and, without an effect,
 * the placebo windows' false-positive rate near the nominal 5% (<= 0.15 on average) and no verdict
 * of an effect in at least 3 of 4.
 *
 * The window never enters training, so the model, its out-of-sample errors, the bootstrap draws and
 * the placebos are the same with and without the effect: one seed is run both ways to prove it, and
 * for the others the no-effect window is the effect run's observed / 0.8 against the same
 * counterfactual and error quantiles (which keeps this file to a few seconds).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { evaluateMeasure, resultLine, type EvaluationResult, type EvaluateOptions } from '../../../common/measures/evaluate.ts';
import { synthHistory } from './synthetic.ts';

const window = { from: '2014-11-03', to: '2014-11-12' };
const SEEDS = [7, 8, 9, 10];
// Small models keep the file to a few seconds; the method is the same as the CLI's.
export const FAST: EvaluateOptions = { gbm: { rounds: 30, maxLeaves: 15 }, placebos: 40, reps: 200, folds: 4 };
const city = (seed: number, effect: number) => synthHistory({ effect, window, seed, firstDay: '2014-07-01', days: 200, noise: 0.12 });

const withEffect = new Map<number, EvaluationResult>();
let without7: EvaluationResult;
beforeAll(() => {
  for (const s of SEEDS) withEffect.set(s, evaluateMeasure({ hist: city(s, -0.2).hist, pollutant: 'pm25', window }, FAST));
  without7 = evaluateMeasure({ hist: city(7, 0).hist, pollutant: 'pm25', window }, FAST);
});

/** The no-effect window of a seed from its effect run: observed / 0.8, the same counterfactual and
 *  error quantiles, so every share scales as (1 + x) / 0.8 - 1. */
const noEffect = (r: EvaluationResult) => {
  const w = r.window!;
  const f = (x: number) => (1 + x) / 0.8 - 1;
  return { pct: f(w.pct), pctLow: f(w.pctLow), pctHigh: f(w.pctHigh) };
};

describe('evaluateMeasure on a synthetic city with a known effect', () => {
  it('recovers an injected -20% within its 95% interval (>= 3 of 4 seeds) and calls it a reduction', () => {
    let inside = 0;
    for (const s of SEEDS) {
      const w = withEffect.get(s)!.window!;
      expect(w.hours).toBe(240);
      expect(w.pct).toBeLessThan(-0.08);
      expect(w.pct).toBeGreaterThan(-0.32);
      if (w.pctLow <= -0.2 && -0.2 <= w.pctHigh) inside++;
      expect(withEffect.get(s)!.verdict.code).toBe('reduction');
    }
    expect(inside).toBeGreaterThanOrEqual(3);
  });

  it('the effect in ug/m3 is observed - counterfactual, and the interval brackets the estimate', () => {
    const r = withEffect.get(7)!;
    const w = r.window!;
    expect(w.effect).toBeCloseTo(w.observed - w.counterfactual, 9);
    expect(w.pct).toBeCloseTo(w.observed / w.counterfactual - 1, 9);
    expect(w.pctLow).toBeLessThan(w.pct);
    expect(w.pctHigh).toBeGreaterThan(w.pct);
    expect(w.effectLow).toBeLessThan(w.effect);
    expect(r.days.length).toBe(10);
    expect(r.hours.length).toBe(240);
    // a day's interval is wider than the whole window's (fewer hours, less averaging)
    for (const d of r.days) expect(d.pctHigh - d.pctLow).toBeGreaterThan(w.pctHigh - w.pctLow);
    for (const h of r.hours) expect(h.low).toBeLessThanOrEqual(h.counterfactual);
  });

  it('the window does not enter the model: with and without the effect, the same counterfactual and placebos', () => {
    const a = withEffect.get(7)!;
    expect(without7.hours.map((h) => h.counterfactual)).toEqual(a.hours.map((h) => h.counterfactual));
    // all but the share of placebos as large as the window's effect, which depends on that effect
    expect({ ...without7.placebo!, asLargeShare: 0 }).toEqual({ ...a.placebo!, asLargeShare: 0 });
    const d = noEffect(a);
    expect(without7.window!.pct).toBeCloseTo(d.pct, 6);
    expect(without7.window!.pctLow).toBeCloseTo(d.pctLow, 6);
    expect(without7.window!.pctHigh).toBeCloseTo(d.pctHigh, 6);
  });

  it('without an effect: placebo false-positive rate near nominal and no effect claimed in >= 3 of 4', () => {
    const rates = SEEDS.map((s) => withEffect.get(s)!.placebo!.falsePositiveRate);
    for (const s of SEEDS) expect(withEffect.get(s)!.placebo!.windows).toBeGreaterThanOrEqual(30);
    expect(rates.reduce((a, b) => a + b, 0) / rates.length).toBeLessThanOrEqual(0.15);
    const quiet = SEEDS.filter((s) => { const d = noEffect(withEffect.get(s)!); return d.pctLow <= 0 && d.pctHigh >= 0; }).length;
    expect(quiet).toBeGreaterThanOrEqual(3);
    const d7 = noEffect(withEffect.get(7)!);
    expect(without7.verdict.code).toBe(d7.pctHigh < 0 ? 'reduction' : d7.pctLow > 0 ? 'increase' : 'not-distinguishable');
    // the placebo windows never overlap the measure window
    for (const d of without7.placebo!.starts) expect(d > window.to || d < '2014-10-24').toBe(true);
  });

  it('the window is kept out of training (the model never sees the measure)', () => {
    const r = withEffect.get(7)!;
    expect(r.model.trainingHours).toBe(200 * 24 - 240);
    expect(r.model.features).not.toContain('pm25');
    expect(r.model.features.some((f) => f.startsWith('pm'))).toBe(false);
  });

  it('is deterministic for a seed, and the seed matters', () => {
    const again = evaluateMeasure({ hist: city(7, -0.2).hist, pollutant: 'pm25', window }, FAST);
    expect(JSON.stringify(again)).toBe(JSON.stringify(withEffect.get(7)));
    expect(resultLine(again)).toMatch(/^RESULT effect_pct=-?\d+\.\d ci_low_pct=-?\d+\.\d ci_high_pct=-?\d+\.\d placebo_false_positive=\d\.\d{3}$/);
    const other = evaluateMeasure({ hist: city(7, -0.2).hist, pollutant: 'pm25', window }, { ...FAST, seed: 2, gbm: { rounds: 2 } });
    expect(other.placebo!.starts).not.toEqual(again.placebo!.starts);
  });

  it('labels the naive comparisons and words the verdict in zh and en', () => {
    const r = withEffect.get(8)!;
    expect(r.beforeAfter.label).toMatch(/not weather-adjusted/);
    expect(r.beforeAfter.before).toEqual({ from: '2014-10-24', to: '2014-11-02' });
    expect(r.versusForecast).toBeNull();
    expect(r.verdict.en).toMatch(/below the weather-adjusted counterfactual/);
    expect(r.verdict.zh).toMatch(/降幅可与零区分/);
    expect(r.verdict.params.pct).toBe(r.window!.pct);
  });
});
