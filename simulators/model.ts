/**
 * The simulated city's atmosphere: a pure function of (seed, scenario, start, station, hour).
 * No I/O, no clock, no state carried between hours, so any hour can be generated alone (backfill,
 * replay, tests) and a seed + scenario + start time always gives the same data.
 *
 * Structure, per hour:
 *   city drivers (season normals + scenario nudges + slow synoptic noise)
 *   x diurnal cycles (O3 afternoon peak, NO2 rush hours, PM night build-up, mixing-height effects)
 *   x station factors (urban core / suburban / background, city-beijing.ts)
 *   x spatially correlated noise (city-wide + east-west/north-south gradients + station own).
 * Fronts and dust travel from the north-west: they reach NW stations first.
 */
import { DAY_MS, HOUR_MS, BEIJING_OFFSET_MS, isoBeijing } from '#common/time.ts';
import { rhFromDewPoint } from '#common/met.ts';
import type { StationReadingMsg, VocCycleMsg } from '#common/schemas/reading.ts';
import { BEIJING_STATIONS, VOC_ANALYZERS, kmFromCentre, syntheticStations, type SimStation } from './city-beijing.ts';
import {
  SCENARIO_DEFS, SEASONS, dustIncrement, nudgesAt, pmEpisodeLevel, scenarioDay, seasonOf,
  type Nudges, type Scenario, type ScenarioName, type SeasonNormals,
} from './scenarios.ts';
import { hashUniform, rng, seedInt, smoothNoise } from './noise.ts';
import { PAMS_SPECIES } from './voc-profile.ts';

export interface SimOptions {
  seed: string | number;
  scenario: ScenarioName;
  /** Scenario start, UTC epoch ms; floored to Beijing midnight. */
  start: number;
  /** Extra synthetic stations around the city (load tests); 0 by default. */
  extraStations?: number;
  /** Include the two VOC analyzers (default true). */
  voc?: boolean;
}

export interface SimState {
  readonly seed: number;
  readonly scenario: Scenario;
  readonly start: number;
  readonly stations: readonly SimStation[];
  readonly voc: boolean;
  /** per station: km east/north of centre, stream id for its own noise */
  readonly geo: ReadonlyMap<string, { x: number; y: number; stream: number }>;
}

/** Raw numbers for one station-hour (ug/m3; CO mg/m3; met in canonical units). */
export interface StationValues {
  pm25: number; pm10: number; so2: number; no2: number; co: number; o3: number; no: number; nox: number;
  temp: number; rh: number; pres: number; ws: number; wd: number; precip: number;
}

