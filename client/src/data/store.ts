/**
 * Client state: stations, their hourly points, the city's hours, episodes, warnings, connection.
 * One mutable store with a version counter (React reads it through useSyncExternalStore). Updates
 * touch only what a message changes, and say which stations they touched: a journal of the stations
 * changed per version lets the map's derived state (data/derived.ts) recompute only those, and
 * `uiVersion` moves only for what panels show (stations list, city hours, latest hour, episodes,
 * warnings, connection), so a batch of readings does not re-render the rail or the slider.
 */
import type { OfficialForecast } from '#common/schemas/consult.ts';
import type { HourPoint, LatestResponse, EpisodeSummary, WarningState, EpisodeDetail, AlertSummary, TodayO3 } from '#common/schemas/api.ts';
import { cityWarningView, type CityWarningView } from '../lib/warnings.ts';
import type { Reading, VocCycle } from '#common/schemas/reading.ts';
import { hourlyAqi } from '#common/standards/aqi.ts';
import { hourlyRuleByName, hourlyRuleFor } from '#common/standards/rulesets.ts';
import { levelOf } from '#common/standards/levels.ts';
import { episodeLevelIndex } from '../lib/colour.ts';
import { HOUR_MS } from '#common/time.ts';

export interface StationMeta {
  code: string;
  name: string;
  city: string;
  lon: number;
  lat: number;
  kind: string;
  voc: boolean;
}

export interface Conn {
  state: 'connecting' | 'up' | 'down';
  /** when the current state began (epoch ms, client clock) */
  since: number;
}

/** Minimum interval between store notifications (renders), ms. */
const NOTIFY_MS = 200;

/** How long the client keeps hours in memory (a week covers replay of a typical episode). */
const KEEP_MS = 8 * 24 * HOUR_MS;

/** Versions of station changes the journal remembers; a consumer further behind recomputes all. */
const JOURNAL_LEN = 64;

export class Store {
  version = 0;
  /** moves only when something other than per-station data changes (see header) */
  uiVersion = 0;
  stations: StationMeta[] = [];
  byCode = new Map<string, StationMeta>();
  /** station code -> hour end -> point */
  hours = new Map<string, Map<number, HourPoint>>();
  /** station code -> latest hour end seen */
  lastHour = new Map<string, number>();
  /** station code -> latest met (ws, wd) from raw readings or hours */
  met = new Map<string, { ws: number | null; wd: number | null; time: number }>();
  lastSeen = new Map<string, number | null>();
  /** station code -> hour end -> quality flags per quantity (from raw readings; HourPoint has none) */
  flags = new Map<string, Map<number, Record<string, string[]>>>();
  city: string | null = null;
  cityHours = new Map<number, HourPoint>();
  episodes: EpisodeSummary[] = [];
  episodeDetail = new Map<string, EpisodeDetail>();
  warnings: WarningState[] = [];
  /** one-hour-jump alerts (浓度突升): alerts on an episode or a station, never episodes */
  alerts: AlertSummary[] = [];
  /** O3 "will today exceed?" per city (state:sync `today`, GET /api/today) */
  today: TodayO3[] = [];
  /** The signed official forecast of each city (issue 17: GET /api/forecast/official, `forecast:published`) */
  official = new Map<string, OfficialForecast>();
  voc = new Map<string, VocCycle>();
  conn: Conn = { state: 'connecting', since: Date.now() };
  /** server clock minus client clock (ms), from the last sync */
  skew = 0;
  staleMinutes = 90;
  /** the hourly AQI rule set the server announced in state:sync (`rule.hourly`: a rule name, or
   *  'by date' = common/standards' date rule); provisional AQIs use it (issue 13) */
  hourlyRule: string | null = null;
  private listeners = new Set<() => void>();
  private pending = false;
  /** stations touched since the last changed() */
  private dirty = new Set<string>();
  private dirtyAll = false;
  private uiDirty = false;
  /** (version, stations changed in it; null = all) for the last JOURNAL_LEN versions with changes */
  private journal: { version: number; codes: string[] | null }[] = [];
  /** the journal is complete for versions above this */
  private journalFloor = 0;
  /** station code -> version of its last change (StationDrawer re-renders on its own station only) */
  stamp = new Map<string, number>();
  /** max of lastHour, kept as hours arrive (lastHour only grows) */
  private maxStationHour: number | null = null;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getVersion = (): number => this.version;

