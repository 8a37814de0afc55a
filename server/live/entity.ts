/**
 * Rolling hourly series of one station or one city, and the derived values the dashboard shows:
 * the hour's AQI with the moving means its rule set needs (O3 8-h, PM 24-h), and the day's HJ 663
 * statistics with the daily AQI. The arithmetic is common/standards; this module only keeps the
 * series and decides which points a change touches.
 */
import { POLLUTANTS, type Pollutant } from '#common/pollutants.ts';
import {
  hourlyAqi, hourlyRuleFor, moving24h, o3Moving8h, VALIDITY,
  type AqiResult, type DailyRuleSet, type HourlyInput, type HourlyRuleSet,
} from '#common/standards/index.ts';
import { dayRecord, DEFAULT_DAY_RULES, ON_TRACK_MIN_HOURS } from '#common/aggregate/index.ts';
import { beijingDayOfHourEnd, endOfBeijingDay, HOUR_MS } from '#common/time.ts';
import type { AqiValue, DayPoint, HourPoint } from '#common/schemas/api.ts';

export interface RuleChoice {
  /** Fixed hourly rule set, or null to choose by date (hourlyRuleFor). */
  hourly: HourlyRuleSet | null;
  daily: DailyRuleSet | null;
}

export type Series = Record<Pollutant, Map<number, number>>;

export function emptySeries(): Series {
  return Object.fromEntries(POLLUTANTS.map((p) => [p, new Map<number, number>()])) as Series;
}

export function toAqiValue(r: AqiResult): AqiValue {
  return {
    rule: r.rule, aqi: r.aqi, published: r.published, level: r.level, primary: r.primary,
    iaqi: r.iaqi,
  };
}

const round = (x: number | null, d = 1) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

/** Values and AQI of hour T of a series (null when no pollutant has a value at T). */
export function hourPoint(
  s: Series, T: number, rules: RuleChoice, extra: Pick<HourPoint, 'n' | 'basis'> = {},
): HourPoint | null {
  let any = false;
  const values: Record<string, number | null> = {};
  for (const p of POLLUTANTS) {
    const v = s[p].get(T);
    values[p] = v === undefined ? null : round(v, p === 'co' ? 3 : 1);
    if (v !== undefined) any = true;
  }
  if (!any) return null;
  const rule = rules.hourly ?? hourlyRuleFor(T);
  const lag = rule.pmWindow?.lagHours ?? 0;
  const o3_8h = o3Moving8h(s.o3, T).value;
  const pm25_24h = moving24h(s.pm25, T, VALIDITY.dailyHours, lag).value;
  const pm10_24h = moving24h(s.pm10, T, VALIDITY.dailyHours, lag).value;
  const input: HourlyInput = {
    so2_1h: s.so2.get(T) ?? null, no2_1h: s.no2.get(T) ?? null, co_1h: s.co.get(T) ?? null,
    o3_1h: s.o3.get(T) ?? null, pm25_1h: s.pm25.get(T) ?? null, pm10_1h: s.pm10.get(T) ?? null,
    o3_8h, pm25_24h, pm10_24h, so2_24h: moving24h(s.so2, T).value,
  };
  values.o3_8h = round(o3_8h);
  values.pm25_24h = round(pm25_24h);
  values.pm10_24h = round(pm10_24h);
  return { time: T, values, ...extra, aqi: toAqiValue(hourlyAqi(input, rule)) };
}

/** HJ 663 statistics and daily AQI of a Beijing day, from the one aggregation core (the episode
 *  engine uses the same function and rule-set choice). `now` decides whether the day has ended. */
export function dayPoint(
  s: Series, day: string, now: number, rules: RuleChoice, n?: Record<string, number>,
): DayPoint {
  const rec = dayRecord(s, day, { ...DEFAULT_DAY_RULES, daily: rules.daily });
  const values: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(rec.input)) values[k] = round(v as number | null, k === 'co_24h' ? 3 : 1);
  const end = endOfBeijingDay(day);
  let hours = 0;
  for (let t = end - 23 * HOUR_MS; t <= end; t += HOUR_MS) if (POLLUTANTS.some((p) => s[p].has(t))) hours++;
  const complete = now >= end;
  let partial: DayPoint['partial'];
  if (!complete) {
    // The day in progress, marked: its "on track" statistics over the hours so far.
    const p = dayRecord(s, day, { ...DEFAULT_DAY_RULES, daily: rules.daily }, { minHours: ON_TRACK_MIN_HOURS, upTo: now });
    const pv: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(p.input)) pv[k] = round(v as number | null, k === 'co_24h' ? 3 : 1);
    partial = { values: pv, aqi: toAqiValue(p.aqi) };
  }
  return {
    day, values, hours, complete, ...(n ? { n } : {}), aqi: toAqiValue(rec.aqi), ...(partial ? { partial } : {}),
  };
}

