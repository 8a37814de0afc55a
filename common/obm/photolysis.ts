/**
 * Photolysis frequencies from solar geometry, as the MCM does: J = l cos(chi)^m exp(-n sec(chi))
 * (Saunders et al. 2003, ACP 3, 161, section 2.4; parameters of MCM v3.3.1, Jenkin et al. 2015,
 * ACP 15, 11433, mcm.york.ac.uk "photolysis parameters"), for clear sky, 350 DU ozone, surface
 * albedo of the TUV runs they were fitted to. Zero when the sun is at or below the horizon.
 * A station's observed JNO2 rescales every J by JNO2_obs / J(4) (clouds, aerosol, ozone column
 * move the J's together to first order; F0AM's "JNO2 scaling" option does the same).
 */

/** [l (s-1), m, n] per MCM photolysis number (MCM v3.3.1; the v3.3 values, which v3.3.1 kept).
 *  Numbers MCM does not define (9, 10, 25-30, ...) are absent, and a mechanism using them is
 *  refused when the box model is built. */
// prettier-ignore
export const MCM_J: Readonly<Record<number, readonly [number, number, number]>> = {
  1: [6.073e-5, 1.743, 0.474],   // O3 -> O(1D) + O2
  2: [4.775e-4, 0.298, 0.080],   // O3 -> O(3P) + O2
  3: [1.041e-5, 0.723, 0.279],   // H2O2 -> 2 OH
  4: [1.165e-2, 0.244, 0.267],   // NO2 -> NO + O(3P)
  5: [2.485e-2, 0.168, 0.108],   // NO3 -> NO + O2
  6: [1.747e-1, 0.155, 0.125],   // NO3 -> NO2 + O(3P)
  7: [2.644e-3, 0.261, 0.288],   // HONO -> OH + NO
  8: [9.312e-7, 1.230, 0.307],   // HNO3 -> OH + NO2
  11: [4.642e-5, 0.762, 0.353],  // HCHO -> H + HCO
  12: [6.853e-5, 0.477, 0.323],  // HCHO -> H2 + CO
  13: [7.344e-6, 1.202, 0.417],  // CH3CHO -> CH3 + HCO
  14: [2.879e-5, 1.067, 0.358],  // C2H5CHO -> C2H5 + HCO
  15: [2.792e-5, 0.805, 0.338],  // C3H7CHO -> n-C3H7 + HCO
  16: [1.675e-5, 0.805, 0.338],  // C3H7CHO -> C2H4 + CH3CHO
  17: [7.914e-5, 0.764, 0.364],  // IPRCHO -> n-C4H9 + HCO
  18: [1.482e-6, 0.396, 0.298],  // MACR -> CH2=CCH3 + HCO
  19: [1.482e-6, 0.396, 0.298],  // MACR -> CH2=C(CH3)CO + H
  21: [7.992e-7, 1.578, 0.271],  // CH3COCH3 -> CH3CO + CH3
  22: [5.804e-6, 1.092, 0.377],  // MEK -> CH3CO + C2H5
  23: [2.4246e-6, 0.395, 0.296], // MVK -> CH3CH=CH2 + CO
  24: [2.4246e-6, 0.395, 0.296], // MVK -> CH3CO + CH2=CH
  31: [6.845e-5, 0.130, 0.201],  // GLYOX -> CO + CO + H2
  32: [1.032e-5, 0.130, 0.201],  // GLYOX -> HCHO + CO
  33: [3.802e-5, 0.644, 0.312],  // GLYOX -> HCO + HCO
  34: [1.537e-4, 0.170, 0.208],  // MGLYOX -> CH3CO + HCO
  35: [3.326e-4, 0.148, 0.215],  // BIACET -> CH3CO + CH3CO
  41: [7.649e-6, 0.682, 0.279],  // CH3OOH -> CH3O + OH
  51: [1.588e-6, 1.154, 0.318],  // CH3NO3 -> CH3O + NO2
  52: [1.907e-6, 1.244, 0.335],  // C2H5NO3 -> C2H5O + NO2
  53: [2.485e-6, 1.196, 0.328],  // n-C3H7NO3 -> n-C3H7O + NO2
  54: [4.095e-6, 1.111, 0.316],  // i-C3H7NO3 -> i-C3H7O + NO2
  55: [1.135e-5, 0.974, 0.309],  // t-C4H9NO3 -> t-C4H9O + NO2
  56: [4.365e-5, 1.089, 0.323],  // NOA -> CH3C(O)CH2(O) + NO2
};

const RAD = Math.PI / 180;

/**
 * Solar zenith angle (degrees) at a UTC instant (ms since epoch), latitude and longitude
 * (degrees, east positive): NOAA "General Solar Position Calculations" (Spencer 1971 Fourier
 * series for declination and the equation of time), good to ~0.1 degree.
 */
export function solarZenithDeg(utcMs: number, latDeg: number, lonDeg: number): number {
  const d = new Date(utcMs);
  const year = d.getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const dayOfYear = Math.floor((utcMs - start) / 86_400_000) + 1;
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60 + d.getUTCSeconds() / 3600 + d.getUTCMilliseconds() / 3.6e6;
  const g = ((2 * Math.PI) / (leap ? 366 : 365)) * (dayOfYear - 1 + (hour - 12) / 24);
  const eqtime = 229.18 * (0.000075 + 0.001868 * Math.cos(g) - 0.032077 * Math.sin(g) - 0.014615 * Math.cos(2 * g) - 0.040849 * Math.sin(2 * g));
  const decl = 0.006918 - 0.399912 * Math.cos(g) + 0.070257 * Math.sin(g) - 0.006758 * Math.cos(2 * g)
    + 0.000907 * Math.sin(2 * g) - 0.002697 * Math.cos(3 * g) + 0.00148 * Math.sin(3 * g);
  const tst = hour * 60 + eqtime + 4 * lonDeg; // true solar time, minutes
  const ha = (tst / 4 - 180) * RAD;
  const lat = latDeg * RAD;
  const cosZ = Math.sin(lat) * Math.sin(decl) + Math.cos(lat) * Math.cos(decl) * Math.cos(ha);
  return Math.acos(Math.min(1, Math.max(-1, cosZ))) / RAD;
}

/** MCM J (s-1) of photolysis number `n` at zenith angle chi (degrees); 0 at night. */
export function mcmJ(n: number, chiDeg: number): number {
  const p = MCM_J[n];
  if (!p) throw new Error(`no MCM photolysis parameters for J(${n})`);
  if (chiDeg >= 90) return 0;
  const c = Math.cos(chiDeg * RAD);
  return p[0] * Math.pow(c, p[1]) * Math.exp(-p[2] / c);
}

/**
 * Fill J values into `out` (indexed by photolysis number) for the numbers listed; scale every J
 * by `scale` (e.g. JNO2_obs / J(4) from `jno2ScaleFactor`).
 */
export function photolysisAt(numbers: readonly number[], chiDeg: number, scale: number, out: Float64Array, offset: number): void {
  for (const n of numbers) out[offset + n] = mcmJ(n, chiDeg) * scale;
}

/** Factor that makes the MCM J(NO2) equal an observed JNO2 (s-1); 1 when no usable observation
 *  or when the model sun is down (a night-time JNO2 of 0 carries no information). */
export function jno2ScaleFactor(jno2Obs: number | null | undefined, chiDeg: number): number {
  if (jno2Obs == null || !Number.isFinite(jno2Obs) || jno2Obs < 0) return 1;
  const model = mcmJ(4, chiDeg);
  if (model < 1e-5) return 1;
  return jno2Obs / model;
}
