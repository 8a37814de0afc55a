/**
 * Episode classification with evidence (REF 4.1 O3 types, REF 4.2 PM2.5 types). Each label is a set
 * of indicator checks computed from the episode's city hourly data (pollutants and, when given,
 * meteorology); the result is a ranked list where every label shows its indicator values, thresholds
 * and pass/fail, never a bare label. Indicators whose data is missing are "n/a" (pass null) and do not
 * count. All thresholds are heuristics from the literature (REF 4: [UNCERTAIN]) or marked own choices
 * in config.ts.
 */
import { HOUR_MS } from '../time.ts';
import type { ClassifyConfig } from './config.ts';
import { festivalTableCovers, fireworksDay } from './lunar.ts';
import type { Values } from './city.ts';
import type { ClassLabel, DrivingPollutant, Indicator } from './types.ts';
import type { Pollutant } from '../pollutants.ts';
import { dailyAqi } from '../standards/aqi.ts';
import { dailyMax1h, dailyMean, mda8 } from '../standards/hj663.ts';
import { dailyRuleFor } from '../standards/rulesets.ts';

export interface ClassifyInput {
  hours: readonly { time: number; values: Values }[];
  /** Episode days 'YYYY-MM-DD' */
  days: readonly string[];
  /** Other cities over the threshold on the episode's days (null: the engine knows one city only). */
  concurrentCities: number | null;
}

const REF_PM = 'REF 4.2';
const REF_O3 = 'REF 4.1';

/** Clock hour (0..23, Beijing) at which the hour ending at t started. */
export function startHour(t: number): number {
  return new Date(t - HOUR_MS + 8 * HOUR_MS).getUTCHours();
}

function avg(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}
function vals(h: ClassifyInput['hours'], q: keyof Values, pred: (t: number) => boolean = () => true): number[] {
  return h.filter((x) => pred(x.time) && x.values[q] !== undefined).map((x) => x.values[q]!);
}
const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

type Rule = { op: '<' | '>' | '>=' | '<=' | 'in'; t: number | readonly [number, number] } | { op: 'is'; t: boolean };

function check(id: string, label: string, value: number | boolean | null, rule: Rule, unit: string, source: string): Indicator {
  let pass: boolean | null = null;
  if (value !== null) {
    if (rule.op === 'is') pass = value === rule.t;
    else if (typeof value === 'number') {
      const t = rule.t;
      pass = rule.op === '<' ? value < (t as number) : rule.op === '>' ? value > (t as number)
        : rule.op === '>=' ? value >= (t as number) : rule.op === '<=' ? value <= (t as number)
        : value >= (t as readonly [number, number])[0] && value <= (t as readonly [number, number])[1];
    }
  }
  const ruleText = rule.op === 'in' ? `${(rule.t as readonly number[])[0]}..${(rule.t as readonly number[])[1]}` : `${rule.op} ${String(rule.t)}`;
  const shown = typeof value === 'number' && rule.op !== 'is' ? shownValue(value, rule) : value;
  return { id, label, value: shown, rule: ruleText, threshold: rule.t, unit, pass, source };
}

/**
 * The value as shown: 2 decimals, or as many more (up to 6) as it takes for the shown value to
 * compare with the threshold as the exact one did ("1.104 > 1.1", never "1.1 > 1.1").
 */
export function shownValue(v: number, rule: { op: '<' | '>' | '>=' | '<=' | 'in'; t: number | readonly [number, number] }): number {
  const bounds = typeof rule.t === 'number' ? [rule.t] : [...rule.t];
  for (let d = 2; d <= 6; d++) {
    const k = 10 ** d;
    const r = Math.round(v * k) / k;
    // same side of every bound as the exact value, and equal to a bound only when the value is
    if (bounds.every((b) => Math.sign(r - b) === Math.sign(v - b))) return r;
  }
  return v;
}

function label(name: string, zh: string, indicators: Indicator[]): ClassLabel {
  const evald = indicators.filter((i) => i.pass !== null);
  const passed = evald.filter((i) => i.pass).length;
  return { label: name, zh, score: evald.length ? r2(passed / evald.length) : null, passed, evaluated: evald.length, indicators };
}

/**
 * Rank by evidence that exists: a label that passed none of its checks comes after every label
 * that passed one (it is never the top class); then by passed checks over ALL the label's checks,
 * so a check that could not be evaluated ("n/a") counts as no evidence rather than shrinking the
 * denominator (fireworks with 1 of 4 checks evaluated and passed ranks below stagnation 2 of 5);
 * then passed/evaluated, then more evidence, then name (stable, deterministic).
 */
