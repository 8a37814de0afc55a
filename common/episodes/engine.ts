/**
 * The episode engine: a pure incremental state machine (no clock, no I/O, no logging).
 *
 *   const engine = createEngine({ o3: { minDays: 2 } });
 *   const events = engine.ingest(points);   // opened / escalated / peaked / closed / withdrawn
 *   engine.episodes();                      // current episodes, ids stable across restarts
 *   const snap = engine.snapshot();         // JSON; restore(snap) repeats no event
 *
 * Each ingest stores the points, recomputes the hours, days and rolling windows they touch
 * (late and out-of-order hours included), re-delimits the episodes from the data and diffs them
 * against the event keys already emitted. Episodes depend only on the data held, never on how it
 * was chunked or ordered, so `detectEpisodes(points)` (one batch) equals any streaming order.
 */
import { beijingDayOfHourEnd } from '../time.ts';
import type { Quantity } from '../pollutants.ts';
import { cityHours, daySeries, ingestCity, newCityState, pruneCity, type CityState, type DayRecord, type Values } from './city.ts';
import { resolveConfig, type EpisodeConfig, type EpisodeConfigInput } from './config.ts';
import { attachAlerts, buildContext, cityDailyEpisodes, jumpAlerts, mergeHeavy, regionalEpisodes, rollingRuns } from './detect.ts';
import { episodeLog, logDetail } from './log.ts';
import { todayO3, type TodayO3 } from './today.ts';
import { episodeChart, type EpisodeChart } from './chart.ts';
import type { Alert, Episode, EpisodeEvent, HourlyPoint, LogEntry, Scheme, TimelineHour, WarningRecommendation } from './types.ts';
import { recommendWarning, type WarningDay } from './warning.ts';
import { DAY_MS } from '../time.ts';

export interface EngineSnapshot {
  v: 1;
  /** city -> [station ('' = city level), hour end, values][] */
  data: Record<string, [string, number, Values][]>;
  emitted: string[];
  /** ids of episodes an 'opened' event was emitted for (to detect withdrawals) */
  opened: string[];
  frozen: Episode[];
}

export interface Engine {
  readonly config: EpisodeConfig;
  ingest(points: readonly HourlyPoint[]): EpisodeEvent[];
  episodes(filter?: { city?: string; kind?: Episode['kind']; includeForming?: boolean }): Episode[];
  episode(id: string): Episode | null;
  /** Hourly city means and rolling AQI over an episode's span. */
  timeline(id: string): TimelineHour[];
  /** The episode's log as its current data state it (corrected when the data change). */
  log(id: string): LogEntry[];
  /** One-hour-jump alerts (REF 4.2), each attached to its episode when it falls in one. */
  alerts(filter?: { city?: string; episodeId?: string }): Alert[];
  /** Alerts first seen by the last ingest (never again after a restore). */
  raised(): Alert[];
  /** Chart data in the episode's own measure (O3: O3-8h city and stations vs 160/215/265, MDA8). */
  chart(id: string): EpisodeChart | null;
  /** The forecaster's O3 "will today exceed?" of a city on Beijing day `day` (in progress). */
  today(city: string, day: string): TodayO3 | null;
  /** Latest data hour of a city (UTC ms), or null. */
  latest(city: string): number | null;
  /** Daily records of a city (observed so far; the ongoing day is provisional). */
  daily(city: string): DayRecord[];
  /** Warning levels both schemes call for, from the forecast days (REF 3.1-3.2: the schemes are
   *  about the forecast), never from observed past days: today = the larger of today's forecast and
   *  the rolling 24-h AQI ending at the city's latest hour (when that hour is today), then the
   *  forecast days after today. `today` defaults to the day of the city's latest hour. */
  recommend(city: string, forecast: readonly WarningDay[], today?: string): Record<Scheme, WarningRecommendation>;
  cities(): string[];
  snapshot(opts?: { includeData?: boolean }): EngineSnapshot;
  restore(s: EngineSnapshot): void;
}

