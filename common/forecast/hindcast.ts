/**
 * Hindcast on history (what `airdesk forecast hindcast` runs): train the guidance on the training
 * history only, then for every day of the test period issue the forecast from the data up to the
 * issue hour (training and test data together, as an operational system would have them), and
 * verify it, persistence and climatology against the observed daily AQI. Pure.
 */
import type { Pollutant } from '../pollutants.ts';
import type { Level } from '../standards/index.ts';
import { verifySources, groupBy, seasonOf, type Pair, type Verification, type Skill } from '../verification/index.ts';
import { issueTimeOf, type FeatureContext } from './features.ts';
import { at, dailyTable, historyDays, type CityHistory, type DayValues } from './history.ts';
import { issueGuidance, trainGuidance, NO_MET_NOTE, type GuidanceModel, type GuidanceOptions } from './guidance.ts';
import { climatology, climatologyForecast, persistence } from './references.ts';

export interface HindcastForecast {
  issued: string;
  target: string;
  lead: number;
  aqi: [number, number];
  central: number;
  levels: Level[];
  primary: Pollutant[];
  /** key concentrations [low, median, high]: PM2.5 24-h and O3-8h (MDA8), ug/m3 */
  conc: { pm25: [number, number, number] | null; o3_8h: [number, number, number] | null };
}

export type SourceVerification = Verification & { skill: Skill[] };

export interface HindcastResult {
  city: string;
  met: 'observed' | 'none';
  note: string | null;
  issueHour: number;
  leads: number[];
  train: { first: string; last: string; issueDays: number };
  test: { first: string | null; last: string | null; issueDays: number };
  forecasts: HindcastForecast[];
  /** per lead ('d1', 'd2', ...): per source */
  verification: Record<string, Record<string, SourceVerification>>;
  /** per lead and season (DJF, MAM, JJA, SON): per source */
  bySeason: Record<string, Record<string, Record<string, SourceVerification>>>;
  model: GuidanceModel;
}

/** Issue days with enough data at the issue time to forecast from (PM2.5 in the last 24 h). */
export function usableIssueDays(h: CityHistory, days: readonly string[], issueHour: number): string[] {
  return days.filter((d) => {
    const t = issueTimeOf(d, issueHour);
    let n = 0;
    for (let j = 0; j < 24; j++) if (!Number.isNaN(at(h, 'pm25', t - j * 3_600_000))) n++;
    return n >= 12;
  });
}

const DAILY_TO_VERIFIED = { pm25_24h: 'pm25', pm10_24h: 'pm10', o3_mda8: 'o3_8h', no2_24h: 'no2' } as const;
function verifiedConc(input: Partial<Record<string, number | null | undefined>>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(DAILY_TO_VERIFIED)) out[v] = input[k] ?? null;
  return out;
}
function observedOf(daily: ReadonlyMap<string, DayValues>, day: string): Pair['observed'] | null {
  const v = daily.get(day);
  if (!v || !v.complete || v.aqi === null) return null;
  return { aqi: v.aqi, primary: v.primary, conc: verifiedConc(v.input) };
}
const r1 = (x: number) => Math.round(x * 10) / 10;
const tri = (q: readonly [number, number, number] | undefined): [number, number, number] | null => (q ? [r1(q[0]), r1(q[1]), r1(q[2])] : null);

export interface HindcastInput {
  train: CityHistory;
  /** training and test data together (features of test issues may look back into the training period) */
  full: CityHistory;
  /** Beijing days to issue forecasts on (the test files' days) */
  testDays: readonly string[];
}

