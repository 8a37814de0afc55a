/**
 * The box-model service: runs the OBM (common/obm) for one station-day from the store, off the
 * event loop in worker threads, one run per station-day at a time, behind a bounded queue.
 *
 *   POST  -> check station, day, grid -> read the day's VOC cycles and readings -> build the input
 *            (a day with nothing to model is refused here, saying why) -> same inputs done before?
 *            answer with that run -> record the request (audited) -> queue
 *   queue -> workers: the day analysis (base run, RIR by group and key species) and every EKMA
 *            cell are tasks dealt to whichever worker is free; progress after each task
 *   done  -> EKMA analysis (ridge, regime, co-reduction ratio) -> result in the system of record
 *
 * Flood control: the request takes its queue slot synchronously, before any await, so a burst of
 * requests cannot all pass the check; past maxActive + maxQueued the answer is 503 AIRDESK_OBM_BUSY.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { analyseEkma, type DayAnalysis } from '#common/obm/analysis.ts';
import { scalings } from '#common/obm/ekma.ts';
import type { ObmInput } from '#common/obm/input.ts';
import { compileKinetics } from '#common/obm/kinetics.ts';
import { formatKppIssues, parseKpp } from '#common/obm/kpp.ts';
import { obmResult } from '#common/obm/report.ts';
import { RIR_GROUPS } from '#common/obm/rir.ts';
import { dayEndRange, stationDayInput, type StationDayCoverage } from '#common/obm/station-day.ts';
import type { ObmCompletedEvt, ObmProgress, ObmProgressEvt, ObmResult, ObmRun, ObmRunBody } from '#common/schemas/obm.ts';
import type { Station } from '#common/schemas/station.ts';
import type { Actor } from '../../records/check.ts';
import type { ObmRunRecord, ObmRuns } from '../../records/obm-runs.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { AppError, appError } from '../errors.ts';
import { gridCells, type ObmConfig } from './config.ts';
import type { ToMain, ToWorker } from './messages.ts';

export const CB05_FILE = fileURLToPath(new URL('../../common/obm/mechanisms/cb05.kpp', import.meta.url));
const WORKER = new URL('./worker.mjs', import.meta.url);
const DAY_MS = 86_400_000;
/** Progress events of one run at most this often (the last one always goes). */
const PROGRESS_EVERY_MS = 250;

export interface ObmServiceDeps {
  store: TimeSeriesStore;
  stations: () => readonly Station[];
  runs: ObmRuns;
  config: Readonly<ObmConfig>;
  logger: Logger;
  clock: () => number;
  emitProgress: (e: ObmProgressEvt) => void;
  emitCompleted: (e: ObmCompletedEvt) => void;
}

