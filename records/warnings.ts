/**
 * Heavy-pollution warnings as a lifecycle of events, per city and scheme (REF 3.1, 3.2):
 *
 *   recommended  the system (or a forecaster) says which level the rules call for; null = none.
 *                May happen at any time, inside or outside an issued warning.
 *   issued       the emergency office issues a warning at a level: starts a lifecycle, whose id
 *                is this event's id (warningId). Only when no warning is issued.
 *   in_force     the issued warning takes effect (at = the time it does), once per lifecycle.
 *   changed      the level is raised or lowered while the warning stands.
 *   lifted       the warning ends; the lifecycle is closed.
 *
 * Each (city, scheme) is one stream numbered 1, 2, ... (unique in the database), so two writers
 * cannot both append the "next" step: the loser retries on fresh state and, if its step is no
 * longer allowed, gets RECORDS_INVALID_STATE. Nothing is updated or deleted; the current state is
 * read from the events. Every event is audited in the same transaction.
 */
import type { Selectable } from 'kysely';
import { WARNING_RULES } from '../common/episodes/warning.ts';
import { appendAudit } from './audit.ts';
import { type Actor, actor, epochMs, json, limit, optNote, optText, parseJson, text } from './check.ts';
import { type RecordsContext, type Trx, lockStream, read, write } from './context.ts';
import { RecordsError } from './errors.ts';
import type { WarningEventsTable } from './schema.ts';

export const WARNING_EVENT_KINDS = ['recommended', 'issued', 'in_force', 'changed', 'lifted'] as const;
export type WarningEventKind = (typeof WARNING_EVENT_KINDS)[number];

/** Levels of each scheme, derived from the rule table (common/episodes/warning.ts) rather than
 *  retyped: 2018 blue..red, 2024 yellow..red (blue removed, REF 3.2). */
export const SCHEME_LEVELS: Readonly<Record<string, readonly string[]>> = (() => {
  const out: Record<string, string[]> = {};
  for (const id of Object.keys(WARNING_RULES)) {
    const [scheme, level] = id.split('-');
    (out[scheme] ??= []).includes(level) || out[scheme].push(level);
  }
  return Object.freeze(out);
})();

export interface WarningEventIn {
  city: string;
  scheme: string;
  kind: WarningEventKind;
  /** When it happened (epoch ms); for in_force, when the warning takes effect. */
  at: number;
  /** The level: required for issued and changed; null for a 'recommended' none; for in_force and
   *  lifted it may be omitted (the standing level is recorded). */
  level?: string | null;
  /** The rule that fired (e.g. '2024-orange-a' from common/episodes/warning.ts, or a city plan's clause). */
  rule?: string | null;
  reason?: string | null;
  /** Hours from issuing to the expected start of heavy pollution. */
  leadHours?: number | null;
  /** The series and rule the event rests on (JSON). */
  basis?: unknown;
  /** The forecast record (forecasts.id) it was judged on. */
  forecastId?: number | null;
}

export interface WarningEvent {
  id: number;
  city: string;
  scheme: string;
  seq: number;
  kind: WarningEventKind;
  at: number;
  level: string | null;
  warningId: number | null;
  rule: string | null;
  reason: string | null;
  actor: string;
  leadHours: number | null;
  basis: unknown;
  forecastId: number | null;
  recordedAt: number;
}

export interface WarningStatus {
  city: string;
  scheme: string;
  /** The latest recommendation (null when none was ever made). */
  recommended: { level: string | null; at: number; rule: string | null; eventId: number } | null;
  /** The issued warning standing now (null when none, or the last one was lifted). */
  active: { warningId: number; level: string; issuedAt: number; inForceAt: number | null; lastEventId: number } | null;
  /** Sequence number of the stream's last event (0 = no event yet). */
  seq: number;
}

export interface WarningFilter {
  city?: string;
  scheme?: string;
  warningId?: number;
  /** at >= from */
  from?: number;
  /** at < to */
  to?: number;
  /** At most this many, in stream order (default 1,000, at most 10,000). */
  limit?: number;
}

