/**
 * Automatic QC rules, pure. Each returns whether a value earns a flag; flagged values are stored
 * with the flag, never dropped (issue 2). The stateful part (previous values per station and
 * quantity) lives in gateway/qc-tracker.ts; these functions only look at what they are given.
 *
 * The limits are AirDesk plausibility limits, not a standard: wide enough that real extremes
 * (dust storms with PM10 in the thousands, winter haze with CO above 10 mg/m3) pass unflagged.
 */
import type { Quantity } from '../pollutants.ts';
import type { Interval } from '../schemas/reading.ts';

/** Plausible range per quantity in canonical units (ug/m3, CO mg/m3, degC, %, hPa, m/s, deg, mm). */
export const PLAUSIBLE_RANGE: Readonly<Record<Quantity, readonly [number, number]>> = {
  pm25: [0, 2000],
  pm10: [0, 10000], // Beijing dust storm 2021-03-15: hourly PM10 > 7000 ug/m3 at some stations
  so2: [0, 5000],
  no2: [0, 2000],
  no: [0, 3000],
  nox: [0, 5000],
  co: [0, 100],
  o3: [0, 1500],
  temp: [-60, 60],
  rh: [0, 100],
  pres: [500, 1100],
  ws: [0, 75],
  wd: [0, 360],
  precip: [0, 500],
};

/** True when v lies outside the plausible range of q. */
export function outOfRange(q: Quantity, v: number): boolean {
  const [lo, hi] = PLAUSIBLE_RANGE[q];
  return v < lo || v > hi;
}

/**
 * Values that old analyzers and networks report when they saturate: exactly 500 for gases
 * (the top of a common 0-500 range setting) and 20.0 for CO in mg/m3. Suspect, not wrong.
 */
export const CEILING_VALUES: Readonly<Partial<Record<Quantity, number>>> = {
  so2: 500, no2: 500, no: 500, nox: 500, o3: 500, co: 20,
};

/** True when the value as sent, or after conversion, equals the known ceiling of q. */
export function atCeiling(q: Quantity, sent: number, canonical: number): boolean {
  const c = CEILING_VALUES[q];
  return c !== undefined && (sent === c || canonical === c);
}

/** Quantities where an unchanging value is normal and must not be flagged (no rain, calm wind). */
const FLAT_EXEMPT: ReadonlySet<Quantity> = new Set<Quantity>(['precip', 'wd', 'ws', 'rh']);

/** How many consecutive identical values make a flat line, per averaging interval
 *  (6 hours of hourly data; an hour of minute data; 2 h of real-time data; 4 days). */
export const FLAT_RUN: Readonly<Record<Interval, number>> = { rt: 120, min: 60, hour: 6, day: 4 };

/**
 * Flat line: the value equals the previous one and the run of identical values (including
 * this one) reaches FLAT_RUN for the interval. `run` is the length of the identical run before v.
 */
export function isFlatLine(q: Quantity, interval: Interval, prev: number | null, run: number, v: number): boolean {
  if (FLAT_EXEMPT.has(q) || prev === null || v !== prev) return false;
  return run + 1 >= FLAT_RUN[interval];
}

/** Spike limits: a rise larger than `jump` (canonical units) AND more than `factor` times the
 *  previous value between consecutive values of the same interval. */
export const SPIKE_RULE: Readonly<Partial<Record<Quantity, { jump: number; factor: number }>>> = {
  pm25: { jump: 300, factor: 4 },
  pm10: { jump: 600, factor: 4 },
  so2: { jump: 500, factor: 5 },
  no2: { jump: 300, factor: 5 },
  co: { jump: 10, factor: 5 },
  o3: { jump: 300, factor: 5 },
};

/** True when v jumps from prev by more than the spike rule of q allows. */
export function isSpike(q: Quantity, prev: number | null, v: number): boolean {
  const rule = SPIKE_RULE[q];
  if (!rule || prev === null) return false;
  return v - prev > rule.jump && v > rule.factor * Math.max(prev, 0);
}
