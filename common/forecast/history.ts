/**
 * A city's hourly history as dense arrays, and its daily table, for the guidance model.
 *
 * City value of a pollutant for an hour = mean of the stations with a value, when at least
 * `minStations` have one (HJ 663 city value; 6 of Beijing's 12 as the episode engine uses,
 * ../shared/data/README.md). Meteorology: mean over the stations that report it; wind as the mean
 * of the stations' u/v vectors (a circular mean), so north and north-north-west do not average to
 * south. Daily values and AQI come from common/standards (dailyMean >= 20 h, MDA8 17 windows,
 * dailyAqi under the rule set in force on the day): no second AQI formula here.
 */
import type { HourlyPoint } from '../episodes/types.ts';
import type { Pollutant } from '../pollutants.ts';
import { HOUR_MS, beijingDayOfHourEnd, endOfBeijingDay } from '../time.ts';
import { dailyAqi, dailyMax1h, dailyMean, dailyRuleFor, mda8, type DailyInput } from '../standards/index.ts';

/** Hourly quantities kept: the six pollutants, met, and the wind vector u (eastward), v (northward). */
export const HOURLY_KEYS = ['pm25', 'pm10', 'so2', 'no2', 'co', 'o3', 'temp', 'rh', 'pres', 'ws', 'precip', 'u', 'v'] as const;
export type HourlyKey = (typeof HOURLY_KEYS)[number];
const POLLUTANT_KEYS: readonly HourlyKey[] = ['pm25', 'pm10', 'so2', 'no2', 'co', 'o3'];

/** Dense city hourly series: value k is the hour ending at start + k hours; NaN = missing. */
export interface CityHistory {
  city: string;
  /** hour end (UTC ms) of index 0 */
  start: number;
  hours: number;
  q: Record<HourlyKey, Float64Array>;
}

/** Daily statistics of one day, with its AQI (common/standards). */
export interface DayValues {
  day: string;
  input: DailyInput;
  aqi: number | null;
  primary: Pollutant[];
  /** PM2.5, PM10, NO2 and MDA8 all valid: only such days are verified (an AQI without PM2.5 or O3
   *  would judge a forecast against a number that leaves out the usual primary pollutants) */
  complete: boolean;
}

export interface CityHistoryOptions {
  /** stations needed for a city pollutant hour (default 6) */
  minStations?: number;
}

/** Dense city history from station points (any order). Points of other cities are ignored only if
 *  `city` is given; times must be whole hours (others are skipped, counted in `skipped`). */
export function cityHistory(points: readonly HourlyPoint[], city: string, opts: CityHistoryOptions = {}): CityHistory & { skipped: number } {
  const minStations = opts.minStations ?? 6;
  let lo = Infinity;
  let hi = -Infinity;
  let skipped = 0;
  for (const p of points) {
    if (!Number.isFinite(p.time) || p.time % HOUR_MS !== 0) continue;
    if (p.time < lo) lo = p.time;
    if (p.time > hi) hi = p.time;
  }
  const hours = Number.isFinite(lo) ? (hi - lo) / HOUR_MS + 1 : 0;
  const start = Number.isFinite(lo) ? lo : 0;
  const sum = {} as Record<HourlyKey, Float64Array>;
  const cnt = {} as Record<HourlyKey, Float64Array>;
  for (const k of HOURLY_KEYS) { sum[k] = new Float64Array(hours); cnt[k] = new Float64Array(hours); }
  const add = (k: HourlyKey, i: number, v: number) => { sum[k][i] += v; cnt[k][i]++; };
  for (const p of points) {
    if (!Number.isFinite(p.time) || p.time % HOUR_MS !== 0) { skipped++; continue; }
    const i = (p.time - start) / HOUR_MS;
    const v = p.values;
    for (const k of POLLUTANT_KEYS) {
      const x = v[k as Pollutant];
      if (typeof x === 'number' && Number.isFinite(x) && x >= 0) add(k, i, x);
    }
    for (const k of ['temp', 'rh', 'pres', 'precip'] as const) {
      const x = v[k];
      if (typeof x === 'number' && Number.isFinite(x) && (k === 'temp' || x >= 0)) add(k, i, x);
    }
    const ws = v.ws;
    if (typeof ws === 'number' && Number.isFinite(ws) && ws >= 0) {
      add('ws', i, ws);
      const wd = v.wd;
      // wd is where the wind comes FROM (degrees from north): u = -ws sin(wd), v = -ws cos(wd)
      if (typeof wd === 'number' && Number.isFinite(wd)) {
        const r = (wd * Math.PI) / 180;
        add('u', i, -ws * Math.sin(r));
        add('v', i, -ws * Math.cos(r));
      } else if (ws === 0) { add('u', i, 0); add('v', i, 0); }
    }
  }
  const q = {} as Record<HourlyKey, Float64Array>;
  for (const k of HOURLY_KEYS) {
    const a = new Float64Array(hours);
    const need = POLLUTANT_KEYS.includes(k) ? minStations : 1;
    for (let i = 0; i < hours; i++) a[i] = cnt[k][i] >= need ? sum[k][i] / cnt[k][i] : NaN;
    q[k] = a;
  }
  return { city, start, hours, q, skipped };
}