export function createEngine(configInput: EpisodeConfigInput = {}): Engine {
  const config = resolveConfig(configInput);
  let cities = new Map<string, CityState>();
  let emitted = new Set<string>();
  let opened = new Set<string>();
  let frozen = new Map<string, Episode>();
  let current: Episode[] = [];

  let currentAlerts: Alert[] = [];
  let raisedNow: Alert[] = [];

  function compute(): Episode[] {
    const all = [...cities.values()];
    const ctx = buildContext(all, config);
    const eps: Episode[] = [];
    const alerts: Alert[] = [];
    for (const cs of all) {
      const daily = cityDailyEpisodes(cs, config, ctx);
      eps.push(...daily.filter((e) => e.kind !== 'heavy'), ...mergeHeavy(cs, daily.filter((e) => e.kind === 'heavy'), rollingRuns(cs, config)));
      alerts.push(...jumpAlerts(cs.city, null, cs.hourly.get(config.jump.quantity as Quantity)!, config));
      if (config.jump.stations) {
        for (const [st, m] of cs.stations) {
          if (st === '') continue;
          const s = new Map<number, number>();
          for (const [t, v] of m) if (v[config.jump.quantity] !== undefined) s.set(t, v[config.jump.quantity]!);
          alerts.push(...jumpAlerts(cs.city, st, s, config));
        }
      }
    }
    const latest = Math.max(...all.map((c) => c.latest));
    eps.push(...regionalEpisodes(ctx, config, Number.isFinite(latest) ? beijingDayOfHourEnd(latest) : null));
    // After pruning, a frozen episode's leftover tail must not reappear as a new one.
    const frozenEnd = new Map<string, number>();
    for (const f of frozen.values()) {
      const k = `${f.kind}|${f.city}`;
      frozenEnd.set(k, Math.max(frozenEnd.get(k) ?? -Infinity, f.endTime));
    }
    const live = eps.filter((e) => !frozen.has(e.id) && e.startTime > (frozenEnd.get(`${e.kind}|${e.city}`) ?? -Infinity));
    const withAlerts = attachAlerts(live, alerts, config.classify.leadInHours);
    currentAlerts = withAlerts.alerts.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
    return [...frozen.values(), ...withAlerts.episodes].sort(order);
  }

  const latestOf = (city: string) => cities.get(city)?.latest ?? -Infinity;

  function diff(eps: Episode[]): EpisodeEvent[] {
    const ev: EpisodeEvent[] = [];
    const present = new Set(eps.map((e) => e.id));
    const fire = (e: Episode, entry: LogEntry) => {
      if (emitted.has(entry.key)) return;
      emitted.add(entry.key);
      const cs = cities.get(e.city);
      ev.push({
        key: entry.key, type: entry.type, episodeId: e.id, kind: e.kind, city: e.city, level: e.level, state: e.state,
        time: cs ? cs.latest : e.endTime, detail: logDetail(entry.code, entry.params), code: entry.code, params: entry.params, episode: e,
      });
    };
    for (const e of eps) {
      if (e.state === 'forming') continue;
      const wasOpen = emitted.has(`${e.id}:opened`);
      opened.add(e.id);
      for (const entry of episodeLog(e, config, latestOf(e.city))) {
        // Levels already reached when the episode opens are carried by the opened event itself.
        if (entry.type === 'escalated' && !wasOpen) emitted.add(entry.key);
        else fire(e, entry);
      }
    }
    raisedNow = [];
    for (const a of currentAlerts) {
      const key = `${a.id}:raised`;
      if (emitted.has(key)) continue;
      emitted.add(key);
      raisedNow.push(a);
    }
    for (const id of [...opened]) {
      if (present.has(id)) continue;
      opened.delete(id);
      const [kind, ...rest] = id.split(':');
      const city = rest.slice(0, -1).join(':');
      const key = `${id}:withdrawn`;
      if (emitted.has(key)) continue;
      emitted.add(key);
      const stub = current.find((e) => e.id === id);
      if (stub) {
        const params = { start: stub.start, end: stub.end };
        ev.push({ key, type: 'withdrawn', episodeId: id, kind: kind as Episode['kind'], city, level: stub.level, state: stub.state, time: cities.get(city)?.latest ?? stub.endTime, detail: logDetail('episode.withdrawn', params), code: 'episode.withdrawn', params, episode: stub });
      }
    }
    return ev;
  }

  function freezeAndPrune(eps: Episode[]): void {
    for (const cs of cities.values()) {
      const horizon = cs.latest - config.retentionDays * DAY_MS;
      if (!Number.isFinite(horizon) || cs.earliest >= horizon) continue;
      let cut = horizon;
      for (const e of eps) {
        if (e.city !== cs.city && !e.members.includes(cs.city)) continue;
        if (e.state === 'closed' && e.endTime < horizon) {
          if (e.scope !== 'region') frozen.set(e.id, e);
        } else cut = Math.min(cut, e.startTime);
      }
      pruneCity(cs, cut - DAY_MS);
    }
  }

  const engine: Engine = {
    config,
    ingest(points) {
      const byCity = new Map<string, HourlyPoint[]>();
      for (const p of points) {
        if (!p || typeof p.city !== 'string' || p.city === '') continue;
        if (!byCity.has(p.city)) byCity.set(p.city, []);
        byCity.get(p.city)!.push(p);
      }
      for (const [city, ps] of byCity) {
        if (!cities.has(city)) cities.set(city, newCityState(city));
        ingestCity(cities.get(city)!, ps, config);
      }
      let eps = compute();
      const events = diff(eps);
      current = eps;
      const before = frozen.size;
      freezeAndPrune(eps);
      if (frozen.size !== before) current = eps = compute();
      return events;
    },
    episodes(filter = {}) {
      return current.filter((e) => (filter.includeForming ?? true ? true : e.state !== 'forming') &&
        (!filter.city || e.city === filter.city) && (!filter.kind || e.kind === filter.kind));
    },
    episode(id) {
      return current.find((e) => e.id === id) ?? null;
    },
    timeline(id) {
      const e = engine.episode(id);
      const cs = e ? cities.get(e.city) : undefined;
      if (!e || !cs) return [];
      return cityHours(cs, e.startTime + (e.days.length ? 3_600_000 : 0), e.endTime)
        .map((h) => ({ time: h.time, values: h.values, rollingAqi: cs.rolling.get(h.time)?.aqi ?? null }));
    },
    log(id) {
      const e = engine.episode(id);
      return e && e.state !== 'forming' ? episodeLog(e, config, latestOf(e.city)) : [];
    },
    alerts(filter = {}) {
      return currentAlerts.filter((a) => (!filter.city || a.city === filter.city) && (!filter.episodeId || a.episodeId === filter.episodeId));
    },
    raised() {
      return raisedNow;
    },
    chart(id) {
      const e = engine.episode(id);
      const cs = e ? cities.get(e.city) : undefined;
      return e && cs && e.scope === 'city' ? episodeChart(e, cs, config) : null;
    },
    today(city, day) {
      const cs = cities.get(city);
      return cs ? todayO3(cs, config, day) : null;
    },
    latest(city) {
      const l = latestOf(city);
      return Number.isFinite(l) ? l : null;
    },
    daily(city) {
      const cs = cities.get(city);
      return cs ? daySeries(cs).filter((d) => d.rec).map((d) => d.rec!) : [];
    },
    recommend(city, forecast, today) {
      const cs = cities.get(city);
      const day = today ?? (cs && Number.isFinite(cs.latest) ? new Date(cs.latest + 8 * 3_600_000).toISOString().slice(0, 10) : null);
      const opts = { maxGapDays: config.heavy.maxGapDays, mergeAbove: config.heavy.mergeAbove };
      const days = warningDays(day, cs, forecast);
      return { '2018': recommendWarning(days, '2018', opts), '2024': recommendWarning(days, '2024', opts) };
    },
    cities() {
      return [...cities.keys()].sort();
    },
    snapshot(opts = {}) {
      const data: EngineSnapshot['data'] = {};
      if (opts.includeData ?? true) {
        for (const [city, cs] of cities) {
          const rows: [string, number, Values][] = [];
          for (const [st, m] of cs.stations) for (const [t, v] of m) rows.push([st, t, { ...v }]);
          data[city] = rows;
        }
      }
      return { v: 1, data, emitted: [...emitted].sort(), opened: [...opened].sort(), frozen: [...frozen.values()] };
    },
    restore(s) {
      cities = new Map();
      emitted = new Set(s.emitted);
      // Kinds retired by "one episode per event" (snapshots from before): neither withdrawn nor kept.
      const retired = (id: string) => id.startsWith('heavy-rolling:') || id.startsWith('jump:');
      opened = new Set(s.opened.filter((id) => !retired(id)));
      frozen = new Map(s.frozen.filter((e) => !retired(e.id)).map((e) => [e.id, { ...e, facets: e.facets ?? null, alerts: e.alerts ?? [] }]));
      for (const [city, rows] of Object.entries(s.data)) {
        const cs = newCityState(city);
        cities.set(city, cs);
        ingestCity(cs, rows.map(([st, time, values]) => ({ city, station: st === '' ? null : st, time, values })), config);
      }
      current = compute();
    },
  };
  return engine;
}

