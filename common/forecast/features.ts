/**
 * Features of one forecast: what is known at the issue time (default day D, hour label 16 Beijing,
 * i.e. the hours up to 16:00) about the city, plus the calendar of the target day D+k and, with
 * `met: 'observed'`, the meteorology of the target day and the day before it (perfect prog: the
 * observed weather stands in for a meteorological forecast; an upper bound on what a real forecast
 * gives). With `met: 'none'` the target-day weather features are absent and the model learns from
 * observations and calendar alone. Missing inputs are null (the trees send them to a learned side).
 * Pure.
 */
import { HOUR_MS, beijingToUtc, endOfBeijingDay } from '../time.ts';
import { dailyAqi, dailyRuleFor, type DailyInput } from '../standards/index.ts';
import { addDays, at, type CityHistory, type DayValues, type HourlyKey } from './history.ts';

export type MetMode = 'observed' | 'none';

export interface FeatureContext {
  hist: CityHistory;
  daily: ReadonlyMap<string, DayValues>;
}

/** Hour end (UTC ms) of the issue: label `hour` of Beijing day `day` (16 -> 15:00-16:00). */
export function issueTimeOf(day: string, hour: number): number {
  const [y, m, d] = day.split('-').map(Number);
  return beijingToUtc(y, m, d, hour);
}

const OBS = ['pm25', 'pm10', 'no2', 'co', 'so2', 'o3'] as const;
/** The daily statistic a pollutant's "daily value" feature uses. */
const DAILY_OF: Record<(typeof OBS)[number], keyof DailyInput> = {
  pm25: 'pm25_24h', pm10: 'pm10_24h', no2: 'no2_24h', co: 'co_24h', so2: 'so2_24h', o3: 'o3_mda8',
};

/** Mean of key over the `n` hours ending at t, needing `min` values; null otherwise. */
function win(h: CityHistory, k: HourlyKey, t: number, n: number, min: number): number | null {
  let s = 0;
  let c = 0;
  for (let j = 0; j < n; j++) {
    const v = at(h, k, t - j * HOUR_MS);
    if (!Number.isNaN(v)) { s += v; c++; }
  }
  return c >= min ? s / c : null;
}
function winSum(h: CityHistory, k: HourlyKey, t: number, n: number, min: number): number | null {
  const m = win(h, k, t, n, min);
  return m === null ? null : m * n;
}
function winExtreme(h: CityHistory, k: HourlyKey, t: number, n: number, min: number, sign: 1 | -1): number | null {
  let mx = -Infinity;
  let c = 0;
  for (let j = 0; j < n; j++) {
    const v = at(h, k, t - j * HOUR_MS);
    if (!Number.isNaN(v)) { c++; if (sign * v > mx) mx = sign * v; }
  }
  return c >= min ? sign * mx : null;
}
const winMax = (h: CityHistory, k: HourlyKey, t: number, n: number, min: number) => winExtreme(h, k, t, n, min, 1);
const winMin = (h: CityHistory, k: HourlyKey, t: number, n: number, min: number) => winExtreme(h, k, t, n, min, -1);
const sub = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

/** AQI of the 24 hours ending at t (24-h means >= 20 h, O3 max 1-h and max 8-h of those hours)
 *  through common/standards dailyAqi: the persistence value and a feature. */
export function rolling24Aqi(h: CityHistory, t: number): { aqi: number | null; input: DailyInput; primary: string[] } {
  const m24 = (k: HourlyKey) => win(h, k, t, 24, 20);
  let o3_8 = -Infinity;
  let n8 = 0;
  for (let j = 0; j < 17; j++) {
    const w = win(h, 'o3', t - j * HOUR_MS, 8, 6);
    if (w !== null) { n8++; if (w > o3_8) o3_8 = w; }
  }
  const input: DailyInput = {
    pm25_24h: m24('pm25'), pm10_24h: m24('pm10'), no2_24h: m24('no2'), so2_24h: m24('so2'), co_24h: m24('co'),
    o3_max1h: winMax(h, 'o3', t, 24, 20), o3_mda8: n8 >= 14 ? o3_8 : null,
  };
  const day = new Date(t - 1 + 8 * HOUR_MS).toISOString().slice(0, 10);
  const r = dailyAqi(input, dailyRuleFor(day));
  return { aqi: r.aqi, input, primary: r.primary };
}

/** Meteorology of a whole Beijing day (hours 01..24), the perfect-prog inputs. */
function dayMet(h: CityHistory, day: string, prefix: string, full: boolean): [string, number | null][] {
  const e = endOfBeijingDay(day);
  const out: [string, number | null][] = [
    [`${prefix}_rh`, win(h, 'rh', e, 24, 12)], [`${prefix}_ws`, win(h, 'ws', e, 24, 12)],
    [`${prefix}_u`, win(h, 'u', e, 24, 12)], [`${prefix}_v`, win(h, 'v', e, 24, 12)],
    [`${prefix}_precip`, winSum(h, 'precip', e, 24, 12)], [`${prefix}_pres`, win(h, 'pres', e, 24, 12)],
  ];
  if (full) {
    out.push(
      [`${prefix}_temp`, win(h, 'temp', e, 24, 12)],
      [`${prefix}_trange`, sub(winMax(h, 'temp', e, 24, 12), winMin(h, 'temp', e, 24, 12))],
      [`${prefix}_tmax`, winMax(h, 'temp', e, 24, 12)],
      [`${prefix}_wsmax`, winMax(h, 'ws', e, 24, 12)],
      [`${prefix}_rh_night`, win(h, 'rh', e - 16 * HOUR_MS, 8, 4)],
      [`${prefix}_ws_night`, win(h, 'ws', e - 16 * HOUR_MS, 8, 4)],
      [`${prefix}_ws_pm`, win(h, 'ws', e - 4 * HOUR_MS, 8, 4)],
      [`${prefix}_v_pm`, win(h, 'v', e - 4 * HOUR_MS, 8, 4)],
    );
  }
  return out;
}

