/**
 * Gas unit conversions ppb <-> ug/m3 (and ppm <-> mg/m3, the same factor) at a named reference
 * state. The molar volume is derived, not copied: Vm = R*T/P.
 *  - 'gb3095-298K': 298.15 K, 1013.25 hPa, the reference state of GB 3095-2026 and of the 2018
 *    amendment to GB 3095-2012 (Vm = 24.465 L/mol). The default.
 *  - 'stp-273K': 273.15 K, 1013.25 hPa, the standard state of the original GB 3095-2012 text
 *    (Vm = 22.414 L/mol).
 */
export const R = 8.314462618; // J/(mol K), CODATA 2018 (exact since the 2019 SI)

export interface ReferenceState {
  readonly name: string;
  readonly kelvin: number;
  readonly hPa: number;
}

export const REFERENCE_STATES = Object.freeze({
  'gb3095-298K': Object.freeze({ name: 'gb3095-298K', kelvin: 298.15, hPa: 1013.25 }),
  'stp-273K': Object.freeze({ name: 'stp-273K', kelvin: 273.15, hPa: 1013.25 }),
});
export type ReferenceName = keyof typeof REFERENCE_STATES;
export const DEFAULT_REFERENCE: ReferenceName = 'gb3095-298K';

/** Molar masses, g/mol (IUPAC standard atomic weights). */
export const MOLAR_MASS = Object.freeze({ so2: 64.064, no2: 46.0055, no: 30.006, o3: 47.997, co: 28.010 });
export type Gas = keyof typeof MOLAR_MASS;

/** Molar volume in L/mol at T (K) and P (hPa): R*T/P. molarVolume(298.15, 1013.25) -> 24.465. */
export function molarVolume(kelvin: number, hPa: number): number {
  return (R * kelvin) / (hPa * 100) * 1000;
}

function vm(ref: ReferenceName | ReferenceState): number {
  const s = typeof ref === 'string' ? REFERENCE_STATES[ref] : ref;
  return molarVolume(s.kelvin, s.hPa);
}

/** ppb -> ug/m3 (equivalently ppm -> mg/m3): c = ppb * M / Vm.
 *  Example: ppbToUgm3(100, 'no2') -> 188.05 at 298.15 K. */
export function ppbToUgm3(ppb: number, gas: Gas, ref: ReferenceName | ReferenceState = DEFAULT_REFERENCE): number {
  return (ppb * MOLAR_MASS[gas]) / vm(ref);
}

/** ug/m3 -> ppb (equivalently mg/m3 -> ppm): ppb = c * Vm / M. */
export function ugm3ToPpb(ugm3: number, gas: Gas, ref: ReferenceName | ReferenceState = DEFAULT_REFERENCE): number {
  return (ugm3 * vm(ref)) / MOLAR_MASS[gas];
}