function order(a: Episode, b: Episode): number {
  return a.startTime - b.startTime || a.kind.localeCompare(b.kind) || a.city.localeCompare(b.city) || a.id.localeCompare(b.id);
}

/** The day series the warning rules read: today (forecast or observed rolling 24 h, the larger),
 *  then the forecast days after today, in order. */
function warningDays(today: string | null, cs: CityState | undefined, forecast: readonly WarningDay[]): WarningDay[] {
  if (today === null) return [...forecast].sort((a, b) => a.day.localeCompare(b.day));
  // The rolling 24 h ending at the latest hour is "now" when that instant is in today (an hour
  // ending at 24:00 of yesterday is today's 00:00: the current 24-h mean at the start of today).
  const instantDay = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
  const roll = cs && Number.isFinite(cs.latest) && instantDay(cs.latest) === today ? cs.rolling.get(cs.latest) ?? null : null;
  const fToday = forecast.find((f) => f.day === today) ?? null;
  const obs: WarningDay | null = roll && roll.aqi !== null ? { day: today, aqi: roll.aqi, primary: roll.primary } : null;
  const t = !obs ? fToday : !fToday || fToday.aqi === null || obs.aqi! >= fToday.aqi ? obs : fToday;
  const ahead = forecast.filter((f) => f.day > today).sort((a, b) => a.day.localeCompare(b.day));
  return [...(t ? [t] : [{ day: today, aqi: null }]), ...ahead];
}

/** Batch detection: the same engine over one series (any order). */
export function detectEpisodes(points: readonly HourlyPoint[], config: EpisodeConfigInput = {}): Episode[] {
  const e = createEngine(config);
  e.ingest(points);
  return e.episodes();
}
