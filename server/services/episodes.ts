/**
 * Episodes and warnings around the pure episode engine (common/episodes): feeds it the live
 * engine's station-hours, turns its lifecycle events into socket events and timelines, keeps the
 * posted forecasts, recommends warning levels (2018 and 2024 schemes) from observed daily AQI plus
 * the latest forecast, and saves a snapshot (events already emitted, frozen episodes, data) so a
 * restart repeats no event.
 */
import { readFileSync, renameSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { createEngine, type Engine, type EngineSnapshot } from '#common/episodes/engine.ts';
import { logDetail } from '#common/episodes/log.ts';
import type { EpisodeConfigInput } from '#common/episodes/config.ts';
import type { Episode, EpisodeEvent, HourlyPoint, Scheme } from '#common/episodes/types.ts';
import type {
  AlertSummary, EpisodeDetail, EpisodeEventType, EpisodeSummary, Forecast, ForecastIn, TimelineEntry, WarningActionIn, WarningState,
} from '#common/schemas/api.ts';
import type { EpisodeEvt, WarningChangedEvt } from '#common/schemas/events.ts';
import type { StationHour } from '../live/engine.ts';
import { act, emptyWarning, recommend, type CityWarning, type LiftRule, type WarningAction, type WarningStep } from '#common/episodes/warning-state.ts';
import type { Actor } from '../../records/check.ts';
import type { WarningRecorder } from './warning-record.ts';
import type { WarningRecommendation } from '#common/episodes/types.ts';
import type { TodayO3 } from '#common/episodes/today.ts';
import type { DailyRuleSet } from '#common/standards/index.ts';
import { DAY_MS, endOfBeijingDay } from '#common/time.ts';
import { appError } from '../errors.ts';

/** Beijing calendar day of a clock instant (not of an hour end: 00:30 belongs to the new day). */
const beijingDayOf = (now: number) => new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);

export type EpisodeServiceEvent = { kind: 'episode'; e: EpisodeEvt } | { kind: 'warning'; e: WarningChangedEvt };

interface Saved {
  v: 1;
  engine: EngineSnapshot;
  timelines: Record<string, TimelineEntry[]>;
  forecasts: Forecast[];
  /** Before the lifecycle: recommendation rows (ignored on load; rebuilt from the forecast). */
  warnings?: unknown[];
  cityWarnings?: CityWarning[];
}


const SCHEMES: Scheme[] = ['2018', '2024'];

export function summary(e: Episode): EpisodeSummary {
  return {
    id: e.id, kind: e.kind, scope: e.scope, city: e.city, members: e.members, state: e.state,
    status: e.state === 'closed' ? 'closed' : 'open', level: e.level, start: e.startTime,
    end: e.state === 'closed' ? e.endTime : null, startLabel: e.start, endLabel: e.end,
    peak: { at: e.peak.at, value: e.peak.value, metric: e.peak.metric, code: e.peak.code, hourTime: e.peak.hourTime, hourValue: e.peak.hourValue },
    daysOver: e.daysOver, hours: e.hours, driving: e.driving, provisional: e.provisional, lastUpdate: e.endTime,
    facets: e.facets, alerts: e.alerts,
  };
}

export class EpisodeService {
  readonly engine: Engine;
  private buffer: HourlyPoint[] = [];
  private timelines = new Map<string, TimelineEntry[]>();
  private forecasts = new Map<string, Forecast>();
  private warningState = new Map<string, CityWarning>();
  private lastRec = new Map<string, { rec: WarningRecommendation; basis: unknown; updated: number }>();
  private lastSummary = new Map<string, string>();
  private listeners: ((ev: EpisodeServiceEvent) => void)[] = [];
  private touched = new Set<string>();
  private dirtySince = 0;
  private seq = 0;

  constructor(private readonly deps: {
    logger: Logger; statePath: string | null; clock: () => number; config?: EpisodeConfigInput;
    /** The daily AQI rule set in force (AIRDESK_DAILY_RULE); null/absent = by date. */
    dailyRule?: DailyRuleSet | null;
    liftRule?: LiftRule;
    /** The system of record for forecasts and warning steps; absent = both live in the state file
     *  (unit tests of the service alone). */
    recorder?: WarningRecorder | null;
  }) {
    this.engine = createEngine({ ...(deps.config ?? {}), ...(deps.dailyRule ? { dailyRule: deps.dailyRule } : {}) });
  }

  /** The last write to the record a person's action caused (the route awaits it). */
  lastWrite: Promise<void> = Promise.resolve();

