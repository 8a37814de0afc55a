/**
 * Episode delimiting from a city's daily records and hourly series: O3 episodes (MDA8 > 160 on
 * consecutive days, REF 4.1), heavy-pollution processes (daily AQI > 200 with gap merging, REF 3.3;
 * and on the rolling 24-h AQI, REF 3.1), PM2.5-O3 combined days (REF 4.3), sudden jumps (REF 4.2),
 * and regional episodes (several cities together). Lifecycle state from the data alone (no clock):
 * forming (shorter than the minimum, may still grow), active (reaches the latest day), ending (past
 * its last exceeding day, could still merge), closed (can no longer grow).
 */
import type { Pollutant } from '../pollutants.ts';
import { DAY_MS, HOUR_MS, endOfBeijingDay } from '../time.ts';
import { cityHours, daySeries, type CityState, type DayRecord } from './city.ts';
import { classifyO3, classifyPm } from './classify.ts';
import type { EpisodeConfig } from './config.ts';
import { findRuns, runClosed } from './runs.ts';
import type { Alert, ClassLabel, Episode, EpisodeDay, EpisodeKind, EpisodeLevel, EpisodeState, Facet } from './types.ts';
import { drivingPollutant, recommendWarning } from './warning.ts';

/** Beijing hour label of an hour end, 'YYYY-MM-DDTHH' (label 24 reads as the next day's 00). */
export function hourLabel(t: number): string {
  return new Date(t + 8 * HOUR_MS).toISOString().slice(0, 13);
}
const dayStart = (day: string) => endOfBeijingDay(day) - DAY_MS;

/** PM2.5 24-h limit used for combined days: by the GB 3095 edition in force on the day. */
export function pm25LimitFor(day: string, cfg: EpisodeConfig): number {
  return day >= '2026-03-01' ? cfg.combined.pm25Limit2026 : cfg.combined.pm25Limit2012;
}

interface DailyRule {
  kind: EpisodeKind;
  value: (r: DayRecord) => number | null;
  over: (r: DayRecord) => boolean;
  bridge: (r: DayRecord) => boolean;
  minDays: number;
  maxGap: number;
  metric: string;
  level: (peak: number) => EpisodeLevel;
  hourQ: 'pm25' | 'o3';
}

export function dailyRules(cfg: EpisodeConfig): DailyRule[] {
  return [
    {
      kind: 'heavy', value: (r) => r.aqi, over: (r) => r.aqi !== null && r.aqi > cfg.heavy.exceed,
      bridge: (r) => r.aqi !== null && r.aqi > cfg.heavy.mergeAbove, minDays: cfg.heavy.minDays,
      maxGap: cfg.heavy.maxGapDays, metric: 'daily AQI', hourQ: 'pm25',
      level: (p) => (p > cfg.heavy.severe ? 'severe' : 'heavy'),
    },
    {
      kind: 'o3', value: (r) => r.mda8, over: (r) => r.mda8 !== null && r.mda8 > cfg.o3.exceed,
      bridge: () => true, minDays: cfg.o3.minDays, maxGap: cfg.o3.maxGapDays, metric: 'MDA8 O3 ug/m3', hourQ: 'o3',
      level: (p) => (p > cfg.o3.heavy ? 'heavy' : p > cfg.o3.moderate ? 'moderate' : 'light'),
    },
    {
      kind: 'combined', value: (r) => r.pm25,
      over: (r) => r.pm25 !== null && r.mda8 !== null && r.pm25 > pm25LimitFor(r.day, cfg) && r.mda8 > cfg.combined.mda8,
      bridge: () => false, minDays: cfg.combined.minDays, maxGap: 0, metric: 'PM2.5 daily ug/m3 (with MDA8 > 160)', hourQ: 'pm25',
      level: () => 'combined',
    },
  ];
}

export interface Context {
  /** kind -> day -> cities over the threshold that day */
  overByDay: Map<string, Map<string, Set<string>>>;
  cityCount: number;
}

/** Which cities exceed each day, per kind (for regional episodes and the "concurrent cities" evidence). */
export function buildContext(cities: readonly CityState[], cfg: EpisodeConfig): Context {
  const overByDay = new Map<string, Map<string, Set<string>>>();
  for (const rule of dailyRules(cfg)) {
    const m = new Map<string, Set<string>>();
    for (const cs of cities) for (const r of cs.days.values()) if (rule.over(r)) {
      if (!m.has(r.day)) m.set(r.day, new Set());
      m.get(r.day)!.add(cs.city);
    }
    overByDay.set(rule.kind, m);
  }
  return { overByDay, cityCount: cities.length };
}

