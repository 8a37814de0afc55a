/**
 * Measures around the system of record (records/measures.ts): changes made through the API, the
 * measures the warning lifecycle implies (a warning issued -> a warning response at its level;
 * its level changed -> that response ends and one at the new level starts; lifted -> it ends),
 * and the live evaluation of every measure in force (common/measures/live.ts), recomputed every
 * `measureEval.everyMinutes` in a worker thread (a fit takes seconds, the event loop must not
 * wait) and pushed as `measure:evaluated`.
 *
 * Warning-driven changes are recorded as done by the system on behalf of the person who issued
 * (or changed, or lifted) the warning: actor 'system', origin naming the warning and that person.
 * They run one at a time in arrival order (`settled()` waits for them), and they reconcile state
 * rather than replay steps, so a restart or a repeated event creates nothing twice.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Station } from '#common/schemas/station.ts';
import type { WarningState } from '#common/schemas/api.ts';
import type { MeasureChangedEvt, MeasureEvaluation } from '#common/schemas/measures.ts';
import type { HourlyPoint } from '#common/episodes/types.ts';
import type { LiveInput, LiveOptions } from '#common/measures/live.ts';
import { DAY_MS, HOUR_MS } from '#common/time.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import type { Records } from '../../records/open.ts';
import type { Actor } from '../../records/check.ts';
import type { MeasureDraft, MeasurePatch, MeasureRecord } from '../../records/measures.ts';
import type { MeasureEvalConfig } from '../config.ts';

const LEVEL_ZH: Record<string, string> = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' };
/** Longest an evaluation may run in its worker before it is stopped and reported as failed. */
const EVAL_TIMEOUT_MS = 5 * 60_000;

export interface MeasureServiceDeps {
  records: Records;
  store: TimeSeriesStore;
  stations: () => Station[];
  logger: Logger;
  clock: () => number;
  config: Readonly<MeasureEvalConfig>;
  changed: (e: MeasureChangedEvt) => void;
  evaluated: (e: MeasureEvaluation) => void;
}

/** Run one live evaluation in a worker thread (server/services/measure-worker.ts). */
function inWorker(input: LiveInput, opts: Partial<LiveOptions>, live: Set<Worker>): Promise<Omit<MeasureEvaluation, 'ms' | 'at'>> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./measure-worker.mjs', import.meta.url), { workerData: { input, opts } });
    live.add(w);
    w.once('exit', () => live.delete(w));
    const timer = setTimeout(() => { void w.terminate(); reject(new Error(`evaluation took longer than ${EVAL_TIMEOUT_MS / 60_000} min`)); }, EVAL_TIMEOUT_MS);
    w.once('message', (m: { ok: true; result: Omit<MeasureEvaluation, 'ms' | 'at'> } | { ok: false; error: string }) => {
      clearTimeout(timer);
      void w.terminate();
      if (m.ok) resolve(m.result);
      else reject(new Error(m.error));
    });
    w.once('error', (err) => { clearTimeout(timer); reject(err); });
    w.once('exit', (code) => { clearTimeout(timer); if (code !== 0) reject(new Error(`evaluation worker exited with code ${code}`)); });
  });
}

