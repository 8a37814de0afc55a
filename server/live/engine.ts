/**
 * The live engine: readings in (as they arrive, any order), hourly values, AQI and HJ 663 daily
 * statistics out, per station and per city, as each hour completes. It keeps rolling windows in
 * memory; the episode engine and the socket layer listen to what it emits. No I/O, no timers:
 * the app calls tick(now) on a timer and ingest() per MQTT message, so tests drive it directly.
 *
 * City value = mean of the city's national stations that have a value for that pollutant-hour
 * (HJ 663; common/standards cityMean), with `n` saying how many stations it rests on. A city with
 * no station registered as 'national' uses all its registered stations (said in docs/api.md).
 */
import { POLLUTANTS, type Quantity } from '#common/pollutants.ts';
import { cityHour } from '#common/aggregate/index.ts';
import { HOUR_MS } from '#common/time.ts';
import type { Reading } from '#common/schemas/reading.ts';
import type { Station } from '#common/schemas/station.ts';
import type { AqiDayEvt, AqiHourEvt, FreshnessEvt } from '#common/schemas/events.ts';
import type { DayPoint, HourPoint, LatestCity, LatestStation } from '#common/schemas/api.ts';
import { addReading, resolveCell, type Basis, type HourCell, type HourValues } from './hours.ts';
import { dayOf, dependentHours, Entity, type RuleChoice } from './entity.ts';

export interface LiveConfig {
  staleMinutes: number;
  /** Minutes after an hour's end before a sub-hourly hour is resolved without a later reading. */
  graceMinutes: number;
  /** Hours of history kept in memory (the moving windows and today/yesterday need >= 72). */
  retentionHours: number;
  rules: RuleChoice;
}

/** A station-hour resolved (or re-resolved): what the episode engine consumes. */
export interface StationHour {
  station: string;
  city: string;
  time: number;
  values: Partial<Record<Quantity, number | null>>;
}

/** A station-hour with every quantity it resolved to, and how: what the server persists as the
 *  station-hour aggregate (stores/types.ts StationHourRecord, the same shape). */
export interface ResolvedHour {
  station: string;
  time: number;
  basis: Basis;
  values: HourValues;
}

export type LiveEvent =
  | { type: 'hour:resolved'; e: ResolvedHour }
  | { type: 'aqi:hour'; e: AqiHourEvt }
  | { type: 'aqi:day'; e: AqiDayEvt }
  | { type: 'station:hour'; e: StationHour }
  | { type: 'city:hour'; city: string; time: number }
  | { type: 'freshness'; e: FreshnessEvt };

interface StationState {
  code: string;
  info: Station | null;
  cells: Map<number, HourCell>;
  completed: Set<number>;
  resolved: Map<number, HourValues>;
  maxT: number;
  lastSeen: number | null;
  lastTime: number | null;
  lastReading: Reading | null;
  entity: Entity;
  stale: boolean;
}

export class LiveEngine {
  private readonly stations = new Map<string, StationState>();
  private readonly cities = new Map<string, Entity>();
  private readonly members = new Map<string, Set<string>>();
  private readonly listeners: ((ev: LiveEvent) => void)[] = [];
  private dirtyStation = new Map<string, Set<number>>();
  private dirtyCity = new Map<string, Set<number>>();
  private maxHour = 0;
  private lastFreshnessEmit = 0;
  /** While true (rebuild from the store) nothing is emitted to listeners except station hours. */
  replaying = false;
  readonly counters = { readings: 0, ignored: 0, hoursResolved: 0, lateRecomputes: 0 };

  constructor(readonly config: LiveConfig, stations: readonly Station[] = []) {
    this.setStations(stations);
  }

  on(listener: (ev: LiveEvent) => void): void {
    this.listeners.push(listener);
  }

  private emit(ev: LiveEvent): void {
    if (this.replaying && ev.type !== 'station:hour' && ev.type !== 'city:hour') return;
    for (const l of this.listeners) l(ev);
  }

  /** (Re)load the station registry: city membership and national flags. */
  setStations(list: readonly Station[]): void {
    this.members.clear();
    const national = new Map<string, Set<string>>();
    const all = new Map<string, Set<string>>();
    for (const s of list) {
      const st = this.station(s.code);
      st.info = s;
      if (!all.has(s.city)) all.set(s.city, new Set());
      all.get(s.city)!.add(s.code);
      if (s.kind === 'national') {
        if (!national.has(s.city)) national.set(s.city, new Set());
        national.get(s.city)!.add(s.code);
      }
    }
    for (const [city, codes] of all) this.members.set(city, national.get(city) ?? codes);
    for (const city of this.members.keys()) if (!this.cities.has(city)) this.cities.set(city, new Entity('city', city, null));
  }

