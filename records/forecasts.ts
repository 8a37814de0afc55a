/**
 * Forecasts with every version. A forecast is identified by (city, issue day, source); each time
 * it is issued again (a correction, a renewed guidance run, a re-signed consultation) a new
 * version is added that names the one it supersedes and why: nothing is edited in place, so
 * verification can score what was actually published at the time, and the audit log has the
 * before and after of every change.
 *
 * The payload is the forecast document itself (JSON: target days, AQI ranges, levels, primary
 * pollutants, key concentrations...); its shape belongs to the producer (common/schemas), the
 * record keeps it faithfully.
 */
import type { Selectable } from 'kysely';
import { appendAudit } from './audit.ts';
import { type Actor, actor, day, epochMs, json, limit, optNote, optText, parseJson, text } from './check.ts';
import { type RecordsContext, type Trx, lockStream, read, write } from './context.ts';
import { RecordsError } from './errors.ts';
import type { ForecastsTable } from './schema.ts';

export interface ForecastIn<P = unknown> {
  city: string;
  /** Beijing day of issue 'YYYY-MM-DD' (D of D+1..D+n). */
  issueDay: string;
  source: string;
  issuedAt: number;
  author?: string | null;
  payload: P;
  /** Why this version exists; required when it is not the first. */
  reason?: string | null;
  /** Optimistic concurrency: the version the caller is correcting (0 = "I expect none yet").
   *  When another version was added meanwhile the add fails with RECORDS_CONFLICT instead of
   *  silently superseding a version the caller has not seen. Omitted = supersede whatever is latest. */
  replaces?: number;
}

export interface ForecastRecord<P = unknown> {
  id: number;
  city: string;
  issueDay: string;
  source: string;
  version: number;
  issuedAt: number;
  author: string | null;
  payload: P;
  supersedes: number | null;
  reason: string | null;
  recordedAt: number;
}

export interface ForecastKey {
  city: string;
  issueDay: string;
  source: string;
}

export interface ForecastFilter {
  city?: string;
  source?: string;
  /** issue_day >= fromDay */
  fromDay?: string;
  /** issue_day <= toDay */
  toDay?: string;
  /** At most this many, newest issue day first (default 1,000, at most 10,000). */
  limit?: number;
}

export interface Forecasts {
  add<P>(f: ForecastIn<P>, by: Actor): Promise<ForecastRecord<P>>;
  get<P = unknown>(id: number): Promise<ForecastRecord<P> | null>;
  /** Every version of one forecast, oldest first. */
  versions<P = unknown>(key: ForecastKey): Promise<ForecastRecord<P>[]>;
  /** The latest version of each (city, issue day, source) matching, newest issue day first. */
  latest<P = unknown>(filter?: ForecastFilter): Promise<ForecastRecord<P>[]>;
  /** Every version matching, newest issue day first, then source, then version. */
  list<P = unknown>(filter?: ForecastFilter): Promise<ForecastRecord<P>[]>;
}

function decode<P>(r: Selectable<ForecastsTable>): ForecastRecord<P> {
  return {
    id: Number(r.id), city: r.city, issueDay: r.issue_day, source: r.source, version: Number(r.version),
    issuedAt: Number(r.issued_at), author: r.author, payload: parseJson(r.payload) as P,
    supersedes: r.supersedes === null ? null : Number(r.supersedes), reason: r.reason, recordedAt: Number(r.recorded_at),
  };
}

/** A forecast checked for the store: its row, and the version it expects to replace. */
export interface CheckedForecast {
  row: { city: string; issue_day: string; source: string; issued_at: number; author: string | null; payload: string; reason: string | null };
  replaces: number | undefined;
}

/** Check a forecast before any write begins (RECORDS_INVALID_INPUT naming the field). */
export function checkForecastIn<P>(f: ForecastIn<P>): CheckedForecast {
  if (!f || typeof f !== 'object') throw new RecordsError('RECORDS_INVALID_INPUT', 'forecast must be an object');
  if (f.replaces !== undefined && (!Number.isInteger(f.replaces) || f.replaces < 0)) {
    throw new RecordsError('RECORDS_INVALID_INPUT', `replaces ${String(f.replaces)} must be a version number >= 0`);
  }
  return {
    row: {
      city: text('city', f.city, 64), issue_day: day('issueDay', f.issueDay), source: text('source', f.source, 64),
      issued_at: epochMs('issuedAt', f.issuedAt), author: optText('author', f.author),
      payload: json('payload', f.payload), reason: optNote('reason', f.reason),
    },
    replaces: f.replaces,
  };
}

