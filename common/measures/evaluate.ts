/**
 * Did a measure work? The effect of a measure on a pollutant = observed - counterfactual, where the
 * counterfactual is what a model of the pollutant, trained on the same city's hours WITHOUT
 * measures on meteorology, calendar, a trend and (when given) a regional background, predicts for
 * the window's weather: the meteorological-normalisation approach of rmweather (Grange et al. 2018,
 * Atmos. Chem. Phys. 18:6223; Grange & Carslaw 2019, Sci. Total Environ. 653:578; Vu et al. 2019,
 * Atmos. Chem. Phys. 19:11303) with the gradient-boosted trees of common/ml instead of a random
 * forest. Never the pollutant's own lags as inputs (they would carry the effect into the
 * counterfactual).
 *
 * Shown with every result (the honesty checks):
 * - a confidence interval from a block bootstrap of out-of-sample errors (bootstrap.ts);
 * - placebo windows: the same estimate on random windows of the same length without measures,
 *   each with its own interval; the share whose interval excludes zero is the false-positive rate
 *   (nominal 1 - level when the interval is honest);
 * - the training-range check: the share of window hours whose meteorology lies outside what the
 *   model saw (trees do not extrapolate: severe stagnation beyond the training range is predicted as
 *   the worst seen, so the effect looks smaller);
 * - a lag: the evaluated window is the measure's shifted by lagDays (for measures that take a day
 *   to bite), and both are kept out of training;
 * - before/after and versus-forecast comparisons, labelled as such (not weather-adjusted).
 * Pure and deterministic for a given seed.
 */
import { fitGbm, predictGbm, seededRandom, type GbmOptions } from '../ml/gbm.ts';
import { addDays, type CityHistory } from '../forecast/history.ts';
import { HOUR_MS, beijingDayOfHourEnd } from '../time.ts';
import { blockLength, blockStarts, efoldingLag, sortedQuantile, windowErrors, type ResidualPool } from './bootstrap.ts';
import { hourlyFeatures } from './features.ts';
import { verdictOf, type Verdict } from './verdict.ts';

export type EvalPollutant = 'pm25' | 'pm10' | 'no2' | 'so2' | 'co' | 'o3';

/** Beijing days, both inclusive. */
export interface DayWindow { from: string; to: string }

export interface EvaluateInput {
  hist: CityHistory;
  pollutant: EvalPollutant;
  /** the measure's days */
  window: DayWindow;
  /** other periods with measures (or anything abnormal) to keep out of training and placebos */
  exclude?: readonly DayWindow[];
  /** evaluate the window shifted by this many days (0..7) */
  lagDays?: number;
  /** regional background of the pollutant, aligned with hist (NaN = missing) */
  background?: Float64Array | null;
  /** a forecast of the pollutant's daily mean, by day, for the versus-forecast comparison */
  forecast?: ReadonlyMap<string, number> | null;
  /** The window is still running (a live evaluation): evaluate its hours up to the history's last
   *  hour, as a window of that many hours (coverage, interval and placebo windows of that length),
   *  instead of as whole days that are not over yet. */
  soFar?: boolean;
  /** With soFar: the measure's start (UTC ms); only hours ending after it are evaluated (a warning
   *  issued at 21:30 is not judged on the 21 hours of its first day before it). Whole days are
   *  still what is kept out of training. */
  startAt?: number;
}

export interface EvaluateOptions {
  /** seed of the model, the bootstrap and the placebo draw (default 1) */
  seed?: number;
  /** interval level (default 0.95) */
  level?: number;
  /** placebo windows (default 100) */
  placebos?: number;
  /** bootstrap draws per interval (default 1000) */
  reps?: number;
  /** season of the bootstrap blocks: days of year either side of the window's centre (default 45) */
  seasonDays?: number;
  /** cross-validation folds for the out-of-sample errors (default 5), of chunks of foldDays days */
  folds?: number;
  foldDays?: number;
  /** the trees (defaults: 200 rounds, rate 0.1, 31 leaves, 20 rows per leaf, subsample 0.8) */
  gbm?: Pick<GbmOptions, 'rounds' | 'learningRate' | 'maxLeaves' | 'minLeaf' | 'maxDepth' | 'subsample'>;
  /** bootstrap block length in hours (default: from the residuals' autocorrelation, bootstrap.ts) */
  blockHours?: number;
  /** share of a window's hours that must have the pollutant (default 0.75) */
  minCoverage?: number;
  /** fewest training hours to fit a model at all (default 720: 30 days); smaller for tests and demos */
  minTrainingHours?: number;
}

