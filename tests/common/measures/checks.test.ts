/**
 * The honesty checks that are not about the interval: the training-range warning (trees do not
 * extrapolate), the lag, the versus-forecast comparison, bad arguments and too little data; and the
 * measure schema.
 */
import { describe, it, expect } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { evaluateMeasure, type EvaluateOptions } from '../../../common/measures/evaluate.ts';
import { Measure, checkMeasure } from '../../../common/measures/schema.ts';
import { blockLength, efoldingLag } from '../../../common/measures/bootstrap.ts';
import { seededRandom } from '../../../common/ml/gbm.ts';
import { synthHistory } from './synthetic.ts';

const window = { from: '2014-11-03', to: '2014-11-12' };
const FAST: EvaluateOptions = { gbm: { rounds: 15, maxLeaves: 8 }, placebos: 10, reps: 100, folds: 3 };
const small = (o: Parameters<typeof synthHistory>[0] = {}) => synthHistory({ window, seed: 3, firstDay: '2014-09-15', days: 100, ...o }).hist;

describe('training-range check', () => {
  it('warns when the window\'s weather lies outside what the model saw, and says which', () => {
    const r = evaluateMeasure({ hist: small({ windowWeather: { ws: 0.05, temp: 40 } }), pollutant: 'pm25', window }, FAST);
    expect(r.trainingRange.warning).toBe(true);
    const out = r.trainingRange.checks.filter((c) => c.outside > 0.1).map((c) => c.feature);
    expect(out).toEqual(expect.arrayContaining(['ws', 'temp', 'ws_24h']));
    expect(r.verdict.caveats.map((c) => c.code)).toContain('meteorology-out-of-range');
    expect(r.verdict.en).toMatch(/outside what the model was trained on/);
  });
  it('stays quiet for ordinary weather', () => {
    const r = evaluateMeasure({ hist: small(), pollutant: 'pm25', window }, FAST);
    expect(r.trainingRange.warning).toBe(false);
    expect(r.verdict.caveats.map((c) => c.code)).not.toContain('meteorology-out-of-range');
  });
});

describe('regional background', () => {
  it('a neighbour without the measure that shares the weather narrows the interval around the injected effect', () => {
    const { hist, truth } = synthHistory({ window, seed: 3, firstDay: '2014-09-15', days: 100, effect: -0.2 });
    // the neighbour: the same air mass (the city's own level without the measure), 30% cleaner
    const bg = truth.map((v) => 0.7 * v);
    // 60 rounds: at rate 0.1, 15 rounds reach only 1 - 0.9^15 = 79% of the signal, a biased counterfactual
    const opts = { ...FAST, gbm: { rounds: 60, maxLeaves: 8 } };
    const plain = evaluateMeasure({ hist, pollutant: 'pm25', window }, opts);
    const withBg = evaluateMeasure({ hist, pollutant: 'pm25', window, background: bg }, opts);
    expect(withBg.model.features).toEqual(expect.arrayContaining(['bg', 'bg_24h']));
    expect(withBg.model.background).toBe(true);
    const width = (r: typeof plain) => r.window!.pctHigh - r.window!.pctLow;
    expect(width(withBg)).toBeLessThan(width(plain));
    expect(withBg.window!.pctLow).toBeLessThan(-0.2);
    expect(withBg.window!.pctHigh).toBeGreaterThan(-0.2);
  });
});