/** Index of the hour ending at t (may be out of range). */
export const hourIndex = (h: CityHistory, t: number): number => Math.round((t - h.start) / HOUR_MS);

/** Value of key at hour end t, NaN outside the history. */
export function at(h: CityHistory, k: HourlyKey, t: number): number {
  const i = hourIndex(h, t);
  return i >= 0 && i < h.hours ? h.q[k][i] : NaN;
}

/** Beijing days covered by the history, first to last (including partial ones). */
export function historyDays(h: CityHistory): string[] {
  if (h.hours === 0) return [];
  const first = beijingDayOfHourEnd(h.start);
  const last = beijingDayOfHourEnd(h.start + (h.hours - 1) * HOUR_MS);
  const out: string[] = [];
  for (let d = first; d <= last; d = nextDay(d)) out.push(d);
  return out;
}

/** 'YYYY-MM-DD' plus n days. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
const nextDay = (d: string) => addDays(d, 1);

/** The pollutant series of the 24 (+ 7 before, for MDA8 windows) hours of a day as Maps keyed by
 *  hour end, the form common/standards reads. */
function dayMaps(h: CityHistory, day: string): Record<Pollutant, Map<number, number>> {
  const end = endOfBeijingDay(day);
  const out = {} as Record<Pollutant, Map<number, number>>;
  for (const k of POLLUTANT_KEYS) {
    const m = new Map<number, number>();
    for (let j = 0; j < 31; j++) {
      const t = end - j * HOUR_MS;
      const v = at(h, k, t);
      if (!Number.isNaN(v)) m.set(t, v);
    }
    out[k as Pollutant] = m;
  }
  return out;
}

/** Daily statistics and AQI of one day (HJ 663 via common/standards). */
export function dayValues(h: CityHistory, day: string): DayValues {
  const m = dayMaps(h, day);
  const input: DailyInput = {
    so2_24h: dailyMean(m.so2, day).value, no2_24h: dailyMean(m.no2, day).value, co_24h: dailyMean(m.co, day).value,
    pm25_24h: dailyMean(m.pm25, day).value, pm10_24h: dailyMean(m.pm10, day).value,
    o3_max1h: dailyMax1h(m.o3, day).value, o3_mda8: mda8(m.o3, day).value,
  };
  const r = dailyAqi(input, dailyRuleFor(day));
  // A day missing a pollutant entirely still gets the AQI of the others (HJ 633-2026 5.3 computes it;
  // publication rules are the publisher's business). No pollutant at all: null.
  const complete = input.pm25_24h !== null && input.pm10_24h !== null && input.no2_24h !== null && input.o3_mda8 !== null;
  return { day, input, aqi: r.aqi, primary: r.primary, complete };
}

/** The daily table of every day of the history. */
export function dailyTable(h: CityHistory): Map<string, DayValues> {
  const out = new Map<string, DayValues>();
  for (const d of historyDays(h)) out.set(d, dayValues(h, d));
  return out;
}