/** An effect with its interval: ug/m3 (mg/m3 for CO) and share (-0.2 = 20% lower). */
export interface Effect {
  observed: number;
  counterfactual: number;
  effect: number;
  effectLow: number;
  effectHigh: number;
  pct: number;
  pctLow: number;
  pctHigh: number;
  /** hours with both observed and counterfactual */
  hours: number;
}

export interface HourEffect { t: number; observed: number | null; counterfactual: number; low: number; high: number }
export interface DayEffect extends Effect { day: string }

export interface RangeCheck {
  feature: string;
  trainLow: number;
  trainHigh: number;
  windowMin: number;
  windowMax: number;
  /** share of the window's hours outside the training's central 99% (0.5th..99.5th percentile,
   *  widened by 1% of the training range) */
  outside: number;
  /** share of the window's hours beyond the training's minimum or maximum */
  unseen: number;
}

export interface PlaceboSummary {
  windows: number;
  /** share of placebo windows whose interval excludes zero (nominal: 1 - level) */
  falsePositiveRate: number;
  /** the same for placebo windows within seasonDays of the window's season */
  seasonalWindows: number;
  seasonalFalsePositiveRate: number | null;
  /** spread of the placebo effects (share) */
  medianPct: number;
  sdPct: number;
  /** share of placebo effects at least as large (in absolute value) as the window's: an empirical p */
  asLargeShare: number;
  /** first days of the placebo windows, in the order drawn */
  starts: string[];
}

export interface NaiveComparison {
  label: 'before-after (observed, not weather-adjusted)';
  before: DayWindow;
  beforeMean: number | null;
  during: number | null;
  after: DayWindow;
  afterMean: number | null;
  /** during / before - 1 */
  pctVsBefore: number | null;
}

export interface ForecastComparison {
  label: 'versus forecast (observed vs forecast daily mean, not a counterfactual)';
  days: number;
  observedMean: number | null;
  forecastMean: number | null;
  pct: number | null;
}

