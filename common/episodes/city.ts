/**
 * Per-city hourly store and the statistics the episode rules read: city hourly means (HJ 663: mean
 * of the city's stations), daily records (24-h means >= 20 h, MDA8 over 17 windows, daily AQI by
 * HJ 633 via common/standards) and the rolling 24-h AQI (REF 3.1: warnings use any continuous 24 h).
 *
 * Incremental: `ingestCity` recomputes only the hours, days and rolling windows that the new points
 * touch, so late and out-of-order hours update what they change and nothing else. The results do
 * not depend on the order in which points arrive (except that a later value for the same station,
 * hour and quantity replaces an earlier one).
 */
import { MET_FIELDS, POLLUTANTS, type Pollutant, type Quantity } from '../pollutants.ts';
import { HOUR_MS, beijingDayOfHourEnd, endOfBeijingDay } from '../time.ts';
import { dailyMean } from '../standards/index.ts';
import { cityHour, dayRecord, rolling24h, type DayRules, type PollutantSeries } from '../aggregate/index.ts';
import type { EpisodeConfig } from './config.ts';
import type { HourlyPoint } from './types.ts';

export type Values = Partial<Record<Quantity, number>>;

/** A day's statistics. For the ongoing (provisional) day they use the hours so far. */
export interface DayRecord {
  day: string;
  provisional: boolean;
  /** hours with a city PM2.5 (or, without PM2.5, O3) value */
  hours: number;
  aqi: number | null;
  primary: Pollutant[];
  pm25: number | null;
  pm10: number | null;
  so2: number | null;
  no2: number | null;
  co: number | null;
  o3max1h: number | null;
  mda8: number | null;
}

export interface RollingHour {
  aqi: number | null;
  primary: Pollutant[];
}

export interface CityState {
  city: string;
  /** station ('' = city-level values) -> hour end -> values */
  stations: Map<string, Map<number, Values>>;
  /** derived: city hourly value per quantity */
  hourly: Map<Quantity, Map<number, number>>;
  latest: number;
  earliest: number;
  days: Map<string, DayRecord>;
  rolling: Map<number, RollingHour>;
}

const CITY_LEVEL = '';
const QUANTITIES: readonly Quantity[] = [...POLLUTANTS, 'no', 'nox', ...MET_FIELDS];

export function newCityState(city: string): CityState {
  return {
    city, stations: new Map(), hourly: new Map(QUANTITIES.map((q) => [q, new Map()])),
    latest: -Infinity, earliest: Infinity, days: new Map(), rolling: new Map(),
  };
}

