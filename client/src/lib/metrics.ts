/**
 * What the map can colour stations by: the AQI, or one pollutant at a named averaging period.
 * A pollutant's colour is the level of its own IAQI (HJ 633-2026 Table 1 columns), so a colour
 * always means the same level whatever is shown. PM 1-h values have no column of their own: they
 * are indexed against the 24-h column, as CNEMC's real-time report does.
 */
import { BREAKPOINTS, type Column } from '#common/standards/breakpoints.ts';
import { iaqi } from '#common/standards/iaqi.ts';
import type { Pollutant } from '#common/pollutants.ts';
import { limitFor } from '#common/standards/gb3095.ts';

export type MetricKey =
  | 'aqi' | 'pm25' | 'pm25_24h' | 'pm10' | 'pm10_24h' | 'o3' | 'o3_8h' | 'no2' | 'so2' | 'co';

export interface Metric {
  key: MetricKey;
  pollutant: Pollutant | null;
  /** averaging window in hours (1, 8, 24); AQI is per hour */
  hours: 1 | 8 | 24;
  /** HJ 633 Table 1 column the value is indexed against */
  column: Column | null;
  /** minimum valid hours in the window (GB 3095-2026 Table 4: 8-h needs 6, 24-h needs 20) */
  minValid: number;
  unit: string;
  /** decimals shown */
  digits: number;
}

export const METRICS: readonly Metric[] = [
  { key: 'aqi', pollutant: null, hours: 1, column: null, minValid: 1, unit: '', digits: 0 },
  { key: 'pm25', pollutant: 'pm25', hours: 1, column: 'pm25_24h', minValid: 1, unit: 'ug/m3', digits: 0 },
  { key: 'pm25_24h', pollutant: 'pm25', hours: 24, column: 'pm25_24h', minValid: 20, unit: 'ug/m3', digits: 0 },
  { key: 'pm10', pollutant: 'pm10', hours: 1, column: 'pm10_24h', minValid: 1, unit: 'ug/m3', digits: 0 },
  { key: 'pm10_24h', pollutant: 'pm10', hours: 24, column: 'pm10_24h', minValid: 20, unit: 'ug/m3', digits: 0 },
  { key: 'o3', pollutant: 'o3', hours: 1, column: 'o3_1h', minValid: 1, unit: 'ug/m3', digits: 0 },
  { key: 'o3_8h', pollutant: 'o3', hours: 8, column: 'o3_8h', minValid: 6, unit: 'ug/m3', digits: 0 },
  { key: 'no2', pollutant: 'no2', hours: 1, column: 'no2_1h', minValid: 1, unit: 'ug/m3', digits: 0 },
  { key: 'so2', pollutant: 'so2', hours: 1, column: 'so2_1h', minValid: 1, unit: 'ug/m3', digits: 0 },
  { key: 'co', pollutant: 'co', hours: 1, column: 'co_1h', minValid: 1, unit: 'mg/m3', digits: 1 },
];

export const METRIC: Readonly<Record<MetricKey, Metric>> = Object.fromEntries(METRICS.map((m) => [m.key, m])) as Record<MetricKey, Metric>;

/** Index value used for the colour: the AQI itself, or the pollutant's IAQI under HJ 633-2026.
 *  Example: metricIndex('o3_8h', 170) -> 110 (level 3). Null for a missing value. */
export function metricIndex(key: MetricKey, value: number | null): number | null {
  if (value === null || !Number.isFinite(value) || value < 0) return null;
  const m = METRIC[key];
  if (!m.column) return value;
  return iaqi(value, BREAKPOINTS['2026'][m.column]);
}

/** Limit lines drawn on the station charts: GB 3095 Grade II (class-2 areas) in force on `day`
 *  (common/standards/gb3095.ts: 2012 text until 2026-02-28, the 2026 transition values to
 *  2030-12-31, then the final ones), keyed by the pollutant's averaging period in hours.
 *  Example: limitsFor('2026-07-01').pm25 -> { 24: 60 }. */
export function limitsFor(day: string): Readonly<Partial<Record<Pollutant, Partial<Record<1 | 8 | 24, number>>>>> {
  const out: Partial<Record<Pollutant, Partial<Record<1 | 8 | 24, number>>>> = {};
  for (const p of ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const) {
    const row: Partial<Record<1 | 8 | 24, number>> = {};
    for (const [h, avg] of [[1, '1h'], [8, '8h'], [24, '24h']] as const) {
      const v = limitFor(p, avg, day, 2);
      if (v !== null) row[h] = v;
    }
    out[p] = row;
  }
  return out;
}