export interface EvaluationResult {
  v: 1;
  city: string;
  pollutant: EvalPollutant;
  measureWindow: DayWindow;
  evaluatedWindow: DayWindow;
  lagDays: number;
  level: number;
  seed: number;
  model: { trainingHours: number; features: string[]; background: boolean; cvR2: number | null; cvNmb: number | null };
  /** null when the window has too few hours of the pollutant */
  window: Effect | null;
  days: DayEffect[];
  hours: HourEffect[];
  bootstrap: { blockHours: number; efoldingHours: number; reps: number; seasonal: boolean };
  placebo: PlaceboSummary | null;
  trainingRange: { warning: boolean; checks: RangeCheck[] };
  beforeAfter: NaiveComparison;
  versusForecast: ForecastComparison | null;
  verdict: Verdict;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const daysIn = (w: DayWindow): number => Math.round((Date.parse(w.to) - Date.parse(w.from)) / 86_400_000) + 1;
const shift = (w: DayWindow, n: number): DayWindow => ({ from: addDays(w.from, n), to: addDays(w.to, n) });
const inWin = (d: string, w: DayWindow) => d >= w.from && d <= w.to;
const mean = (a: readonly number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : null);

function checkWindow(w: DayWindow, name: string): void {
  if (!DAY_RE.test(w.from) || !DAY_RE.test(w.to) || Number.isNaN(Date.parse(w.from)) || Number.isNaN(Date.parse(w.to)) || w.from > w.to) {
    throw new RangeError(`${name} must be two days YYYY-MM-DD, first <= last`);
  }
}

/** Evaluate one measure window. Throws RangeError on arguments that make no sense (bad window, lag,
 *  level, or too little training data to fit a model); data gaps in the window give window: null
 *  and the 'insufficient-data' verdict instead. */
export function evaluateMeasure(input: EvaluateInput, opts: EvaluateOptions = {}): EvaluationResult {
  const { hist: h, pollutant } = input;
  checkWindow(input.window, 'window');
  for (const x of input.exclude ?? []) checkWindow(x, 'exclude');
  const lagDays = input.lagDays ?? 0;
  if (!Number.isInteger(lagDays) || lagDays < 0 || lagDays > 7) throw new RangeError('lagDays must be an integer 0..7');
  const level = opts.level ?? 0.95;
  if (!(level > 0.5 && level < 1)) throw new RangeError('level must be in (0.5, 1)');
  const seed = opts.seed ?? 1;
  const reps = opts.reps ?? 1000;
  const nPlacebo = opts.placebos ?? 100;
  const seasonDays = opts.seasonDays ?? 45;
  const folds = opts.folds ?? 5;
  const foldDays = opts.foldDays ?? 28;
  const minCoverage = opts.minCoverage ?? 0.75;
  const bg = input.background ?? null;
  if (bg && bg.length !== h.hours) throw new RangeError(`background has ${bg.length} hours, the history ${h.hours}`);
  const gbmOpts: GbmOptions = { rounds: 200, learningRate: 0.1, maxLeaves: 31, minLeaf: 20, subsample: 0.8, ...opts.gbm, seed };

  const measure = input.window;
  const evaluated = shift(measure, lagDays);
  const excluded = [measure, evaluated, ...(input.exclude ?? [])];
  const y = h.q[pollutant];
  const n = h.hours;
  const day: string[] = new Array(n);
  for (let i = 0; i < n; i++) day[i] = beijingDayOfHourEnd(h.start + i * HOUR_MS);
  const dayNo = (d: string) => Math.round(Date.parse(d) / 86_400_000);
  const isExcluded = (d: string) => excluded.some((w) => inWin(d, w));
  const train: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(y[i]) && !isExcluded(day[i])) train.push(i);
  const minTrain = opts.minTrainingHours ?? 30 * 24;
  if (train.length < minTrain) throw new RangeError(`only ${train.length} training hours of ${pollutant} outside the measure windows (need >= ${minTrain})`);

  const fm = hourlyFeatures(h, bg);
  const X = fm.rows;
  const fit = (rows: readonly number[]) => fitGbm(rows.map((i) => X[i]), rows.map((i) => y[i]), { ...gbmOpts, names: fm.names });

  // Out-of-sample predictions of the training hours: blocked cross-validation over chunks of
  // foldDays days (neighbouring hours are near copies of each other; random folds would leak).
  const oos = new Float64Array(n).fill(NaN);
  const foldOf = (i: number) => Math.floor(dayNo(day[i]) / foldDays) % folds;
  for (let f = 0; f < folds; f++) {
    const tr = train.filter((i) => foldOf(i) !== f);
    const te = train.filter((i) => foldOf(i) === f);
    if (te.length === 0 || tr.length < 24 * 7) continue;
    const pr = predictGbm(fit(tr), te.map((i) => X[i]));
    te.forEach((i, k) => { oos[i] = Math.max(0, pr[k]); });
  }
  const model = fit(train);
  const r = new Float64Array(n).fill(NaN);
  for (const i of train) if (!Number.isNaN(oos[i])) r[i] = y[i] - oos[i];
  const doy = new Float64Array(n);
  for (let i = 0; i < n; i++) { const d = day[i]; doy[i] = (Date.parse(d) - Date.parse(`${d.slice(0, 4)}-01-01`)) / 86_400_000; }
  const pool: ResidualPool = { r, p: oos, doy };
  const cv = cvStats(train.map((i) => y[i]), train.map((i) => oos[i]));

  // The evaluated window's hours and counterfactual.
  const evalIdx: number[] = [];
  const after = input.soFar && input.startAt !== undefined ? input.startAt + lagDays * 86_400_000 : -Infinity;
  for (let i = 0; i < n; i++) if (inWin(day[i], evaluated) && h.start + i * HOUR_MS > after) evalIdx.push(i);
  const cfPred = evalIdx.length ? predictGbm(model, evalIdx.map((i) => X[i])).map((v) => Math.max(0, v)) : [];
  const cf = new Map<number, number>();
  evalIdx.forEach((i, k) => cf.set(i, cfPred[k]));