  /** Forecasts and warning states from the system of record (at start, after load()). */
  async restoreRecords(): Promise<void> {
    const r = this.deps.recorder;
    if (!r) return;
    const [forecasts, warnings] = await r.restore(this.deps.clock());
    this.forecasts = new Map(forecasts.map((f) => [f.city, f]));
    this.warningState = new Map(warnings.map((w) => [`${w.city}|${w.scheme}`, w]));
    this.deps.logger.info({ forecasts: forecasts.length, warnings: warnings.length }, 'forecasts and warnings restored from the system of record');
  }

  /** Every queued write to the record has been tried (close). */
  settled(): Promise<void> {
    return this.deps.recorder?.settled() ?? Promise.resolve();
  }

  private recordStep(step: WarningStep, after: CityWarning, by?: Actor): Promise<void> {
    const r = this.deps.recorder;
    if (!r) return Promise.resolve();
    const p = r.step(step, after, by);
    p.catch(() => undefined); // logged by the recorder; an unawaited failure must not crash the process
    return p;
  }

  on(l: (ev: EpisodeServiceEvent) => void): void {
    this.listeners.push(l);
  }

  private emit(ev: EpisodeServiceEvent, quiet: boolean): void {
    if (quiet) return;
    for (const l of this.listeners) l(ev);
  }

  /** Load the saved snapshot, if any. Returns true when one was restored. */
  load(): boolean {
    const p = this.deps.statePath;
    if (!p || !existsSync(p)) return false;
    try {
      const s = JSON.parse(readFileSync(p, 'utf8')) as Saved;
      if (s.v !== 1) throw new Error(`unknown state version ${String(s.v)}`);
      this.engine.restore(s.engine);
      this.timelines = new Map(Object.entries(s.timelines));
      if (!this.deps.recorder) {
        this.forecasts = new Map(s.forecasts.map((f) => [f.city, f]));
        this.warningState = new Map((s.cityWarnings ?? []).filter((w) => w.v === 1).map((w) => [`${w.city}|${w.scheme}`, w]));
      }
      for (const e of this.engine.episodes()) this.lastSummary.set(e.id, JSON.stringify(summary(e)));
      this.deps.logger.info({ file: p, episodes: this.engine.episodes().length }, 'episode state restored');
      return true;
    } catch (err) {
      // A damaged state file must not stop the server: rebuild from the store instead.
      this.deps.logger.warn({ file: p, err: (err as Error).message }, 'episode state unreadable; rebuilding from the store');
      return false;
    }
  }

  /** Write the snapshot atomically (temp file + rename). */
  save(): void {
    const p = this.deps.statePath;
    if (!p) return;
    try {
      mkdirSync(path.dirname(path.resolve(p)), { recursive: true });
      const s: Saved = {
        v: 1, engine: this.engine.snapshot(), timelines: Object.fromEntries(this.timelines),
        forecasts: this.deps.recorder ? [] : [...this.forecasts.values()], cityWarnings: this.deps.recorder ? [] : [...this.warningState.values()],
      };
      writeFileSync(`${p}.tmp`, JSON.stringify(s));
      renameSync(`${p}.tmp`, p);
      this.dirtySince = 0;
    } catch (err) {
      this.deps.logger.error({ file: p, err: (err as Error).message }, 'could not save episode state');
    }
  }

  stationHour(h: StationHour): void {
    this.buffer.push({ city: h.city, station: h.station, time: h.time, values: h.values });
  }

  /** Feed buffered hours to the engine and publish what it says (quiet during a rebuild). */
  flush(quiet: boolean): void {
    if (this.buffer.length === 0) return;
    const points = this.buffer;
    this.buffer = [];
    for (const p of points) this.touched.add(p.city);
    const events = this.engine.ingest(points);
    const fired = new Set<string>();
    for (const ev of events) {
      fired.add(ev.episodeId);
      this.record(ev, quiet);
    }
    // Open episodes whose summary changed without a lifecycle step (days extended, peak moved).
    for (const e of this.engine.episodes({ includeForming: false })) {
      const s = summary(e);
      const js = JSON.stringify(s);
      const old = this.lastSummary.get(e.id);
      this.lastSummary.set(e.id, js);
      if (old !== undefined && old !== js && !fired.has(e.id)) {
        const params = { start: e.start, end: e.end, time: e.endTime };
        const entry: TimelineEntry = { key: `${e.id}:updated:${e.endTime}:${++this.seq}`, type: 'updated', time: e.endTime, level: e.level, state: e.state, detail: logDetail('episode.updated', params), code: 'episode.updated', params };
        this.emit({ kind: 'episode', e: { type: 'updated', episode: s, entry } }, quiet);
      }
    }
    this.updateWarnings([...this.touched], quiet);
    this.touched.clear();
    if (!this.dirtySince) this.dirtySince = this.deps.clock();
  }