  private station(code: string): StationState {
    let st = this.stations.get(code);
    if (!st) {
      st = {
        code, info: null, cells: new Map(), completed: new Set(), resolved: new Map(), maxT: 0, lastSeen: null,
        lastTime: null, lastReading: null, entity: new Entity('station', code, null), stale: true,
      };
      this.stations.set(code, st);
    }
    return st;
  }

  cityOf(code: string): string | null {
    return this.stations.get(code)?.info?.city ?? null;
  }

  /** Stations a city's values rest on (national, or all when none is national). */
  memberCodes(city: string): string[] {
    return [...(this.members.get(city) ?? [])].sort();
  }

  cityNames(): string[] {
    return [...this.members.keys()].sort();
  }

  /** Ingest readings (any order, any interval). `arrival` is when they arrived (epoch ms); during a
   *  rebuild from the store it is the reading time. Emits what changed, then returns. */
  ingest(readings: readonly Reading[], arrival: number): void {
    for (const r of readings) this.ingestOne(r, arrival);
    this.flush(arrival);
  }

  private ingestOne(r: Reading, arrival: number): void {
    this.counters.readings++;
    const st = this.station(r.station);
    st.lastSeen = Math.max(st.lastSeen ?? 0, this.replaying ? r.time : arrival);
    if (st.lastTime === null || r.time >= st.lastTime) {
      st.lastTime = r.time;
      st.lastReading = r;
    }
    const T = addReading(st.cells, r);
    if (T === null) {
      this.counters.ignored++;
      return;
    }
    if (r.interval === 'hour' || st.completed.has(T)) {
      if (st.completed.has(T)) this.counters.lateRecomputes++;
      this.complete(st, T);
    }
    if (T > st.maxT) {
      // The station moved on to a later hour: its earlier pending hours are complete.
      for (const t of st.cells.keys()) if (t < T && !st.completed.has(t)) this.complete(st, t);
      st.maxT = T;
    }
  }

  /** Rebuild: stored station-hours (their final values, ResolvedHour) and raw readings, any mix, in
   *  time order; then one flush, as ingest() does. A stored hour completes at once, as an 'hour'
   *  reading would, and leaves lastSeen and the latest reading alone (restoreLatest sets those). */
  replay(items: readonly (Reading | ResolvedHour)[], now: number): void {
    for (const x of items) {
      if ('basis' in x) this.restoreOne(x);
      else this.ingestOne(x, now);
    }
    this.flush(now);
  }

  private restoreOne(h: ResolvedHour): void {
    const st = this.station(h.station);
    const T = h.time;
    const stored = { values: { ...h.values }, basis: h.basis };
    const cell = st.cells.get(T);
    if (cell) cell.stored = stored;
    else st.cells.set(T, { hour: null, sub: {}, stored });
    this.complete(st, T);
    if (T > st.maxT) {
      // Every cell has its hour in `completed` once resolved: equal sizes = nothing pending (the
      // usual case in a rebuild, where scanning each station's cells per hour would be quadratic).
      if (st.completed.size < st.cells.size) for (const t of st.cells.keys()) if (t < T && !st.completed.has(t)) this.complete(st, t);
      st.maxT = T;
    }
  }

  /** Rebuild: each station's latest stored reading (stores latestReadings), for lastSeen and
   *  /api/latest, kept only where it is at least as late as what the replay saw. */
  restoreLatest(readings: readonly Reading[]): void {
    for (const r of readings) {
      const st = this.station(r.station);
      st.lastSeen = Math.max(st.lastSeen ?? 0, r.time);
      if (st.lastTime === null || r.time >= st.lastTime) {
        st.lastTime = r.time;
        st.lastReading = r;
      }
    }
  }

  /** Every station's resolved values at the given hour ends (rebuild: to persist hours it had to
   *  rebuild from raw readings). */
  resolvedAt(hours: ReadonlySet<number>): ResolvedHour[] {
    const out: ResolvedHour[] = [];
    for (const st of this.stations.values()) {
      for (const [t, values] of st.resolved) {
        if (hours.has(t)) out.push({ station: st.code, time: t, basis: (st.entity.basis.get(t) as Basis | undefined) ?? 'derived', values });
      }
    }
    return out;
  }