/** Named features of the forecast issued on `issueDay` at hour label `issueHour` for lead `lead`
 *  days. The names are the same for every call with the same `met` (the model's columns). */
export function featureRow(ctx: FeatureContext, issueDay: string, issueHour: number, lead: number, met: MetMode): [string, number | null][] {
  const { hist: h, daily } = ctx;
  const t = issueTimeOf(issueDay, issueHour);
  const target = addDays(issueDay, lead);
  const f: [string, number | null][] = [];
  const dv = (d: string, k: keyof DailyInput) => daily.get(d)?.input[k] ?? null;
  for (const p of OBS) {
    const k = p as HourlyKey;
    const last = at(h, k, t);
    f.push([`${p}_last`, Number.isNaN(last) ? null : last]);
    const w3 = win(h, k, t, 3, 2);
    f.push([`${p}_3h`, w3], [`${p}_24h`, win(h, k, t, 24, 16)], [`${p}_today`, win(h, k, t, issueHour, Math.ceil(issueHour / 2))]);
    f.push([`${p}_trend6`, sub(w3, win(h, k, t - 3 * HOUR_MS, 3, 2))]);
    f.push([`${p}_d1`, dv(addDays(issueDay, -1), DAILY_OF[p])], [`${p}_d2`, dv(addDays(issueDay, -2), DAILY_OF[p])]);
    const week = Array.from({ length: 7 }, (_, j) => dv(addDays(issueDay, -1 - j), DAILY_OF[p])).filter((x): x is number => x !== null);
    f.push([`${p}_7d`, week.length >= 4 ? week.reduce((a, b) => a + b, 0) / week.length : null]);
  }
  f.push(['o3_max_today', winMax(h, 'o3', t, issueHour, Math.ceil(issueHour / 2))], ['o3_8h_now', win(h, 'o3', t, 8, 6)]);
  f.push(['aqi_d1', daily.get(addDays(issueDay, -1))?.aqi ?? null], ['aqi_d2', daily.get(addDays(issueDay, -2))?.aqi ?? null]);
  f.push(['aqi_roll24', rolling24Aqi(h, t).aqi]);
  // Observed weather up to the issue hour (an observation, not a forecast: kept with met 'none').
  for (const k of ['temp', 'rh', 'pres', 'ws', 'u', 'v'] as const) f.push([`obs_${k}_3h`, win(h, k, t, 3, 2)]);
  f.push(['obs_rh_today', win(h, 'rh', t, issueHour, Math.ceil(issueHour / 2))], ['obs_ws_today', win(h, 'ws', t, issueHour, Math.ceil(issueHour / 2))]);
  f.push(['obs_precip_24h', winSum(h, 'precip', t, 24, 12)]);
  f.push(['obs_pres_tend24', sub(win(h, 'pres', t, 3, 2), win(h, 'pres', t - 24 * HOUR_MS, 3, 2))]);
  f.push(['obs_temp_tend24', sub(win(h, 'temp', t, 3, 2), win(h, 'temp', t - 24 * HOUR_MS, 3, 2))]);
  // Calendar of the target day.
  const [y, mo, d] = target.split('-').map(Number);
  const doy = (Date.UTC(y, mo - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000;
  const dow = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
  f.push(['doy_sin', Math.sin((2 * Math.PI * doy) / 365.25)], ['doy_cos', Math.cos((2 * Math.PI * doy) / 365.25)], ['dow', dow], ['weekend', dow === 0 || dow === 6 ? 1 : 0]);
  if (met === 'observed') {
    const tm = dayMet(h, target, 'met_t', true);
    const pm = dayMet(h, addDays(target, -1), 'met_t1', false);
    f.push(...tm, ...pm);
    const tPres = tm.find(([n]) => n === 'met_t_pres')![1];
    f.push(['met_pres_change', sub(tPres, win(h, 'pres', t, 3, 2))]);
    f.push(['met_rest_of_today_ws', win(h, 'ws', endOfBeijingDay(issueDay), 24 - issueHour, 1)]);
  }
  return f;
}

/** Column names of featureRow for a met mode (computed from a row, so they can never drift). */
export function featureNames(ctx: FeatureContext, met: MetMode): string[] {
  const day = ctx.daily.keys().next().value ?? '2015-01-01';
  return featureRow(ctx, day, 16, 1, met).map(([n]) => n);
}