/** Hour ends whose hour point depends on hour T: T itself and the moving windows that contain it
 *  (O3 8-h up to T+7h, PM 24-h up to T+23h, or T+24h with a lagged window). */
export function dependentHours(T: number, rules: RuleChoice): number[] {
  // No shipped rule set lags its PM window (lagHours is 0 or absent); the span follows it if one does.
  const span = 23 + (rules.hourly?.pmWindow?.lagHours ?? 0);
  const out: number[] = [];
  for (let k = 0; k <= span; k++) out.push(T + k * HOUR_MS);
  return out;
}

export const dayOf = beijingDayOfHourEnd;

/** One station's or one city's rolling state. */
export class Entity {
  readonly series: Series = emptySeries();
  /** Completed hour points, by hour end. */
  readonly points = new Map<number, HourPoint>();
  /** Daily points, by Beijing day. */
  readonly days = new Map<string, DayPoint>();
  /** City entities: stations each pollutant's mean rests on, per hour. */
  readonly n = new Map<number, Record<string, number>>();
  readonly basis = new Map<number, NonNullable<HourPoint['basis']>>();

  constructor(readonly scope: 'station' | 'city', readonly id: string, readonly city: string | null) {}

  /** Replace hour T's values. Returns true when anything changed. */
  setHour(T: number, values: Partial<Record<Pollutant, number>>, basis: NonNullable<HourPoint['basis']>, n?: Record<string, number>): boolean {
    let changed = false;
    for (const p of POLLUTANTS) {
      const v = values[p];
      const m = this.series[p];
      const old = m.get(T);
      if (v === undefined) {
        if (old !== undefined) { m.delete(T); changed = true; }
      } else if (old === undefined || Math.abs(old - v) > 1e-9) {
        m.set(T, v);
        changed = true;
      }
    }
    if (n) {
      const old = this.n.get(T);
      if (!old || JSON.stringify(old) !== JSON.stringify(n)) changed = true;
      this.n.set(T, n);
    }
    this.basis.set(T, basis);
    return changed;
  }

  hasHour(T: number): boolean {
    return POLLUTANTS.some((p) => this.series[p].has(T));
  }

  /** Recompute the hour point at T; returns it when it differs from the cached one. */
  recomputePoint(T: number, rules: RuleChoice): { point: HourPoint; revision: boolean } | null {
    const old = this.points.get(T);
    const p = hourPoint(this.series, T, rules, {
      ...(this.n.has(T) ? { n: this.n.get(T)! } : {}),
      ...(this.basis.has(T) ? { basis: this.basis.get(T)! } : {}),
    });
    if (!p) {
      if (old) this.points.delete(T);
      return null;
    }
    if (old && JSON.stringify(old) === JSON.stringify(p)) return null;
    this.points.set(T, p);
    return { point: p, revision: old !== undefined };
  }

  /** Recompute a day point; returns it when it changed. City entities pass the minimum station
   *  count per pollutant over the day's hours in `n`. */
  recomputeDay(day: string, now: number, rules: RuleChoice): DayPoint | null {
    const old = this.days.get(day);
    let n: Record<string, number> | undefined;
    if (this.scope === 'city') {
      n = {};
      const end = endOfBeijingDay(day);
      for (let t = end - 23 * HOUR_MS; t <= end; t += HOUR_MS) {
        const c = this.n.get(t);
        if (c) for (const [k, v] of Object.entries(c)) n[k] = Math.max(n[k] ?? 0, v);
      }
    }
    const d = dayPoint(this.series, day, now, rules, n);
    if (old && JSON.stringify(old) === JSON.stringify(d)) return null;
    this.days.set(day, d);
    return d;
  }

  latestPoint(): HourPoint | null {
    let best: HourPoint | null = null;
    for (const p of this.points.values()) if (!best || p.time > best.time) best = p;
    return best;
  }

  /** Forget hours ending before `before` (rolling window). */
  prune(before: number): void {
    for (const p of POLLUTANTS) for (const t of this.series[p].keys()) if (t < before) this.series[p].delete(t);
    for (const t of this.points.keys()) if (t < before) this.points.delete(t);
    for (const t of this.n.keys()) if (t < before) this.n.delete(t);
    for (const t of this.basis.keys()) if (t < before) this.basis.delete(t);
    const firstDay = dayOf(before);
    for (const d of this.days.keys()) if (d < firstDay) this.days.delete(d);
  }
}