function ok(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Store points of one city and recompute what they touch. Returns the touched hour ends. */
export function ingestCity(cs: CityState, points: readonly HourlyPoint[], cfg: EpisodeConfig): number[] {
  const touched = new Set<number>();
  for (const p of points) {
    if (!ok(p.time) || p.time % HOUR_MS !== 0) continue; // callers validate; the core stays total
    const st = p.station ?? CITY_LEVEL;
    let m = cs.stations.get(st);
    if (!m) cs.stations.set(st, (m = new Map()));
    const cur = { ...(m.get(p.time) ?? {}) };
    for (const [k, v] of Object.entries(p.values)) {
      const q = k as Quantity;
      if (!QUANTITIES.includes(q)) continue;
      // Negative concentrations are missing (never 0); wind direction and temperature may be anything finite.
      if (ok(v) && (v >= 0 || q === 'temp')) cur[q] = v;
      else delete cur[q];
    }
    m.set(p.time, cur);
    touched.add(p.time);
  }
  if (touched.size === 0) return [];
  for (const t of touched) recomputeHour(cs, t, cfg);

  const oldLatest = cs.latest;
  for (const t of touched) {
    if (t > cs.latest) cs.latest = t;
    if (t < cs.earliest) cs.earliest = t;
  }
  const dirtyDays = new Set<string>([...touched].map(beijingDayOfHourEnd));
  if (cs.latest !== oldLatest) {
    if (Number.isFinite(oldLatest)) dirtyDays.add(beijingDayOfHourEnd(oldLatest));
    dirtyDays.add(beijingDayOfHourEnd(cs.latest));
  }
  for (const d of dirtyDays) recomputeDay(cs, d, cfg);

  const dirtyRolling = new Set<number>();
  for (const t of touched) for (let k = 0; k < 24; k++) {
    const h = t + k * HOUR_MS;
    if (h <= cs.latest) dirtyRolling.add(h);
  }
  for (const h of dirtyRolling) recomputeRolling(cs, h, cfg);
  return [...touched].sort((a, b) => a - b);
}

function recomputeHour(cs: CityState, t: number, cfg: EpisodeConfig): void {
  const cityLevel = cs.stations.get(CITY_LEVEL)?.get(t);
  for (const q of QUANTITIES) {
    let v: number | null = null;
    if (cityLevel && ok(cityLevel[q])) v = cityLevel[q]!;
    else {
      const vals: number[] = [];
      for (const [st, m] of cs.stations) {
        if (st === CITY_LEVEL) continue;
        const x = m.get(t)?.[q];
        if (ok(x)) vals.push(x);
      }
      const need = (POLLUTANTS as readonly string[]).includes(q) ? cfg.minStationsPerHour : 1;
      // Pollutants through the aggregation core (the live engine's city hour); weather (temperature
      // may be negative) as a plain mean, wind direction as a vector mean.
      if (q === 'wd') v = vals.length ? circularMean(vals) : null;
      else if ((POLLUTANTS as readonly string[]).includes(q)) v = cityHour(vals, Math.max(1, need));
      else v = vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null;
    }
    const m = cs.hourly.get(q)!;
    if (v === null) m.delete(t);
    else m.set(t, v);
  }
}

/** Mean direction of angles in degrees (0..360), by unit vectors. */
export function circularMean(deg: readonly number[]): number {
  let x = 0;
  let y = 0;
  for (const d of deg) {
    x += Math.cos((d * Math.PI) / 180);
    y += Math.sin((d * Math.PI) / 180);
  }
  const a = (Math.atan2(y, x) * 180) / Math.PI;
  return (a + 360) % 360;
}

/** Whether a day is the ongoing one: it holds the latest hour and that hour is not its label 24. */
export function isProvisional(cs: CityState, day: string): boolean {
  return Number.isFinite(cs.latest) && beijingDayOfHourEnd(cs.latest) === day && cs.latest !== endOfBeijingDay(day);
}

/** The day rules of the episode config: the same rule-set choice and validity as the live engine. */
export function dayRulesOf(cfg: EpisodeConfig): DayRules {
  return { daily: cfg.dailyRule, minHoursPerDay: cfg.minHoursPerDay, mda8MinWindows: cfg.mda8MinWindows };
}

function seriesOf(cs: CityState): PollutantSeries {
  return Object.fromEntries(POLLUTANTS.map((p) => [p, cs.hourly.get(p)!])) as unknown as PollutantSeries;
}

function recomputeDay(cs: CityState, day: string, cfg: EpisodeConfig): void {
  const provisional = isProvisional(cs, day);
  const h = (q: Pollutant) => cs.hourly.get(q)!;
  const pm25Stat = dailyMean(h('pm25'), day, 0);
  const o3Stat = dailyMean(h('o3'), day, 0);
  const hours = Math.max(pm25Stat.n, o3Stat.n);
  if (hours === 0 && [...cs.hourly.values()].every((m) => !anyInDay(m, day))) {
    cs.days.delete(day);
    return;
  }
  // The ongoing day: partial means (>= minHoursOnTrack hours) and the partial MDA8 (it can only grow).
  const { input, aqi: r } = dayRecord(seriesOf(cs), day, dayRulesOf(cfg), provisional ? { minHours: cfg.minHoursOnTrack, upTo: cs.latest } : null);
  cs.days.set(day, {
    day, provisional, hours, aqi: r.aqi, primary: r.primary,
    pm25: input.pm25_24h ?? null, pm10: input.pm10_24h ?? null, so2: input.so2_24h ?? null,
    no2: input.no2_24h ?? null, co: input.co_24h ?? null, o3max1h: input.o3_max1h ?? null, mda8: input.o3_mda8 ?? null,
  });
}

function anyInDay(m: Map<number, number>, day: string): boolean {
  const end = endOfBeijingDay(day);
  for (let k = 0; k < 24; k++) if (m.has(end - k * HOUR_MS)) return true;
  return false;
}

/** Rolling daily AQI over the 24 h ending at t (the daily formula on moving windows, REF 3.1). */
function recomputeRolling(cs: CityState, t: number, cfg: EpisodeConfig): void {
  const r = rolling24h(seriesOf(cs), t, beijingDayOfHourEnd(t), dayRulesOf(cfg)).aqi;
  if (r.aqi === null) cs.rolling.delete(t);
  else cs.rolling.set(t, { aqi: r.aqi, primary: r.primary });
}

/** Every day from the first to the latest, with its record or null (no data / not valid). */
export function daySeries(cs: CityState): { day: string; rec: DayRecord | null }[] {
  if (!Number.isFinite(cs.latest)) return [];
  const out: { day: string; rec: DayRecord | null }[] = [];
  const last = beijingDayOfHourEnd(cs.latest);
  let d = beijingDayOfHourEnd(cs.earliest);
  for (let guard = 0; guard < 100_000; guard++) {
    out.push({ day: d, rec: cs.days.get(d) ?? null });
    if (d === last) break;
    d = nextDay(d);
  }
  return out;
}

export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Hour ends of the city's data between from and to (inclusive) with the city values. */
export function cityHours(cs: CityState, from: number, to: number): { time: number; values: Values }[] {
  const out: { time: number; values: Values }[] = [];
  for (let t = from; t <= to; t += HOUR_MS) {
    const values: Values = {};
    let any = false;
    for (const [q, m] of cs.hourly) {
      const v = m.get(t);
      if (v !== undefined) {
        values[q] = v;
        any = true;
      }
    }
    if (any) out.push({ time: t, values });
  }
  return out;
}

/** Drop station data older than `before` (hour end) and the derived values that only they fed. */
export function pruneCity(cs: CityState, before: number): void {
  for (const m of cs.stations.values()) for (const t of [...m.keys()]) if (t < before) m.delete(t);
  for (const m of cs.hourly.values()) for (const t of [...m.keys()]) if (t < before) m.delete(t);
  for (const t of [...cs.rolling.keys()]) if (t < before) cs.rolling.delete(t);
  const firstDay = beijingDayOfHourEnd(before + HOUR_MS);
  for (const d of [...cs.days.keys()]) if (d < firstDay) cs.days.delete(d);
  if (cs.earliest < before) cs.earliest = before + HOUR_MS;
}
