/**
 * What the episode service (server/services/episodes.ts) needs from the record, in terms of the
 * objects it already has (common/schemas/api.ts): save each posted Forecast as a version, save
 * each step of a warning's lifecycle (recommended, cleared, issued, changed, lifted: who, when,
 * which rule) as an event of the city's warning stream, and read both back at start-up instead of
 * from server-state.json (server/services/episodes.ts through server/services/warning-record.ts).
 *
 * Restart promise: the service resumes from the state its last step recorded, so recomputing the
 * recommendation after a restart makes no step (recommend() is a step only on a change), and no
 * event is stored twice.
 */
import { beijingDayOf } from '../common/time.ts';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Logger } from 'pino';
import { Forecast } from '../common/schemas/api.ts';
import type { Scheme } from '../common/episodes/types.ts';
import type { CityWarning, WarningStep } from '../common/episodes/warning-state.ts';
import type { Actor } from './check.ts';
import { RecordsError } from './errors.ts';
import type { ForecastRecord } from './forecasts.ts';
import type { Records } from './open.ts';
import type { WarningEvent, WarningEventIn } from './warnings.ts';

/** Source of forecasts posted without one (POST /api/forecasts: "typed in at the desk"). */
export const DESK_SOURCE = 'desk';
/** Who the episode engine's recommendations are recorded as. */
export const ENGINE_ACTOR: Actor = Object.freeze({ who: 'system', from: 'episode-engine' });
/** POST /api/forecasts carries no reason; a repeat post the same day is recorded with this one. */
export const REPOST_REASON = 'posted again through the API (no reason given)';

const isForecast = TypeCompiler.Compile(Forecast);

/** Beijing calendar day of an instant (the issue day of a forecast issued at `t`). */
export { beijingDayOf };

/** Save a posted forecast as the next version of (city, Beijing day of issue, source). */
export async function saveForecast(records: Records, f: Forecast, by: Actor, reason?: string): Promise<ForecastRecord<Forecast>> {
  const key = { city: f.city, issueDay: beijingDayOf(f.issued), source: f.source ?? DESK_SOURCE };
  // Whether this is a revision (which needs a reason) depends on what is stored; `replaces` makes
  // the add fail rather than guess if another process added a version in between, and we look again.
  for (let attempt = 1; ; attempt++) {
    const n = (await records.forecasts.versions(key)).length;
    try {
      return await records.forecasts.add<Forecast>({ ...key, issuedAt: f.issued, payload: f, replaces: n, reason: n > 0 ? reason ?? REPOST_REASON : reason ?? null }, by);
    } catch (err) {
      if (!(err instanceof RecordsError) || err.code !== 'RECORDS_CONFLICT' || attempt >= 3) throw err;
    }
  }
}

/** The latest forecast of each city (what the service keeps in memory): of every forecast's latest
 *  version, the one issued last. Payloads that are not a Forecast any more are skipped and logged. */
export async function loadForecasts(records: Records, logger?: Logger): Promise<Forecast[]> {
  const best = new Map<string, ForecastRecord>();
  for (const r of await records.forecasts.latest({ limit: 10_000 })) {
    // Guidance documents (issue 16: AirDesk, persistence, climatology) share the table; they are
    // not what a forecaster posted and never drive the warnings.
    // A participant's proposal (issue 17) is scored, but only the signed official forecast counts.
    const kind = (r.payload as { kind?: unknown } | null)?.kind;
    if (kind === 'guidance' || kind === 'proposal') continue;
    const cur = best.get(r.city);
    if (!cur || r.issuedAt > cur.issuedAt || (r.issuedAt === cur.issuedAt && r.id > cur.id)) best.set(r.city, r);
  }
  const out: Forecast[] = [];
  for (const r of [...best.values()].sort((a, b) => a.city.localeCompare(b.city))) {
    const official = officialAsForecast(r);
    if (official) out.push(official);
    else if (isForecast.Check(r.payload)) out.push(r.payload);
    else logger?.warn({ id: r.id, city: r.city }, 'records: stored forecast is not a Forecast; skipped');
  }
  return out;
}

