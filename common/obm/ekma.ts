/**
 * EKMA isopleth analysis (REFERENCE 5.4-5.5): a grid of peak O3 (or integrated net P(O3)) over
 * scalings of the anthropogenic VOC (x) and NOx (y) inputs; its ridge line (for each VOC
 * scaling, the NOx scaling of maximum O3), the base point's regime, and reduction paths from the
 * base point at fixed ratios r = (% VOC cut) / (% NOx cut). The grid is computed elsewhere (the
 * CLI runs it in worker threads); everything here is pure arithmetic over it.
 */

export interface EkmaGrid {
  /** VOC scalings, ascending (e.g. 0, 0.1, ..., 1.5). */
  readonly voc: readonly number[];
  /** NOx scalings, ascending. */
  readonly nox: readonly number[];
  /** value[iNox][iVoc]: peak O3 (ppb) or the chosen metric. */
  readonly value: readonly (readonly number[])[];
}

/** 0, step, ..., max (inclusive), rounded to avoid 0.30000000000000004. */
export function scalings(max = 1.5, step = 0.1): number[] {
  const n = Math.round(max / step);
  return Array.from({ length: n + 1 }, (_, i) => Math.round(i * step * 1e9) / 1e9);
}

/** Bilinear interpolation of the grid at (voc, nox) scalings, clamped to the grid. */
export function interpolate(g: EkmaGrid, voc: number, nox: number): number {
  const loc = (axis: readonly number[], v: number): [number, number] => {
    const x = Math.min(Math.max(v, axis[0]!), axis[axis.length - 1]!);
    let i = 0;
    while (i < axis.length - 2 && axis[i + 1]! < x) i++;
    const span = axis[i + 1]! - axis[i]!;
    return [i, span > 0 ? (x - axis[i]!) / span : 0];
  };
  const [i, fx] = loc(g.voc, voc);
  const [j, fy] = loc(g.nox, nox);
  const v = (jj: number, ii: number) => g.value[jj]![ii]!;
  return (1 - fy) * ((1 - fx) * v(j, i) + fx * v(j, i + 1)) + fy * ((1 - fx) * v(j + 1, i) + fx * v(j + 1, i + 1));
}

export interface RidgePoint { readonly voc: number; readonly nox: number; readonly value: number; readonly interior: boolean }

/** For each VOC scaling, the NOx scaling of maximum value, refined by a parabola through the
 *  neighbours; `interior` is false when the maximum sits on the grid's NOx edge (no ridge there). */
export function ridgeLine(g: EkmaGrid): RidgePoint[] {
  return g.voc.map((voc, i) => {
    let best = 0;
    for (let j = 1; j < g.nox.length; j++) if (g.value[j]![i]! > g.value[best]![i]!) best = j;
    const interior = best > 0 && best < g.nox.length - 1;
    let nox = g.nox[best]!;
    if (interior) {
      const a = g.value[best - 1]![i]!, b = g.value[best]![i]!, c = g.value[best + 1]![i]!;
      const den = a - 2 * b + c;
      if (den < 0) nox += (0.5 * (a - c) / den) * (g.nox[best + 1]! - g.nox[best]!);
    }
    return { voc, nox, value: g.value[best]![i]!, interior };
  });
}

/** Ridge NOx at a VOC scaling (linear between ridge points), or null when no interior ridge. */
export function ridgeNoxAt(ridge: readonly RidgePoint[], voc: number): number | null {
  const pts = ridge.filter((p) => p.interior);
  if (pts.length === 0) return null;
  if (voc <= pts[0]!.voc) return pts[0]!.voc === voc ? pts[0]!.nox : null;
  for (let k = 1; k < pts.length; k++) {
    const a = pts[k - 1]!, b = pts[k]!;
    if (voc <= b.voc) return a.nox + ((voc - a.voc) / (b.voc - a.voc)) * (b.nox - a.nox);
  }
  return null;
}

export type EkmaRegime = 'VOC-limited' | 'transitional' | 'NOx-limited';

/** Regime of a point from the ridge (REFERENCE 5.4): above the ridge (more NOx than the ridge
 *  at that VOC) VOC-limited, below NOx-limited, within `band` of it transitional. A VOC column
 *  whose maximum lies at the top NOx edge means the point is below any ridge: NOx-limited. */
