/**
 * The guidance model of a city: for every daily statistic (PM2.5, PM10, NO2, SO2, CO 24-h means,
 * O3 MDA8 and, for the 2012 daily report, O3 max 1-h) and every lead day, three gradient-boosted
 * quantile models (common/ml) of log(1 + concentration): low, median, high. Quantiles survive the
 * log transform (a monotone map), which keeps the heavy PM tail from dominating the fit. Trained
 * on the city's own history only. Pure: histories in, a JSON-serialisable model out.
 *
 *   const model = trainGuidance(ctx, trainIssueDays, { met: 'observed' });
 *   issueGuidance(model, ctx, '2015-12-20')   // -> D+1..D+3 products with their concentrations
 */
import { fitGbm, predictRow, type GbmModel, type GbmOptions } from '../ml/gbm.ts';
import type { DailyInputKey } from '../standards/index.ts';
import { featureNames, featureRow, type FeatureContext, type MetMode } from './features.ts';
import { addDays } from './history.ts';
import { productOf, type ConcQuantiles, type LevelRule, type Product } from './product.ts';

/** Daily statistics forecast, in the order they are trained. */
export const TARGETS: readonly DailyInputKey[] = ['pm25_24h', 'pm10_24h', 'o3_mda8', 'no2_24h', 'so2_24h', 'co_24h', 'o3_max1h'];

/** What the product says when there is no meteorological forecast. */
export const NO_MET_NOTE = 'no meteorological forecast: persistence-based guidance';

export interface GuidanceOptions {
  leads?: readonly number[];
  /** hour label of the issue time, Beijing (default 16: data up to 16:00) */
  issueHour?: number;
  met?: MetMode;
  /** low, median, high quantile (default 0.25, 0.5, 0.75) */
  quantiles?: readonly [number, number, number];
  targets?: readonly DailyInputKey[];
  /** statistics that get only a median model (their range ends are the median): the ones that
   *  are rarely the primary pollutant in the daily AQI; default SO2, CO, O3 max 1-h */
  medianOnly?: readonly DailyInputKey[];
  /** options of every tree model (loss and validation are set here) */
  gbm?: GbmOptions;
  /** share of the latest training days held out for early stopping (default 0: a fixed number of
   *  rounds; on Beijing the latest block, Oct-Dec 2014 with the APEC controls, is unlike the rest
   *  and stopped the no-meteorology models after a few rounds) */
  validShare?: number;
  /** how the levels are named (product.ts LevelRule), default { single: 0.9 }: one level when the
   *  predicted distribution puts >= 90 % on the central level, else two (chosen on the training-year
   *  split, docs/forecast.md) */
  levelRule?: LevelRule;
  /** refit on all training days with the early-stopped round count (default true) */
  refit?: boolean;
}

export interface GuidanceModel {
  kind: 'airdesk-guidance';
  v: 1;
  city: string;
  met: MetMode;
  issueHour: number;
  leads: number[];
  quantiles: [number, number, number];
  levelRule: LevelRule;
  features: string[];
  /** models[target][lead index] = [low, median, high], or [median] for a median-only statistic */
  models: Record<string, GbmModel[][]>;
  /** training samples per lead (days with features and a target) */
  samples: number[];
  trainedOn: { first: string; last: string };
}

const DEFAULT_GBM: GbmOptions = {
  rounds: 150, learningRate: 0.1, maxLeaves: 8, maxDepth: 5, minLeaf: 15, maxBins: 63,
  subsample: 0.8, colsample: 0.6, seed: 1, earlyStop: 40, lambda: 1,
};

const toY = (c: number) => Math.log1p(Math.max(0, c));
const fromY = (y: number) => Math.max(0, Math.expm1(y));

/** Train the models of a city on issue days `issueDays` (each with its targets D+lead taken from
 *  the daily table). Days whose target statistic is missing are skipped for that target. */
export function trainGuidance(ctx: FeatureContext, issueDays: readonly string[], opts: GuidanceOptions = {}): GuidanceModel {
  const leads = [...(opts.leads ?? [1, 2, 3])];
  const issueHour = opts.issueHour ?? 16;
  const met = opts.met ?? 'observed';
  const quantiles = [...(opts.quantiles ?? [0.25, 0.5, 0.75])] as [number, number, number];
  const targets = opts.targets ?? TARGETS;
  const g = { ...DEFAULT_GBM, ...opts.gbm };
  const validShare = opts.validShare ?? 0;
  const refit = opts.refit ?? true;
  const medianOnly = new Set(opts.medianOnly ?? ['so2_24h', 'co_24h', 'o3_max1h']);
  const days = [...issueDays].sort();
  if (days.length < 30) throw new RangeError(`guidance: ${days.length} training days; at least 30 are needed`);
  const names = featureNames(ctx, met);
  const models: Record<string, GbmModel[][]> = {};
  const samples: number[] = [];
  for (const k of targets) models[k] = [];
  leads.forEach((lead) => {
    const rows = days.map((d) => featureRow(ctx, d, issueHour, lead, met).map(([, v]) => v));
    samples.push(rows.length);
    for (const k of targets) {
      const X: (number | null)[][] = [];
      const y: number[] = [];
      days.forEach((d, i) => {
        const v = ctx.daily.get(addDays(d, lead))?.input[k];
        if (v === null || v === undefined) return;
        X.push(rows[i]);
        y.push(toY(v));
      });
      if (y.length < 30) throw new RangeError(`guidance: only ${y.length} training days have ${k} at D+${lead}`);
      const nv = Math.floor(y.length * validShare);
      const taus = medianOnly.has(k) ? [quantiles[1]] : quantiles;
      models[k].push(taus.map((tau) => {
        const o: GbmOptions = { ...g, loss: { quantile: tau }, names };
        if (nv < 10) return fitGbm(X, y, o);
        const split = y.length - nv;
        const es = fitGbm(X.slice(0, split), y.slice(0, split), { ...o, valid: { X: X.slice(split), y: y.slice(split) } });
        return refit ? fitGbm(X, y, { ...o, rounds: Math.max(1, es.bestRound) }) : es;
      }));
    }
  });
  return {
    kind: 'airdesk-guidance', v: 1, city: ctx.hist.city, met, issueHour, leads, quantiles, levelRule: opts.levelRule ?? { single: 0.9 }, features: names, models, samples,
    trainedOn: { first: days[0], last: days[days.length - 1] },
  };
}

export interface Guidance extends Product {
  issued: string;
  target: string;
  lead: number;
  /** forecast concentration quantiles [low, median, high] per daily statistic */
  conc: ConcQuantiles;
  /** the no-meteorology note, or null */
  note: string | null;
}

/** Issue the guidance of `issueDay` for every lead of the model, from data up to the issue hour. */
export function issueGuidance(model: GuidanceModel, ctx: FeatureContext, issueDay: string): Guidance[] {
  const out: Guidance[] = [];
  model.leads.forEach((lead, li) => {
    const row = featureRow(ctx, issueDay, model.issueHour, lead, model.met).map(([, v]) => v);
    const conc: ConcQuantiles = {};
    for (const [k, byLead] of Object.entries(model.models)) {
      const v = byLead[li].map((m) => fromY(predictRow(m, row))).sort((a, b) => a - b);
      conc[k as DailyInputKey] = (v.length === 3 ? v : [v[0], v[0], v[0]]) as [number, number, number];
    }
    const target = addDays(issueDay, lead);
    const p = productOf(conc, target, model.levelRule ?? 'range');
    if (p) out.push({ issued: issueDay, target, lead, ...p, conc, note: model.met === 'none' ? NO_MET_NOTE : null });
  });
  return out;
}