export function rank(labels: ClassLabel[]): ClassLabel[] {
  const exists = (l: ClassLabel) => l.passed / Math.max(1, l.indicators.length);
  return labels.sort((a, b) =>
    Number(b.passed > 0) - Number(a.passed > 0) || exists(b) - exists(a) || (b.score ?? -1) - (a.score ?? -1) ||
    b.passed - a.passed || b.evaluated - a.evaluated || a.label.localeCompare(b.label));
}

/** The top class of a ranked list: the first label that passed a check, else null. */
export function topClass(labels: readonly ClassLabel[]): ClassLabel | null {
  return labels.find((l) => l.passed > 0) ?? null;
}

/** One day's driving pollutant as the classifier sees it (from the city hourly means). */
export interface DayDriver {
  day: string;
  aqi: number | null;
  primary: Pollutant[];
  driving: DrivingPollutant;
}

/**
 * Daily AQI and primary pollutant of each episode day from the city's hourly means (HJ 663 daily
 * means, MDA8; HJ 633 daily IAQI, the rule in force on the day), and the driving pollutant it
 * stands for (PM10 = dust, REF 4.2).
 */
export function dayDrivers(hours: ClassifyInput['hours'], days: readonly string[]): DayDriver[] {
  const series = (q: Pollutant) => new Map(hours.filter((x) => x.values[q] !== undefined).map((x) => [x.time, x.values[q]!]));
  const s = Object.fromEntries((['pm25', 'pm10', 'so2', 'no2', 'co', 'o3'] as const).map((q) => [q, series(q)])) as Record<Pollutant, Map<number, number>>;
  return days.map((day) => {
    const mean = (q: Pollutant) => dailyMean(s[q], day, 20).value;
    const r = dailyAqi({
      so2_24h: mean('so2'), no2_24h: mean('no2'), co_24h: mean('co'), pm25_24h: mean('pm25'), pm10_24h: mean('pm10'),
      o3_max1h: dailyMax1h(s.o3, day, 20).value, o3_mda8: mda8(s.o3, day).value,
    }, dailyRuleFor(day));
    return { day, aqi: r.aqi, primary: r.primary, driving: drivingOf(r.primary) };
  });
}

function drivingOf(primary: readonly Pollutant[]): DrivingPollutant {
  if (!primary.length) return null;
  const p = primary[0];
  return p === 'pm25' ? 'pm25' : p === 'o3' ? 'o3' : p === 'pm10' ? 'dust' : 'other';
}

/**
 * Driving pollutant of a process: the most frequent primary pollutant of its days over the
 * threshold, ties broken by severity (the higher daily AQI driven by it, then the more days over 300),
 * so one PM10 day at AQI 500 and one PM2.5 day at 210 is dust, not pm25.
 * Example: [{aqi 210, pm25}, {aqi 500, pm10}] -> 'dust'.
 */
export function drivingBySeverity(days: readonly { aqi: number | null; primary: readonly Pollutant[] }[]): DrivingPollutant {
  const tally = new Map<Exclude<DrivingPollutant, null>, { n: number; max: number }>();
  for (const d of days) for (const p of d.primary) {
    const k = drivingOf([p])!;
    const t = tally.get(k) ?? { n: 0, max: -Infinity };
    t.n++;
    t.max = Math.max(t.max, d.aqi ?? -Infinity);
    tally.set(k, t);
  }
  let best: DrivingPollutant = null;
  let bt = { n: 0, max: -Infinity };
  for (const [k, t] of tally) if (t.n > bt.n || (t.n === bt.n && t.max > bt.max)) { best = k; bt = t; }
  return best;
}

/** Max rise of q over 1..k hours ending at any hour (optionally only hours whose start passes `when`). */
function maxRise(h: ClassifyInput['hours'], q: keyof Values, k: number, when: (t: number) => boolean = () => true): { rise: number | null; time: number | null } {
  const m = new Map(h.filter((x) => x.values[q] !== undefined).map((x) => [x.time, x.values[q]!]));
  let best: number | null = null;
  let at: number | null = null;
  for (const [t, v] of m) {
    if (!when(t)) continue;
    for (let j = 1; j <= k; j++) {
      const p = m.get(t - j * HOUR_MS);
      if (p !== undefined && (best === null || v - p > best)) {
        best = v - p;
        at = t;
      }
    }
  }
  return { rise: best, time: at };
}