export interface Warnings {
  record(e: WarningEventIn, by: Actor): Promise<WarningEvent>;
  current(city: string, scheme: string): Promise<WarningStatus>;
  /** The state of every (city, scheme) that has an event, by city then scheme. */
  currentAll(): Promise<WarningStatus[]>;
  get(id: number): Promise<WarningEvent | null>;
  /** Events in stream order (by city, scheme, seq). */
  history(filter?: WarningFilter): Promise<WarningEvent[]>;
}

function decode(r: Selectable<WarningEventsTable>): WarningEvent {
  return {
    id: Number(r.id), city: r.city, scheme: r.scheme, seq: Number(r.seq), kind: r.kind as WarningEventKind, at: Number(r.at),
    level: r.level, warningId: r.warning_id === null ? null : Number(r.warning_id), rule: r.rule, reason: r.reason,
    actor: r.actor, leadHours: r.lead_hours === null ? null : Number(r.lead_hours), basis: parseJson(r.basis),
    forecastId: r.forecast_id === null ? null : Number(r.forecast_id), recordedAt: Number(r.recorded_at),
  };
}

function bad(detail: string): never {
  throw new RecordsError('RECORDS_INVALID_INPUT', detail);
}

function scheme(v: unknown): string {
  if (typeof v !== 'string' || !SCHEME_LEVELS[v]) bad(`scheme ${JSON.stringify(v)} must be one of ${Object.keys(SCHEME_LEVELS).join(', ')}`);
  return v;
}

function checkIn(e: WarningEventIn) {
  if (!e || typeof e !== 'object') bad('warning event must be an object');
  const sch = scheme(e.scheme);
  if (!(WARNING_EVENT_KINDS as readonly unknown[]).includes(e.kind)) bad(`kind ${JSON.stringify(e.kind)} must be one of ${WARNING_EVENT_KINDS.join(', ')}`);
  const level = e.level ?? null;
  if (level !== null && !SCHEME_LEVELS[sch].includes(level as string)) {
    bad(`level ${JSON.stringify(level)} is not a level of the ${sch} scheme (${SCHEME_LEVELS[sch].join(', ')})`);
  }
  if ((e.kind === 'issued' || e.kind === 'changed') && level === null) bad(`a '${e.kind}' event needs a level`);
  const lead = e.leadHours ?? null;
  if (lead !== null && (typeof lead !== 'number' || !Number.isFinite(lead) || Math.abs(lead) > 24 * 31)) bad(`leadHours ${String(lead)} must be a number of hours within a month`);
  const fid = e.forecastId ?? null;
  if (fid !== null) epochMs('forecastId', fid);
  return {
    city: text('city', e.city, 64), scheme: sch, kind: e.kind, at: epochMs('at', e.at), level: level as string | null,
    rule: optText('rule', e.rule), reason: optNote('reason', e.reason), lead_hours: lead,
    basis: e.basis === undefined ? null : json('basis', e.basis), forecast_id: fid,
  };
}

async function status(db: Trx | RecordsContext['db'], city: string, sch: string): Promise<WarningStatus> {
  const stream = () => db.selectFrom('warning_events').selectAll().where('city', '=', city).where('scheme', '=', sch);
  const last = await stream().orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const rec = await stream().where('kind', '=', 'recommended').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  // The last step of a lifecycle (recommendations inside a warning do not change its level).
  const step = await stream().where('warning_id', 'is not', null).where('kind', '!=', 'recommended').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let active: WarningStatus['active'] = null;
  if (step && step.kind !== 'lifted') {
    const wid = Number(step.warning_id);
    const events = await db.selectFrom('warning_events').select(['id', 'kind', 'at']).where('warning_id', '=', wid).where('kind', 'in', ['issued', 'in_force']).execute();
    const issued = events.find((x) => x.kind === 'issued');
    const inForce = events.find((x) => x.kind === 'in_force');
    active = { warningId: wid, level: step.level as string, issuedAt: Number(issued?.at), inForceAt: inForce ? Number(inForce.at) : null, lastEventId: Number(step.id) };
  }
  return {
    city, scheme: sch, seq: last ? Number(last.seq) : 0, active,
    recommended: rec ? { level: rec.level, at: Number(rec.at), rule: rec.rule, eventId: Number(rec.id) } : null,
  };
}

