/**
 * What a station looks like at a moment: its value for the chosen metric, the index that picks the
 * colour, and its freshness. Live mode (`at` null) judges freshness against the clock; replay
 * judges whether the hour exists. The moving means come from the server's HourPoint when present
 * (o3_8h, pm25_24h, pm10_24h), else are computed here from the hours in memory.
 */
import type { HourPoint } from '#common/schemas/api.ts';
import { HOUR_MS } from '#common/time.ts';
import { colourable, freshnessOf, type Freshness } from '../lib/freshness.ts';
import { METRIC, metricIndex, type MetricKey } from '../lib/metrics.ts';
import { provisionalHour, type Store } from './store.ts';

export interface StationState {
  value: number | null;
  index: number | null;
  freshness: Freshness;
  /** may be drawn in its level colour */
  coloured: boolean;
  time: number | null;
  flagged: boolean;
}

/** Value of a metric from one hour point, or computed over the store's hours when a moving mean is
 *  missing from the point. */
export function metricValue(store: Store, code: string, p: HourPoint | null, key: MetricKey): number | null {
  if (!p) return null;
  if (key === 'aqi') return p.aqi?.aqi ?? null;
  const direct = p.values[key];
  if (direct !== undefined && direct !== null) return direct;
  const m = METRIC[key];
  if (m.hours === 1 || !m.pollutant) return null;
  const hours = store.hours.get(code);
  if (!hours) return null;
  let sum = 0, n = 0;
  for (let k = 0; k < m.hours; k++) {
    const v = hours.get(p.time - k * HOUR_MS)?.values[m.pollutant];
    if (v !== undefined && v !== null) { sum += v; n++; }
  }
  return n >= m.minValid ? sum / n : null;
}

/** What a station shows; `now` (server clock) judges live freshness. */
export function stationState(store: Store, code: string, key: MetricKey, at: number | null, connUp = true, now = store.now()): StationState {
  const p = store.hourAt(code, at);
  const value = metricValue(store, code, p, key);
  let freshness: Freshness;
  if (at === null) freshness = freshnessOf(store.lastHour.get(code) ?? null, now);
  else freshness = p ? 'fresh' : 'nodata';
  const flags = p ? store.flags.get(code)?.get(p.time) : undefined;
  return {
    value,
    index: metricIndex(key, value),
    freshness,
    coloured: connUp && colourable(freshness) && value !== null,
    time: p?.time ?? null,
    flagged: !!flags && Object.keys(flags).length > 0,
  };
}

/** City hour: the server's city point when it has one, else the mean of the national stations'
 *  concentrations indexed with the rule in force (HJ 633: city AQI from city mean concentrations). */
export function cityHour(store: Store, at: number | null): HourPoint | null {
  return store.memo(`city:${at}`, () => cityHourNow(store, at));
}

function cityHourNow(store: Store, at: number | null): HourPoint | null {
  const srv = store.cityAt(at);
  const t = at ?? store.latestHour();
  if (srv && (at !== null || srv.time === t)) return srv;
  if (t === null) return srv;
  const keys = ['pm25', 'pm10', 'so2', 'no2', 'co', 'o3'] as const;
  const sums: Record<string, [number, number]> = {};
  for (const s of store.stations) {
    if (s.kind !== 'national') continue;
    const p = store.hours.get(s.code)?.get(t);
    if (!p) continue;
    for (const k of keys) {
      const v = p.values[k];
      if (v === null || v === undefined) continue;
      const a = (sums[k] ??= [0, 0]);
      a[0] += v; a[1]++;
    }
  }
  if (Object.keys(sums).length === 0) return srv;
  const values = Object.fromEntries(Object.entries(sums).map(([k, [s, n]]) => [k, s / n]));
  return provisionalHour({ station: 'city', time: t, interval: 'hour', source: 'live', values, flags: {} }, store.hourlyRule);
}