export class MeasureService {
  private queue: Promise<unknown> = Promise.resolve();
  private latest = new Map<number, MeasureEvaluation>();
  private running = new Map<number, Promise<MeasureEvaluation>>();
  private lane: Promise<unknown> = Promise.resolve();
  private workers = new Set<Worker>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly d: MeasureServiceDeps) {}

  // --- changes through the API

  async create(m: MeasureDraft, by: Actor): Promise<MeasureRecord> {
    const r = await this.d.records.measures.create(m, by);
    this.d.changed({ change: 'created', measure: r });
    if (r.measure.end === null) this.evaluateSoon(r.id);
    return r;
  }

  async update(id: number, patch: MeasurePatch, by: Actor, version?: number): Promise<MeasureRecord> {
    const before = await this.d.records.measures.get(id);
    const r = await this.d.records.measures.update(id, patch, by, version === undefined ? {} : { version });
    this.d.changed({ change: before?.measure.end === null && r.measure.end !== null ? 'ended' : 'updated', measure: r });
    this.evaluateSoon(r.id);
    return r;
  }

  // --- the warning lifecycle

  /** A warning changed (POST /api/warnings/actions, or the system's lift rule): queue the
   *  reconciliation of its measures. */
  warningChanged(w: WarningState): void {
    this.queue = this.queue.then(() => this.reconcile(w)).catch((err) => {
      this.d.logger.error({ err: (err as Error).message, city: w.city, scheme: w.scheme }, 'measures: warning-driven change failed');
    });
  }

  /** Resolves when every queued warning-driven change has been made. */
  settled(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  private async reconcile(w: WarningState): Promise<void> {
    const inForce = w.inForce ?? null;
    const steps = w.history ?? [];
    // The open measures this city and scheme's warnings created.
    const open = (await this.d.records.measures.list({ city: w.city, kind: 'warning-response', limit: 1000 }))
      .filter((m) => m.measure.declaredBy.via === 'warning' && m.measure.end === null && (m.measure.warnings ?? []).some((x) => x.scheme === w.scheme));
    // The last person's (or the lift rule's) step on the warning itself, not a recommendation.
    const lastStep = [...steps].reverse().find((s) => s.step === 'issued' || s.step === 'changed' || s.step === 'lifted');
    for (const m of open) {
      const ref = m.measure.warnings!.find((x) => x.scheme === w.scheme)!;
      const same = inForce && inForce.issuedAt === ref.issuedAt && inForce.level === m.measure.level;
      if (same) continue;
      // Lifted, or changed to another level, or another warning now stands: this response ends.
      const at = Math.max(m.measure.start + 1, lastStep?.at ?? this.d.clock());
      const by = lastStep?.by ?? 'system';
      const r = await this.d.records.measures.end(m.id, at, this.system(w, lastStep?.step ?? 'changed', by));
      this.d.changed({ change: 'ended', measure: r });
      this.evaluateSoon(r.id);
    }
    if (!inForce) return;
    const ref = { city: w.city, scheme: w.scheme, issuedAt: inForce.issuedAt };
    const mine = await this.d.records.measures.list({ warning: ref, limit: 100 });
    if (mine.some((m) => m.measure.level === inForce.level && m.measure.end === null)) return;
    // Who acted and when: the step that set the standing level (issued, or the last change).
    const step = [...steps].reverse().find((s) => (s.step === 'issued' || s.step === 'changed') && s.level === inForce.level) ?? null;
    const who = step?.by ?? inForce.issuedBy;
    const start = inForce.changedAt ?? inForce.issuedAt;
    const level = inForce.level as 'blue' | 'yellow' | 'orange' | 'red';
    const draft: MeasureDraft = {
      kind: 'warning-response', level, title: `${LEVEL_ZH[level] ?? level}预警应急响应 · ${level} warning response (${w.scheme})`,
      area: { city: w.city, districts: [] }, start, end: null, sectors: [], actions: [],
      declaredBy: { who, body: null, document: null, via: 'warning' },
      episodeIds: [], warningIds: [], warnings: [ref],
      note: `Created when the ${level} warning (${w.scheme} scheme) was ${step?.step ?? 'issued'}; the plan's actions at this level can be listed by editing the measure.`,
    };
    const r = await this.d.records.measures.create(draft, this.system(w, step?.step ?? 'issued', who));
    this.d.changed({ change: 'created', measure: r });
    this.evaluateSoon(r.id);
  }

  private system(w: WarningState, step: string, who: string): Actor {
    return { who: 'system', from: `warning ${w.city}/${w.scheme} ${step} by ${who}`.slice(0, 256) };
  }

  // --- live evaluation

  /** The last evaluation of a measure, or a fresh one when there is none. */
  async evaluation(id: number): Promise<MeasureEvaluation | null> {
    const have = this.latest.get(id);
    if (have) return have;
    return this.evaluate(id);
  }

  private evaluateSoon(id: number): void {
    void this.evaluate(id).catch(() => {});
  }

  /** Evaluate one measure now (one evaluation per measure at a time) and push the result. */
  evaluate(id: number): Promise<MeasureEvaluation | null> {
    const running = this.running.get(id);
    if (running) return running;
    // One worker at a time: evaluations queue rather than compete for the cores the live engine needs.
    const p = this.lane.then(() => this.run(id)).finally(() => this.running.delete(id));
    this.lane = p.catch(() => null);
    this.running.set(id, p as Promise<MeasureEvaluation>);
    return p;
  }

  private async run(id: number): Promise<MeasureEvaluation | null> {
    if (this.closed) return null;
    const rec = await this.d.records.measures.get(id);
    if (!rec) return null;
    const t0 = Date.now();
    const now = this.d.clock();
    const m = rec.measure;
    const city = m.area.city;
    const c = this.d.config;
    const others = (await this.d.records.measures.list({ city, from: now - c.historyDays * DAY_MS, limit: 10_000 }))
      .filter((x) => x.id !== id).map((x) => ({ start: x.measure.start, end: x.measure.end }));
    const points = await this.points(city, now - c.historyDays * DAY_MS, now);
    const input: LiveInput = { measureId: id, city, start: m.start, end: m.end, points, others, now };
    const opts: Partial<LiveOptions> = { minHistoryDays: c.minHistoryDays, rounds: c.rounds, placebos: c.placebos, reps: c.reps };
    let out: MeasureEvaluation;
    try {
      const r = await inWorker(input, opts, this.workers);
      out = { ...r, at: now, ms: Date.now() - t0 };
    } catch (err) {
      const why = (err as Error).message;
      this.d.logger.error({ measure: id, err: why }, 'measures: evaluation failed');
      out = {
        v: 1, measureId: id, city, pollutant: 'pm25', status: 'failed', code: 'MEASURE_EVALUATION_FAILED',
        zh: `评估失败：${why}`, en: `Evaluation failed: ${why}`, at: now, dataUntil: null, window: { from: '', to: '' },
        history: { days: 0, need: c.minHistoryDays }, effect: null, verdict: null, distinguishable: false, hours: [], placebo: null, model: null,
        ms: Date.now() - t0,
      };
    }
    if (this.closed) return out;
    this.latest.set(id, out);
    this.d.logger.info({ measure: id, status: out.status, ms: out.ms, pct: out.effect?.pct ?? null }, 'measure evaluated');
    this.d.evaluated(out);
    return out;
  }

  /** The city's hourly station points (pollutants and meteorology) from the store, a month at a time. */
  private async points(city: string, from: number, to: number): Promise<HourlyPoint[]> {
    const codes = this.d.stations().filter((s) => s.city === city).map((s) => s.code);
    if (codes.length === 0) return [];
    const out: HourlyPoint[] = [];
    const start = Math.floor(from / HOUR_MS) * HOUR_MS;
    for (let t = start; t <= to; t += 30 * DAY_MS) {
      const rs = await this.d.store.queryReadings({ stations: codes, interval: 'hour', from: t, to: Math.min(t + 30 * DAY_MS, to + 1) });
      for (const r of rs) out.push({ city, station: r.station, time: r.time, values: r.values as HourlyPoint['values'] });
    }
    return out;
  }

  /** A city's hour ending at `time` is complete: evaluate its measures in force whose last
   *  evaluation saw older data (one run per measure at a time; repeats while one runs are dropped). */
  dataHour(city: string, time: number): void {
    if (this.closed) return;
    void this.d.records.measures.list({ city, activeAt: this.d.clock(), limit: 100 }).then((ms) => {
      for (const m of ms) {
        const last = this.latest.get(m.id);
        if (this.running.has(m.id) || (last && last.dataUntil !== null && last.dataUntil >= time)) continue;
        this.evaluateSoon(m.id);
      }
    }).catch((err) => this.d.logger.warn({ err: (err as Error).message }, 'measures: could not list measures for a new hour'));
  }

  /** Every measure in force now, evaluated in turn. */
  async evaluateActive(): Promise<void> {
    const active = await this.d.records.measures.list({ activeAt: this.d.clock(), limit: 1000 });
    for (const m of active) {
      if (this.closed) return;
      await this.evaluate(m.id);
    }
  }

  /** Start the periodic re-evaluation (none when everyMinutes is 0). */
  start(): void {
    const every = this.d.config.everyMinutes;
    if (every <= 0 || this.timer) return;
    this.timer = setInterval(() => { void this.evaluateActive().catch((err) => this.d.logger.error({ err: (err as Error).message }, 'measures: periodic evaluation failed')); }, every * 60_000);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.settled();
    // An evaluation under way is stopped, not waited for (a year of data takes tens of seconds).
    await Promise.allSettled([...this.workers].map((w) => w.terminate()));
    // Bounded: a read stuck on a database that is going away must not hold the shutdown.
    await Promise.race([Promise.allSettled([...this.running.values()]), new Promise((r) => setTimeout(r, 5000).unref())]);
  }
}
