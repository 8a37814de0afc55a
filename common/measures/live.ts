/**
 * The live evaluation of a measure in force (issue 19: "during an active measure the evaluation
 * updates every hour"): observed vs counterfactual city PM2.5 from the measure's first day up to
 * the last hour of data, with the band, and in words whether the effect is already distinguishable
 * from zero. The same method as evaluate.ts (run with `soFar` and `startAt`: the window is the hours
 * from the measure's start to the last hour of data), trained on the city's days without measures in the history it is given.
 *
 * With too little history the answer is a coded result, not an empty success: "not enough
 * history: N days, need M". Pure: points in, one MeasureEvaluation out (the server adds the time it
 * took and sends it).
 */
import type { HourlyPoint } from '../episodes/types.ts';
import { cityHistory } from '../forecast/history.ts';
import { HOUR_MS, beijingDayOfHourEnd } from '../time.ts';
import type { MeasureEvaluation } from '../schemas/measures.ts';
import { evaluateMeasure, type DayWindow } from './evaluate.ts';

/** Knobs of the live evaluation; the server's config holds them (AIRDESK_MEASURE_*). */
export interface LiveOptions {
  /** fewest days without measures (each with >= 18 city hours of PM2.5) to train on (default 30) */
  minHistoryDays: number;
  /** boosting rounds (default 200 as the CLI; fewer in tests) */
  rounds: number;
  placebos: number;
  reps: number;
  seed: number;
  /** stations needed for a city hour (default 6, as the episode engine) */
  minStations: number;
}

export const LIVE_DEFAULTS: Readonly<LiveOptions> = Object.freeze({ minHistoryDays: 30, rounds: 200, placebos: 100, reps: 1000, seed: 1, minStations: 6 });

/** Hours of a day that make it a history day (HJ 663 daily validity: >= 20 of 24 for a daily mean;
 *  18 = 75%, the evaluation's own coverage rule, so a day with a short outage still trains). */
export const HISTORY_DAY_HOURS = 18;

export interface LiveInput {
  measureId: number;
  city: string;
  /** the measure's start and end (UTC ms; end null = in force) */
  start: number;
  end: number | null;
  /** station-hours of the city (pollutants and meteorology), any order */
  points: readonly HourlyPoint[];
  /** other measures of the city (kept out of training and placebos) */
  others: readonly { start: number; end: number | null }[];
  now: number;
}

/** Beijing calendar day of a clock instant (00:30 belongs to the new day). */
const dayOfInstant = (t: number) => new Date(t + 8 * HOUR_MS).toISOString().slice(0, 10);

const WORDS = {
  notEnough: (n: number, m: number) => ({
    zh: `历史数据不足：无措施的完整日仅 ${n} 天，模型至少需要 ${m} 天，暂不能给出气象调整后的评估。`,
    en: `Not enough history: ${n} days without measures, need ${m}; no weather-adjusted evaluation yet.`,
  }),
  noData: () => ({ zh: '措施时段内尚无城市 PM2.5 小时数据。', en: 'No city PM2.5 hours in the measure window yet.' }),
  failed: (why: string) => ({ zh: `评估失败：${why}`, en: `Evaluation failed: ${why}` }),
};

/** The measure's evaluated days: its first day to the day of its end, or of now while in force. */
export function liveWindow(start: number, end: number | null, now: number): DayWindow {
  const from = dayOfInstant(start);
  const last = end === null ? now : Math.min(end, now);
  const to = dayOfInstant(Math.max(start, last));
  return { from, to };
}

/** Evaluate one measure on the history given. */
export function liveEvaluation(input: LiveInput, opts: Partial<LiveOptions> = {}): Omit<MeasureEvaluation, 'ms' | 'at'> {
  const o = { ...LIVE_DEFAULTS, ...opts };
  const window = liveWindow(input.start, input.end, input.now);
  const exclude = input.others.map((m) => liveWindow(m.start, m.end, input.now));
  const hist = cityHistory(input.points, input.city, { minStations: o.minStations });
  const y = hist.q.pm25;
  const inAny = (d: string) => d >= window.from && d <= window.to || exclude.some((w) => d >= w.from && d <= w.to);
  // History days: whole days without measures that have enough city hours of PM2.5.
  const perDay = new Map<string, number>();
  let windowHours = 0;
  let lastHour: number | null = null;
  for (let i = 0; i < hist.hours; i++) {
    if (Number.isNaN(y[i])) continue;
    const t = hist.start + i * HOUR_MS;
    lastHour = t;
    const d = beijingDayOfHourEnd(t);
    if (d >= window.from && d <= window.to) { if (t > input.start) windowHours++; }
    else if (!inAny(d)) perDay.set(d, (perDay.get(d) ?? 0) + 1);
  }
  const days = [...perDay.values()].filter((c) => c >= HISTORY_DAY_HOURS).length;
  const base = {
    v: 1 as const, measureId: input.measureId, city: input.city, pollutant: 'pm25' as const, dataUntil: lastHour, window,
    history: { days, need: o.minHistoryDays }, effect: null, verdict: null, distinguishable: false, hours: [], placebo: null, model: null,
  };
  if (days < o.minHistoryDays) return { ...base, status: 'not-enough-history', code: 'MEASURE_NOT_ENOUGH_HISTORY', ...WORDS.notEnough(days, o.minHistoryDays) };
  if (windowHours === 0) return { ...base, status: 'no-window-data', code: 'MEASURE_NO_WINDOW_DATA', ...WORDS.noData() };

  // Cross-validation chunks: 28 days as the CLI, shorter on a short history so that each of the
  // 5 folds still gets two chunks.
  const foldDays = Math.max(1, Math.min(28, Math.floor(days / 10)));
  let r;
  try {
    r = evaluateMeasure({ hist, pollutant: 'pm25', window, exclude, soFar: true, startAt: input.start }, {
      seed: o.seed, placebos: o.placebos, reps: o.reps, gbm: { rounds: o.rounds }, foldDays,
      minTrainingHours: o.minHistoryDays * HISTORY_DAY_HOURS,
    });
  } catch (err) {
    return { ...base, status: 'failed', code: 'MEASURE_EVALUATION_FAILED', ...WORDS.failed((err as Error).message) };
  }
  const e = r.window;
  const finite = (x: number) => Number.isFinite(x);
  const sound = e !== null && [e.pct, e.pctLow, e.pctHigh, e.observed, e.counterfactual].every(finite);
  const hours = r.hours.filter((h) => [h.counterfactual, h.low, h.high].every(finite)).map((h) => ({ t: h.t, observed: h.observed, counterfactual: h.counterfactual, low: h.low, high: h.high }));
  if (e !== null && !sound) {
    return { ...base, status: 'failed', code: 'MEASURE_EVALUATION_FAILED', ...WORDS.failed('no out-of-sample errors to build an interval from (history too short for cross-validation)') };
  }
  return {
    ...base,
    status: 'evaluated', code: 'MEASURE_EVALUATED',
    zh: e ? `截至目前（${e.hours} 小时）：${r.verdict.zh}` : r.verdict.zh,
    en: e ? `So far (${e.hours} h): ${r.verdict.en}` : r.verdict.en,
    effect: e, verdict: { code: r.verdict.code, caveats: r.verdict.caveats.map((c) => c.code) },
    distinguishable: r.verdict.code === 'reduction' || r.verdict.code === 'increase',
    hours, placebo: r.placebo ? { windows: r.placebo.windows, falsePositiveRate: r.placebo.falsePositiveRate } : null,
    model: { trainingHours: r.model.trainingHours, cvR2: r.model.cvR2, rangeWarning: r.trainingRange.warning },
  };
}

