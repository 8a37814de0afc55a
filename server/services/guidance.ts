/**
 * The live guidance forecast (issue 16) around the pure core (common/forecast runIssue,
 * common/verification): every `guidanceCheckSeconds` it
 *  1. issues the D+1..D+3 guidance of each city once the issue hour has passed (and at start when
 *     the latest due issue is missing), trained on the store's history up to the issue time, in a
 *     worker thread (training takes tens of seconds); persistence and climatology beside it. Every
 *     document is a version in the system of record (records.forecasts), never edited;
 *  2. verifies every source's forecasts of each ended, complete day (records.verifications), and
 *     again when late data changes that day's observation.
 * Emits `guidance:issued` and `verification:completed` through the callbacks it is given.
 *
 * City values: the mean of the city's national stations (as the live engine), pollutant hours
 * needing min(6, members) stations (HJ 663 city value, common/forecast cityHistory); hourly
 * readings only. Without a meteorological forecast the guidance says so on the product.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Reading } from '#common/schemas/reading.ts';
import type { HourlyPoint } from '#common/episodes/types.ts';
import { cityHistory, dailyTable, addDays, type CityHistory, type DayValues } from '#common/forecast/history.ts';
import { issueTimeOf } from '#common/forecast/features.ts';
import { noDataAtIssue, runIssue, type IssueJob, type IssueResult } from '#common/forecast/issue.ts';
import { GUIDANCE_SOURCES } from '#common/schemas/forecast.ts';
import type { GuidanceDoc, GuidanceIssuedEvt, GuidanceRecord, GuidanceStatus, VerificationCompletedEvt, VerifiedPair } from '#common/schemas/forecast.ts';
import { levelOf } from '#common/standards/index.ts';
import { DAY_MS, HOUR_MS, endOfBeijingDay } from '#common/time.ts';
import type { Records } from '../../records/open.ts';
import type { ForecastRecord } from '../../records/forecasts.ts';
import type { VerificationRecord } from '../../records/verifications.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';

/** Lead days issued (HJ 633-2026 requires at least D+1..D+3). */
export const LEADS = [1, 2, 3] as const;
/** Ended days looked at for verification on every check (late data within this window re-verifies). */
export const VERIFY_DAYS = 10;
/** The actor of everything the service writes (records audit). */
export const GUIDANCE_ACTOR = { who: 'system:guidance', from: 'system' } as const;
/** A failed issue is tried again after this many checks. */
export const RETRY_CHECKS = 5;

export interface GuidanceConfig {
  issueHour: number;
  trainDays: number;
  rounds: number;
  checkSeconds: number;
  /** minutes after a day ends before it is verified (late hours; the engine's hour grace) */
  graceMinutes: number;
}

export type RunIssue = (job: IssueJob) => Promise<IssueResult>;

/** Run an issue in a worker thread (the default). */
export const runInWorker: RunIssue = (job) => new Promise((resolve, reject) => {
  const w = new Worker(new URL('./guidance-worker.mjs', import.meta.url), { workerData: job });
  let done = false;
  w.once('message', (m: { ok: true; result: IssueResult } | { ok: false; error: string }) => {
    done = true;
    if (m.ok) resolve(m.result);
    else reject(new Error(m.error));
  });
  w.once('error', (err) => { done = true; reject(err); });
  w.once('exit', (code) => { if (!done) reject(new Error(`guidance worker exited with ${code}`)); });
});

/** The same, on the calling thread (tests with tiny models). */
export const runInline: RunIssue = async (job) => runIssue(job, Date.now);

export interface GuidanceDeps {
  store: TimeSeriesStore;
  records: Records;
  logger: Logger;
  clock: () => number;
  /** cities with the stations their values rest on */
  cities: () => { city: string; members: string[] }[];
  config: GuidanceConfig;
  run?: RunIssue;
  onIssued?: (e: GuidanceIssuedEvt) => void;
  onVerified?: (e: VerificationCompletedEvt) => void;
}

