/**
 * The uncertainty of a counterfactual over a window, from a moving-block bootstrap (Kunsch 1989,
 * Ann. Statist. 17:1217) of the model's out-of-sample errors.
 *
 * The error of a window's counterfactual is taken as multiplicative: e = sum(observed - predicted) /
 * sum(predicted) over the window's hours, because a tree model of PM2.5 is off by a share of the
 * level (10% of 300 ug/m3 is 30, of 30 is 3), so pooling errors in ug/m3 across seasons would make a
 * summer window's band far too wide and a winter one's too narrow. A window of m hours is drawn as
 * ceil(m / b) blocks of b consecutive hours of out-of-sample residuals (from the cross-validated
 * model, which never saw those hours), restricted to blocks of the same season.
 *
 * Block length b: the residuals stay correlated over a synoptic spell (a stagnant week is
 * under-predicted for days on end), and blocks shorter than that correlation understate the error of
 * a window mean. b = 5 e-folding times of the residual autocorrelation (the lag at which it first
 * falls below 1/e), rounded up to whole days, at least 24 h and at most the window. For an AR(1)
 * error of e-folding time tau, cutting the series into blocks of b hours loses about tau / b of the
 * variance of a long window's mean (the correlation across block joins): 20% of the variance, 10% of
 * the interval's width, at b = 5 tau; at 3 tau (tried first) the synthetic placebo rate was up to
 * 15% at a nominal 5%. The placebo windows (evaluate.ts) are
 * contiguous real windows, so they check whether b was long enough. Pure.
 */

/** Autocorrelation of x (NaN = missing, pairs with a missing side skipped) at lag k. */
export function autocorrelation(x: Float64Array, k: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) { s += x[i]; c++; }
  if (c < 2) return NaN;
  const m = s / c;
  let v = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) v += (x[i] - m) ** 2;
  v /= c;
  let a = 0;
  let n = 0;
  for (let i = k; i < x.length; i++) if (!Number.isNaN(x[i]) && !Number.isNaN(x[i - k])) { a += (x[i] - m) * (x[i - k] - m); n++; }
  return n > 0 && v > 0 ? a / n / v : NaN;
}

/** First lag (hours) at which the autocorrelation falls below 1/e; maxLag when it never does. */
export function efoldingLag(x: Float64Array, maxLag = 240): number {
  for (let k = 1; k <= maxLag; k++) {
    const r = autocorrelation(x, k);
    if (!(r >= 1 / Math.E)) return k;
  }
  return maxLag;
}

/** Block length in hours: 5 e-folding lags rounded up to whole days, within [24, windowHours]. */
export function blockLength(efold: number, windowHours: number): number {
  const b = Math.ceil((5 * efold) / 24) * 24;
  return Math.max(Math.min(24, windowHours), Math.min(b, windowHours));
}

export interface ResidualPool {
  /** observed - out-of-sample prediction, NaN where none */
  r: Float64Array;
  /** out-of-sample prediction, NaN where none */
  p: Float64Array;
  /** day of year (0..365) of each hour */
  doy: Float64Array;
}

/** Starts of blocks of `len` hours with at least `minCover` of their hours present, whose first
 *  day of year lies within `seasonDays` of `centreDoy` (circular); all seasons when fewer than
 *  `minStarts` qualify (said by `seasonal: false`). */
export function blockStarts(pool: ResidualPool, len: number, centreDoy: number, seasonDays: number, minCover = 0.75, minStarts = 50): { starts: Int32Array; seasonal: boolean } {
  const n = pool.r.length;
  const cum = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i] + (Number.isNaN(pool.r[i]) ? 0 : 1);
  const all: number[] = [];
  const near: number[] = [];
  for (let i = 0; i + len <= n; i++) {
    if (cum[i + len] - cum[i] < minCover * len) continue;
    all.push(i);
    const d = Math.abs(pool.doy[i] - centreDoy);
    if (Math.min(d, 365.25 - d) <= seasonDays) near.push(i);
  }
  return near.length >= minStarts ? { starts: Int32Array.from(near), seasonal: true } : { starts: Int32Array.from(all), seasonal: false };
}

/** Bootstrap draws of the multiplicative error of an m-hour window: `reps` values of
 *  sum(r) / sum(p) over ceil(m / b) random blocks of b hours (one block of m hours when m <= b).
 *  `starts` must be starts of blocks of min(m, b) hours. Sorted ascending. */
export function windowErrors(pool: ResidualPool, starts: Int32Array, m: number, b: number, reps: number, rand: () => number): Float64Array {
  const len = Math.min(m, b);
  const k = Math.ceil(m / len);
  const out = new Float64Array(reps);
  if (starts.length === 0) return out.fill(NaN);
  for (let rep = 0; rep < reps; rep++) {
    let sr = 0;
    let sp = 0;
    for (let j = 0; j < k; j++) {
      const s = starts[Math.floor(rand() * starts.length)];
      // the last block is cut so that the draw covers m hours, like the window
      const l = j === k - 1 ? m - len * (k - 1) : len;
      for (let i = s; i < s + l; i++) if (!Number.isNaN(pool.r[i])) { sr += pool.r[i]; sp += pool.p[i]; }
    }
    out[rep] = sp > 0 ? sr / sp : NaN;
  }
  return out.sort();
}

/** Quantile of an ascending array (linear interpolation), NaN for an empty one. */
export function sortedQuantile(a: Float64Array, q: number): number {
  const v = a.filter((x) => !Number.isNaN(x));
  if (v.length === 0) return NaN;
  const k = (v.length - 1) * q;
  const i = Math.floor(k);
  return i + 1 < v.length ? v[i] + (v[i + 1] - v[i]) * (k - i) : v[i];
}