  private record(ev: EpisodeEvent, quiet: boolean): void {
    const type: EpisodeEventType = ev.type === 'withdrawn' ? 'updated' : ev.type;
    const entry: TimelineEntry = {
      key: ev.key, type, time: ev.time, level: ev.level, state: ev.state, detail: ev.detail, code: ev.code, params: ev.params,
      ...(ev.type === 'withdrawn' ? { withdrawn: true } : {}),
    };
    const tl = this.timelines.get(ev.episodeId) ?? [];
    if (tl.some((t) => t.key === ev.key)) return; // never twice, whatever happens upstream
    tl.push(entry);
    this.timelines.set(ev.episodeId, tl);
    this.lastSummary.set(ev.episodeId, JSON.stringify(summary(ev.episode)));
    this.emit({ kind: 'episode', e: { type, episode: summary(ev.episode), entry } }, quiet);
  }

  /** Periodic: save the snapshot at most once a minute when something changed. */
  tick(now: number): void {
    if (this.dirtySince && now - this.dirtySince >= 60_000) this.save();
  }

  list(filter: { city?: string; kind?: string; status?: 'open' | 'closed'; from?: number; to?: number } = {}): EpisodeSummary[] {
    return this.engine.episodes({ includeForming: false })
      .filter((e) => (!filter.city || e.city === filter.city || e.members.includes(filter.city)) &&
        (!filter.kind || e.kind === filter.kind) &&
        (!filter.status || (filter.status === 'closed') === (e.state === 'closed')) &&
        (filter.from === undefined || e.endTime >= filter.from) && (filter.to === undefined || e.startTime < filter.to))
      .map(summary);
  }

  /** Open episodes and those closed within the last 3 days of data (for state:sync). */
  recent(): EpisodeSummary[] {
    const eps = this.engine.episodes({ includeForming: false });
    const latest = Math.max(0, ...eps.map((e) => e.endTime));
    return eps.filter((e) => e.state !== 'closed' || e.endTime >= latest - 3 * 86_400_000).map(summary);
  }

  detail(id: string): EpisodeDetail | null {
    const e = this.engine.episode(id);
    if (!e || e.state === 'forming') return null;
    return {
      ...summary(e),
      timeline: this.log(id),
      days: e.days,
      hourly: this.engine.timeline(id).map((h) => ({ time: h.time, values: h.values as Record<string, number>, rollingAqi: h.rollingAqi })),
      classification: e.classification,
      warning: e.warning,
      primary: e.primary as Record<string, number>,
      alertList: this.engine.alerts({ episodeId: id }),
      chart: this.engine.chart(id),
    };
  }

  /** The forecaster's "will today exceed?" (O3) of every city, or one. */
  today(city?: string): TodayO3[] {
    const day = beijingDayOf(this.deps.clock());
    return this.engine.cities().filter((c) => !city || c === city).map((c) => this.engine.today(c, day)!).filter(Boolean);
  }

  /** One-hour-jump alerts (city and station), each with the episode it belongs to. */
  alerts(filter: { city?: string; from?: number; to?: number } = {}): AlertSummary[] {
    return this.engine.alerts({ city: filter.city })
      .filter((a) => (filter.from === undefined || a.time >= filter.from) && (filter.to === undefined || a.time < filter.to));
  }

  timeline(id: string): TimelineEntry[] {
    return this.timelines.get(id) ?? [];
  }

  /** The episode's log as its current data state it, checked against what was pushed: an entry
   *  whose values changed is `revised` (with `was`), a pushed lifecycle entry the data no longer
   *  support is kept as `withdrawn` (never shown as a fact). Oldest first by the data hour. */
  log(id: string): TimelineEntry[] {
    const e = this.engine.episode(id);
    if (!e) return [];
    const pushed = new Map((this.timelines.get(id) ?? []).map((t) => [t.key, t]));
    const latest = this.engine.latest(e.city) ?? e.endTime;
    const out: TimelineEntry[] = [];
    const seen = new Set<string>();
    for (const l of this.engine.log(id)) {
      seen.add(l.key);
      const p = pushed.get(l.key);
      const revised = p?.params !== undefined && JSON.stringify(p.params) !== JSON.stringify(l.params);
      out.push({
        key: l.key, type: l.type, time: p?.time ?? latest, level: e.level, state: e.state,
        detail: logDetail(l.code, l.params), code: l.code, params: l.params, ...(revised ? { revised: true, was: p!.params } : {}),
      });
    }
    for (const p of pushed.values()) {
      if (seen.has(p.key)) continue;
      out.push(p.type === 'updated' ? p : { ...p, withdrawn: true });
    }
    const at = (t: TimelineEntry) => t.params?.time ?? t.time;
    return out.sort((a, b) => at(a) - at(b) || a.key.localeCompare(b.key));
  }