/** Is this step allowed now? Returns the level to store and the lifecycle it belongs to, or throws. */
function transition(row: ReturnType<typeof checkIn>, s: WarningStatus): { level: string | null; warningId: number | null | 'self' } {
  const where = `${row.city}/${row.scheme}`;
  const a = s.active;
  const state = (why: string): never => {
    throw new RecordsError('RECORDS_INVALID_STATE', `${row.kind} ${where}: ${why}`);
  };
  switch (row.kind) {
    case 'recommended':
      return { level: row.level, warningId: a?.warningId ?? null };
    case 'issued':
      if (a) state(`a ${a.level} warning (id ${a.warningId}) is already issued; record 'changed' or 'lifted'`);
      return { level: row.level, warningId: 'self' };
    default: {
      if (!a) return state('no warning is issued');
      if (row.at < a.issuedAt) state(`at ${row.at} is before the warning was issued (${a.issuedAt})`);
      if (row.kind === 'changed') {
        if (row.level === a.level) state(`the warning is already ${a.level}`);
        return { level: row.level, warningId: a.warningId };
      }
      if (row.level !== null && row.level !== a.level) state(`the standing level is ${a.level}, not ${row.level}`);
      if (row.kind === 'in_force' && a.inForceAt !== null) state(`the warning is in force since ${a.inForceAt}`);
      return { level: a.level, warningId: a.warningId };
    }
  }
}

export function createWarnings(ctx: RecordsContext): Warnings {
  return {
    record: async (e, by) => {
      const row = checkIn(e);
      const who = actor(by);
      return write(ctx, 'warning record', async (trx) => {
        await lockStream(ctx, trx, `warning:${row.city}/${row.scheme}`);
        const s = await status(trx, row.city, row.scheme);
        const t = transition(row, s);
        if (row.forecast_id !== null) {
          const f = await trx.selectFrom('forecasts').select('id').where('id', '=', row.forecast_id).executeTakeFirst();
          if (!f) bad(`forecastId ${row.forecast_id} is not a recorded forecast`);
        }
        const full = { ...row, level: t.level, seq: s.seq + 1, actor: who.who, warning_id: t.warningId === 'self' ? null : t.warningId, recorded_at: ctx.clock() };
        const { id } = await trx.insertInto('warning_events').values(full).returning('id').executeTakeFirstOrThrow();
        if (t.warningId === 'self') {
          // The lifecycle's id is its 'issued' event's own id, known only after the insert.
          await trx.updateTable('warning_events').set({ warning_id: id }).where('id', '=', id).execute();
          full.warning_id = Number(id);
        }
        const ev = decode({ id, ...full });
        await appendAudit(trx, full.recorded_at, {
          action: `warning.${row.kind}`, target: `warning:${row.city}/${row.scheme}`,
          before: { recommended: s.recommended, active: s.active }, after: ev,
        }, who);
        return ev;
      });
    },
    current: (city, sch) => read(ctx, 'warning current', async (db) => {
      return status(db, text('city', city, 64), scheme(sch));
    }),
    currentAll: () => read(ctx, 'warning current all', async (db) => {
      const streams = await db.selectFrom('warning_events').select(['city', 'scheme']).distinct().orderBy('city').orderBy('scheme').execute();
      const out: WarningStatus[] = [];
      for (const s of streams) out.push(await status(db, s.city, s.scheme));
      return out;
    }),
    get: (id) => read(ctx, 'warning get', async (db) => {
      const r = await db.selectFrom('warning_events').selectAll().where('id', '=', epochMs('id', id)).executeTakeFirst();
      return r ? decode(r) : null;
    }),
    history: (f = {}) => read(ctx, 'warning history', async (db) => {
      let q = db.selectFrom('warning_events').selectAll();
      if (f.city !== undefined) q = q.where('city', '=', text('city', f.city, 64));
      if (f.scheme !== undefined) q = q.where('scheme', '=', scheme(f.scheme));
      if (f.warningId !== undefined) q = q.where('warning_id', '=', epochMs('warningId', f.warningId));
      if (f.from !== undefined) q = q.where('at', '>=', epochMs('from', f.from));
      if (f.to !== undefined) q = q.where('at', '<', epochMs('to', f.to));
      const rows = await q.orderBy('city').orderBy('scheme').orderBy('seq').limit(limit(f.limit, 1000, 10_000)).execute();
      return rows.map(decode);
    }),
  };
}
