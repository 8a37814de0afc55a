/**
 * O3 formation regime screen from the VOC/NOx ratio (REFERENCE 5.4): morning (06-09 h) mean of
 * total NMHC in ppbC divided by NOx in ppbv. Rules of thumb: <~4 strongly VOC-limited, ~8-10
 * transition (classic EKMA ridge ~8:1), >~15 NOx-limited [UNCERTAIN: depends on VOC reactivity and
 * air-mass age; a coarse screen only]. AirDesk's default band: ratio < 4 VOC-limited, > 15
 * NOx-limited, in between transitional; configurable.
 */
import { ugm3ToPpb } from '#common/standards/units.ts';

export type Regime = 'voc-limited' | 'transitional' | 'nox-limited';

export interface RegimeBand {
  /** Ratio below this: VOC-limited. */
  vocLimitedBelow: number;
  /** Ratio above this: NOx-limited. */
  noxLimitedAbove: number;
}

/** REFERENCE 5.4 (UNCERTAIN rules of thumb). */
export const DEFAULT_REGIME_BAND: Readonly<RegimeBand> = Object.freeze({ vocLimitedBelow: 4, noxLimitedAbove: 15 });

/** Beijing hour labels (end of hour) that make the 06:00-09:00 morning window. */
export const MORNING_HOURS: readonly number[] = [7, 8, 9];

export const REGIME_CAVEATS: readonly string[] = Object.freeze([
  'VOC/NOx (ppbC/ppbv) is a coarse screen (REFERENCE 5.4, UNCERTAIN thresholds); it ignores VOC reactivity, air-mass age, meteorology and radical sources. Confirm with an observation-based model (RIR/EKMA) before setting reduction ratios.',
  'VOC = sum of the measured hydrocarbons (alkanes, alkenes, alkyne, aromatics, isoprene); OVOCs and halocarbons are not counted. Unmeasured species make the ratio low (towards VOC-limited).',
  'NOx in ppbv = NO + NO2 when both are measured, else NOx reported as NO2 by mass; NO2 from molybdenum converters includes some NOz (ratio biased low).',
  'Ratios are taken from the morning window (06-09 h Beijing time) unless stated; days without paired VOC and NOx hours are not classified.',
]);

export const REGIME_LABELS: Readonly<Record<Regime, { en: string; zh: string }>> = {
  'voc-limited': { en: 'VOC-limited', zh: 'VOCs控制区' },
  transitional: { en: 'transitional', zh: '过渡区' },
  'nox-limited': { en: 'NOx-limited', zh: 'NOx控制区' },
};

/** Regime of a VOC/NOx ratio; null for a missing or non-finite ratio. */
export function classifyRegime(ratio: number | null, band: RegimeBand = DEFAULT_REGIME_BAND): Regime | null {
  if (ratio === null || !Number.isFinite(ratio) || ratio < 0) return null;
  if (ratio < band.vocLimitedBelow) return 'voc-limited';
  if (ratio > band.noxLimitedAbove) return 'nox-limited';
  return 'transitional';
}

/**
 * NOx in ppbv from station values in ug/m3 (298.15 K): NO + NO2 when both present; otherwise NOx
 * (by convention expressed as NO2 by mass) ; otherwise null. Returns how it was obtained.
 */
export function noxPpbv(values: Readonly<Record<string, number | null | undefined>>): { ppbv: number; how: 'no+no2' | 'nox-as-no2' } | null {
  const ok = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  const { no, no2, nox } = values;
  if (ok(no) && ok(no2)) return { ppbv: ugm3ToPpb(no, 'no') + ugm3ToPpb(no2, 'no2'), how: 'no+no2' };
  if (ok(nox)) return { ppbv: ugm3ToPpb(nox, 'no2'), how: 'nox-as-no2' };
  return null;
}
