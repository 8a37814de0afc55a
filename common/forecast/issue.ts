/**
 * One operational issue (what the server's guidance service runs each day, in a worker thread):
 * from a city's history up to the issue time, train the guidance on every usable past issue day,
 * issue D+1..D+n, and issue the persistence and climatology references beside it. Without a
 * meteorological forecast the model uses observations and calendar only (met 'none') and the
 * documents carry the note. Pure: history in, documents out; a history too short to train on gives
 * the references and the reason the guidance is missing.
 */
import type { DailyInputKey } from '../standards/index.ts';
import type { GbmOptions } from '../ml/gbm.ts';
import { NO_MET_NOTE_I18N, type GuidanceDay, type GuidanceDoc } from '../schemas/forecast.ts';
import { issueTimeOf, type FeatureContext } from './features.ts';
import { addDays, dailyTable, historyDays, type CityHistory } from './history.ts';
import { issueGuidance, trainGuidance } from './guidance.ts';
import { usableIssueDays } from './hindcast.ts';
import { climatology, climatologyForecast, persistence } from './references.ts';
import type { Product } from './product.ts';

export interface IssueJob {
  hist: CityHistory;
  issueDay: string;
  issueHour: number;
  leads: readonly number[];
  gbm?: GbmOptions;
}

export interface IssueResult {
  /** one document per source: airdesk (absent when it could not be trained), persistence, climatology */
  docs: GuidanceDoc[];
  /** why the AirDesk guidance is missing, or null */
  failure: string | null;
  /** training time by the caller's clock (null without one) */
  trainMs: number | null;
}

const r1 = (x: number) => Math.round(x * 10) / 10;
function day(p: Product & { target: string; lead: number }, conc: Partial<Record<DailyInputKey, readonly number[] | number | null | undefined>>): GuidanceDay {
  const c: GuidanceDay['conc'] = {};
  for (const [k, v] of Object.entries(conc)) {
    if (v === null || v === undefined) c[k] = null;
    else if (typeof v === 'number') c[k] = [r1(v), r1(v), r1(v)];
    else c[k] = [r1(v[0]), r1(v[1]), r1(v[2])];
  }
  return { target: p.target, lead: p.lead, aqi: [p.aqi[0], p.aqi[1]], central: p.central, levels: [...p.levels], primary: [...p.primary], conc: c };
}

/** Why there is nothing to forecast from at the issue time (fewer than 12 hours of PM2.5 in the
 *  24 h before it, hindcast.ts usableIssueDays), or null. */
export function noDataAtIssue(hist: CityHistory, issueDay: string, issueHour: number): string | null {
  return usableIssueDays(hist, [issueDay], issueHour).length ? null : `guidance: fewer than 12 hours of PM2.5 in the 24 h before the issue time ${issueDay} ${issueHour}:00`;
}

/** Run one issue. `hist` must end at the issue time (nothing later may be in it). `clock` (the
 *  caller's, the core has none) only times the training. */
export function runIssue(job: IssueJob, clock?: () => number): IssueResult {
  const { hist, issueDay, issueHour } = job;
  const leads = [...job.leads];
  const daily = dailyTable(hist);
  const ctx: FeatureContext = { hist, daily };
  const base = { v: 1 as const, kind: 'guidance' as const, city: hist.city, issueDay, issueHour, met: 'none' as const };
  const docs: GuidanceDoc[] = [];
  let failure: string | null = null;
  const t0 = clock?.() ?? null;
  // Train on the past issue days whose D+lead targets are observed by the issue time.
  const t = issueTimeOf(issueDay, issueHour);
  const maxLead = Math.max(...leads);
  const trainDays = usableIssueDays(hist, historyDays(hist).filter((d) => d < addDays(issueDay, -maxLead) && issueTimeOf(d, issueHour) < t), issueHour);
  try {
    // Nothing to forecast from (the data up to the issue time has not arrived): say so, train nothing.
    const none = noDataAtIssue(hist, issueDay, issueHour);
    if (none) throw new RangeError(none);
    const model = trainGuidance(ctx, trainDays, { leads, issueHour, met: 'none', gbm: job.gbm });
    const g = issueGuidance(model, ctx, issueDay);
    if (!g.length) failure = 'no data at the issue time to forecast from';
    else docs.push({
      ...base, source: 'airdesk', note: { ...NO_MET_NOTE_I18N }, days: g.map((x) => day(x, x.conc)),
      trainedOn: { first: model.trainedOn.first, last: model.trainedOn.last, days: trainDays.length },
    });
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    failure = err.message;
  }
  const trainMs = t0 === null || !clock ? null : clock() - t0;
  const p = persistence(hist, issueDay, issueHour, leads);
  if (p.length) docs.push({ ...base, source: 'persistence', note: null, days: p.map((x) => day(x, x.conc)) });
  const c = climatologyForecast(climatology(daily, [...daily.keys()].filter((d) => d < issueDay)), issueDay, leads);
  if (c.length) docs.push({ ...base, source: 'climatology', note: null, days: c.map((x) => day(x, x.conc)) });
  return { docs, failure, trainMs };
}