  private lastNotify = 0;
  /** Bump the version and notify listeners at most every NOTIFY_MS: a burst of socket batches
   *  (the server sends one every few tens of ms under load) becomes one render, each of which is
   *  O(stations). The first change after a quiet period notifies on the next microtask. */
  changed(): void {
    this.version++;
    if (this.dirtyAll || this.dirty.size) {
      const codes = this.dirtyAll ? null : [...this.dirty];
      if (codes) for (const c of codes) this.stamp.set(c, this.version);
      this.journal.push({ version: this.version, codes });
      if (this.journal.length > JOURNAL_LEN) this.journalFloor = this.journal.shift()!.version;
      this.dirty.clear();
      this.dirtyAll = false;
    }
    if (this.uiDirty) { this.uiVersion++; this.uiDirty = false; }
    if (this.pending) return;
    this.pending = true;
    const wait = Math.max(0, this.lastNotify + NOTIFY_MS - Date.now());
    const fire = () => {
      this.pending = false;
      this.lastNotify = Date.now();
      for (const fn of this.listeners) fn();
    };
    if (wait === 0) queueMicrotask(fire);
    else setTimeout(fire, wait);
  }

  /** Mark a station's data as changed (collected into the journal by the next changed()). */
  touch(code: string): void {
    this.dirty.add(code);
  }

  /** Mark every station as changed (full sync, new station list). */
  touchAll(): void {
    this.dirtyAll = true;
  }

  /** Mark a change that panels show (next changed() moves uiVersion). */
  touchUi(): void {
    this.uiDirty = true;
  }

  /** Stations changed in versions after `v` (up to the current one), or null when the journal no
   *  longer reaches back that far or a change touched every station: then recompute all. */
  changedSince(v: number): Set<string> | null {
    if (v >= this.version) return new Set();
    if (v < this.journalFloor) return null;
    const out = new Set<string>();
    for (let i = this.journal.length - 1; i >= 0 && this.journal[i].version > v; i--) {
      const codes = this.journal[i].codes;
      if (codes === null) return null;
      for (const c of codes) out.add(c);
    }
    return out;
  }

  /** Per-version memo for derived values that scan all stations (city fallback hours). */
  private memoVersion = -1;
  private memoMap = new Map<string, unknown>();
  memo<T>(key: string, f: () => T): T {
    if (this.memoVersion !== this.version) { this.memoVersion = this.version; this.memoMap.clear(); }
    if (!this.memoMap.has(key)) this.memoMap.set(key, f());
    return this.memoMap.get(key) as T;
  }

  now(): number {
    return Date.now() + this.skew;
  }

  setStations(list: readonly { code: string; name: string; city: string; lon: number | null; lat: number | null; kind: string }[]): void {
    const vocSites = new Set(this.stations.filter((s) => s.voc).map((s) => s.code));
    this.stations = list
      .filter((s) => s.lon !== null && s.lat !== null)
      .map((s) => ({ code: s.code, name: s.name, city: s.city, lon: s.lon!, lat: s.lat!, kind: s.kind, voc: s.kind === 'voc' || vocSites.has(s.code) }));
    this.byCode = new Map(this.stations.map((s) => [s.code, s]));
    if (!this.city && this.stations.length) this.city = mostCommon(this.stations.map((s) => s.city));
    this.touchAll();
    this.touchUi();
    this.changed();
  }

  markVoc(station: string): void {
    const s = this.byCode.get(station);
    if (s && !s.voc) { s.voc = true; this.touch(station); this.touchUi(); this.changed(); }
  }