  private complete(st: StationState, T: number): void {
    st.completed.add(T);
    const cell = st.cells.get(T);
    if (!cell) return;
    const { values, basis } = resolveCell(cell);
    const prev = st.resolved.get(T);
    st.resolved.set(T, values);
    this.counters.hoursResolved++;
    const changed = st.entity.setHour(T, values, basis ?? 'derived');
    if (!changed && st.entity.points.has(T) && prev && JSON.stringify(prev) === JSON.stringify(values)) return;
    if (T > this.maxHour) this.maxHour = T;
    this.emit({ type: 'hour:resolved', e: { station: st.code, time: T, basis: basis ?? 'derived', values } });
    add(this.dirtyStation, st.code, T);
    const city = st.info?.city;
    if (city && this.members.get(city)?.has(st.code)) add(this.dirtyCity, city, T);
    if (city) {
      // The episode engine makes its own city means: it gets the pollutants of the city's member
      // stations only (the same stations as the city AQI) and the weather of every station.
      const member = this.members.get(city)?.has(st.code) ?? false;
      const v: StationHour['values'] = {};
      for (const [k, x] of Object.entries(values)) if (member || !(POLLUTANTS as readonly string[]).includes(k)) v[k as Quantity] = x;
      if (Object.keys(v).length) this.emit({ type: 'station:hour', e: { station: st.code, city, time: T, values: v } });
    }
  }

  /** Resolve sub-hourly hours whose end + grace has passed, mark stale stations, prune old hours. */
  tick(now: number): void {
    const grace = this.config.graceMinutes * 60_000;
    for (const st of this.stations.values()) {
      for (const t of st.cells.keys()) if (!st.completed.has(t) && t + grace <= now) this.complete(st, t);
    }
    this.flush(now);
    this.emitFreshness(now, false);
    this.prune();
  }

  /** End of a rebuild: every pending hour is resolved (the store holds what there is). */
  finishReplay(now: number): void {
    for (const st of this.stations.values()) for (const t of st.cells.keys()) if (!st.completed.has(t)) this.complete(st, t);
    this.flush(now);
    for (const st of this.stations.values()) st.stale = this.isStale(st, now);
    this.prune();
  }

  private flush(now: number): void {
    const rules = this.config.rules;
    const ds = this.dirtyStation;
    const dc = this.dirtyCity;
    this.dirtyStation = new Map();
    this.dirtyCity = new Map();
    for (const [code, hours] of ds) {
      const st = this.stations.get(code)!;
      const city = st.info?.city ?? null;
      // Hours whose point depends on a changed hour, each checked once (a rebuild changes a day of
      // hours per station at a time: their windows overlap 23-fold).
      const candidates = new Set<number>();
      for (const T of hours) for (const t of dependentHours(T, rules)) candidates.add(t);
      const touched: number[] = [];
      for (const t of candidates) if (st.entity.hasHour(t)) touched.push(t);
      for (const t of touched.sort((a, b) => a - b)) {
        const r = st.entity.recomputePoint(t, rules);
        if (r) this.emit({ type: 'aqi:hour', e: { scope: 'station', id: code, city, point: r.point, revision: r.revision } });
      }
      for (const d of new Set([...hours].map(dayOf))) st.entity.recomputeDay(d, now, rules);
    }
    for (const [city, hours] of dc) {
      const ent = this.cities.get(city)!;
      const codes = this.members.get(city) ?? new Set<string>();
      const changedHours: number[] = [];
      for (const T of hours) {
        const values: Partial<Record<(typeof POLLUTANTS)[number], number>> = {};
        const n: Record<string, number> = {};
        for (const p of POLLUTANTS) {
          const vs: number[] = [];
          for (const c of codes) {
            const v = this.stations.get(c)?.entity.series[p].get(T);
            if (v !== undefined) vs.push(v);
          }
          const m = cityHour(vs);
          if (m !== null) values[p] = m;
          n[p] = vs.length;
        }
        if (ent.setHour(T, values, 'city', n) || !ent.points.has(T)) changedHours.push(T);
      }
      const touched = new Set<number>();
      for (const T of changedHours) for (const t of dependentHours(T, rules)) if (ent.hasHour(t)) touched.add(t);
      for (const t of [...touched].sort((a, b) => a - b)) {
        const r = ent.recomputePoint(t, rules);
        if (r) this.emit({ type: 'aqi:hour', e: { scope: 'city', id: city, city, point: r.point, revision: r.revision } });
      }
      for (const d of new Set(changedHours.map(dayOf))) {
        const p = ent.recomputeDay(d, now, rules);
        if (p) this.emit({ type: 'aqi:day', e: { scope: 'city', id: city, city, point: p } });
      }
      for (const T of changedHours) this.emit({ type: 'city:hour', city, time: T });
    }
  }

