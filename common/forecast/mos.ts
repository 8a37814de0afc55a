/**
 * MOS (model output statistics, Glahn & Lowry 1972, J. Appl. Meteor. 11:1203) correction of an
 * external air-quality model (CMAQ, NAQPMS, CUACE, WRF-Chem ...) from its own recent verification:
 * for one pollutant and lead, a straight line O = a + b F fitted by least squares on the last
 * `window` days with both a forecast F and an observation O, then applied to new forecasts.
 * With few pairs (< minPairs) or a degenerate spread of F, only the mean bias is removed
 * (b = 1, a = mean(O - F)); with none, the forecast passes unchanged. Corrected concentrations are
 * never negative. Pure; the caller keeps the verification history (one source per model).
 *
 *   const fit = mosFit(recentPairs);   // [{ day, f, o }, ...]
 *   mosApply(fit, 120)                 // corrected concentration
 */

export interface MosPair {
  /** target day 'YYYY-MM-DD' (pairs are ordered by it; the latest `window` are used) */
  day: string;
  /** model forecast concentration */
  f: number | null;
  /** observed concentration */
  o: number | null;
}

export interface MosFit {
  method: 'linear' | 'bias' | 'none';
  a: number;
  b: number;
  /** pairs used */
  n: number;
}

export interface MosOptions {
  /** trailing days used (default 30) */
  window?: number;
  /** pairs needed for the linear fit (default 15); fewer: bias only */
  minPairs?: number;
  /** slope kept within [1/maxSlope, maxSlope] (default 3), so a short unlucky window cannot
   *  flatten or blow up the model */
  maxSlope?: number;
}

/** Fit the correction on the latest `window` pairs with both values. Example: F = 100, 80, 60 and
 *  O = 90, 70, 50 (3 pairs, below minPairs) -> bias -10: 120 -> 110. */
export function mosFit(pairs: readonly MosPair[], opts: MosOptions = {}): MosFit {
  const window = opts.window ?? 30;
  const minPairs = opts.minPairs ?? 15;
  const maxSlope = opts.maxSlope ?? 3;
  const ok = pairs
    .filter((p): p is MosPair & { f: number; o: number } => p.f !== null && p.o !== null && Number.isFinite(p.f) && Number.isFinite(p.o))
    .sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0))
    .slice(-window);
  const n = ok.length;
  if (n === 0) return { method: 'none', a: 0, b: 1, n };
  const mf = ok.reduce((s, p) => s + p.f, 0) / n;
  const mo = ok.reduce((s, p) => s + p.o, 0) / n;
  let sff = 0;
  let sfo = 0;
  for (const p of ok) { sff += (p.f - mf) ** 2; sfo += (p.f - mf) * (p.o - mo); }
  if (n < minPairs || sff <= 1e-9 * Math.max(1, mf * mf) * n) return { method: 'bias', a: mo - mf, b: 1, n };
  const b = Math.min(maxSlope, Math.max(1 / maxSlope, sfo / sff));
  return { method: 'linear', a: mo - b * mf, b, n };
}

/** Apply a fit to one forecast concentration (null stays null; the result is never negative). */
export function mosApply(fit: MosFit, f: number | null): number | null {
  if (f === null || !Number.isFinite(f)) return null;
  return Math.max(0, fit.a + fit.b * f);
}
