/**
 * Relative incremental reactivity (Cardelino & Chameides 1995; REFERENCE 5.4):
 *   RIR(X) = [(P_base - P_cut) / P_base] / (dS / S)
 * with P the day's integrated net O3 production and dS/S the fractional cut of precursor X
 * (default 20 %, as most Chinese OBM studies use). A positive RIR: cutting X lowers O3 production.
 * The regime rule and the linearised co-reduction bound are REFERENCE 5.4 and 5.5 (method 2).
 */
import type { BoxResult } from './box.ts';
import type { Scaling } from './input.ts';
import type { PrecursorGroup } from './lumping.ts';

export type RirGroup = 'AVOC' | Exclude<PrecursorGroup, 'other'> | 'NOx' | 'CO';
export const RIR_GROUPS: readonly RirGroup[] = ['AVOC', 'alkane', 'alkene', 'alkyne', 'aromatic', 'ovoc', 'BVOC', 'NOx', 'CO'];

/** The scaling that cuts group g by fraction `cut`. */
export function groupCut(g: RirGroup, cut: number): Scaling {
  const f = 1 - cut;
  if (g === 'NOx') return { nox: f };
  if (g === 'CO') return { co: f };
  return { voc: { [g]: f } };
}

export interface Rir {
  readonly name: string;
  /** null when the base production is not positive (RIR undefined). */
  readonly rir: number | null;
  readonly netPO3Cut: number;
}

export function rirOf(name: string, base: BoxResult, cutRun: BoxResult, cut: number): Rir {
  const p0 = base.netPO3Day;
  return { name, rir: p0 > 0 ? (p0 - cutRun.netPO3Day) / p0 / cut : null, netPO3Cut: cutRun.netPO3Day };
}

export type RirRegime = 'VOC-limited' | 'transitional' | 'NOx-limited' | 'undetermined';

/** REFERENCE 5.4: RIR_NOx < 0 < RIR_AVOC: VOC-limited; both > 0: transitional when RIR_AVOC >=
 *  RIR_NOx (leaning VOC), NOx-limited when RIR_NOx > RIR_AVOC. */
export function rirRegime(rirAvoc: number | null, rirNox: number | null): RirRegime {
  if (rirAvoc == null || rirNox == null) return 'undetermined';
  if (rirNox < 0 && rirAvoc > 0) return 'VOC-limited';
  if (rirNox > rirAvoc) return 'NOx-limited';
  if (rirNox >= 0 && rirAvoc >= rirNox) return 'transitional';
  return 'undetermined';
}

/** REFERENCE 5.5 method 2: dO3/O3 ~ -(RIR_VOC x_VOC + RIR_NOx x_NOx) <= 0 needs
 *  x_VOC / x_NOx >= -RIR_NOx / RIR_VOC when RIR_NOx < 0; 0 (any ratio, NOx cuts alone help)
 *  when RIR_NOx >= 0; null when RIR_VOC <= 0 (VOC cuts do not help, no finite ratio). */
export function rirRatioBound(rirAvoc: number | null, rirNox: number | null): number | null {
  if (rirAvoc == null || rirNox == null) return null;
  if (rirNox >= 0) return 0;
  if (rirAvoc <= 0) return null;
  return -rirNox / rirAvoc;
}