  // Hours of the window: whole days, or for a running window the hours up to the history's end.
  const L = input.soFar ? Math.max(1, Math.min(daysIn(evaluated) * 24, evalIdx.length)) : daysIn(evaluated) * 24;
  const efold = efoldingLag(r);
  const b = opts.blockHours !== undefined ? Math.max(1, Math.min(L, Math.round(opts.blockHours))) : blockLength(efold, L);
  const rand = seededRandom(seed ^ 0x9e3779b9);
  const alpha = (1 - level) / 2;
  const centreDoy = (i: number) => doy[i];
  const startsCache = new Map<string, { starts: Int32Array; seasonal: boolean }>();
  const startsFor = (len: number, cDoy: number) => {
    const key = `${len}:${Math.round(cDoy)}`;
    let s = startsCache.get(key);
    if (!s) { s = blockStarts(pool, len, cDoy, seasonDays, minCoverage); startsCache.set(key, s); }
    return s;
  };
  /** Effect of observed vs predicted over some hours, with the interval of an m-hour window. */
  const effectOf = (obs: readonly number[], pred: readonly number[], m: number, cDoy: number): Effect | null => {
    if (obs.length < minCoverage * m || obs.length === 0) return null;
    const O = obs.reduce((a, v) => a + v, 0);
    const C = pred.reduce((a, v) => a + v, 0);
    if (!(C > 0)) return null;
    const errs = windowErrors(pool, startsFor(Math.min(m, b), cDoy).starts, m, b, reps, rand);
    const qLo = sortedQuantile(errs, alpha);
    const qHi = sortedQuantile(errs, 1 - alpha);
    const pct = O / C - 1;
    // observed = counterfactual * (1 + effect) * (1 + error): the effect's interval divides the
    // error's quantiles out (the high error gives the low effect).
    const pctLow = (1 + pct) / (1 + qHi) - 1;
    const pctHigh = (1 + pct) / (1 + qLo) - 1;
    const cMean = C / obs.length;
    return {
      observed: O / obs.length, counterfactual: cMean, effect: (O - C) / obs.length,
      effectLow: pctLow * cMean, effectHigh: pctHigh * cMean, pct, pctLow, pctHigh, hours: obs.length,
    };
  };
  const collect = (idx: readonly number[], pred: (i: number) => number) => {
    const o: number[] = [];
    const p: number[] = [];
    for (const i of idx) if (!Number.isNaN(y[i]) && !Number.isNaN(pred(i))) { o.push(y[i]); p.push(pred(i)); }
    return [o, p] as const;
  };
  const mid = evalIdx.length ? evalIdx[Math.floor(evalIdx.length / 2)] : 0;
  const [wo, wp] = collect(evalIdx, (i) => cf.get(i)!);
  const windowEffect = evalIdx.length ? effectOf(wo, wp, L, centreDoy(mid)) : null;

  const days: DayEffect[] = [];
  for (let d = evaluated.from; d <= evaluated.to; d = addDays(d, 1)) {
    const idx = evalIdx.filter((i) => day[i] === d);
    const [o, p] = collect(idx, (i) => cf.get(i)!);
    const e = idx.length ? effectOf(o, p, 24, centreDoy(idx[0])) : null;
    if (e) days.push({ day: d, ...e });
  }
  // Hourly band: the error quantiles of single hours of the season.
  const hourErrs = windowErrors(pool, startsFor(1, centreDoy(mid)).starts, 1, 1, reps, rand);
  const hLo = sortedQuantile(hourErrs, alpha);
  const hHi = sortedQuantile(hourErrs, 1 - alpha);
  const hours: HourEffect[] = evalIdx.map((i) => {
    const c = cf.get(i)!;
    return { t: h.start + i * HOUR_MS, observed: Number.isNaN(y[i]) ? null : y[i], counterfactual: c, low: c * (1 + hLo), high: c * (1 + hHi) };
  });