function concurrent(ctx: Context, kind: string, city: string, days: readonly string[]): number | null {
  if (ctx.cityCount < 2) return null;
  const others = new Set<string>();
  for (const d of days) for (const c of ctx.overByDay.get(kind)?.get(d) ?? []) if (c !== city) others.add(c);
  return others.size;
}

function tallyPrimary(days: readonly EpisodeDay[]): Partial<Record<Pollutant, number>> {
  const n: Partial<Record<Pollutant, number>> = {};
  for (const d of days) if (d.exceeds) for (const p of d.primary) n[p] = (n[p] ?? 0) + 1;
  return n;
}

/** Daily-kind episodes of one city. */
export function cityDailyEpisodes(cs: CityState, cfg: EpisodeConfig, ctx: Context): Episode[] {
  const series = daySeries(cs);
  const items = series.map((s) => s.rec);
  const last = items.length - 1;
  const complete = (i: number) => i < last || (items[i] !== null && !items[i]!.provisional) || (items[i] === null && i < last);
  const out: Episode[] = [];
  for (const rule of dailyRules(cfg)) {
    const runs = findRuns(items, rule.over, rule.bridge, rule.maxGap);
    for (const r of runs) {
      const recs = items.slice(r.from, r.to + 1);
      const days: EpisodeDay[] = recs.map((rec, k) => ({
        day: series[r.from + k].day, value: rec ? rule.value(rec) : null, aqi: rec?.aqi ?? null, primary: rec?.primary ?? [],
        pm25: rec?.pm25 ?? null, mda8: rec?.mda8 ?? null, provisional: rec?.provisional ?? false,
        exceeds: rec !== null && rule.over(rec),
      }));
      const daysOver = days.filter((d) => d.exceeds).length;
      // Days that count towards the minimum: complete ones, and the ongoing day only when its
      // partial value cannot fall back below the threshold (a partial MDA8 only grows; a partial
      // daily mean can drop). An episode carried by an on-track day alone stays "forming".
      const confirmed = days.filter((d) => d.exceeds && (!d.provisional || rule.kind === 'o3')).length;
      const closed = runClosed(items, r.to, rule.over, rule.bridge, rule.maxGap, complete);
      let state: EpisodeState;
      if (confirmed < rule.minDays) {
        if (closed) continue; // a short run that can no longer grow is not an episode
        state = 'forming';
      } else state = closed ? 'closed' : r.to === last ? 'active' : 'ending';
      out.push(buildEpisode(cs, cfg, ctx, rule, days, state, daysOver));
    }
  }
  return out;
}

function buildEpisode(
  cs: CityState, cfg: EpisodeConfig, ctx: Context, rule: DailyRule, days: EpisodeDay[], state: EpisodeState, daysOver: number,
): Episode {
  const start = days[0].day;
  const end = days[days.length - 1].day;
  const startTime = dayStart(start);
  const endTime = Math.min(endOfBeijingDay(end), cs.latest);
  let peakDay = days[0];
  for (const d of days) if (d.value !== null && (peakDay.value === null || d.value > peakDay.value)) peakDay = d;
  const hours = cityHours(cs, startTime + HOUR_MS, endTime);
  let hourTime: number | null = null;
  let hourValue: number | null = null;
  for (const h of hours) {
    const v = h.values[rule.hourQ];
    if (v !== undefined && (hourValue === null || v > hourValue)) { hourValue = v; hourTime = h.time; }
  }
  const peakValue = peakDay.value ?? 0;
  // The level (and so the "escalated" event) rests on values that cannot fall back: complete days,
  // or a partial MDA8. A partial daily mean may drop by the end of the day.
  const firm = days.filter((d) => d.value !== null && (!d.provisional || rule.kind === 'o3'));
  const levelValue = firm.length ? Math.max(...firm.map((d) => d.value!)) : peakValue;
  const dayNames = days.map((d) => d.day);
  const conc = concurrent(ctx, rule.kind, cs.city, dayNames);
  // The classifier also sees a lead-in before the first day: the onset (a night-time fireworks
  // burst, a dust front) often happens in the evening before the first exceeding day.
  const lead = cityHours(cs, startTime + HOUR_MS - cfg.classify.leadInHours * HOUR_MS, startTime);
  const cin = { hours: [...lead, ...hours], days: dayNames, concurrentCities: conc };
  const classification: ClassLabel[] = rule.kind === 'o3' ? classifyO3(cin, cfg.classify) : classifyPm(cin, cfg.classify);
  const overDays = days.filter((d) => d.exceeds);
  let warning: Episode['warning'] = null;
  if (rule.kind === 'heavy') {
    // The episode's observed daily AQI taken as a perfect forecast (with a day of context each side
    // so the 2024 "> 150 lasting" rules can see the shoulders).
    const wdays = contextDays(cs, start, end, 2);
    const opts = { maxGapDays: cfg.heavy.maxGapDays, mergeAbove: cfg.heavy.mergeAbove, within: { from: start, to: end } };
    warning = { '2018': recommendWarning(wdays, '2018', opts), '2024': recommendWarning(wdays, '2024', opts) };
  }
  return {
    id: `${rule.kind}:${cs.city}:${start}`, kind: rule.kind, scope: 'city', city: cs.city, members: [cs.city],
    stations: [...cs.stations.keys()].filter((s) => s !== '').sort(),
    start, end, startTime, endTime, state, level: rule.level(levelValue),
    peak: { at: peakDay.day, value: round1(peakValue), metric: rule.metric, code: rule.kind === 'heavy' ? 'aqi' : rule.kind === 'o3' ? 'mda8' : 'pm25', hourTime, hourValue: hourValue === null ? null : round1(hourValue) },
    days, daysOver, daysSevere: rule.kind === 'heavy' ? days.filter((d) => (d.aqi ?? 0) > cfg.heavy.severe).length : 0,
    hours: hours.length, primary: tallyPrimary(days),
    driving: rule.kind === 'o3' ? 'o3' : drivingPollutant(overDays),
    classification, warning, provisional: days.some((d) => d.provisional),
    facets: rule.kind === 'heavy' ? { calendar: calendarFacet(days, startTime, endTime, peakDay, peakValue), rolling: null } : null,
    alerts: [],
  };
}