function checkFilter(f: ForecastFilter): void {
  if (f.city !== undefined) text('city', f.city, 64);
  if (f.source !== undefined) text('source', f.source, 64);
  if (f.fromDay !== undefined) day('fromDay', f.fromDay);
  if (f.toDay !== undefined) day('toDay', f.toDay);
}

async function latestOf(trx: Trx, k: { city: string; issue_day: string; source: string }) {
  return trx.selectFrom('forecasts').selectAll()
    .where('city', '=', k.city).where('issue_day', '=', k.issue_day).where('source', '=', k.source)
    .orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** Add a checked forecast as the next version of its (city, issue day, source) inside the caller's
 *  transaction, with its audit line: the one place versions are numbered (forecasts.add, and a
 *  consultation publishing its signed forecast in the same transaction as the op that signs it). */
export async function addForecastIn<P>(ctx: RecordsContext, trx: Trx, c: CheckedForecast, who: Actor): Promise<ForecastRecord<P>> {
  const { row, replaces } = c;
  await lockStream(ctx, trx, `forecast:${row.city}/${row.issue_day}/${row.source}`);
  const prev = await latestOf(trx, row);
  const prevVersion = prev ? Number(prev.version) : 0;
  if (replaces !== undefined && replaces !== prevVersion) {
    throw new RecordsError('RECORDS_CONFLICT', `forecast ${row.city}/${row.issue_day}/${row.source} is at version ${prevVersion}, not ${replaces}`);
  }
  if (prev && row.reason === null) {
    throw new RecordsError('RECORDS_INVALID_INPUT', `forecast ${row.city}/${row.issue_day}/${row.source} already has version ${prevVersion}: a new version needs a reason`);
  }
  const full = { ...row, version: prevVersion + 1, supersedes: prev ? Number(prev.id) : null, recorded_at: ctx.clock() };
  const { id } = await trx.insertInto('forecasts').values(full).returning('id').executeTakeFirstOrThrow();
  const rec = decode<P>({ id, ...full });
  await appendAudit(trx, full.recorded_at, {
    action: prev ? 'forecast.revised' : 'forecast.issued',
    target: `forecast:${row.city}/${row.issue_day}/${row.source}`,
    before: prev ? decode(prev) : null, after: rec,
  }, who);
  return rec;
}

export function createForecasts(ctx: RecordsContext): Forecasts {
  const filtered = (f: ForecastFilter) => {
    checkFilter(f);
    let q = ctx.db.selectFrom('forecasts as f').selectAll('f');
    if (f.city !== undefined) q = q.where('f.city', '=', f.city);
    if (f.source !== undefined) q = q.where('f.source', '=', f.source);
    if (f.fromDay !== undefined) q = q.where('f.issue_day', '>=', f.fromDay);
    if (f.toDay !== undefined) q = q.where('f.issue_day', '<=', f.toDay);
    return q;
  };
  return {
    add: async <P>(f: ForecastIn<P>, by: Actor) => {
      const c = checkForecastIn(f);
      const who = actor(by);
      return write(ctx, 'forecast add', (trx) => addForecastIn<P>(ctx, trx, c, who), { retry: c.replaces === undefined });
    },
    get: <P>(id: number) => read(ctx, 'forecast get', async (db) => {
      epochMs('id', id);
      const r = await db.selectFrom('forecasts').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? decode<P>(r) : null;
    }),
    versions: <P>(k: ForecastKey) => read(ctx, 'forecast versions', async (db) => {
      const rows = await db.selectFrom('forecasts').selectAll()
        .where('city', '=', text('city', k.city, 64)).where('issue_day', '=', day('issueDay', k.issueDay))
        .where('source', '=', text('source', k.source, 64)).orderBy('version', 'asc').execute();
      return rows.map((r) => decode<P>(r));
    }),
    latest: <P>(f: ForecastFilter = {}) => read(ctx, 'forecast latest', async () => {
      const rows = await filtered(f)
        // The latest version: no later version of the same forecast exists (portable; no window functions needed).
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('forecasts as g').select('g.id')
          .whereRef('g.city', '=', 'f.city').whereRef('g.issue_day', '=', 'f.issue_day')
          .whereRef('g.source', '=', 'f.source').whereRef('g.version', '>', 'f.version'))))
        .orderBy('f.issue_day', 'desc').orderBy('f.city').orderBy('f.source')
        .limit(limit(f.limit, 1000, 10_000)).execute();
      return rows.map((r) => decode<P>(r));
    }),
    list: <P>(f: ForecastFilter = {}) => read(ctx, 'forecast list', async () => {
      const rows = await filtered(f).orderBy('f.issue_day', 'desc').orderBy('f.city').orderBy('f.source').orderBy('f.version')
        .limit(limit(f.limit, 1000, 10_000)).execute();
      return rows.map((r) => decode<P>(r));
    }),
  };
}