/** Beijing midnight at or before t. */
export function beijingMidnight(t: number): number {
  return Math.floor((t + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
}

function codeStream(code: string): number {
  let h = 2166136261;
  for (let i = 0; i < code.length; i++) h = Math.imul(h ^ code.charCodeAt(i), 16777619);
  return (h >>> 0) % 1_000_000 + 1_000_000;
}

export function createSim(opts: SimOptions): SimState {
  const seed = seedInt(opts.seed);
  const extra = opts.extraStations ?? 0;
  const stations = [...BEIJING_STATIONS, ...(extra > 0 ? syntheticStations(extra, rng(opts.seed, 'stations')) : [])];
  const geo = new Map(stations.map((s) => [s.code, { ...kmFromCentre(s.lon, s.lat), stream: codeStream(s.code) }]));
  return { seed, scenario: SCENARIO_DEFS[opts.scenario], start: beijingMidnight(opts.start), stations, voc: opts.voc ?? true, geo };
}

// ---- diurnal shapes; h = Beijing hour of day at the middle of the hour (0..24) ----

const gauss = (h: number, mu: number, sigma: number) => Math.exp(-((h - mu) ** 2) / (2 * sigma * sigma));

/** Photochemical O3 production shape: 0 at night, rising from 06:30, peak 15:00, gone by 21:00. */
export function photoShape(h: number): number {
  if (h < 6.5 || h > 21) return 0;
  if (h <= 15) return Math.sin((Math.PI / 2) * ((h - 6.5) / 8.5)) ** 2;
  return Math.cos((Math.PI / 2) * ((h - 15) / 6)) ** 2;
}

/** NO2: morning rush (08:00) and evening rush (19:30) peaks, afternoon dip from deep mixing and photolysis. */
export function no2Shape(h: number): number {
  return 1 + 0.55 * gauss(h, 8, 1.3) + 0.35 * gauss(h, 19.5, 1.8) - 0.35 * gauss(h, 14, 2.5) + 0.1 * (gauss(h, 1, 3) + gauss(h, 25, 3));
}

/** PM: builds in the shallow night-time boundary layer (max ~23:00), lowest early afternoon. */
export function pmShape(h: number): number {
  return 1 + 0.25 * Math.cos((2 * Math.PI * (h - 23)) / 24);
}

// Noise stream ids (city-level); station streams add codeStream().
const ST = {
  temp: 1, tempFast: 2, dew: 3, pres: 4, ws: 5, wd: 6, rain: 7, pmSyn: 8, o3Day: 9,
  field: 100, // + pollutant index * 10 + component
} as const;
const POLL_IDX = { pm: 0, no2: 1, o3: 2, co: 3, so2: 4, pm10: 5 } as const;
type P = keyof typeof POLL_IDX;

const r1 = (v: number) => Math.round(v * 10) / 10;
const r0 = (v: number) => Math.max(0, Math.round(v));

interface CityHour {
  d: number; // scenario day
  h: number; // Beijing hour of day, middle of the hour
  S: SeasonNormals;
  n: Nudges;
  hours: number; // epoch hours (middle of the hour), for noise
}

function cityHour(state: SimState, t: number): CityHour {
  const mid = t - HOUR_MS / 2;
  const d = scenarioDay(state.scenario, state.start, mid);
  const h = (((mid + BEIJING_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS / HOUR_MS;
  const S = SEASONS[state.scenario.season ?? seasonOf(mid)];
  return { d, h, S, n: nudgesAt(state.scenario, d), hours: mid / HOUR_MS };
}

/** Spatially correlated multiplicative noise: city-wide + gradients + station's own. */
function field(state: SimState, p: P, g: { x: number; y: number; stream: number }, hours: number, sigma: number): number {
  const s = state.seed;
  const b = ST.field + POLL_IDX[p] * 10;
  const city = smoothNoise(s, b, hours, 3);
  const gx = smoothNoise(s, b + 1, hours, 6);
  const gy = smoothNoise(s, b + 2, hours, 6);
  const own = smoothNoise(s, g.stream * 8 + POLL_IDX[p], hours, 4);
  const fast = smoothNoise(s, g.stream * 8 + POLL_IDX[p] + 6_000_000, hours, 1);
  return Math.exp(sigma * (city + (gx * g.x + gy * g.y) / 30 + 0.9 * own + 0.4 * fast));
}

/** Pure generator for one station-hour ending at t (UTC epoch ms, end of the hour). */
export function simulateStation(state: SimState, st: SimStation, t: number, ch: CityHour = cityHour(state, t)): StationValues {
  const { d, h, S, n, hours } = ch;
  const g = state.geo.get(st.code) ?? { ...kmFromCentre(st.lon, st.lat), stream: codeStream(st.code) };
  const sd = state.seed;
  const sc = state.scenario;
  const suburban = st.site !== 'urban';
  // Fronts and dust move from the NW at ~35 km/h: positive = reaches this station later.
  const lagDays = (g.x - g.y) / Math.SQRT2 / 35 / 24;

  // ---- meteorology ----
  let temp = S.temp + n.temp + S.tempAmp * Math.cos((2 * Math.PI * (h - 15)) / 24)
    + 2.5 * smoothNoise(sd, ST.temp, hours, 24) + 0.6 * smoothNoise(sd, ST.tempFast, hours, 4)
    + (suburban ? -0.8 - 1.2 * (1 - photoShape(h)) : 0) + 0.3 * smoothNoise(sd, g.stream * 8 + 7, hours, 6);
  let dew = S.dew + n.dew + 2 * smoothNoise(sd, ST.dew, hours, 24);
  let pres = S.pres + n.pres + 4 * smoothNoise(sd, ST.pres, hours, 48) + 0.8 * Math.cos((4 * Math.PI * (h - 10)) / 24) - (st.site === 'background' ? 4 : suburban ? 1.5 : 0);
  let ws = S.ws * (1 + 0.35 * Math.cos((2 * Math.PI * (h - 14)) / 24)) * Math.exp(0.3 * smoothNoise(sd, ST.ws, hours, 12)) * (suburban ? 1.15 : 1);
  // Beijing's mountain-valley breeze: southerly by day, northerly at night.
  const day = 0.5 + 0.5 * Math.cos((2 * Math.PI * (h - 15)) / 24);
  let wd = (day > 0.5 ? 200 : 20) + 35 * smoothNoise(sd, ST.wd, hours, 6);
  let precip = 0;
  if (S.showers) {
    const r = smoothNoise(sd, ST.rain, hours, 4) + 0.3 * smoothNoise(sd, g.stream * 8 + 5, hours, 2);
    if (r > 1.9) precip = (r - 1.9) * 5;
  }
  if (n.precip > 0 && h > 12 && h < 20) precip += n.precip * (0.6 + 0.8 * hashUniform(sd, g.stream, Math.floor(hours)));

  // Scenario winds.
  let pmLevel: number | null = null;
  let dust = 0;
  if (sc.frontDay !== undefined) {
    const front = sc.frontDay + lagDays;
    pmLevel = pmEpisodeLevel(d, front);
    if (d >= 1 && d < front) {
      ws = (0.9 + 0.35 * Math.cos((2 * Math.PI * (h - 14)) / 24)) * Math.exp(0.15 * smoothNoise(sd, ST.ws, hours, 12));
      wd = 190 + 30 * smoothNoise(sd, ST.wd, hours, 6);
    } else if (d >= front && d < front + 1.5) {
      const after = (d - front) * 24;
      ws = (3 + 5.5 * Math.exp(-after / 20)) * Math.exp(0.08 * smoothNoise(sd, ST.ws, hours, 6));
      wd = 322 + 12 * smoothNoise(sd, ST.wd, hours, 6);
    }
  }
  if (sc.dustDay !== undefined) {
    const after = (d - (sc.dustDay + lagDays)) * 24;
    dust = dustIncrement(after) * Math.exp(0.12 * smoothNoise(sd, g.stream * 8 + 6, hours, 3));
    if (after > -2 && after < 36) {
      ws = (4 + 6.5 * Math.exp(-Math.max(0, after) / 16)) * Math.exp(0.08 * smoothNoise(sd, ST.ws, hours, 6));
      wd = 315 + 12 * smoothNoise(sd, ST.wd, hours, 6);
    }
  }
  wd += 10 * smoothNoise(sd, g.stream * 8 + 9_000_000, hours, 3); // local channelling
  if (sc.name === 'o3' && n.photo > 0.3) ws *= 0.8;
  ws = Math.max(0.2, ws);
  dew = Math.min(dew, temp - 0.3);
  const rh = Math.min(100, Math.max(5, rhFromDewPoint(temp, dew)));
  const vent = Math.max(0.3, (1 + n.vent) * Math.sqrt(ws / S.ws));

  // ---- pollutants ----
  const fPm = field(state, 'pm', g, hours, 0.09);
  let pmAnthro: number;
  if (pmLevel !== null) {
    pmAnthro = pmLevel * pmShape(h) * st.factor.pm * fPm * (1 - 0.04 * g.y / 10); // haze is thicker south of the city
  } else {
    pmAnthro = S.pm25 * Math.exp(0.35 * smoothNoise(sd, ST.pmSyn, hours, 24)) * pmShape(h) * st.factor.pm * fPm / vent ** 0.8;
  }
  const pmRatio = Math.min(0.92, S.pmRatio * field(state, 'pm10', g, hours, 0.06) * (pmLevel !== null && pmLevel > 120 ? 1.15 : 1));
  const pm25 = pmAnthro + 0.17 * dust;
  const pm10 = Math.max(pm25, pmAnthro / pmRatio + dust);

  const no2 = S.no2 * no2Shape(h) * st.factor.no2 * field(state, 'no2', g, hours, 0.12) / vent ** 0.7;
  const noRatio = 0.08 + 0.6 * gauss(h, 8, 1.5) + (1 - photoShape(h)) * 0.15 * (S.o3Amp < 40 ? 2 : 1);
  const no = no2 * noRatio * st.factor.no2 ** 1.5;
  const co = (S.coBg + S.coPerPm * pmAnthro) * (1 + 0.15 * gauss(h, 8, 1.5)) * st.factor.co * field(state, 'co', g, hours, 0.08);
  const so2 = S.so2 * (1 + 0.3 * gauss(h, 11, 3)) * st.factor.so2 * field(state, 'so2', g, hours, 0.12) / vent ** 0.5;

  const photo = Math.max(0.05, 1 + n.photo) * (precip > 0.5 ? 0.5 : 1);
  const amp = S.o3Amp * photo * Math.exp(0.12 * smoothNoise(sd, ST.o3Day, hours, 24));
  const nightness = 1 - photoShape(h);
  const titration = nightness * Math.min(0.8, 0.3 * st.factor.no2 / vent ** 0.7);
  const o3 = ((S.o3Bg + n.o3Bg) * (1 - titration) + amp * photoShape(h)) * st.factor.o3 * field(state, 'o3', g, hours, 0.06);

  temp = r1(temp);
  pres = r1(pres);
  return {
    pm25: r0(pm25), pm10: r0(pm10), so2: r0(so2), no2: r0(no2), co: r1(co), o3: r0(o3),
    no: r0(no), nox: r0(no2 + (no * 46.0055) / 30.0061), // NOx as NO2-equivalent (molar masses NO2 / NO)
    temp, rh: r0(rh), pres, ws: r1(ws), wd: Math.round(((wd % 360) + 360) % 360) % 360 /* 359.6 rounds to 0, not 360 */, precip: r1(precip),
  };
}

const UNITS = { 'PM2.5': 'ug/m3', PM10: 'ug/m3', SO2: 'ug/m3', NO2: 'ug/m3', O3: 'ug/m3', CO: 'mg/m3', NO: 'ug/m3', NOx: 'ug/m3' };

/** The wire message a station would publish for these values (StationReadingMsg, v1). */
export function toReadingMsg(station: string, t: number, v: StationValues): StationReadingMsg {
  return {
    v: 1,
    station,
    time: isoBeijing(t),
    interval: 'hour',
    values: { 'PM2.5': v.pm25, PM10: v.pm10, SO2: v.so2, NO2: v.no2, O3: v.o3, CO: v.co, NO: v.no, NOx: v.nox },
    units: UNITS,
    met: { temp: v.temp, rh: v.rh, pres: v.pres, ws: v.ws, wd: v.wd, precip: v.precip },
  };
}

/** One VOC cycle (ppbv) of an analyzer, ending at t, consistent with its station's CO and O3 chemistry. */
export function simulateVoc(state: SimState, a: (typeof VOC_ANALYZERS)[number], sv: StationValues, t: number, ch: CityHour = cityHour(state, t)): VocCycleMsg {
  const { h, S, n, hours } = ch;
  const coNormal = S.coBg + S.coPerPm * S.pm25;
  const traffic = sv.co / coNormal;
  const oh = (S.o3Amp / 88) * Math.max(0.05, 1 + n.photo) * photoShape(h);
  const g = state.geo.get(a.station)!;
  const species: Record<string, number | null> = {};
  PAMS_SPECIES.forEach((sp, i) => {
    const noise = Math.exp(0.12 * smoothNoise(state.seed, g.stream * 8 + 7_000_000 + i, hours, 2));
    let c: number;
    if (sp.biogenic) {
      // Isoprene: emitted by vegetation with light and temperature (Guenther-like exp(0.09 dT)).
      c = S.isoprene * a.biogenic * photoShape(h) * Math.exp(0.09 * (sv.temp - 25)) + 0.05 * traffic * a.scale;
    } else {
      c = sp.base * a.scale * traffic * Math.exp(-sp.kOH * 0.015 * oh);
    }
    species[sp.name] = Math.round(c * noise * 1000) / 1000;
  });
  return { v: 1, analyzer: a.analyzer, station: a.station, time: isoBeijing(t), unit: 'ppbv', species };
}

export interface SimHour {
  readings: StationReadingMsg[];
  voc: VocCycleMsg[];
}

/**
 * Everything the city publishes for the hour ending at t (UTC epoch ms; floored to the hour):
 * one reading per station, one cycle per VOC analyzer.
 */
export function simulateHour(state: SimState, t: number): SimHour {
  const end = Math.floor(t / HOUR_MS) * HOUR_MS;
  const ch = cityHour(state, end);
  const byCode = new Map<string, StationValues>();
  const readings = state.stations.map((st) => {
    const v = simulateStation(state, st, end, ch);
    byCode.set(st.code, v);
    return toReadingMsg(st.code, end, v);
  });
  const voc = state.voc ? VOC_ANALYZERS.map((a) => simulateVoc(state, a, byCode.get(a.station)!, end, ch)) : [];
  return { readings, voc };
}

/** Values only, for analysis and tests: city stations' raw numbers for the hour ending at t. */
export function simulateValues(state: SimState, t: number): Map<string, StationValues> {
  const end = Math.floor(t / HOUR_MS) * HOUR_MS;
  const ch = cityHour(state, end);
  return new Map(state.stations.map((st) => [st.code, simulateStation(state, st, end, ch)]));
}