function calendarFacet(days: readonly EpisodeDay[], startTime: number, endTime: number, peakDay: EpisodeDay, peakValue: number): Facet {
  const over = days.filter((d) => d.exceeds).length;
  return {
    basis: 'calendar-day', start: days[0].day, end: days[days.length - 1].day, startTime, endTime,
    durationHours: Math.round((endTime - startTime) / HOUR_MS), hoursOver: 24 * over, daysOver: over,
    peak: { at: peakDay.day, value: round1(peakValue), time: null },
  };
}

function contextDays(cs: CityState, from: string, to: string, pad: number): { day: string; aqi: number | null; primary: Pollutant[] }[] {
  const all = daySeries(cs);
  const i = all.findIndex((d) => d.day === from);
  const j = all.findIndex((d) => d.day === to);
  return all.slice(Math.max(0, i - pad), j + pad + 1).map((d) => ({ day: d.day, aqi: d.rec?.aqi ?? null, primary: d.rec?.primary ?? [] }));
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** A run of the rolling 24-h AQI over the heavy threshold (hour by hour), gaps <= rollingMaxGapHours
 *  hours with rolling AQI > mergeAbove merged (REF 3.1 "any continuous 24 h", REF 3.3 merging). */
export interface RollingRun {
  facet: Facet;
  state: EpisodeState;
  level: EpisodeLevel;
  primary: Partial<Record<Pollutant, number>>;
  driving: Episode['driving'];
}

export function rollingRuns(cs: CityState, cfg: EpisodeConfig): RollingRun[] {
  if (!Number.isFinite(cs.latest)) return [];
  const first = Math.min(...cs.rolling.keys(), cs.latest);
  const times: number[] = [];
  for (let t = first; t <= cs.latest; t += HOUR_MS) times.push(t);
  const items = times.map((t) => cs.rolling.get(t) ?? null);
  const over = (x: { aqi: number | null }) => x.aqi !== null && x.aqi > cfg.heavy.exceed;
  const bridge = (x: { aqi: number | null }) => x.aqi !== null && x.aqi > cfg.heavy.mergeAbove;
  const out: RollingRun[] = [];
  for (const r of findRuns(items, over, bridge, cfg.heavy.rollingMaxGapHours)) {
    const closed = runClosed(items, r.to, over, bridge, cfg.heavy.rollingMaxGapHours, () => true);
    const state: EpisodeState = closed ? 'closed' : r.to === items.length - 1 ? 'active' : 'ending';
    let pk = r.from;
    for (let i = r.from; i <= r.to; i++) if ((items[i]?.aqi ?? -1) > (items[pk]?.aqi ?? -1)) pk = i;
    const peak = items[pk]!.aqi!;
    const overIdx = [...Array(r.to - r.from + 1).keys()].map((k) => r.from + k).filter((i) => items[i] && over(items[i]!));
    const prim: Partial<Record<Pollutant, number>> = {};
    for (const i of overIdx) for (const p of items[i]!.primary) prim[p] = (prim[p] ?? 0) + 1;
    out.push({
      facet: {
        basis: 'rolling-24h', start: hourLabel(times[r.from]), end: hourLabel(times[r.to]),
        startTime: times[r.from], endTime: times[r.to],
        // the 24 h ending at the first hour over already belong to the process
        durationHours: (times[r.to] - times[r.from]) / HOUR_MS + 1, hoursOver: overIdx.length,
        daysOver: new Set(overIdx.map((i) => beijingDayOf(times[i]))).size,
        peak: { at: hourLabel(times[pk]), value: peak, time: times[pk] },
      },
      state, level: peak > cfg.heavy.severe ? 'severe' : 'heavy', primary: prim,
      driving: drivingPollutant(overIdx.map((i) => ({ day: '', aqi: items[i]!.aqi, primary: items[i]!.primary }))),
    });
  }
  return out;
}

const beijingDayOf = (t: number) => new Date(t - 1 + 8 * HOUR_MS).toISOString().slice(0, 10);

/**
 * One episode per heavy-pollution event: each rolling 24-h run is attached as the `rolling` facet of
 * the calendar-day process it overlaps (the one with the earliest start when it overlaps several),
 * so the wall and the desk see one episode with both measures. A rolling run that overlaps no
 * calendar process (e.g. 24 h over 200 straddling midnight, neither calendar day over) is an
 * episode of its own, id `heavy:city:YYYY-MM-DDTHH`. The headline (start, end, peak, level) is
 * the calendar measure when there is one (REF 3.3 step 1: calendar days for statistics).
 */
export function mergeHeavy(cs: CityState, calendar: readonly Episode[], runs: readonly RollingRun[]): Episode[] {
  const out = calendar.map((e) => ({ ...e, facets: e.facets ? { ...e.facets } : { calendar: null, rolling: null } }));
  const attached = new Map<Episode, RollingRun[]>();
  const standalone: RollingRun[] = [];
  for (const run of runs) {
    const host = out.find((e) => run.facet.startTime <= e.endTime && run.facet.endTime > e.startTime);
    if (host) attached.set(host, [...(attached.get(host) ?? []), run]);
    else standalone.push(run);
  }
  for (const [e, rs] of attached) {
    // A forming host (carried by the ongoing day alone) holds its rolling runs: when the day
    // completes, the event opens either as that calendar process or, if the day ends <= 200, as a
    // rolling-only episode. Opening on the rolling run now would mean withdrawing it at midnight.
    e.facets!.rolling = joinFacets(rs.map((r) => r.facet));
  }
  for (const r of standalone) {
    const f = r.facet;
    out.push({
      id: `heavy:${cs.city}:${f.start}`, kind: 'heavy', scope: 'city', city: cs.city, members: [cs.city],
      stations: [...cs.stations.keys()].filter((s) => s !== '').sort(),
      start: f.start, end: f.end, startTime: f.startTime, endTime: f.endTime, state: r.state, level: r.level,
      peak: { at: f.peak.at, value: f.peak.value, metric: 'rolling 24-h AQI', code: 'rolling_aqi', hourTime: f.peak.time, hourValue: f.peak.value },
      days: [], daysOver: f.daysOver, daysSevere: 0, hours: f.hoursOver, primary: r.primary, driving: r.driving,
      classification: [], warning: null, provisional: false, facets: { calendar: null, rolling: f }, alerts: [],
    });
  }
  return out;
}

function joinFacets(fs: readonly Facet[]): Facet {
  if (fs.length === 1) return fs[0];
  const peak = fs.reduce((a, b) => (b.peak.value > a.peak.value ? b : a)).peak;
  const a = fs[0];
  const z = fs[fs.length - 1];
  return {
    basis: 'rolling-24h', start: a.start, end: z.end, startTime: a.startTime, endTime: z.endTime,
    durationHours: (z.endTime - a.startTime) / HOUR_MS + 1, hoursOver: fs.reduce((n, f) => n + f.hoursOver, 0),
    daysOver: fs.reduce((n, f) => n + f.daysOver, 0), peak,
  };
}

/** One-hour jumps (REF 4.2): hours whose value rose by > minRise, or to > ratio x the previous hour
 *  with a rise of at least ratioMinRise; consecutive jump hours form one alert. */
export function jumpAlerts(
  city: string, station: string | null, series: Map<number, number>, cfg: EpisodeConfig,
): Alert[] {
  const j = cfg.jump;
  const times = [...series.keys()].sort((a, b) => a - b);
  const hits: { t: number; rise: number; from: number; to: number }[] = [];
  for (const t of times) {
    const prev = series.get(t - HOUR_MS);
    const v = series.get(t)!;
    if (prev === undefined) continue;
    const rise = v - prev;
    if (rise > j.minRise || (v > j.ratio * prev && rise >= j.ratioMinRise)) hits.push({ t, rise, from: prev, to: v });
  }
  const out: Alert[] = [];
  const name = station === null ? city : `${city}/${station}`;
  for (let i = 0; i < hits.length; ) {
    let k = i;
    while (k + 1 < hits.length && hits[k + 1].t === hits[k].t + HOUR_MS) k++;
    const grp = hits.slice(i, k + 1);
    const pk = grp.reduce((a, b) => (b.rise > a.rise ? b : a));
    out.push({
      id: `jump:${name}:${hourLabel(grp[0].t)}`, kind: 'jump', scope: station === null ? 'city' : 'station', city, station,
      quantity: j.quantity, time: grp[0].t, at: hourLabel(grp[0].t), hours: grp.length,
      rise: round1(pk.rise), from: round1(pk.from), to: round1(pk.to), episodeId: null,
    });
    i = k + 1;
  }
  return out;
}

/** Attach each alert to the city's episode it falls in (or in its classifier lead-in); the
 *  episode lists the alert ids. Pure: returns new objects. */
export function attachAlerts(eps: Episode[], alerts: readonly Alert[], leadInHours: number): { episodes: Episode[]; alerts: Alert[] } {
  const byId = new Map(eps.map((e) => [e.id, { ...e, alerts: [] as string[] }]));
  const out: Alert[] = [];
  for (const a of alerts) {
    let host: Episode | undefined;
    for (const e of byId.values()) {
      if (e.scope !== 'city' || e.city !== a.city) continue;
      if (a.time > e.startTime - leadInHours * HOUR_MS && a.time <= e.endTime && (!host || e.kind === 'heavy')) host = e;
    }
    if (host) host.alerts.push(a.id);
    out.push({ ...a, episodeId: host?.id ?? null });
  }
  return { episodes: [...byId.values()], alerts: out };
}

/** Regional episodes: days on which >= minCities cities exceed (per kind), delimited like a city's. */
export function regionalEpisodes(ctx: Context, cfg: EpisodeConfig, latestDay: string | null): Episode[] {
  if (ctx.cityCount < cfg.regional.minCities || latestDay === null) return [];
  const out: Episode[] = [];
  for (const kind of ['heavy', 'o3'] as const) {
    const m = ctx.overByDay.get(kind)!;
    const days = [...m.keys()].filter((d) => m.get(d)!.size >= cfg.regional.minCities).sort();
    if (!days.length) continue;
    const minDays = kind === 'o3' ? cfg.o3.minDays : cfg.heavy.minDays;
    // consecutive regional days
    let i = 0;
    while (i < days.length) {
      let k = i;
      while (k + 1 < days.length && dayStart(days[k + 1]) - dayStart(days[k]) === DAY_MS) k++;
      const run = days.slice(i, k + 1);
      i = k + 1;
      const endsLatest = run[run.length - 1] === latestDay;
      if (run.length < minDays && !endsLatest) continue;
      const members = [...new Set(run.flatMap((d) => [...m.get(d)!]))].sort();
      let peak = run[0];
      for (const d of run) if (m.get(d)!.size > m.get(peak)!.size) peak = d;
      out.push({
        id: `${kind}:${cfg.regional.name}:${run[0]}`, kind, scope: 'region', city: cfg.regional.name, members, stations: [],
        start: run[0], end: run[run.length - 1], startTime: dayStart(run[0]), endTime: endOfBeijingDay(run[run.length - 1]),
        state: run.length < minDays ? 'forming' : endsLatest ? 'active' : 'closed', level: kind === 'o3' ? 'light' : 'heavy',
        peak: { at: peak, value: m.get(peak)!.size, metric: 'cities over the threshold', code: 'cities', hourTime: null, hourValue: null },
        days: run.map((d) => ({ day: d, value: m.get(d)!.size, aqi: null, primary: [], pm25: null, mda8: null, provisional: false, exceeds: true })),
        daysOver: run.length, daysSevere: 0, hours: 0, primary: {}, driving: kind === 'o3' ? 'o3' : null,
        classification: [], warning: null, provisional: false, facets: null, alerts: [],
      });
    }
  }
  return out;
}