describe('lag, forecast, arguments', () => {
  it('a lag shifts the evaluated window and keeps both out of training', () => {
    const r = evaluateMeasure({ hist: small(), pollutant: 'pm25', window, lagDays: 2 }, FAST);
    expect(r.evaluatedWindow).toEqual({ from: '2014-11-05', to: '2014-11-14' });
    expect(r.model.trainingHours).toBe(100 * 24 - 12 * 24);
    expect(r.verdict.caveats.map((c) => c.code)).toContain('lagged');
  });
  it('versus forecast compares observed daily means with the forecast, labelled', () => {
    const hist = small();
    const fc = new Map<string, number>();
    for (let d = 3; d <= 12; d++) fc.set(`2014-11-${String(d).padStart(2, '0')}`, 100);
    const r = evaluateMeasure({ hist, pollutant: 'pm25', window, forecast: fc }, FAST);
    expect(r.versusForecast!.days).toBe(10);
    expect(r.versusForecast!.forecastMean).toBe(100);
    expect(r.versusForecast!.pct).toBeCloseTo(r.versusForecast!.observedMean! / 100 - 1, 9);
    expect(r.versusForecast!.label).toMatch(/not a counterfactual/);
  });
  it.each([
    [{ window: { from: '2014-11-12', to: '2014-11-03' } }, /first <= last/],
    [{ window: { from: '2014-11', to: '2014-11-03' } }, /YYYY-MM-DD/],
    [{ lagDays: 9 }, /lagDays/],
    [{ lagDays: 1.5 }, /lagDays/],
    [{ exclude: [{ from: 'x', to: 'y' }] }, /exclude/],
    [{ background: new Float64Array(5) }, /background has 5 hours/],
  ])('refuses %j', (extra, msg) => {
    expect(() => evaluateMeasure({ hist: small(), pollutant: 'pm25', window, ...extra }, FAST)).toThrow(msg);
  });
  it('refuses to fit on less than 30 days, and says insufficient data for a window without values', () => {
    const tiny = synthHistory({ window, seed: 3, firstDay: '2014-10-20', days: 30 }).hist;
    expect(() => evaluateMeasure({ hist: tiny, pollutant: 'pm25', window }, FAST)).toThrow(/training hours/);
    const hist = small();
    const gap = { ...hist, q: { ...hist.q, pm25: hist.q.pm25.map((v, i) => (i >= 49 * 24 && i < 59 * 24 ? NaN : v)) } };
    const r = evaluateMeasure({ hist: gap, pollutant: 'pm25', window }, FAST);
    expect(r.window).toBeNull();
    expect(r.placebo).toBeNull();
    expect(r.verdict.code).toBe('insufficient-data');
    expect(r.verdict.zh).toMatch(/数据不足/);
  });
});

describe('block length', () => {
  it('an AR(1) series with rho 0.9 e-folds after about 1/-ln(0.9) = 9.5 hours; blocks 5 of those, whole days', () => {
    const r = seededRandom(5);
    const x = new Float64Array(20000);
    for (let i = 1; i < x.length; i++) x[i] = 0.9 * x[i - 1] + (r() - 0.5);
    const e = efoldingLag(x);
    expect(e).toBeGreaterThanOrEqual(9);
    expect(e).toBeLessThanOrEqual(11);
    expect(blockLength(e, 240)).toBe(72); // 5 * 10 = 50 h -> 3 days
    expect(blockLength(e, 48)).toBe(48);
    expect(blockLength(1, 240)).toBe(24);
  });
});

describe('Measure schema', () => {
  const ok = {
    v: 1, id: 'bj-2015-12-07-red', kind: 'warning-response', level: 'red', title: '北京市空气重污染红色预警',
    area: { city: 'beijing', districts: [] }, start: Date.UTC(2015, 11, 7, 23), end: Date.UTC(2015, 11, 10, 4),
    sectors: ['traffic', 'construction'],
    actions: [{ sector: 'traffic', code: 'odd-even-plates', text: '机动车单双号行驶' }, { sector: 'construction', code: 'stop-earthworks', text: '停止土石方作业' }],
    declaredBy: { who: 'duty officer', body: '北京市空气重污染应急指挥部', document: null, via: 'ui' },
    episodeIds: ['beijing-2015-12-07'], warningIds: [12], note: null,
  };
  it('accepts a sound measure', () => {
    expect(Value.Check(Measure, ok)).toBe(true);
    expect(checkMeasure(ok as Measure)).toEqual([]);
  });
  it.each([
    ['unknown kind', { kind: 'prayer' }],
    ['bad level', { level: 'purple' }],
    ['string start', { start: '2015-12-07' }],
    ['unknown sector', { sectors: ['magic'] }],
    ['extra field', { colour: 'red' }],
    ['empty id', { id: '' }],
    ['no declarer', { declaredBy: { who: '', body: null, document: null, via: 'ui' } }],
    ['version 2', { v: 2 }],
  ])('rejects %s', (_n, patch) => {
    expect(Value.Check(Measure, { ...ok, ...patch })).toBe(false);
  });
  it.each([
    ['warning response without level', { level: undefined }, /needs its level/],
    ['campaign with a level', { kind: 'campaign' }, /only a warning response/],
    ['end before start', { end: Date.UTC(2015, 11, 1) }, /end must be after start/],
    ['action outside the sectors', { sectors: ['traffic'] }, /not among/],
  ])('checkMeasure flags %s', (_n, patch, msg) => {
    const m = { ...ok, ...patch } as Measure;
    if ((patch as { level?: string }).level === undefined && "level" in patch) delete (m as { level?: string }).level;
    expect(checkMeasure(m).join('; ')).toMatch(msg);
  });
});
