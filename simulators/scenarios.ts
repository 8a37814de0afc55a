/**
 * Seasons and scripted scenarios for the simulated city. A scenario is a list of phases (day
 * ranges counted from the scenario start) that nudge the city's "drivers" (photochemistry,
 * ventilation, wind, humidity, PM level, dust); between phases the nudges ramp over a few hours so
 * series have no steps at midnight. Scenarios repeat after their length, so a long-running demo
 * keeps showing episodes.
 *
 * Magnitudes are hand-set to resemble Beijing climatology and the real episodes in
 * ../shared/data/README.md (Dec 2016 PM2.5 episode: daily means 185-395 ug/m3 ended by a north wind;
 * June 2017 O3 runs with MDA8 180-264), not fitted.
 */
import { DAY_MS, HOUR_MS } from '#common/time.ts';

export type ScenarioName = 'normal' | 'o3' | 'pm' | 'dust';
export const SCENARIOS: readonly ScenarioName[] = ['normal', 'o3', 'pm', 'dust'];
export type Season = 'winter' | 'spring' | 'summer' | 'autumn';

/** Season normals for Beijing (rounded climatology; ug/m3 except CO mg/m3). */
export interface SeasonNormals {
  temp: number; tempAmp: number; dew: number; pres: number; ws: number;
  pm25: number; pmRatio: number; no2: number; so2: number; coBg: number; coPerPm: number;
  o3Bg: number; o3Amp: number; isoprene: number; showers: boolean;
}

export const SEASONS: Readonly<Record<Season, SeasonNormals>> = {
  winter: { temp: -1, tempAmp: 5, dew: -14, pres: 1025, ws: 2.2, pm25: 60, pmRatio: 0.68, no2: 52, so2: 14, coBg: 0.35, coPerPm: 0.009, o3Bg: 18, o3Amp: 28, isoprene: 0.03, showers: false },
  spring: { temp: 14, tempAmp: 6, dew: -2, pres: 1013, ws: 3.0, pm25: 45, pmRatio: 0.48, no2: 40, so2: 6, coBg: 0.3, coPerPm: 0.008, o3Bg: 40, o3Amp: 70, isoprene: 0.3, showers: false },
  summer: { temp: 25, tempAmp: 5, dew: 18, pres: 1002, ws: 2.0, pm25: 35, pmRatio: 0.55, no2: 32, so2: 3, coBg: 0.3, coPerPm: 0.008, o3Bg: 40, o3Amp: 88, isoprene: 1.2, showers: true },
  autumn: { temp: 13, tempAmp: 6, dew: 3, pres: 1017, ws: 2.0, pm25: 50, pmRatio: 0.6, no2: 45, so2: 6, coBg: 0.35, coPerPm: 0.008, o3Bg: 30, o3Amp: 45, isoprene: 0.25, showers: false },
};

export function seasonOf(t: number): Season {
  const m = new Date(t + 8 * HOUR_MS).getUTCMonth() + 1;
  return m <= 2 || m === 12 ? 'winter' : m <= 5 ? 'spring' : m <= 8 ? 'summer' : 'autumn';
}

/** Additive nudges on the drivers (0 = season normal). */
export interface Nudges {
  photo: number; // added to the O3 photochemical multiplier (1 = normal)
  o3Bg: number; // ug/m3 added to regional background O3
  temp: number; // degC
  dew: number; // degC added to the dew point
  pres: number; // hPa
  vent: number; // added to ventilation (1 = normal; < 1 stagnant)
  precip: number; // mm/h in the afternoon
}

interface Phase {
  from: number; // day (fractional) since scenario start
  to: number;
  n: Partial<Nudges>;
}

export interface Scenario {
  name: ScenarioName;
  /** null: season follows the calendar */
  season: Season | null;
  lengthDays: number;
  phases: Phase[];
  /** Scenario days on which the episode is expected (for tests and docs). */
  episodeDays: number[];
  /** Front: days after start when a cold front (NW wind) reaches the city centre. */
  frontDay?: number;
  /** Dust arrival (days after start) at the centre. */
  dustDay?: number;
}

