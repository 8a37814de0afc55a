/**
 * Reference forecasts every guidance must beat (REFERENCE 6.3 skill):
 * - persistence: the AQI of the 24 hours ending at the issue time (daily formula through
 *   common/standards), forecast unchanged for every lead;
 * - climatology: for each daily statistic, the median over the training years of the days within
 *   +-15 calendar days of the target's day of year; the AQI of those medians.
 * Both are point forecasts (range of zero width, one level). Pure.
 */
import type { DailyInput, DailyInputKey } from '../standards/index.ts';
import { rolling24Aqi, issueTimeOf } from './features.ts';
import { addDays, type CityHistory, type DayValues } from './history.ts';
import { pointProduct, type Product } from './product.ts';
import { TARGETS } from './guidance.ts';

export interface ReferenceForecast extends Product {
  issued: string;
  target: string;
  lead: number;
  conc: DailyInput;
}

/** Persistence forecasts of one issue. */
export function persistence(h: CityHistory, issueDay: string, issueHour: number, leads: readonly number[]): ReferenceForecast[] {
  const r = rolling24Aqi(h, issueTimeOf(issueDay, issueHour));
  const out: ReferenceForecast[] = [];
  for (const lead of leads) {
    const target = addDays(issueDay, lead);
    const p = pointProduct(r.input, target);
    if (p) out.push({ issued: issueDay, target, lead, ...p, conc: r.input });
  }
  return out;
}

/** Day of year 0..365 of 'YYYY-MM-DD'. */
function doyOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000);
}

/** Climatology table: per statistic, the median for each day of year (0..365), from the given
 *  days of the daily table (+-halfWindow days around each day of year, all years pooled). */
export interface Climatology {
  halfWindow: number;
  median: Partial<Record<DailyInputKey, (number | null)[]>>;
}

export function climatology(daily: ReadonlyMap<string, DayValues>, days: readonly string[], halfWindow = 15): Climatology {
  const byDoy: number[][][] = TARGETS.map(() => Array.from({ length: 366 }, () => []));
  for (const d of days) {
    const v = daily.get(d);
    if (!v) continue;
    const k0 = doyOf(d);
    TARGETS.forEach((k, ti) => { const x = v.input[k]; if (x !== null && x !== undefined) byDoy[ti][k0].push(x); });
  }
  const median: Climatology['median'] = {};
  TARGETS.forEach((k, ti) => {
    median[k] = Array.from({ length: 366 }, (_, doy) => {
      const vs: number[] = [];
      for (let j = -halfWindow; j <= halfWindow; j++) vs.push(...byDoy[ti][(doy + j + 366) % 366]);
      if (!vs.length) return null;
      vs.sort((a, b) => a - b);
      const m = vs.length >> 1;
      return vs.length % 2 ? vs[m] : (vs[m - 1] + vs[m]) / 2;
    });
  });
  return { halfWindow, median };
}

/** Climatology forecasts of one issue. */
export function climatologyForecast(c: Climatology, issueDay: string, leads: readonly number[]): ReferenceForecast[] {
  const out: ReferenceForecast[] = [];
  for (const lead of leads) {
    const target = addDays(issueDay, lead);
    const doy = doyOf(target);
    const input: DailyInput = {};
    for (const [k, arr] of Object.entries(c.median) as [DailyInputKey, (number | null)[]][]) input[k] = arr[doy];
    const p = pointProduct(input, target);
    if (p) out.push({ issued: issueDay, target, lead, ...p, conc: input });
  }
  return out;
}
