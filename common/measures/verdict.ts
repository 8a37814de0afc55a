/**
 * The plain-language verdict of an evaluation, as a code with its parameters (for the UI and the
 * reports to word in their own layout) and as ready zh and en sentences. One table of wordings.
 */
import type { Effect, EvalPollutant } from './evaluate.ts';

export type VerdictCode = 'reduction' | 'increase' | 'not-distinguishable' | 'insufficient-data';
export type CaveatCode = 'placebo-rate-high' | 'meteorology-out-of-range' | 'lagged';

export interface Verdict {
  code: VerdictCode;
  params: { pollutant: string; pct: number | null; low: number | null; high: number | null; level: number };
  caveats: { code: CaveatCode; params: Record<string, string | number> }[];
  zh: string;
  en: string;
}

const NAME: Record<EvalPollutant, { zh: string; en: string }> = {
  pm25: { zh: 'PM2.5', en: 'PM2.5' }, pm10: { zh: 'PM10', en: 'PM10' }, no2: { zh: 'NO2', en: 'NO2' },
  so2: { zh: 'SO2', en: 'SO2' }, co: { zh: 'CO', en: 'CO' }, o3: { zh: 'O3', en: 'O3' },
};

type P = Verdict['params'];
const pc = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(0)}%`);
const lv = (p: P) => `${Math.round(100 * p.level)}%`;
const abs = (x: number | null) => (x === null ? null : Math.abs(x));

const WORDS: Record<VerdictCode, { zh: (p: P) => string; en: (p: P) => string }> = {
  reduction: {
    zh: (p) => `${p.pollutant}比气象调整后的反事实情景低${pc(abs(p.pct))}（${lv(p)}区间：低${pc(abs(p.high))}至${pc(abs(p.low))}），降幅可与零区分：措施见效。`,
    en: (p) => `${p.pollutant} was ${pc(abs(p.pct))} below the weather-adjusted counterfactual (${lv(p)} interval ${pc(abs(p.high))} to ${pc(abs(p.low))} below): the reduction is distinguishable from zero.`,
  },
  increase: {
    zh: (p) => `${p.pollutant}比气象调整后的反事实情景高${pc(p.pct)}（${lv(p)}区间 ${pc(p.low)} 至 ${pc(p.high)}），未见措施降低浓度。`,
    en: (p) => `${p.pollutant} was ${pc(p.pct)} above the weather-adjusted counterfactual (${lv(p)} interval ${pc(p.low)} to ${pc(p.high)}): no reduction is visible.`,
  },
  'not-distinguishable': {
    zh: (p) => `${p.pollutant}相对气象调整后的反事实情景变化${pc(p.pct)}（${lv(p)}区间 ${pc(p.low)} 至 ${pc(p.high)}），尚不能与零区分：不能据此判断措施是否见效。`,
    en: (p) => `${p.pollutant} changed by ${pc(p.pct)} against the weather-adjusted counterfactual (${lv(p)} interval ${pc(p.low)} to ${pc(p.high)}): not distinguishable from zero, so this cannot tell whether the measure worked.`,
  },
  'insufficient-data': {
    zh: (p) => `评估时段内${p.pollutant}数据不足，无法评估。`,
    en: (p) => `Too few ${p.pollutant} hours in the window to evaluate it.`,
  },
};

const CAVEATS: Record<CaveatCode, { zh: (q: Record<string, string | number>) => string; en: (q: Record<string, string | number>) => string }> = {
  'placebo-rate-high': {
    zh: (q) => `注意：在无措施的安慰剂时段上，该方法有${q.rate}的时段误判为有效果（名义值${q.nominal}），区间可能偏窄。`,
    en: (q) => `Caution: on placebo windows without measures the method found an effect in ${q.rate} of them (nominal ${q.nominal}); the interval may be too narrow.`,
  },
  'meteorology-out-of-range': {
    zh: (q) => `注意：评估时段的气象条件（${q.features}）超出模型训练范围，树模型不外推，效果可能被低估或高估。`,
    en: (q) => `Caution: the window's meteorology (${q.features}) lies outside what the model was trained on; trees do not extrapolate, so the effect may be misjudged (under severe stagnation it looks smaller).`,
  },
  lagged: {
    zh: (q) => `评估时段较措施时段顺延${q.days}天。`,
    en: (q) => `The evaluated window is the measure's shifted by ${q.days} day(s).`,
  },
};

export interface VerdictInput {
  pollutant: EvalPollutant;
  effect: Effect | null;
  level: number;
  placeboRate: number | null;
  rangeWarning: boolean;
  outsideFeatures: string[];
  lagDays: number;
}

/** Verdict: a reduction or an increase when the interval excludes zero, otherwise not
 *  distinguishable; caveats when the placebo rate is above twice the nominal rate, when the
 *  meteorology is outside the training range, and when a lag was applied. */
export function verdictOf(v: VerdictInput): Verdict {
  const e = v.effect;
  const code: VerdictCode = !e ? 'insufficient-data' : e.pctHigh < 0 ? 'reduction' : e.pctLow > 0 ? 'increase' : 'not-distinguishable';
  const params: P = { pollutant: NAME[v.pollutant].en, pct: e?.pct ?? null, low: e?.pctLow ?? null, high: e?.pctHigh ?? null, level: v.level };
  const caveats: Verdict['caveats'] = [];
  const nominal = 1 - v.level;
  if (v.placeboRate !== null && v.placeboRate > 2 * nominal) caveats.push({ code: 'placebo-rate-high', params: { rate: pc(v.placeboRate), nominal: pc(nominal) } });
  if (v.rangeWarning) caveats.push({ code: 'meteorology-out-of-range', params: { features: v.outsideFeatures.join(', ') } });
  if (v.lagDays > 0) caveats.push({ code: 'lagged', params: { days: v.lagDays } });
  const zh = [WORDS[code].zh(params), ...caveats.map((c) => CAVEATS[c.code].zh(c.params))].join('');
  const en = [WORDS[code].en(params), ...caveats.map((c) => CAVEATS[c.code].en(c.params))].join(' ');
  return { code, params, caveats, zh, en };
}