  // --- forecasts and warnings

  /** `recorded`: the caller has already recorded it (a signed consultation, records/consultations.ts). */
  addForecast(f: ForecastIn, quiet = false, by: Actor = { who: 'anonymous', from: 'api' }, opts: { recorded?: boolean } = {}): { forecast: Forecast; warnings: WarningState[] } {
    const issued = f.issued ?? this.deps.clock();
    const forecast: Forecast = { ...f, issued, id: `${f.city}:${issued}` };
    this.forecasts.set(f.city, forecast);
    if (this.deps.recorder && !opts.recorded) {
      // Before the warning steps it causes: the record has the forecast they rest on first.
      this.lastWrite = this.deps.recorder.forecast(forecast, by);
      this.lastWrite.catch(() => undefined);
    }
    const warnings = this.updateWarnings([f.city], quiet);
    this.save();
    return { forecast, warnings };
  }

  forecastList(city?: string): Forecast[] {
    return [...this.forecasts.values()].filter((f) => !city || f.city === city);
  }

  private updateWarnings(cities: string[], quiet: boolean): WarningState[] {
    const out: WarningState[] = [];
    const now = this.deps.clock();
    const today = beijingDayOf(now);
    for (const city of cities) {
      const fc = this.forecasts.get(city);
      const fdays = fc ? fc.days.map((d) => ({ day: d.day, aqi: d.aqi, primary: (d.primary ?? []) as never })) : [];
      const rec = this.engine.recommend(city, fdays, today);
      for (const scheme of SCHEMES) {
        const r = rec[scheme];
        const key = `${city}|${scheme}`;
        const old = this.warningState.get(key) ?? emptyWarning(city, scheme);
        const first = r.from ? endOfBeijingDay(r.from) - DAY_MS : null;
        const { state, steps } = recommend(old, r, now, first, this.deps.liftRule);
        this.warningState.set(key, state);
        this.lastRec.set(key, { rec: r, basis: { ...r, today, forecast: fc ? { id: fc.id, issued: fc.issued } : null }, updated: now });
        const row = this.row(state);
        out.push(row);
        for (const step of steps) this.recordStep(step, state);
        if (steps.length) this.emit({ kind: 'warning', e: { ...row, previous: old.recommended?.level ?? null } }, quiet);
      }
    }
    return out;
  }

  /** The API row of a city's warning under one scheme. */
  private row(w: CityWarning): WarningState {
    const last = this.lastRec.get(`${w.city}|${w.scheme}`);
    return {
      city: w.city, scheme: w.scheme, level: w.recommended?.level ?? null, since: w.recommended?.since ?? null,
      reason: w.recommended?.rule.id ?? 'none', driver: w.recommended?.driving ?? null,
      basis: last?.basis ?? null, updated: last?.updated ?? w.history[w.history.length - 1]?.at ?? 0,
      status: w.status, recommended: w.recommended, inForce: w.inForce, liftDue: w.liftDue, history: w.history,
    };
  }

  /** A person issues, changes or lifts a warning. Throws AIRDESK_WARNING_TRANSITION when the
   *  lifecycle does not allow it (e.g. lift with nothing in force). */
  warningAction(a: WarningActionIn, from = 'api'): WarningState {
    const key = `${a.city}|${a.scheme}`;
    const prev = this.warningState.get(key) ?? emptyWarning(a.city, a.scheme);
    const at = this.deps.clock();
    if (!a.by) throw appError('AIRDESK_BAD_BODY', 'a warning action needs who acts');
    const action: WarningAction = a.action === 'lift'
      ? { type: 'lift', by: a.by, at, ...(a.note ? { note: a.note } : {}) }
      : { type: a.action, level: a.level!, by: a.by, at, ...(a.note ? { note: a.note } : {}) };
    if (a.action !== 'lift' && !a.level) throw appError('AIRDESK_BAD_BODY', `${a.action} needs a level`);
    const r = act(prev, action);
    if ('error' in r) throw appError('AIRDESK_WARNING_TRANSITION', r.error);
    this.warningState.set(key, r.state);
    this.lastWrite = this.recordStep(r.step, r.state, { who: a.by, from });
    const row = this.row(r.state);
    this.emit({ kind: 'warning', e: { ...row, previous: prev.inForce?.level ?? null } }, false);
    this.save();
    return row;
  }

  warnings(filter: { city?: string; scheme?: Scheme } = {}): WarningState[] {
    return [...this.warningState.values()].filter((w) => (!filter.city || w.city === filter.city) && (!filter.scheme || w.scheme === filter.scheme)).map((w) => this.row(w));
  }
}