export interface ObmService {
  /** Start (or join, or answer from cache) a run; `created` says whether new work was queued. */
  start(body: ObmRunBody, by: Actor): Promise<{ run: ObmRun; created: boolean }>;
  get(id: number): Promise<ObmRun | null>;
  /** Resolves when every queued and running run has finished (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface Options { readonly spinupDays: number; readonly grid: { readonly max: number; readonly step: number }; readonly cut: number; readonly keySpecies: number }

interface Job {
  id: number;
  station: string;
  day: string;
  input: ObmInput;
  coverage: StationDayCoverage;
  options: Options;
  progress: ObmProgress;
  state: 'queued' | 'running';
  requestedAt: number;
  requestedBy: string;
  workers: Worker[];
  lastEmit: number;
}

const keyOf = (station: string, day: string) => `${station}/${day}`;

/** Runs the model of the day analysis counts (base + one per RIR group + one per key species). */
const dayRuns = (o: Options) => 1 + RIR_GROUPS.length + o.keySpecies;

export function createObmService(d: ObmServiceDeps): ObmService {
  const log = d.logger.child({ module: 'obm' });
  const mechanismPath = d.config.mechanismPath ?? CB05_FILE;
  const mechanismText = readFileSync(mechanismPath, 'utf8');
  const mechanismName = mechanismPath === CB05_FILE ? 'CB05 (Yarwood et al. 2005)' : mechanismPath;
  // Parsed here once too, so a broken mechanism file stops the server at start, not every run.
  const parsed = parseKpp(mechanismText);
  if (!parsed.ok) throw new Error(`OBM mechanism ${mechanismPath}:\n${formatKppIssues(parsed.errors)}`);
  const kin = compileKinetics(parsed.mechanism);
  const mechanism = { name: mechanismName, species: kin.species.length, reactions: kin.nReactions };
  /** Station-days being prepared (store read) or queued or running: the one-at-a-time rule. */
  const active = new Map<string, Promise<ObmRun>>();
  const jobs = new Map<number, Job>();
  const queue: Job[] = [];
  let running = 0;
  let slots = 0; // requests holding a place: preparing, queued or running
  let closed = false;
  const idleWaiters: (() => void)[] = [];

  const toRun = (j: Job): ObmRun => ({
    v: 1, id: j.id, station: j.station, day: j.day, state: j.state, progress: { ...j.progress },
    requestedAt: j.requestedAt, requestedBy: j.requestedBy, finishedAt: null, error: null, result: null,
  });
  const fromRecord = (r: ObmRunRecord<ObmResult>): ObmRun => {
    const o = r.options as Partial<Options> | null;
    const total = o?.grid && o.keySpecies != null ? dayRuns(o as Options) + gridCells(o.grid.max, o.grid.step) : 1;
    return {
      v: 1, id: r.id, station: r.station, day: r.day, state: r.state,
      progress: { done: r.state === 'done' ? total : 0, total, stage: r.state === 'done' || r.state === 'failed' ? 'done' : 'queued' },
      requestedAt: r.requestedAt, requestedBy: r.requestedBy, finishedAt: r.finishedAt, error: r.error, result: r.result,
    };
  };

  function checkIdle() {
    if (slots === 0) for (const w of idleWaiters.splice(0)) w();
  }

  function options(body: ObmRunBody): Options {
    const grid = body.grid ?? { max: d.config.gridMax, step: d.config.gridStep };
    const cells = gridCells(grid.max, grid.step);
    if (cells > d.config.maxCells) throw appError('AIRDESK_OBM_GRID_TOO_LARGE', `${grid.max} in steps of ${grid.step} is ${cells} cells; at most ${d.config.maxCells}`);
    return { spinupDays: body.spinupDays ?? d.config.spinupDays, grid, cut: d.config.cut, keySpecies: d.config.keySpecies };
  }

  async function prepare(body: ObmRunBody, o: Options, st: Station, by: Actor): Promise<{ run: ObmRun; created: boolean }> {
    const { from, to } = dayEndRange(body.day);
    let cycles, readings;
    try {
      [cycles, readings] = await Promise.all([
        d.store.queryVocCycles({ station: st.code, from, to }),
        d.store.queryReadings({ stations: [st.code], interval: 'hour', from, to }),
      ]);
    } catch (err) {
      throw Object.assign(appError('AIRDESK_STORE_UNAVAILABLE'), { cause: err });
    }
    if (st.lat == null || st.lon == null) throw appError('AIRDESK_OBM_NO_INPUT', `no-coordinates: station ${st.code} has no latitude/longitude, which the photolysis (solar zenith angle) needs`);
    const built = stationDayInput({ station: { code: st.code, lat: st.lat, lon: st.lon }, day: body.day, cycles, readings, settings: { spinupDays: o.spinupDays, mixingHeightM: d.config.mixingHeightM } });
    if (!built.ok) throw appError('AIRDESK_OBM_NO_INPUT', `${built.problem}: ${built.message}`);
    const hash = createHash('sha256').update(JSON.stringify({ input: built.input, options: o, mechanism: mechanismText })).digest('hex');
    const cached = await d.runs.latestDone<ObmResult>(st.code, body.day, hash);
    if (cached) return { run: fromRecord(cached), created: false };
    const rec = await d.runs.create({ station: st.code, day: body.day, inputHash: hash, options: o }, by);
    const total = dayRuns(o) + gridCells(o.grid.max, o.grid.step);
    const job: Job = {
      id: rec.id, station: st.code, day: body.day, input: built.input, coverage: built.coverage, options: o,
      progress: { done: 0, total, stage: 'queued' }, state: 'queued', requestedAt: rec.requestedAt, requestedBy: rec.requestedBy, workers: [], lastEmit: 0,
    };
    jobs.set(job.id, job);
    queue.push(job);
    log.info({ id: job.id, station: job.station, day: job.day, cells: total - dayRuns(o) }, 'box-model run queued');
    return { run: toRun(job), created: true };
  }

  function emitProgress(j: Job, force = false) {
    const now = Date.now();
    if (!force && now - j.lastEmit < PROGRESS_EVERY_MS) return;
    j.lastEmit = now;
    d.emitProgress({ v: 1, id: j.id, station: j.station, day: j.day, state: j.state, progress: { ...j.progress } });
  }

  /** Deal the tasks of a job to its workers; resolves with the day analysis and the grid. */
  function compute(j: Job): Promise<{ day: DayAnalysis; grid: { voc: number[]; nox: number[]; value: number[][] } }> {
    const axis = scalings(j.options.grid.max, j.options.grid.step);
    const value = axis.map(() => axis.map(() => NaN));
    const tasks: ToWorker[] = [{ task: 'day', cut: j.options.cut, keySpecies: j.options.keySpecies }];
    axis.forEach((nox, jj) => axis.forEach((voc, i) => tasks.push({ task: 'cell', i, j: jj, voc, nox })));
    const nWorkers = Math.max(1, Math.min(d.config.workers, tasks.length));
    let day: DayAnalysis | null = null;
    let next = 0, pending = tasks.length;
    return new Promise((resolve, reject) => {
      let settled = false;
      const stop = (err: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        for (const w of j.workers) void w.terminate();
        j.workers = [];
        if (err) reject(err);
        else resolve({ day: day!, grid: { voc: axis, nox: axis, value } });
      };
      const timer = setTimeout(() => stop(appError('AIRDESK_OBM_TIMEOUT', String(d.config.timeoutMs))), d.config.timeoutMs);
      const give = (w: Worker) => { if (next < tasks.length) w.postMessage(tasks[next++]); };
      for (let k = 0; k < nWorkers; k++) {
        const w = new Worker(WORKER, { workerData: { mechanismText, input: j.input } });
        j.workers.push(w);
        w.on('message', (m: ToMain) => {
          if (m.type === 'error') { stop(appError('AIRDESK_OBM_MODEL_FAILED', m.message)); return; }
          if (m.type === 'ready') { give(w); return; }
          if (m.type === 'day') { day = m.analysis; j.progress.done += dayRuns(j.options); }
          else { value[m.j]![m.i] = m.value; j.progress.done += 1; }
          j.progress.stage = day ? 'ekma' : 'day';
          emitProgress(j);
          if (--pending === 0) stop(null);
          else give(w);
        });
        w.on('error', (e) => stop(appError('AIRDESK_OBM_MODEL_FAILED', e.message)));
        w.on('exit', (code) => { if (!settled && code !== 0) stop(appError('AIRDESK_OBM_MODEL_FAILED', `worker exited with ${code}`)); });
      }
    });
  }

  async function execute(j: Job) {
    const t0 = performance.now();
    j.state = 'running';
    j.progress.stage = 'day';
    try {
      await d.runs.markRunning(j.id);
      emitProgress(j, true);
      const { day, grid } = await compute(j);
      const ekma = analyseEkma(grid, 'peakO3');
      const result = obmResult({
        station: j.station, day: j.day,
        mechanism,
        coverage: j.coverage,
        settings: { spinupDays: j.options.spinupDays, cut: j.options.cut, keySpecies: j.options.keySpecies, grid: { ...j.options.grid } },
        elapsedMs: performance.now() - t0,
      }, day, ekma);
      await d.runs.finish(j.id, result, { peakO3: result.peakO3, regime: result.regime, ekmaRegime: result.ekma.regime, monotoneRatio: result.ekma.monotoneRatio });
      j.progress = { done: j.progress.total, total: j.progress.total, stage: 'done' };
      log.info({ id: j.id, station: j.station, day: j.day, ms: Math.round(performance.now() - t0), peakO3: result.peakO3, regime: result.regime }, 'box-model run done');
      d.emitCompleted({ v: 1, id: j.id, station: j.station, day: j.day, state: 'done', peakO3: result.peakO3, regime: result.regime, error: null });
    } catch (e) {
      const err = closed ? appError('AIRDESK_OBM_INTERRUPTED') : e instanceof AppError ? e : appError('AIRDESK_OBM_MODEL_FAILED', (e as Error).message);
      log.error({ id: j.id, station: j.station, day: j.day, code: err.code, err: err.message }, 'box-model run failed');
      try { await d.runs.fail(j.id, { code: err.code, message: err.message }); } catch (e2) { log.error({ err: (e2 as Error).message }, 'could not record the failed run'); }
      d.emitCompleted({ v: 1, id: j.id, station: j.station, day: j.day, state: 'failed', peakO3: null, regime: null, error: { code: err.code, message: err.message } });
    }
  }

  function pump() {
    while (!closed && running < d.config.maxActive && queue.length) {
      const j = queue.shift()!;
      running++;
      void execute(j).finally(() => {
        running--;
        jobs.delete(j.id);
        active.delete(keyOf(j.station, j.day));
        slots--;
        checkIdle();
        pump();
      });
    }
  }

  async function get(id: number): Promise<ObmRun | null> {
    const j = jobs.get(id);
    if (j) return toRun(j);
    const r = await d.runs.get<ObmResult>(id);
    return r ? fromRecord(r) : null;
  }

  return {
    get,
    start(body, by) {
      if (closed) return Promise.reject(appError('AIRDESK_OBM_BUSY', 'the server is stopping'));
      const st = d.stations().find((s) => s.code === body.station);
      if (!st) return Promise.reject(appError('AIRDESK_UNKNOWN_STATION', body.station));
      const [y, m, dd] = body.day.split('-').map(Number) as [number, number, number];
      const t = Date.UTC(y, m - 1, dd);
      if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== body.day) return Promise.reject(appError('AIRDESK_BAD_BODY', `day ${body.day} is not a calendar day`));
      if (t - 8 * 3_600_000 > d.clock()) return Promise.reject(appError('AIRDESK_BAD_BODY', `day ${body.day} has not begun yet (Beijing time)`));
      if (t < d.clock() - 3660 * DAY_MS) return Promise.reject(appError('AIRDESK_BAD_BODY', `day ${body.day} is more than ten years ago`));
      let o: Options;
      try { o = options(body); } catch (e) { return Promise.reject(e); }
      const key = keyOf(st.code, body.day);
      const joined = active.get(key);
      if (joined) return joined.then(async (r) => ({ run: (await get(r.id)) ?? r, created: false }));
      if (slots >= d.config.maxActive + d.config.maxQueued) {
        return Promise.reject(appError('AIRDESK_OBM_BUSY', `${slots} runs queued or running (at most ${d.config.maxActive + d.config.maxQueued}); try again in a minute`));
      }
      slots++;
      const p = prepare(body, o, st, by);
      const held = p.then((r) => r.run);
      held.catch(() => { /* the first caller gets the error; a joiner gets it through `held` */ });
      active.set(key, held);
      return p.then((r) => {
        if (r.created) pump();
        else { active.delete(key); slots--; checkIdle(); }
        return r;
      }, (e) => { active.delete(key); slots--; checkIdle(); throw e; });
    },
    idle: () => (slots === 0 ? Promise.resolve() : new Promise<void>((r) => idleWaiters.push(r))),
    async close() {
      closed = true;
      for (const j of queue.splice(0)) {
        try { await d.runs.fail(j.id, { code: 'AIRDESK_OBM_INTERRUPTED', message: 'the server stopped before the run started' }); } catch { /* records may be closing */ }
        jobs.delete(j.id);
        slots--;
      }
      await Promise.all([...jobs.values()].flatMap((j) => j.workers.map((w) => w.terminate())));
      checkIdle();
    },
  };
}