/** A signed consultation forecast (server/services/consult.ts forecastPayload) as the episode
 *  service's Forecast: the central AQI per day with the high end of the range (as the service
 *  is given it at the signature). Null for any other payload. */
function officialAsForecast(r: ForecastRecord): Forecast | null {
  const p = r.payload as { kind?: unknown; days?: { target: string; aqi: [number, number]; central: number; primary: string[] }[] } | null;
  if (p?.kind !== 'official' || !Array.isArray(p.days)) return null;
  return {
    city: r.city, source: r.source, issued: r.issuedAt, id: `${r.city}:${r.issuedAt}`,
    days: p.days.map((d) => ({ day: d.target, aqi: d.central, aqiHigh: d.aqi[1], primary: [...d.primary] })),
  };
}

/** The warning state without its history (the history is the stream itself). */
type StateNoHistory = Omit<CityWarning, 'history'>;

/** One lifecycle step (common/episodes/warning-state.ts) as an event of the city's warning
 *  stream: 'recommendation-cleared' is a 'recommended' event with no level. The state after the
 *  step rides in `basis`, so a restart resumes from it (recommendation, level in force, lift timer). */
export function stepToEvent(step: WarningStep, after: CityWarning, forecastId: number | null = null): WarningEventIn {
  const { history: _h, ...state } = after;
  return {
    city: after.city, scheme: after.scheme, kind: step.step === 'recommendation-cleared' ? 'recommended' : step.step, at: step.at,
    level: step.level === 'none' ? null : step.level,
    rule: step.rule?.id ?? null, reason: step.note ?? null,
    leadHours: step.step === 'recommended' ? after.recommended?.leadHours ?? null : null,
    basis: { ruleParams: step.rule?.params ?? null, state }, forecastId,
  };
}

/** A stream event back as the lifecycle step it was (who acted is the event's actor). */
export function eventToStep(e: WarningEvent): WarningStep {
  const params = (e.basis as { ruleParams?: Record<string, unknown> | null } | null)?.ruleParams ?? {};
  const step: WarningStep['step'] = e.kind === 'recommended' ? (e.level === null ? 'recommendation-cleared' : 'recommended') : e.kind === 'in_force' ? 'issued' : e.kind;
  return {
    step, at: e.at, level: (e.level ?? 'none') as WarningStep['level'],
    rule: e.rule ? { id: e.rule, params } : null, by: e.actor, ...(e.reason ? { note: e.reason } : {}),
  };
}

/** Record one lifecycle step of the service. */
export function saveWarningStep(records: Records, step: WarningStep, after: CityWarning, by: Actor = ENGINE_ACTOR, forecastId: number | null = null): Promise<WarningEvent> {
  return records.warnings.record(stepToEvent(step, after, forecastId), by);
}

/** Days of each stream given back as the warning's history (what the panels show). */
export const WARNING_HISTORY_DAYS = 90;

/** Each city's and scheme's warning state as its stream's last event left it, with the stream's
 *  last WARNING_HISTORY_DAYS as its history. A stream whose last event carries no state (written
 *  by another tool) is skipped and logged. */
export async function loadWarningStates(records: Records, now: number, logger?: Logger): Promise<CityWarning[]> {
  const out: CityWarning[] = [];
  for (const s of await records.warnings.currentAll()) {
    const since = now - WARNING_HISTORY_DAYS * 86_400_000;
    let evs = await records.warnings.history({ city: s.city, scheme: s.scheme, from: since, limit: 10_000 });
    // A stream quiet for longer than the history resumes from its last event all the same.
    if (!evs.length) evs = (await records.warnings.history({ city: s.city, scheme: s.scheme, limit: 10_000 })).slice(-1);
    const last = evs[evs.length - 1];
    const state = (last?.basis as { state?: StateNoHistory } | null)?.state;
    if (!last || !state || state.v !== 1) {
      logger?.warn({ city: s.city, scheme: s.scheme, seq: s.seq }, 'records: warning stream has no state to resume from; skipped');
      continue;
    }
    out.push({ ...state, city: s.city, scheme: s.scheme as Scheme, history: evs.map(eventToStep) });
  }
  return out;
}