export const SCENARIO_DEFS: Readonly<Record<ScenarioName, Scenario>> = {
  normal: { name: 'normal', season: null, lengthDays: 7, phases: [], episodeDays: [] },
  // Summer photochemical O3 episode: hot, dry, light winds, days 2..6; a rainy day 7 ends it.
  o3: {
    name: 'o3', season: 'summer', lengthDays: 9, episodeDays: [2, 3, 4, 5, 6],
    phases: [
      { from: 2, to: 7, n: { photo: 0.95, o3Bg: 18, temp: 3.5, dew: -5, vent: -0.1, pres: -3 } },
      { from: 7, to: 8, n: { photo: -0.5, temp: -3, dew: 3, precip: 2.5, vent: 0.3 } },
    ],
  },
  // Winter stagnation: PM2.5 builds from day 1, daily mean > 150 on days 2..5; a cold front with
  // NW wind 5+ m/s arrives on day 6 at 06:00 and clears it.
  pm: {
    name: 'pm', season: 'winter', lengthDays: 8, episodeDays: [2, 3, 4, 5], frontDay: 6.25,
    phases: [
      { from: 1, to: 6.25, n: { photo: -0.45, temp: 2, dew: 10, vent: -0.45, pres: -5 } },
      { from: 6.25, to: 8, n: { photo: 0.1, temp: -5, dew: -8, vent: 1.2, pres: 8 } },
    ],
  },
  // Spring dust: a strong NW wind brings dust on day 2 at 09:00; PM10 jumps, PM2.5/PM10 ~ 0.2.
  dust: {
    name: 'dust', season: 'spring', lengthDays: 5, episodeDays: [2], dustDay: 2.375,
    phases: [{ from: 2.3, to: 3.3, n: { temp: -2, dew: -14, vent: 1.8, pres: 4, photo: 0.1 } }],
  },
};

const smoothstep = (x: number) => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));

/** Days since the scenario start, wrapped into [0, lengthDays). */
export function scenarioDay(s: Scenario, start: number, t: number): number {
  const d = (t - start) / DAY_MS;
  const L = s.lengthDays;
  return ((d % L) + L) % L;
}

/** The phase nudges at scenario day d (ramped over 6 hours around phase edges). */
export function nudgesAt(s: Scenario, d: number): Nudges {
  const out: Nudges = { photo: 0, o3Bg: 0, temp: 0, dew: 0, pres: 0, vent: 0, precip: 0 };
  const r = 0.25;
  for (const p of s.phases) {
    const w = smoothstep((d - p.from + r / 2) / r) - smoothstep((d - p.to + r / 2) / r);
    if (w <= 0) continue;
    for (const k of Object.keys(p.n) as (keyof Nudges)[]) out[k] += w * (p.n[k] ?? 0);
  }
  return out;
}

/**
 * City PM2.5 level (ug/m3) in the PM scenario at scenario day `d` for a place where the front
 * arrives at `front` (days): a logistic build-up from ~40 to ~320 centred on day 2, then an
 * exponential clean-out (e-fold 1.5 h) to ~15 once the front has passed. null outside the scenario.
 */
export function pmEpisodeLevel(d: number, front: number): number {
  if (d < front) return 38 + 285 / (1 + Math.exp(-(d - 2) / 0.45));
  const hoursAfter = (d - front) * 24;
  const before = 38 + 285 / (1 + Math.exp(-(front - 2) / 0.45));
  return 14 + (before - 14) * Math.exp(-hoursAfter / 1.5);
}

/** Dust PM10 increment (ug/m3) `hours` after the dust front reaches a place: 2-h rise to ~850,
 *  8-h plateau, then e-fold decay of 6 h. */
export function dustIncrement(hours: number): number {
  if (hours < 0) return 0;
  if (hours < 2) return 850 * smoothstep(hours / 2);
  if (hours < 10) return 850;
  return 850 * Math.exp(-(hours - 10) / 6);
}