  /** Replace state with a server sync (on every connect). */
  applyLatest(latest: LatestResponse, skewFromNow?: number): void {
    if (skewFromNow !== undefined) this.skew = skewFromNow;
    for (const st of latest.stations) {
      this.lastSeen.set(st.station, st.lastSeen);
      if (st.hour) this.putHour(st.station, st.hour);
      if (st.reading) { this.putMet(st.reading); this.putFlags(st.reading); }
    }
    const city = latest.cities.find((c) => c.city === this.city) ?? latest.cities[0];
    if (city) {
      if (!this.city) this.city = city.city;
      if (city.hour) this.cityHours.set(city.hour.time, city.hour);
    }
    this.touchAll();
    this.touchUi();
    this.changed();
  }

  putHour(code: string, p: HourPoint): void {
    let m = this.hours.get(code);
    if (!m) { m = new Map(); this.hours.set(code, m); }
    m.set(p.time, p);
    this.touch(code);
    const last = this.lastHour.get(code);
    if (last === undefined || p.time > last) this.lastHour.set(code, p.time);
    if (this.maxStationHour === null || p.time > this.maxStationHour) { this.maxStationHour = p.time; this.touchUi(); }
    const ws = p.values.ws, wd = p.values.wd;
    if (ws !== undefined && wd !== undefined) {
      const cur = this.met.get(code);
      if (!cur || cur.time <= p.time) this.met.set(code, { ws: ws ?? null, wd: wd ?? null, time: p.time });
    }
    if (m.size > 24 * 9) {
      const cut = p.time - KEEP_MS;
      for (const t of m.keys()) if (t < cut) m.delete(t);
    }
  }

  putFlags(r: Reading): void {
    const f = Object.fromEntries(Object.entries(r.flags ?? {}).filter(([, v]) => v.length > 0 && !(v.length === 1 && v[0] === 'N')));
    if (Object.keys(f).length === 0) return;
    let m = this.flags.get(r.station);
    if (!m) { m = new Map(); this.flags.set(r.station, m); }
    m.set(r.time, f);
    this.touch(r.station);
  }

  putMet(r: Reading): void {
    const ws = r.values.ws, wd = r.values.wd;
    if (ws === undefined && wd === undefined) return;
    const cur = this.met.get(r.station);
    if (!cur || cur.time <= r.time) { this.met.set(r.station, { ws: ws ?? null, wd: wd ?? null, time: r.time }); this.touch(r.station); }
  }

  /** Raw readings: hourly ones count as the station's hour at once (AQI computed here with the
   *  rule in force, replaced when the server's aqi:hour arrives); all update met and lastSeen. */
  applyReadings(readings: readonly Reading[]): void {
    const now = this.now();
    for (const r of readings) {
      this.putMet(r);
      this.lastSeen.set(r.station, now);
      this.putFlags(r);
      // A raw hourly reading shows at once; the server's aqi:hour for the same hour replaces it.
      if (r.interval === 'hour') this.putHour(r.station, provisionalHour(r, this.hourlyRule));
    }
    this.changed();
  }

  applyHour(scope: 'station' | 'city', id: string, p: HourPoint): void {
    if (scope === 'city') {
      if (!this.city) this.city = id;
      if (id === this.city) { this.cityHours.set(p.time, p); this.touchUi(); }
    } else {
      this.putHour(id, p);
    }
    this.changed();
  }

  /** Merge a fetched series (replay, drawer) without dropping live points. */
  applySeries(scope: 'station' | 'city', id: string, points: readonly HourPoint[]): void {
    for (const p of points) {
      if (scope === 'city') this.cityHours.set(p.time, p);
      else this.putHour(id, p);
    }
    // The rail's sparkline may fall back to station hours (view.ts cityHour).
    this.touchUi();
    this.changed();
  }

  upsertEpisode(e: EpisodeSummary): void {
    const i = this.episodes.findIndex((x) => x.id === e.id);
    if (i >= 0) this.episodes[i] = e;
    else this.episodes.push(e);
    this.episodes = [...this.episodes];
    this.episodeDetail.delete(e.id);
    this.touchUi();
    this.changed();
  }