export function ekmaRegime(g: EkmaGrid, ridge: readonly RidgePoint[], voc = 1, nox = 1, band = 0.1): EkmaRegime {
  const r = ridgeNoxAt(ridge, voc);
  if (r == null) {
    // No interior ridge at this VOC: O3 rises with NOx all the way (NOx-limited) or falls all the way (VOC-limited).
    const up = interpolate(g, voc, Math.min(nox + 0.1, g.nox[g.nox.length - 1]!)) >= interpolate(g, voc, nox);
    return up ? 'NOx-limited' : 'VOC-limited';
  }
  if (nox > r + band) return 'VOC-limited';
  if (nox < r - band) return 'NOx-limited';
  return 'transitional';
}

export interface ReductionPath {
  /** (% VOC cut) / (% NOx cut); Infinity = VOC only, 0 = NOx only. */
  readonly ratio: number;
  /** Sampled points from the base: cuts (fractions) and the value there. */
  readonly points: readonly { readonly vocCut: number; readonly noxCut: number; readonly value: number }[];
  /** Value never rises along the path (beyond `tolerance`). */
  readonly monotone: boolean;
  /** Largest rise above the base value along the path (the "NOx disbenefit" hump), >= 0. */
  readonly maxRise: number;
  /** Smallest total cut (vocCut + noxCut) that reaches the target, or null. */
  readonly totalCutToTarget: number | null;
}

export const DEFAULT_RATIOS: readonly number[] = [0, 0.25, 0.5, 1, 1.5, 2, 3, 4, 6, Infinity];

/** Walk from the base point (vocBase, noxBase) along one ratio in 1 % steps of the larger cut,
 *  until the larger cut reaches `maxCut` (fraction of the base). */
export function reductionPath(g: EkmaGrid, ratio: number, target: number | null, o: { vocBase?: number; noxBase?: number; maxCut?: number; tolerance?: number } = {}): ReductionPath {
  const vb = o.vocBase ?? 1, nb = o.noxBase ?? 1, maxCut = o.maxCut ?? 0.9, tol = o.tolerance ?? 0.05;
  const points: { vocCut: number; noxCut: number; value: number }[] = [];
  let prev = interpolate(g, vb, nb);
  const base = prev;
  let monotone = true, maxRise = 0;
  let toTarget: number | null = target != null && base <= target ? 0 : null;
  points.push({ vocCut: 0, noxCut: 0, value: base });
  for (let s = 1; s <= Math.round(maxCut * 100); s++) {
    const big = s / 100;
    const vocCut = ratio === Infinity ? big : ratio >= 1 ? big : big * ratio;
    const noxCut = ratio === Infinity ? 0 : ratio >= 1 ? big / ratio : big;
    const v = interpolate(g, vb * (1 - vocCut), nb * (1 - noxCut));
    points.push({ vocCut, noxCut, value: v });
    if (v > prev + tol) monotone = false;
    maxRise = Math.max(maxRise, v - base);
    if (toTarget == null && target != null && v <= target) toTarget = vocCut + noxCut;
    prev = v;
  }
  return { ratio, points, monotone, maxRise, totalCutToTarget: toTarget };
}

export interface EkmaRatio {
  /** Smallest ratio whose path lowers O3 at every step (REFERENCE 5.5 method 1), or null. */
  readonly monotoneRatio: number | null;
  /** Ratio reaching the target with the least total cut, or null if none reaches it. */
  readonly targetRatio: number | null;
  readonly paths: readonly ReductionPath[];
}

export function ekmaRatio(g: EkmaGrid, target: number | null, ratios: readonly number[] = DEFAULT_RATIOS, base = { voc: 1, nox: 1 }): EkmaRatio {
  const paths = ratios.map((r) => reductionPath(g, r, target, { vocBase: base.voc, noxBase: base.nox }));
  const mono = paths.filter((p) => p.monotone).map((p) => p.ratio);
  const reach = paths.filter((p) => p.totalCutToTarget != null).sort((a, b) => a.totalCutToTarget! - b.totalCutToTarget! || a.ratio - b.ratio);
  return { monotoneRatio: mono.length ? Math.min(...mono) : null, targetRatio: reach.length ? reach[0]!.ratio : null, paths };
}