  const placebo = windowEffect ? placebos(nPlacebo) : null;
  function placebos(count: number): PlaceboSummary | null {
    // Candidate starts: days from which daysIn(evaluated) consecutive days are all training days
    // (no measure, no exclusion) with enough out-of-sample hours.
    const nd = Math.ceil(L / 24);
    const firstDay = day[0];
    const lastDay = day[n - 1];
    const cands: string[] = [];
    const dayHours = new Map<string, number>();
    for (let i = 0; i < n; i++) if (!Number.isNaN(r[i])) dayHours.set(day[i], (dayHours.get(day[i]) ?? 0) + 1);
    for (let d = firstDay; addDays(d, nd - 1) <= lastDay; d = addDays(d, 1)) {
      let ok = true;
      let cover = 0;
      for (let k = 0; k < nd && ok; k++) { const dd = addDays(d, k); if (isExcluded(dd)) ok = false; cover += dayHours.get(dd) ?? 0; }
      if (ok && cover >= minCoverage * L) cands.push(d);
    }
    if (cands.length === 0) return null;
    const prand = seededRandom(seed ^ 0x85ebca6b);
    for (let i = cands.length - 1; i > 0; i--) { const j = Math.floor(prand() * (i + 1)); [cands[i], cands[j]] = [cands[j], cands[i]]; }
    const chosen = cands.slice(0, count);
    const firstHour = new Map<string, number>();
    for (let i = n - 1; i >= 0; i--) firstHour.set(day[i], i);
    const pcts: number[] = [];
    let fp = 0;
    let sw = 0;
    let sfp = 0;
    const target = windowEffect!.pct;
    let asLarge = 0;
    const wDoy = centreDoy(mid);
    for (const d of chosen) {
      const idx: number[] = [];
      const last = addDays(d, nd - 1);
      for (let i = firstHour.get(d) ?? n; i < n && day[i] <= last && idx.length < L; i++) idx.push(i);
      const [o, p] = collect(idx, (i) => oos[i]);
      const c = idx[Math.floor(idx.length / 2)];
      const e = effectOf(o, p, L, centreDoy(c));
      if (!e) continue;
      pcts.push(e.pct);
      const hit = e.pctLow > 0 || e.pctHigh < 0;
      if (hit) fp++;
      const dd = Math.abs(doy[c] - wDoy);
      if (Math.min(dd, 365.25 - dd) <= seasonDays) { sw++; if (hit) sfp++; }
      if (Math.abs(e.pct) >= Math.abs(target)) asLarge++;
    }
    if (pcts.length === 0) return null;
    const mp = mean(pcts)!;
    const sorted = Float64Array.from(pcts).sort();
    return {
      windows: pcts.length, falsePositiveRate: fp / pcts.length,
      seasonalWindows: sw, seasonalFalsePositiveRate: sw ? sfp / sw : null,
      medianPct: sortedQuantile(sorted, 0.5), sdPct: Math.sqrt(pcts.reduce((a, v) => a + (v - mp) ** 2, 0) / Math.max(1, pcts.length - 1)),
      asLargeShare: asLarge / pcts.length, starts: chosen,
    };
  }

  const trainingRange = rangeChecks(fm.names, fm.metColumns, X, train, evalIdx);
  const beforeAfter = naive(y, day, measure, evaluated);
  const versusForecast = input.forecast ? vsForecast(y, day, evaluated, input.forecast) : null;
  const bootstrapStarts = startsFor(Math.min(L, b), centreDoy(mid));
  const verdict = verdictOf({
    pollutant, effect: windowEffect, level, placeboRate: placebo?.falsePositiveRate ?? null,
    rangeWarning: trainingRange.warning, outsideFeatures: trainingRange.checks.filter((c) => c.outside > 0.1).map((c) => c.feature), lagDays,
  });
  return {
    v: 1, city: h.city, pollutant, measureWindow: measure, evaluatedWindow: evaluated, lagDays, level, seed,
    model: { trainingHours: train.length, features: fm.names, background: bg !== null, cvR2: cv.r2, cvNmb: cv.nmb },
    window: windowEffect, days, hours,
    bootstrap: { blockHours: b, efoldingHours: efold, reps, seasonal: bootstrapStarts.seasonal },
    placebo, trainingRange, beforeAfter, versusForecast, verdict,
  };
}

