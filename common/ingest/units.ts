/**
 * Unit conversion to AirDesk's canonical units (common/pollutants.ts): gases and particles in
 * ug/m3, CO in mg/m3, at the GB 3095-2026 reference state for gases, 298.15 K and 1013.25 hPa
 * (REFERENCE.md 2.1; the same state as the 2018 amendment to GB 3095-2012).
 *
 * C[ug/m3] = C[ppb] x MW / V_m with V_m = R T / P (REFERENCE.md 5.3). Derived here rather than
 * typed in, so a reader can check it: V_m = 8.314462618 x 298.15 / 101325 m3/mol = 24.465 L/mol.
 */
import type { Quantity } from '../pollutants.ts';

/** CODATA 2018 molar gas constant, J/(mol K) (exact since the 2019 SI redefinition). */
export const R = 8.314462618;
/** GB 3095-2026 reference state for gaseous pollutants. */
export const REF_T_K = 298.15;
export const REF_P_PA = 101_325;
/** Molar volume at the reference state, litres per mole (24.4654...). */
export const MOLAR_VOLUME_L = ((R * REF_T_K) / REF_P_PA) * 1000;

// IUPAC conventional standard atomic weights (2013 abridged table; S as 32.065).
const C = 12.011;
const N = 14.007;
const O = 15.999;
const S = 32.065;

/** Molar masses, g/mol. NOx is expressed as NO2 (GB 3095 Table 2: "NOx (as NO2)"). */
export const MOLAR_MASS: Readonly<Partial<Record<Quantity, number>>> = {
  so2: S + 2 * O,
  no2: N + 2 * O,
  no: N + O,
  nox: N + 2 * O,
  co: C + O,
  o3: 3 * O,
};

/** ppb -> ug/m3 (equivalently ppm -> mg/m3) at the reference state. */
export function ppbToUgm3(ppb: number, molarMass: number): number {
  return (ppb * molarMass) / MOLAR_VOLUME_L;
}

/** ug/m3 -> ppb at the reference state (inverse of ppbToUgm3). */
export function ugm3ToPpb(ugm3: number, molarMass: number): number {
  return (ugm3 * MOLAR_VOLUME_L) / molarMass;
}

/** How a unit spelling is written in payloads, folded to one key. */
export function unitKey(u: string): string {
  return u.trim().toLowerCase().replace(/µ|μ/g, 'u').replace(/\s+/g, '').replace(/³/g, '3');
}

type Conv = (x: number) => number;

const GAS_UNITS = (q: Quantity): Record<string, Conv> => {
  const mw = MOLAR_MASS[q]!;
  // CO is stored in mg/m3, the other gases in ug/m3.
  const k = q === 'co' ? 1 / 1000 : 1;
  return {
    'ug/m3': (x) => x * k,
    'mg/m3': (x) => x * 1000 * k,
    ppb: (x) => ppbToUgm3(x, mw) * k,
    ppbv: (x) => ppbToUgm3(x, mw) * k,
    ppm: (x) => ppbToUgm3(x * 1000, mw) * k,
    ppmv: (x) => ppbToUgm3(x * 1000, mw) * k,
  };
};

const PARTICLE_UNITS: Record<string, Conv> = {
  'ug/m3': (x) => x,
  'mg/m3': (x) => x * 1000,
};

const id: Conv = (x) => x;

/** Accepted units per quantity and the conversion to the canonical unit. */
export const UNIT_TABLE: Readonly<Record<Quantity, Readonly<Record<string, Conv>>>> = {
  pm25: PARTICLE_UNITS,
  pm10: PARTICLE_UNITS,
  so2: GAS_UNITS('so2'),
  no2: GAS_UNITS('no2'),
  no: GAS_UNITS('no'),
  nox: GAS_UNITS('nox'),
  co: GAS_UNITS('co'),
  o3: GAS_UNITS('o3'),
  temp: { degc: id, c: id, '°c': id, k: (x) => x - 273.15, degf: (x) => ((x - 32) * 5) / 9, f: (x) => ((x - 32) * 5) / 9 },
  rh: { '%': id, pct: id, percent: id },
  pres: { hpa: id, mbar: id, kpa: (x) => x * 10, pa: (x) => x / 100 },
  ws: { 'm/s': id, 'km/h': (x) => x / 3.6 },
  wd: { deg: id, '°': id, degree: id, degrees: id },
  precip: { mm: id },
};

/** Default unit of each quantity when a payload names none: the canonical one. */
export const DEFAULT_UNIT: Readonly<Record<Quantity, string>> = {
  pm25: 'ug/m3', pm10: 'ug/m3', so2: 'ug/m3', no2: 'ug/m3', no: 'ug/m3', nox: 'ug/m3',
  co: 'mg/m3', o3: 'ug/m3', temp: 'degc', rh: '%', pres: 'hpa', ws: 'm/s', wd: 'deg', precip: 'mm',
};

/** Converter for `unit` of quantity `q`, or null when the unit is not known for it. */
export function converter(q: Quantity, unit: string | undefined): Conv | null {
  const table = UNIT_TABLE[q];
  return table[unitKey(unit ?? DEFAULT_UNIT[q])] ?? null;
}