  setWarning(w: WarningState): void {
    const rest = this.warnings.filter((x) => !(x.city === w.city && x.scheme === w.scheme));
    this.warnings = [...rest, w];
    this.touchUi();
    this.changed();
  }

  setConn(state: Conn['state']): void {
    if (this.conn.state === state) return;
    // "connection lost since" keeps the time of the first loss through retries.
    this.conn = { state, since: state === 'connecting' && this.conn.state === 'down' ? this.conn.since : Date.now() };
    this.touchUi();
    this.changed();
  }

  /** The station's point for the hour ending at t, or its latest when t is null. */
  hourAt(code: string, t: number | null): HourPoint | null {
    const m = this.hours.get(code);
    if (!m) return null;
    if (t === null) {
      const last = this.lastHour.get(code);
      return last === undefined ? null : m.get(last) ?? null;
    }
    return m.get(t) ?? null;
  }

  /** Latest hour end over all stations (the "data as of" time of the network). */
  latestHour(): number | null {
    const s = this.maxStationHour, c = this.latestCityHour();
    return s === null ? c : c === null ? s : Math.max(s, c);
  }

  /** Latest hour end over the stations only (network freshness). */
  latestStationHour(): number | null {
    return this.maxStationHour;
  }

  cityAt(t: number | null): HourPoint | null {
    const tt = t ?? this.latestCityHour();
    return tt === null ? null : this.cityHours.get(tt) ?? null;
  }

  latestCityHour(): number | null {
    let best: number | null = null;
    for (const t of this.cityHours.keys()) if (best === null || t > best) best = t;
    return best;
  }

  /** THE warning state of the current city, both schemes, as every view shows it (lib/warnings.ts). */
  warningView(): CityWarningView {
    return this.memo('warningView', () => cityWarningView(this.warnings, this.city));
  }

  /** The highest warning a person issued (in force) for the current city; a recommendation is not one. */
  activeWarning(): WarningState | null {
    const v = this.warningView();
    return v.inForce ? v.headline?.state ?? null : null;
  }

  setAlerts(a: readonly AlertSummary[]): void {
    this.alerts = [...a];
    this.touchUi();
    this.changed();
  }

  setToday(rows: readonly TodayO3[]): void {
    this.today = [...rows];
    this.touchUi();
    this.changed();
  }

  todayO3(): TodayO3 | null {
    return this.today.find((x) => x.city === this.city) ?? null;
  }

  activeEpisode(): EpisodeSummary | null {
    const open = this.episodes.filter((e) => e.status === 'open');
    // An episode level ranks as the HJ 633 AQI level it stands for (common/standards/levels.ts).
    const rank = (l: string) => levelOf(episodeLevelIndex(l)) ?? 0;
    open.sort((a, b) => rank(b.level) - rank(a.level) || b.start - a.start);
    return open[0] ?? null;
  }
}

function mostCommon(xs: readonly string[]): string {
  const n = new Map<string, number>();
  for (const x of xs) n.set(x, (n.get(x) ?? 0) + 1);
  return [...n.entries()].sort((a, b) => b[1] - a[1])[0][0];
}

/** An hour point from a raw hourly reading, with the AQI of the rule set the server announced
 *  (`ruleName`, from state:sync), or of common/standards' rule in force for its time when the server
 *  said 'by date' or nothing yet. */
export function provisionalHour(r: Reading, ruleName: string | null = null): HourPoint {
  const v = r.values;
  const rule = (ruleName ? hourlyRuleByName(ruleName) : null) ?? hourlyRuleFor(r.time);
  const res = hourlyAqi(
    { pm25_1h: v.pm25, pm10_1h: v.pm10, so2_1h: v.so2, no2_1h: v.no2, co_1h: v.co, o3_1h: v.o3 },
    rule,
  );
  return {
    time: r.time,
    values: { ...v },
    basis: 'derived',
    aqi: {
      rule: rule.name, aqi: res.aqi, published: res.published, level: res.level,
      primary: res.primary, iaqi: res.iaqi,
    },
  };
}
