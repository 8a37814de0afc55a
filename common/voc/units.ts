/**
 * VOC unit conversions: ppbv <-> ppbC <-> ug/m3 and ppbv -> molecules/cm3, at a stated reference
 * state. Formulas from REFERENCE 5.3:
 *   ug/m3 = ppbv x MW / Vm, Vm = R*T/P (24.465 L/mol at 298.15 K, 1013.25 hPa);
 *   ppbC = ppbv x carbon number;
 *   [X] (molecule cm-3) = ppbv x 1e-9 x P / (kB T) (2.46e10 per ppbv at 298.15 K, 1 atm).
 * The default state is GB 3095-2026's 298.15 K / 1013.25 hPa; the molar volume comes from
 * common/standards/units.ts (derived from R*T/P, not copied).
 */
import { molarVolume, REFERENCE_STATES, type ReferenceState } from '#common/standards/units.ts';
import type { SpeciesInfo } from './species.ts';

/** Boltzmann constant, J/K (exact in the 2019 SI). */
export const K_B = 1.380649e-23;

export type VocUnit = 'ppbv' | 'ppbC' | 'ugm3';
export const VOC_UNITS: readonly VocUnit[] = ['ppbv', 'ppbC', 'ugm3'];

/** The reference state VOC results are stated at: 298.15 K, 1013.25 hPa (GB 3095-2026). */
export const VOC_REFERENCE: ReferenceState = REFERENCE_STATES['gb3095-298K'];

/** Molar volume, L/mol, at a reference state (24.465 at 298.15 K, 1013.25 hPa). */
export function vm(ref: ReferenceState = VOC_REFERENCE): number {
  return molarVolume(ref.kelvin, ref.hPa);
}

/** Air number density per ppbv, molecule cm-3: 1e-9 x P/(kB T) with P in Pa, /1e6 for m3 -> cm3.
 *  numberDensityPerPpbv() -> 2.4615e10 at 298.15 K, 1013.25 hPa. */
export function numberDensityPerPpbv(ref: ReferenceState = VOC_REFERENCE): number {
  return (1e-9 * (ref.hPa * 100)) / (K_B * ref.kelvin) / 1e6;
}

/** ppbv -> ug/m3 for a species. Toluene 1 ppbv -> 92.14/24.465 = 3.766 ug/m3. */
export function ppbvToUgm3(ppbv: number, s: Pick<SpeciesInfo, 'mw'>, ref: ReferenceState = VOC_REFERENCE): number {
  return (ppbv * s.mw) / vm(ref);
}

export function ugm3ToPpbv(ugm3: number, s: Pick<SpeciesInfo, 'mw'>, ref: ReferenceState = VOC_REFERENCE): number {
  return (ugm3 * vm(ref)) / s.mw;
}

export function ppbvToPpbC(ppbv: number, s: Pick<SpeciesInfo, 'carbon'>): number {
  return ppbv * s.carbon;
}

/** ppbC -> ppbv divides by the carbon number (the rule for stored cycles). */
export function ppbCToPpbv(ppbC: number, s: Pick<SpeciesInfo, 'carbon'>): number {
  return ppbC / s.carbon;
}

/** Convert a value in `unit` to ppbv. */
export function toPpbv(value: number, unit: VocUnit, s: Pick<SpeciesInfo, 'mw' | 'carbon'>, ref: ReferenceState = VOC_REFERENCE): number {
  if (unit === 'ppbv') return value;
  if (unit === 'ppbC') return ppbCToPpbv(value, s);
  return ugm3ToPpbv(value, s, ref);
}

/** Convert a ppbv value to `unit`. */
export function fromPpbv(ppbv: number, unit: VocUnit, s: Pick<SpeciesInfo, 'mw' | 'carbon'>, ref: ReferenceState = VOC_REFERENCE): number {
  if (unit === 'ppbv') return ppbv;
  if (unit === 'ppbC') return ppbvToPpbC(ppbv, s);
  return ppbvToUgm3(ppbv, s, ref);
}

/** Parse a unit as written in files/options ("ppb", "ppbv", "ppbC", "ug/m3", "µg/m³"); null if unknown. */
export function parseVocUnit(u: string): VocUnit | null {
  const k = u.normalize('NFKC').trim().toLowerCase().replace(/[\s/]/g, '').replace('µ', 'u').replace('μ', 'u').replace('³', '3');
  if (k === 'ppbv' || k === 'ppb') return 'ppbv';
  if (k === 'ppbc') return 'ppbC';
  if (k === 'ugm3' || k === 'ugm-3') return 'ugm3';
  return null;
}
