/**
 * The P(O3) curve of a box-model day, for the O3 panel: hourly O3 production P(O3), loss L(O3)
 * and net P(O3) = P - L (ppb h-1) as the box model's budget defines them (common/obm/box.ts
 * budgetTerms: P = HO2+NO and every RO2+NO; L = O(1D)+H2O, O3+OH/HO2/alkenes, NO2+OH, as in
 * Xue et al. 2014), with the numbers a forecaster reads off it: the hour of the largest P(O3),
 * the hours net production is positive, and the day's net production (the sum of hourly rates,
 * ppb, since each rate holds for one hour).
 *
 * Example: hours p = [0, 10, 20, 5], l = [1, 2, 4, 6] -> peak at the third hour (20 ppb h-1),
 * net [-1, 8, 16, -1], positive from the second to the third hour, net day 22 ppb.
 */
export interface Po3Hour { readonly hour: number; readonly pO3: number; readonly lO3: number }

export interface Po3Curve {
  readonly points: readonly { hour: number; p: number; l: number; net: number }[];
  /** Largest P(O3) and its hour; null when nothing is produced (all P = 0) or no hours. */
  readonly peak: { hour: number; p: number } | null;
  /** First and last hour with net P(O3) > 0; null when it never is. */
  readonly netPositive: { from: number; to: number } | null;
  /** Sum of net P(O3) over the hours, ppb. */
  readonly netDay: number;
  /** Largest of P and L over the day (the chart's scale), ppb h-1. */
  readonly max: number;
}

/** The P(O3) curve from the hourly budget of a run (ObmResult.hours). Non-finite rates are a programming error upstream and count as 0 here, never as a peak. */
export function po3Curve(hours: readonly Po3Hour[]): Po3Curve {
  const fin = (v: number) => (Number.isFinite(v) ? v : 0);
  const points = hours.map((h) => { const p = fin(h.pO3), l = fin(h.lO3); return { hour: h.hour, p, l, net: p - l }; });
  let peak: { hour: number; p: number } | null = null;
  for (const x of points) if (x.p > 0 && (!peak || x.p > peak.p)) peak = { hour: x.hour, p: x.p };
  const pos = points.filter((x) => x.net > 0);
  return {
    points, peak,
    netPositive: pos.length ? { from: pos[0]!.hour, to: pos.at(-1)!.hour } : null,
    netDay: points.reduce((a, x) => a + x.net, 0),
    max: points.reduce((a, x) => Math.max(a, x.p, x.l), 0),
  };
}
