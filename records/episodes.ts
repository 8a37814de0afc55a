/**
 * What the episode service (server/services/episodes.ts) needs from the record, in terms of the
 * objects it already has (common/schemas/api.ts): save each posted Forecast as a version, save
 * each change of a recommended warning level as a 'recommended' event, and read both back at
 * start-up instead of from server-state.json. The service is not wired to it here (issue 13: the
 * lead integrates after the server's restructuring); this is the seam it plugs into.
 *
 * Restart promise: saving the same WarningState again (the service recomputes its warnings after a
 * restart) records nothing, so no event is stored twice.
 */
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Logger } from 'pino';
import { BEIJING_OFFSET_MS } from '../common/time.ts';
import { Forecast, WarningState } from '../common/schemas/api.ts';
import type { Actor } from './check.ts';
import { RecordsError } from './errors.ts';
import type { ForecastRecord } from './forecasts.ts';
import type { Records } from './open.ts';
import type { WarningEvent } from './warnings.ts';

/** Source of forecasts posted without one (POST /api/forecasts: "typed in at the desk"). */
export const DESK_SOURCE = 'desk';
/** Who the episode engine's recommendations are recorded as. */
export const ENGINE_ACTOR: Actor = Object.freeze({ who: 'system', from: 'episode-engine' });
/** POST /api/forecasts carries no reason; a repeat post the same day is recorded with this one. */
export const REPOST_REASON = 'posted again through the API (no reason given)';

const isForecast = TypeCompiler.Compile(Forecast);
const isWarningState = TypeCompiler.Compile(WarningState);

/** Beijing calendar day of an instant (the issue day of a forecast issued at `t`). */
export function beijingDayOf(t: number): string {
  return new Date(t + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

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
    const cur = best.get(r.city);
    if (!cur || r.issuedAt > cur.issuedAt || (r.issuedAt === cur.issuedAt && r.id > cur.id)) best.set(r.city, r);
  }
  const out: Forecast[] = [];
  for (const r of [...best.values()].sort((a, b) => a.city.localeCompare(b.city))) {
    if (isForecast.Check(r.payload)) out.push(r.payload);
    else logger?.warn({ id: r.id, city: r.city }, 'records: stored forecast is not a Forecast; skipped');
  }
  return out;
}

/** Record a warning state the service computed, as a 'recommended' event, when its level differs
 *  from the last recommendation of that city and scheme (null = nothing new was recorded). The
 *  whole state is kept as the event's basis, so loadWarnings gives it back as it was. */
export async function saveWarningState(records: Records, w: WarningState, opts: { by?: Actor; forecastId?: number } = {}): Promise<WarningEvent | null> {
  const { previous: _previous, ...state } = w as WarningState & { previous?: unknown };
  const cur = await records.warnings.current(w.city, w.scheme);
  if (cur.recommended && cur.recommended.level === w.level) return null;
  if (!cur.recommended && w.level === null) return null; // "no warning" before any warning: nothing happened
  const rule = (w.basis as { rule?: { id?: unknown } } | null)?.rule?.id;
  return records.warnings.record({
    city: w.city, scheme: w.scheme, kind: 'recommended', at: w.since ?? w.updated, level: w.level,
    rule: typeof rule === 'string' ? rule : null, reason: w.reason, basis: state, forecastId: opts.forecastId ?? null,
  }, opts.by ?? ENGINE_ACTOR);
}

/** The last recommended warning state of every city and scheme, as the service keeps them. */
export async function loadWarnings(records: Records, logger?: Logger): Promise<WarningState[]> {
  const out: WarningState[] = [];
  for (const s of await records.warnings.currentAll()) {
    if (!s.recommended) continue;
    const ev = await records.warnings.get(s.recommended.eventId);
    if (ev && isWarningState.Check(ev.basis)) out.push(ev.basis);
    else logger?.warn({ city: s.city, scheme: s.scheme, event: s.recommended.eventId }, 'records: stored warning state is not a WarningState; skipped');
  }
  return out;
}