function cvStats(obs: readonly number[], pred: readonly number[]): { r2: number | null; nmb: number | null } {
  const o: number[] = [];
  const p: number[] = [];
  obs.forEach((v, k) => { if (!Number.isNaN(pred[k])) { o.push(v); p.push(pred[k]); } });
  if (o.length < 2) return { r2: null, nmb: null };
  const mo = mean(o)!;
  let ss = 0;
  let st = 0;
  let bias = 0;
  for (let k = 0; k < o.length; k++) { ss += (o[k] - p[k]) ** 2; st += (o[k] - mo) ** 2; bias += p[k] - o[k]; }
  return { r2: st > 0 ? 1 - ss / st : null, nmb: mo > 0 ? bias / (mo * o.length) : null };
}

/** Per meteorological feature: the training's central 99% and the share of window hours outside it.
 *  The warning fires when any feature has more than 10% of the window outside (1% is expected). */
function rangeChecks(names: readonly string[], cols: readonly number[], X: readonly (number | null)[][], train: readonly number[], win: readonly number[]): { warning: boolean; checks: RangeCheck[] } {
  const checks: RangeCheck[] = [];
  for (const j of cols) {
    const tv = Float64Array.from(train.map((i) => X[i][j]).filter((v): v is number => v !== null)).sort();
    const wv = win.map((i) => X[i][j]).filter((v): v is number => v !== null);
    if (tv.length === 0 || wv.length === 0) continue;
    const lo = sortedQuantile(tv, 0.005);
    const hi = sortedQuantile(tv, 0.995);
    // A tolerance of 1% of the training range, so that a value AT the edge of a stepped variable
    // (pressure tendency, rain) does not count as unseen.
    const tol = 0.01 * (tv[tv.length - 1] - tv[0]);
    const outside = wv.filter((v) => v < lo - tol || v > hi + tol).length / wv.length;
    const unseen = wv.filter((v) => v < tv[0] || v > tv[tv.length - 1]).length / wv.length;
    checks.push({ feature: names[j], trainLow: lo, trainHigh: hi, windowMin: Math.min(...wv), windowMax: Math.max(...wv), outside, unseen });
  }
  return { warning: checks.some((c) => c.outside > 0.1), checks };
}

function naive(y: Float64Array, day: readonly string[], measure: DayWindow, evaluated: DayWindow): NaiveComparison {
  const nd = daysIn(measure);
  const before = { from: addDays(measure.from, -nd), to: addDays(measure.from, -1) };
  const after = { from: addDays(evaluated.to, 1), to: addDays(evaluated.to, nd) };
  const m = (w: DayWindow) => mean(day.flatMap((d, i) => (inWin(d, w) && !Number.isNaN(y[i]) ? [y[i]] : [])));
  const b = m(before);
  const d = m(evaluated);
  return {
    label: 'before-after (observed, not weather-adjusted)', before, beforeMean: b, during: d, after, afterMean: m(after),
    pctVsBefore: b !== null && d !== null && b > 0 ? d / b - 1 : null,
  };
}

function vsForecast(y: Float64Array, day: readonly string[], w: DayWindow, fc: ReadonlyMap<string, number>): ForecastComparison {
  const o: number[] = [];
  const f: number[] = [];
  for (let d = w.from; d <= w.to; d = addDays(d, 1)) {
    const v = day.flatMap((dd, i) => (dd === d && !Number.isNaN(y[i]) ? [y[i]] : []));
    const fv = fc.get(d);
    if (v.length >= 20 && fv !== undefined && Number.isFinite(fv)) { o.push(mean(v)!); f.push(fv); }
  }
  const om = mean(o);
  const fm = mean(f);
  return {
    label: 'versus forecast (observed vs forecast daily mean, not a counterfactual)', days: o.length, observedMean: om, forecastMean: fm,
    pct: om !== null && fm !== null && fm > 0 ? om / fm - 1 : null,
  };
}

/** `RESULT effect_pct=F ci_low_pct=F ci_high_pct=F placebo_false_positive=F` (NA when absent). */
export function resultLine(r: EvaluationResult): string {
  const f = (x: number | null | undefined, d: number) => (x === null || x === undefined || Number.isNaN(x) ? 'NA' : x.toFixed(d));
  const w = r.window;
  return `RESULT effect_pct=${f(w && 100 * w.pct, 1)} ci_low_pct=${f(w && 100 * w.pctLow, 1)} ci_high_pct=${f(w && 100 * w.pctHigh, 1)} placebo_false_positive=${f(r.placebo?.falsePositiveRate, 3)}`;
}