/** Beijing calendar day and hour of a clock instant. */
function beijingNow(now: number): { day: string; hour: number } {
  const d = new Date(now + 8 * HOUR_MS);
  return { day: d.toISOString().slice(0, 10), hour: d.getUTCHours() };
}

/** Readings -> station points for cityHistory. */
function toPoints(readings: readonly Reading[], city: string, members: ReadonlySet<string>): HourlyPoint[] {
  const out: HourlyPoint[] = [];
  for (const r of readings) if (r.interval === 'hour' && members.has(r.station)) out.push({ city, station: r.station, time: r.time, values: r.values as HourlyPoint['values'] });
  return out;
}

/** City history from the store over (from, to]: hourly readings of the member stations, HJ 663
 *  city values needing min(6, members) stations (see the header). */
export async function storeHistory(store: TimeSeriesStore, city: string, members: string[], from: number, to: number): Promise<CityHistory> {
  const set = new Set(members);
  const points: HourlyPoint[] = [];
  // 30 days per query keeps one answer small on a big network.
  for (let t = from; t < to; t += 30 * DAY_MS) {
    const rs = await store.queryReadings({ stations: members, interval: 'hour', from: t + 1, to: Math.min(t + 30 * DAY_MS, to) + 1 });
    for (const p of toPoints(rs, city, set)) points.push(p);
  }
  return cityHistory(points, city, { minStations: Math.max(1, Math.min(6, members.length)) });
}

type Observed = { aqi: number | null; primary: string[]; conc: Record<string, number | null> };
/** The forecast documents verified: every guidance source, and a consultation's official forecast
 *  and each participant's proposal (server/services/consult.ts forecastPayload, same day shape). */
const VERIFIED_KINDS = new Set<unknown>(['guidance', 'official', 'proposal']);
const VERIFIED_CONC = { pm25_24h: 'pm25', pm10_24h: 'pm10', o3_mda8: 'o3_8h', no2_24h: 'no2' } as const;
function observedOf(v: DayValues): Observed {
  const conc: Record<string, number | null> = {};
  for (const [k, o] of Object.entries(VERIFIED_CONC)) conc[o] = v.input[k as keyof typeof VERIFIED_CONC] ?? null;
  return { aqi: v.aqi, primary: [...v.primary], conc };
}

export class GuidanceService {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private closed = false;
  private readonly state = new Map<string, GuidanceStatus & { lastAttempt: number; failedDay: string | null }>();

  constructor(private readonly d: GuidanceDeps) {}