function dailyRatioSeries(h: ClassifyInput['hours'], days: readonly string[]): number[] {
  const out: number[] = [];
  for (const d of days) {
    const inDay = h.filter((x) => new Date(x.time - 1 + 8 * HOUR_MS).toISOString().slice(0, 10) === d);
    const pm = avg(vals(inDay, 'pm25'));
    const co = avg(vals(inDay, 'co'));
    if (pm !== null && co !== null && co > 0) out.push(pm / co);
  }
  return out;
}

function cv(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = avg(xs)!;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
  return m ? sd / m : null;
}

/** Least-squares slope of y on x over paired hours (null with < 3 pairs or no spread). */
function slope(h: ClassifyInput['hours'], y: keyof Values, x: keyof Values): number | null {
  const ps = h.filter((r) => r.values[x] !== undefined && r.values[y] !== undefined).map((r) => [r.values[x]!, r.values[y]!]);
  if (ps.length < 3) return null;
  const mx = avg(ps.map((p) => p[0]))!;
  const my = avg(ps.map((p) => p[1]))!;
  let sxy = 0;
  let sxx = 0;
  for (const [a, b] of ps) {
    sxy += (a - mx) * (b - my);
    sxx += (a - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : null;
}

function inSector(wd: number, [a, b]: readonly [number, number]): boolean {
  return a <= b ? wd >= a && wd <= b : wd >= a || wd <= b;
}

/**
 * Classify a heavy-pollution episode by its driving pollutant first (dayDrivers over the days with
 * AQI > 200, else all days; drivingBySeverity): an O3-driven episode gets the O3 labels
 * (classifyO3), never particle ones; a PM10-driven one has sand-dust first; otherwise the PM2.5
 * labels ranked by evidence.
 */
export function classifyPm(input: ClassifyInput, cfg: ClassifyConfig): ClassLabel[] {
  const drivers = dayDrivers(input.hours, input.days);
  const over = drivers.filter((d) => (d.aqi ?? 0) > 200);
  const driving = drivingBySeverity(over.length ? over : drivers);
  if (driving === 'o3') return classifyO3(input, cfg);
  const labels = classifyParticles(input, cfg, driving === 'dust');
  if (driving !== 'dust') return labels;
  const dust = labels.find((l) => l.label === 'sand-dust')!;
  return [dust, ...labels.filter((l) => l !== dust)];
}

function classifyParticles(input: ClassifyInput, cfg: ClassifyConfig, pm10Driven: boolean): ClassLabel[] {
  const c = cfg.pm;
  const h = input.hours;
  const night = (t: number) => cfg.nightStartHours.includes(startHour(t));
  const dayT = (t: number) => cfg.dayStartHours.includes(startHour(t));
  const ws = avg(vals(h, 'ws'));
  const rh = avg(vals(h, 'rh'));
  const pmN = avg(vals(h, 'pm25', night));
  const pmD = avg(vals(h, 'pm25', dayT));
  const nightDay = pmN !== null && pmD ? pmN / pmD : null;
  const ratios = dailyRatioSeries(h, input.days);
  const ratioCv = cv(ratios);
  const ratioRise = ratios.length >= 2 && ratios[0] > 0 ? ratios[ratios.length - 1] / ratios[0] : null;
  const dailyPm = input.days.map((d) => avg(vals(h, 'pm25', (t) => new Date(t - 1 + 8 * HOUR_MS).toISOString().slice(0, 10) === d)));
  let peakIdx: number | null = null;
  dailyPm.forEach((v, i) => { if (v !== null && (peakIdx === null || v > dailyPm[peakIdx]!)) peakIdx = i; });
  const both = h.filter((x) => x.values.pm25 !== undefined && x.values.pm10 !== undefined && x.values.pm10 > 0);
  const pmRatio = both.length ? both.reduce((a, x) => a + x.values.pm25!, 0) / both.reduce((a, x) => a + x.values.pm10!, 0) : null;
  const wds = vals(h, 'wd');
  const sector = wds.length ? wds.filter((w) => inSector(w, c.upwindSector)).length / wds.length : null;
  const jump1 = maxRise(h, 'pm25', 1).rise;
  const pm10Rise = maxRise(h, 'pm10', 3).rise;
  const wsMax = vals(h, 'ws').length ? Math.max(...vals(h, 'ws')) : null;
  const years = [...new Set(input.days.map((d) => Number(d.slice(0, 4))))];
  const festival = years.every(festivalTableCovers) ? input.days.some((d) => fireworksDay(d) !== null) : null;
  const fwJump = maxRise(h, 'pm25', 3, night);
  const so2AtJump = fwJump.time === null ? null : maxRise(h.filter((x) => Math.abs(x.time - fwJump.time!) <= 3 * HOUR_MS), 'so2', 3).rise;
  const hourRatios = h.filter((x) => x.values.pm25 !== undefined && x.values.co !== undefined && x.values.co > 0).map((x) => x.values.pm25! / x.values.co!);
  const med = hourRatios.length ? [...hourRatios].sort((a, b) => a - b)[Math.floor(hourRatios.length / 2)] : null;
  const ratioSpike = med ? Math.max(...hourRatios) / med : null;
  const months = input.days.map((d) => Number(d.slice(5, 7)));
  const harvest = input.days.length ? months.some((m) => c.biomassMonths.includes(m)) : null;
  const dRatio = slope(h, 'pm25', 'co');

  return rank([
    label('stagnant accumulation', '静稳累积', [
      check('ws_mean', 'mean wind speed', ws, { op: '<', t: c.stagnantWindMax }, 'm/s', REF_PM),
      check('rh_mean', 'mean RH', rh, { op: 'in', t: [c.stagnantRhMin, c.stagnantRhMax] }, '%', REF_PM),
      check('night_day_pm25', 'night/day PM2.5 (night peaks)', nightDay, { op: '>', t: c.stagnantNightDayMin }, 'ratio', REF_PM),
      check('pm25_co_cv', 'PM2.5/CO daily ratio variation (CV)', ratioCv, { op: '<', t: c.stagnantCoRatioCvMax }, 'CV', REF_PM),
      check('build_up_days', 'days from start to peak (slow build-up)', peakIdx, { op: '>=', t: c.stagnantBuildUpDays }, 'days', REF_PM),
    ]),
    label('secondary formation', '二次转化', [
      check('pm25_pm10', 'PM2.5/PM10', pmRatio, { op: '>', t: c.secondaryPmRatioMin }, 'ratio', REF_PM),
      check('rh_mean', 'mean RH', rh, { op: '>', t: c.secondaryRhMin }, '%', REF_PM),
      check('pm25_co_rise', 'PM2.5/CO last day / first day', ratioRise, { op: '>', t: c.secondaryCoRatioRise }, 'ratio', REF_PM),
    ]),
    label('regional transport', '区域输送', [
      check('ws_mean', 'mean wind speed', ws, { op: 'in', t: [c.transportWindMin, c.transportWindMax] }, 'm/s', REF_PM),
      check('upwind_share', `share of hours with wind from ${c.upwindSector[0]}..${c.upwindSector[1]} deg`, sector, { op: '>=', t: c.transportSectorShare }, 'share', REF_PM),
      check('pm25_jump_1h', 'max 1-h PM2.5 rise', jump1, { op: '>=', t: c.transportJumpMin }, 'ug/m3', REF_PM),
      check('concurrent_cities', 'other cities heavy at the same time', input.concurrentCities, { op: '>=', t: c.transportConcurrentCities }, 'cities', REF_PM),
    ]),
    label('sand-dust', '沙尘', [
      check('pm10_driving', 'PM10 the primary pollutant of the days over 200 (ties by severity)', pm10Driven, { op: 'is', t: true }, '', 'REF 4.2'),
      check('pm25_pm10', 'PM2.5/PM10', pmRatio, { op: '<', t: c.dustPmRatioMax }, 'ratio', REF_PM),
      check('ws_max', 'max wind speed', wsMax, { op: '>', t: c.dustWindMin }, 'm/s', REF_PM),
      check('pm10_rise_3h', 'max PM10 rise within 3 h', pm10Rise, { op: '>=', t: c.dustPm10RiseMin }, 'ug/m3', REF_PM),
      check('rh_mean', 'mean RH', rh, { op: '<', t: c.dustRhMax }, '%', REF_PM),
    ]),
    label('fireworks', '烟花爆竹', [
      check('festival', 'Spring Festival eve / first days / Lantern in the episode', festival, { op: 'is', t: true }, '', 'REF 4.2; lunar.ts (HKO table)'),
      check('pm25_jump_night_3h', 'max 3-h PM2.5 rise ending 20:00-05:00', fwJump.rise, { op: '>=', t: c.fireworksJumpMin }, 'ug/m3', REF_PM),
      check('so2_rise_at_jump', 'SO2 rise at the PM2.5 jump', so2AtJump, { op: '>=', t: c.fireworksSo2RiseMin }, 'ug/m3', REF_PM),
      check('pm25_co_spike', 'max hourly PM2.5/CO / median', ratioSpike, { op: '>', t: c.fireworksCoRatioSpike }, 'ratio', REF_PM),
    ]),
    label('biomass burning', '生物质燃烧', [
      check('harvest_season', `harvest month (${c.biomassMonths.join(', ')})`, harvest, { op: 'is', t: true }, '', REF_PM),
      check('dpm25_dco', 'dPM2.5/dCO slope', dRatio, { op: '>', t: c.biomassDeltaRatioMin }, 'ug/m3 per mg/m3', REF_PM),
    ]),
  ]);
}

/** Classify an O3 episode: ranked labels with evidence. */
export function classifyO3(input: ClassifyInput, cfg: ClassifyConfig): ClassLabel[] {
  const c = cfg.o3;
  const h = input.hours;
  const dayT = (t: number) => cfg.dayStartHours.includes(startHour(t));
  // Mean diurnal cycle of O3 by start hour.
  const cycle: (number | null)[] = Array.from({ length: 24 }, (_, k) => avg(vals(h, 'o3', (t) => startHour(t) === k)));
  const present = cycle.filter((v): v is number => v !== null);
  let peakHour: number | null = null;
  cycle.forEach((v, k) => { if (v !== null && (peakHour === null || v > cycle[peakHour]!)) peakHour = k; });
  const amp = present.length >= 12 ? (Math.max(...present) - Math.min(...present)) / Math.max(...present) : null;
  const nightO3 = avg(vals(h, 'o3', (t) => startHour(t) <= 5));
  const early = cycle[10] !== null && cycle[7] !== null ? cycle[10]! - cycle[7]! : null;
  const tmaxByDay = input.days.map((d) => vals(h, 'temp', (t) => new Date(t - 1 + 8 * HOUR_MS).toISOString().slice(0, 10) === d))
    .filter((xs) => xs.length).map((xs) => Math.max(...xs));
  const tmax = avg(tmaxByDay);
  const rhDay = avg(vals(h, 'rh', dayT));
  const ws = avg(vals(h, 'ws'));
  return rank([
    label('local photochemical', '本地光化学生成', [
      check('tmax', 'mean daily max temperature', tmax, { op: '>=', t: c.localTmaxMin }, 'degC', REF_O3),
      check('rh_day', 'day-time RH', rhDay, { op: '<', t: c.localRhMax }, '%', REF_O3),
      check('ws_mean', 'mean wind speed', ws, { op: '<', t: c.localWindMax }, 'm/s', REF_O3),
      check('peak_hour', 'hour of the mean O3 peak (start, Beijing)', peakHour, { op: 'in', t: c.localPeakHours }, 'h', REF_O3),
      check('amplitude', 'diurnal amplitude (max-min)/max', amp, { op: '>', t: c.localAmplitudeMin }, 'ratio', REF_O3),
    ]),
    label('regional transport', '区域传输', [
      check('night_o3', 'mean O3 00:00-06:00 (residual layer)', nightO3, { op: '>=', t: c.transportNightMin }, 'ug/m3', REF_O3),
      check('early_rise', 'O3 rise 08:00 -> 11:00 (down-mixing)', early, { op: '>=', t: c.transportEarlyRiseMin }, 'ug/m3', REF_O3),
      check('concurrent_cities', 'other cities exceeding the same days', input.concurrentCities, { op: '>=', t: c.transportConcurrentCities }, 'cities', REF_O3),
    ]),
    label('stagnation', '静稳', [
      check('ws_mean', 'mean wind speed', ws, { op: '<', t: c.stagnationWindMax }, 'm/s', REF_O3),
      check('tmax', 'mean daily max temperature', tmax, { op: '>=', t: c.stagnationTmaxMin }, 'degC', REF_O3),
      check('rh_day', 'day-time RH', rhDay, { op: '<', t: c.stagnationRhMax }, '%', REF_O3),
    ]),
  ]);
}