  private isStale(st: StationState, now: number): boolean {
    return st.lastSeen === null || now - st.lastSeen > this.config.staleMinutes * 60_000;
  }

  /** Freshness of every registered station; emitted when a station turns stale or fresh, and at
   *  least once a minute. */
  emitFreshness(now: number, force: boolean): FreshnessEvt {
    let changed = false;
    for (const st of this.stations.values()) {
      const s = this.isStale(st, now);
      if (s !== st.stale) {
        st.stale = s;
        changed = true;
      }
    }
    const e = this.freshness(now);
    if (force || changed || now - this.lastFreshnessEmit >= 60_000) {
      this.lastFreshnessEmit = now;
      this.emit({ type: 'freshness', e });
    }
    return e;
  }

  freshness(now: number): FreshnessEvt {
    const stations = [...this.stations.values()].map((st) => ({
      station: st.code, city: st.info?.city ?? null, lastSeen: st.lastSeen, stale: this.isStale(st, now),
    }));
    return { now, staleMinutes: this.config.staleMinutes, stations, cities: this.cityFreshness(now) };
  }

  private cityFreshness(now: number): { city: string; stations: number; fresh: number }[] {
    return this.cityNames().map((city) => {
      const codes = [...(this.members.get(city) ?? [])];
      const fresh = codes.filter((c) => !this.isStale(this.stations.get(c)!, now)).length;
      return { city, stations: codes.length, fresh };
    });
  }

  private prune(): void {
    const before = this.maxHour - this.config.retentionHours * HOUR_MS;
    if (before <= 0) return;
    for (const st of this.stations.values()) {
      for (const t of st.cells.keys()) if (t < before) st.cells.delete(t);
      for (const t of st.completed) if (t < before) st.completed.delete(t);
      for (const t of st.resolved.keys()) if (t < before) st.resolved.delete(t);
      st.entity.prune(before);
    }
    for (const c of this.cities.values()) c.prune(before);
  }

  // -------------------------------------------------------------------------------------------
  // Views for REST and state:sync

  stationEntity(code: string): Entity | null {
    return this.stations.get(code)?.entity ?? null;
  }

  cityEntity(city: string): Entity | null {
    return this.cities.get(city) ?? null;
  }

  stationStatus(code: string, now: number): { lastSeen: number | null; lastTime: number | null; stale: boolean } {
    const st = this.stations.get(code);
    if (!st) return { lastSeen: null, lastTime: null, stale: true };
    return { lastSeen: st.lastSeen, lastTime: st.lastTime, stale: this.isStale(st, now) };
  }

  latestStations(now: number, filter: { city?: string; station?: string } = {}): LatestStation[] {
    const out: LatestStation[] = [];
    for (const st of this.stations.values()) {
      const city = st.info?.city ?? null;
      if (filter.city && city !== filter.city) continue;
      if (filter.station && st.code !== filter.station) continue;
      out.push({
        station: st.code, city, stale: this.isStale(st, now), lastSeen: st.lastSeen, reading: st.lastReading,
        hour: st.entity.latestPoint(),
      });
    }
    return out.sort((a, b) => a.station.localeCompare(b.station));
  }

  latestCities(now: number, filter: { city?: string } = {}): LatestCity[] {
    return this.cityFreshness(now)
      .filter((c) => !filter.city || c.city === filter.city)
      .map((c) => ({ ...c, hour: this.cities.get(c.city)?.latestPoint() ?? null }));
  }

  /** Latest day point of every city (for state:sync). */
  cityDays(): { city: string; point: DayPoint }[] {
    const out: { city: string; point: DayPoint }[] = [];
    for (const [city, e] of this.cities) {
      const days = [...e.days.keys()].sort();
      if (days.length) out.push({ city, point: e.days.get(days[days.length - 1])! });
    }
    return out;
  }

  /** In-memory hour points of an entity in [from, to] (inclusive hour ends). */
  hourPoints(e: Entity, from: number, to: number): HourPoint[] {
    return [...e.points.values()].filter((p) => p.time >= from && p.time <= to).sort((a, b) => a.time - b.time);
  }

  /** Earliest hour still held in memory (REST answers older ranges from the store). */
  memoryFrom(): number {
    return Math.max(0, this.maxHour - this.config.retentionHours * HOUR_MS);
  }

  stationHours(code: string): Map<number, HourValues> {
    return this.stations.get(code)?.resolved ?? new Map();
  }
}

function add(m: Map<string, Set<number>>, k: string, t: number): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(t);
}