  /** Check at once, then every checkSeconds. */
  start(): void {
    if (this.timer || this.closed) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.d.config.checkSeconds * 1000);
    this.timer.unref();
  }

  /** One pass over every city (issue if due, verify ended days); passes never overlap. */
  check(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      for (const c of this.d.cities()) {
        if (this.closed) break;
        try {
          await this.issueIfDue(c.city, c.members);
          await this.verifyRecent(c.city, c.members);
        } catch (err) {
          if (this.closed) break;
          this.d.logger.error({ city: c.city, err: (err as Error).message }, 'guidance check failed');
        }
      }
    })().finally(() => { this.running = null; });
    return this.running;
  }

  status(): GuidanceStatus[] {
    return [...this.state.values()].map(({ lastAttempt: _a, failedDay: _f, ...s }) => s);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }

  private stateOf(city: string) {
    let s = this.state.get(city);
    if (!s) this.state.set(city, (s = { city, state: 'idle', message: null, lastIssueDay: null, lastAttempt: 0, failedDay: null }));
    return s;
  }

  /** The issue day due at `now`: today once its issue hour has passed, else yesterday. */
  dueIssueDay(now: number): string {
    const { day, hour } = beijingNow(now);
    return hour >= this.d.config.issueHour ? day : addDays(day, -1);
  }

  private history(city: string, members: string[], from: number, to: number): Promise<CityHistory> {
    return storeHistory(this.d.store, city, members, from, to);
  }

  /** Issue the due day's guidance and references that are not in the records yet. */
  async issueIfDue(city: string, members: string[]): Promise<GuidanceRecord[]> {
    const now = this.d.clock();
    const issueDay = this.dueIssueDay(now);
    const have = new Set((await this.d.records.forecasts.latest({ city, fromDay: issueDay, toDay: issueDay })).map((r) => r.source));
    const st = this.stateOf(city);
    if (have.has('airdesk')) st.lastIssueDay = issueDay;
    if (GUIDANCE_SOURCES.every((s) => have.has(s))) return [];
    // A failed run (too little history, no data at the issue time yet) is retried every
    // RETRY_CHECKS checks, not on every one: each run reads the whole training period.
    if (st.state === 'failed' && st.failedDay === issueDay && now - st.lastAttempt < RETRY_CHECKS * this.d.config.checkSeconds * 1000) return [];
    return this.issue(city, members, issueDay, have);
  }

  /** Issue `issueDay` now (sources in `skip` are left alone). */
  async issue(city: string, members: string[], issueDay: string, skip: ReadonlySet<string> = new Set(), reason?: string): Promise<GuidanceRecord[]> {
    const { config } = this.d;
    const st = this.stateOf(city);
    st.state = 'training';
    st.lastAttempt = this.d.clock();
    const t = issueTimeOf(issueDay, config.issueHour);
    let result: IssueResult;
    try {
      // A cheap look first: without the data up to the issue time (it arrives late, or a backfill
      // is still running) there is nothing to train for; asked again at the next check.
      const none = noDataAtIssue(await this.history(city, members, t - DAY_MS, t), issueDay, config.issueHour);
      if (none) {
        st.state = 'failed';
        st.message = none;
        st.failedDay = null;
        this.d.logger.info({ city, issueDay, failure: none }, 'guidance not issued yet');
        return [];
      }
      const hist = await this.history(city, members, t - config.trainDays * DAY_MS, t);
      result = await (this.d.run ?? runInWorker)({
        hist, issueDay, issueHour: config.issueHour, leads: LEADS,
        gbm: { rounds: config.rounds },
      });
    } catch (err) {
      st.state = 'failed';
      st.message = (err as Error).message;
      st.failedDay = issueDay;
      throw err;
    }
    if (this.closed) return [];
    // The references alone are not the issue: a missing guidance (or reference) is tried again.
    const complete = GUIDANCE_SOURCES.every((s) => skip.has(s) || result.docs.some((d) => d.source === s));
    st.state = result.failure ? 'failed' : 'idle';
    st.message = result.failure ?? (complete ? null : 'no data at the issue time for every reference');
    st.failedDay = complete ? null : issueDay;
    if (!complete && !result.failure) st.state = 'failed';
    const added: GuidanceRecord[] = [];
    const issuedAt = this.d.clock();
    for (const doc of result.docs) {
      if (skip.has(doc.source)) continue;
      const prev = (await this.d.records.forecasts.versions({ city, issueDay, source: doc.source })).length;
      const rec = await this.d.records.forecasts.add<GuidanceDoc>({
        city, issueDay, source: doc.source, issuedAt, author: 'airdesk-guidance', payload: doc,
        reason: prev ? reason ?? 'issued again' : null,
      }, GUIDANCE_ACTOR);
      added.push(rec as GuidanceRecord);
    }
    if (added.some((r) => r.source === 'airdesk')) st.lastIssueDay = issueDay;
    if (added.length) this.d.logger.info({ city, issueDay, sources: added.map((r) => r.source), trainMs: result.trainMs, failure: result.failure }, 'guidance issued');
    else this.d.logger.info({ city, issueDay, failure: st.message }, 'guidance not issued yet');
    if (added.length) this.d.onIssued?.({ v: 1, city, issueDay, forecasts: added });
    return added;
  }

  /** Verify every source's forecasts of the ended, complete days of the last VERIFY_DAYS days. */
  async verifyRecent(city: string, members: string[]): Promise<VerificationCompletedEvt[]> {
    const now = this.d.clock();
    const { day: today } = beijingNow(now);
    const days: string[] = [];
    for (let k = VERIFY_DAYS; k >= 1; k--) {
      const d = addDays(today, -k);
      if (endOfBeijingDay(d) + this.d.config.graceMinutes * 60_000 <= now) days.push(d);
    }
    if (!days.length) return [];
    const maxLead = Math.max(...LEADS);
    const forecasts = await this.d.records.forecasts.list<GuidanceDoc>({ city, fromDay: addDays(days[0], -maxLead), toDay: days[days.length - 1], limit: 10_000 });
    if (!forecasts.length) return [];
    // One day before the first (MDA8 windows start the evening before).
    const hist = await this.history(city, members, endOfBeijingDay(addDays(days[0], -1)) - DAY_MS, endOfBeijingDay(days[days.length - 1]));
    const table = dailyTable(hist);
    const out: VerificationCompletedEvt[] = [];
    for (const target of days) {
      const v = table.get(target);
      if (!v || !v.complete || v.aqi === null) continue;
      const observed = observedOf(v);
      const obsKey = JSON.stringify([observed.aqi, ...Object.values(observed.conc).map((x) => (x === null ? null : Math.round(x * 10) / 10))]);
      // What each source had published before the target day began: its latest such version.
      const start = endOfBeijingDay(target) - DAY_MS;
      const best = new Map<string, ForecastRecord<GuidanceDoc>>();
      for (const f of forecasts) {
        const lead = Math.round((Date.parse(`${target}T00:00:00Z`) - Date.parse(`${f.issueDay}T00:00:00Z`)) / DAY_MS);
        if (!VERIFIED_KINDS.has(f.payload?.kind) || lead < 1 || f.issuedAt >= start || !f.payload.days?.some((x) => x.target === target)) continue;
        const k = `${f.source}/${lead}`;
        const b = best.get(k);
        if (!b || f.version > b.version) best.set(k, f);
      }
      if (!best.size) continue;
      const pairs = [...best.values()].map((f) => {
        const fd = f.payload.days.find((x) => x.target === target)!;
        const conc: Record<string, number | null> = {};
        for (const [k, o] of Object.entries(VERIFIED_CONC)) conc[o] = fd.conc[k]?.[1] ?? null;
        return {
          source: f.source, lead: fd.lead, issueDay: f.issueDay, forecastId: f.id,
          forecast: { aqi: fd.aqi, central: fd.central, levels: fd.levels, primary: fd.primary, conc }, observed, obsKey,
        };
      });
      const { added, revision } = await this.d.records.verifications.record(city, target, pairs, GUIDANCE_ACTOR);
      if (!added.length) continue;
      const e: VerificationCompletedEvt = {
        v: 1, city, target, revision,
        observed: { aqi: observed.aqi, level: observed.aqi === null ? null : levelOf(observed.aqi), primary: observed.primary },
        pairs: added.map(verifiedPair),
      };
      out.push(e);
      this.d.logger.info({ city, target, pairs: added.length, revision }, 'verification completed');
      this.d.onVerified?.(e);
    }
    return out;
  }
}

type StoredForecast = { aqi: [number, number]; central: number; levels: number[]; primary: string[] };

/** A stored verification as the API and events show it. */
export function verifiedPair(r: VerificationRecord): VerifiedPair {
  const f = r.forecast as StoredForecast;
  const o = r.observed as Observed;
  return {
    source: r.source, lead: r.lead, target: r.targetDay, issueDay: r.issueDay, forecastId: r.forecastId,
    aqi: f.aqi, central: f.central, levels: f.levels, primary: f.primary,
    observed: { aqi: o.aqi, level: o.aqi === null ? null : levelOf(o.aqi), primary: o.primary },
    version: r.version,
  };
}
