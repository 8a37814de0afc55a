/**
 * Hourly features of the meteorological-normalisation model (rmweather: Grange et al. 2018,
 * Atmos. Chem. Phys. 18:6223; Vu et al. 2019, Atmos. Chem. Phys. 19:11303): the hour's weather and
 * its recent past (wind run, rain, humidity: what clears or accumulates particles), the calendar
 * (hour of day, weekday, season) and a trend term, plus a regional background when neighbouring
 * cities' data are given. Never the pollutant's own lags: they would carry the measure's effect
 * into the counterfactual and hide it. Missing inputs are null (the trees send them to a learned
 * side). Pure.
 */
import { BEIJING_OFFSET_MS, DAY_MS, HOUR_MS } from '../time.ts';
import type { CityHistory, HourlyKey } from '../forecast/history.ts';

/** Meteorology whose range the training-range check watches (the hour's own values). */
export const MET_NOW: readonly HourlyKey[] = ['temp', 'rh', 'pres', 'ws', 'u', 'v', 'precip'];

export interface FeatureMatrix {
  names: string[];
  rows: (number | null)[][];
  /** index (into `names`) of the meteorological columns, for the training-range check */
  metColumns: number[];
}

/** Mean of a series over the n hours ending at index i (>= half of them present); null otherwise. */
function back(a: Float64Array, i: number, n: number): number | null {
  let s = 0;
  let c = 0;
  for (let j = Math.max(0, i - n + 1); j <= i; j++) if (!Number.isNaN(a[j])) { s += a[j]; c++; }
  return c * 2 >= n ? s / c : null;
}
const val = (a: Float64Array, i: number): number | null => (i >= 0 && i < a.length && !Number.isNaN(a[i]) ? a[i] : null);
const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

/** One feature row per hour of the history. `background` (same length, NaN = missing) is the
 *  regional background of the pollutant (mean of neighbouring cities), or null when none exists. */
export function hourlyFeatures(h: CityHistory, background: Float64Array | null): FeatureMatrix {
  const names: string[] = [];
  const metColumns: number[] = [];
  const col = (name: string, met: boolean) => { if (met) metColumns.push(names.length); names.push(name); };
  for (const k of MET_NOW) col(k, true);
  for (const n of ['ws_6h', 'ws_24h', 'ws_72h', 'u_24h', 'v_24h', 'rh_24h', 'precip_24h', 'precip_72h', 'temp_24h', 'pres_tend24', 'temp_tend24']) col(n, true);
  for (const n of ['hour', 'dow', 'doy', 'trend']) col(n, false);
  if (background) { col('bg', false); col('bg_24h', false); }
  const q = h.q;
  const rows: (number | null)[][] = [];
  for (let i = 0; i < h.hours; i++) {
    const r: (number | null)[] = MET_NOW.map((k) => val(q[k], i));
    const p24 = back(q.precip, i, 24);
    const p72 = back(q.precip, i, 72);
    r.push(
      back(q.ws, i, 6), back(q.ws, i, 24), back(q.ws, i, 72), back(q.u, i, 24), back(q.v, i, 24), back(q.rh, i, 24),
      p24 === null ? null : p24 * 24, p72 === null ? null : p72 * 72, back(q.temp, i, 24),
      diff(val(q.pres, i), val(q.pres, i - 24)), diff(val(q.temp, i), val(q.temp, i - 24)),
    );
    // Calendar in Beijing time of the hour's start (an hour ending 00:00 is hour 23 of the day before).
    const t = h.start + i * HOUR_MS - HOUR_MS + BEIJING_OFFSET_MS;
    const d = new Date(t);
    const doy = (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS;
    r.push(d.getUTCHours(), d.getUTCDay(), doy, Math.floor(t / DAY_MS));
    if (background) r.push(val(background, i), back(background, i, 24));
    rows.push(r);
  }
  return { names, rows, metColumns };
}