/** Run the hindcast. Throws RangeError when the training period is too short to fit. */
export function hindcast(input: HindcastInput, opts: GuidanceOptions = {}): HindcastResult {
  const issueHour = opts.issueHour ?? 16;
  const leads = [...(opts.leads ?? [1, 2, 3])];
  const met = opts.met ?? 'observed';
  const trainCtx: FeatureContext = { hist: input.train, daily: dailyTable(input.train) };
  const fullDaily = dailyTable(input.full);
  const fullCtx: FeatureContext = { hist: input.full, daily: fullDaily };
  const trainDays = usableIssueDays(input.train, historyDays(input.train), issueHour);
  const model = trainGuidance(trainCtx, trainDays, { ...opts, leads, issueHour, met });
  const clim = climatology(trainCtx.daily, [...trainCtx.daily.keys()]);
  const testDays = usableIssueDays(input.full, [...input.testDays].sort(), issueHour);

  const forecasts: HindcastForecast[] = [];
  const pairs = new Map<string, Record<string, Pair[]>>();
  for (const lead of leads) pairs.set(`d${lead}`, { airdesk: [], persistence: [], climatology: [] });
  const push = (src: string, lead: number, target: string, fc: Pair['forecast']) => {
    const obs = observedOf(fullDaily, target);
    if (obs) pairs.get(`d${lead}`)![src].push({ target, forecast: fc, observed: obs });
  };
  for (const d of testDays) {
    for (const g of issueGuidance(model, fullCtx, d)) {
      forecasts.push({
        issued: g.issued, target: g.target, lead: g.lead, aqi: g.aqi, central: g.central, levels: g.levels, primary: g.primary,
        conc: { pm25: tri(g.conc.pm25_24h), o3_8h: tri(g.conc.o3_mda8) },
      });
      push('airdesk', g.lead, g.target, { ...g, conc: verifiedConc(Object.fromEntries(Object.entries(g.conc).map(([k, q]) => [k, q![1]]))) });
    }
    for (const p of persistence(input.full, d, issueHour, leads)) push('persistence', p.lead, p.target, { ...p, conc: verifiedConc(p.conc) });
    for (const c of climatologyForecast(clim, d, leads)) push('climatology', c.lead, c.target, { ...c, conc: verifiedConc(c.conc) });
  }
  const verification: HindcastResult['verification'] = {};
  const bySeason: HindcastResult['bySeason'] = {};
  for (const [lead, bySrc] of pairs) {
    verification[lead] = verifySources(bySrc);
    bySeason[lead] = {};
    const seasons = new Set(bySrc.airdesk.map((p) => seasonOf(p.target!)));
    for (const s of ['DJF', 'MAM', 'JJA', 'SON'].filter((x) => seasons.has(x as never))) {
      const sub: Record<string, Pair[]> = {};
      for (const [src, ps] of Object.entries(bySrc)) sub[src] = groupBy(ps, (p) => seasonOf(p.target!)).get(s) ?? [];
      bySeason[lead][s] = verifySources(sub);
    }
  }
  return {
    city: input.full.city, met, note: met === 'none' ? NO_MET_NOTE : null, issueHour, leads,
    train: { first: model.trainedOn.first, last: model.trainedOn.last, issueDays: trainDays.length },
    test: { first: testDays[0] ?? null, last: testDays[testDays.length - 1] ?? null, issueDays: testDays.length },
    forecasts, verification, bySeason, model,
  };
}

/** The RESULT line of a hindcast (docs/forecast.md): D+1 single-level (central) accuracy, level
 *  accuracy with at most two named levels ("range hit" of the issue), mean AQI range width, CSI of
 *  AQI > 200, persistence and climatology single-level accuracy; then D+2 and D+3 single-level. */
export function resultLine(r: HindcastResult): string {
  const v = (lead: number) => r.verification[`d${lead}`];
  const f = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? 'NA' : x.toFixed(d));
  const d1 = v(1);
  const parts = [
    `level_acc_d1=${f(d1?.airdesk.centralLevelAccuracy.rate)}`,
    `range_hit_d1=${f(d1?.airdesk.levelAccuracy.rate)}`,
    `mean_width_d1=${f(d1?.airdesk.rangeHit.meanWidth, 1)}`,
    `csi200_d1=${f(d1?.airdesk.heavy200.csi)}`,
    `persistence_d1=${f(d1?.persistence.centralLevelAccuracy.rate)}`,
    `climatology_d1=${f(d1?.climatology.centralLevelAccuracy.rate)}`,
  ];
  for (const lead of r.leads) if (lead !== 1) parts.push(`level_acc_d${lead}=${f(v(lead)?.airdesk.centralLevelAccuracy.rate)}`);
  return `RESULT ${parts.join(' ')}`;
}
