/**
 * Forecast consultations (会商, issue 17) in the system of record: the room's document
 * (common/schemas/consult.ts ConsultDoc) stored whole as JSON, and every op applied to it as a
 * row numbered 1, 2, ... per consultation. The document model (who may change what, revisions,
 * sign-off) is common/consult/doc.ts; this repository only keeps what it decided, faithfully and
 * in order:
 *
 * - `append` is optimistic: it stores op n only on top of op n-1 (the caller applied it to the
 *   document at revision n-1), so a second server process or a stale caller is refused with
 *   RECORDS_CONFLICT and can never lose or reorder an op;
 * - an op id is stored at most once per consultation (the server answers a resent op with
 *   `findOp`);
 * - a sign-off publishes the official forecast (and the proposals) as the next forecast versions
 *   in the SAME transaction as the op, so there is never a signed document without its forecast,
 *   or a forecast without the op that signed it.
 *
 *   const doc = await records.consultations.open({ v: 1, city: 'beijing', issueDay, cycle: 1, ... }, by);
 *   const { applied, doc: next } = await records.consultations.append(doc.id, op, nextDoc, by);
 */
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import type { Selectable } from 'kysely';
import { AppliedOp, ConsultDoc, type ConsultState, type ConsultSummary } from '../common/schemas/consult.ts';
import { appendAudit } from './audit.ts';
import { type Actor, actor, day, ident, json, limit, parseJson, text } from './check.ts';
import { type RecordsContext, type Trx, lockStream, read, write } from './context.ts';
import { RecordsError } from './errors.ts';
import { type CheckedForecast, type ForecastIn, addForecastIn, checkForecastIn } from './forecasts.ts';
import type { ConsultationsTable } from './schema.ts';

/** What a sign-off publishes: the official forecast, then each participant's proposal (for verification). */
export interface ConsultPublish {
  official: ForecastIn;
  proposals: ForecastIn[];
}

export interface ConsultFilter {
  city?: string;
  issueDay?: string;
  /** issue_day >= fromDay */
  fromDay?: string;
  /** issue_day <= toDay */
  toDay?: string;
  states?: ConsultState[];
  /** newest first, at most this many (default 100, at most 1,000) */
  limit?: number;
}

export interface Consultations {
  /** Store a new consultation; the store numbers it (the returned doc has its id). RECORDS_CONFLICT
   *  when the city's issue day has this cycle already. */
  open(doc: Omit<ConsultDoc, 'id'>, by: Actor): Promise<ConsultDoc>;
  /** The cycle the next consultation of this city and issue day takes (1 if none yet). */
  nextCycle(city: string, issueDay: string): Promise<number>;
  get(id: number): Promise<ConsultDoc | null>;
  /** Store op `applied` (revision applied.seq) and the document it made, in one transaction with its
   *  audit line; with `publish`, the forecasts too, and the official one's id patched into the
   *  publication. RECORDS_CONFLICT unless the stored document is at applied.seq - 1. */
  append(id: number, applied: AppliedOp, doc: ConsultDoc, by: Actor, publish?: ConsultPublish): Promise<{ applied: AppliedOp; doc: ConsultDoc; forecastIds: number[] }>;
  /** The op with this client id, if it was applied. */
  findOp(id: number, opId: string): Promise<AppliedOp | null>;
  /** Ops after revision `afterSeq`, oldest first (default at most 1,000, at most 10,000). */
  ops(id: number, afterSeq?: number, limit?: number): Promise<AppliedOp[]>;
  list(filter?: ConsultFilter): Promise<ConsultSummary[]>;
}

const STATES: readonly ConsultState[] = ['open', 'published', 'correcting'];

function bad(detail: string): never {
  throw new RecordsError('RECORDS_INVALID_INPUT', detail);
}

/** A stored row's id: a positive safe integer. */
function rowId(what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) bad(`${what} ${String(v)} must be a positive integer`);
  return v;
}

function seqOf(what: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) bad(`${what} ${String(v)} must be an integer >= ${min}`);
  return v;
}

/** `v` against its schema, or RECORDS_INVALID_INPUT naming the first field at fault; then its JSON
 *  (which also bounds the size and refuses what JSON would change). */
function checked(what: string, schema: TSchema, v: unknown): string {
  if (!Value.Check(schema, v)) {
    const e = Value.Errors(schema, v).First();
    bad(`${what}${e?.path || ''} ${e?.message ?? 'does not match its schema'}`);
  }
  return json(what, v);
}

const summary = (d: ConsultDoc): ConsultSummary => ({
  id: d.id, city: d.city, issueDay: d.issueDay, kind: d.kind, cycle: d.cycle, state: d.state, deadline: d.deadline,
  openedAt: d.openedAt, seq: d.seq, versions: d.published.length, missedAt: d.missedAt,
});

const decode = (r: Pick<Selectable<ConsultationsTable>, 'doc'>): ConsultDoc => parseJson(r.doc) as ConsultDoc;

/** The forecast id a publication carries until the forecast is stored (a valid one, to check the shapes). */
const PENDING = 1;
const withForecastId = (a: AppliedOp, forecastId: number): AppliedOp => ({ ...a, publication: { ...a.publication!, forecastId } });
const docWithForecastId = (d: ConsultDoc, forecastId: number): ConsultDoc => ({
  ...d, published: d.published.map((p, i) => (i === d.published.length - 1 ? { ...p, forecastId } : p)),
});

const stream = (id: number) => `consultation:${id}`;

/** The audit before/after of an op: each path's value before the op's first change of it and after its last. */
function auditOf(a: AppliedOp, prev: { seq: number; state: string }) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const c of a.changes) {
    if (!(c.path in before)) before[c.path] = c.before;
    after[c.path] = c.after;
  }
  return {
    before: { seq: prev.seq, state: prev.state, changes: before },
    after: {
      seq: a.seq, state: a.state, opId: a.opId, changes: after,
      ...(a.comment ? { comment: a.comment } : {}), ...(a.publication ? { publication: a.publication } : {}),
    },
  };
}

function checkFilter(f: ConsultFilter): void {
  if (!f || typeof f !== 'object') bad('filter must be an object');
  if (f.city !== undefined) text('city', f.city, 64);
  if (f.issueDay !== undefined) day('issueDay', f.issueDay);
  if (f.fromDay !== undefined) day('fromDay', f.fromDay);
  if (f.toDay !== undefined) day('toDay', f.toDay);
  if (f.states !== undefined) {
    if (!Array.isArray(f.states) || f.states.length === 0) bad('states must be a non-empty list');
    for (const s of f.states) if (!STATES.includes(s)) bad(`state ${JSON.stringify(s)} is not one of ${STATES.join(', ')}`);
  }
}

export function createConsultations(ctx: RecordsContext): Consultations {
  const getIn = async (db: Trx | RecordsContext['db'], id: number) => {
    const r = await db.selectFrom('consultations').select(['doc', 'seq', 'state']).where('id', '=', id).executeTakeFirst();
    return r ? { doc: decode(r), seq: Number(r.seq), state: r.state } : null;
  };

  return {
    open: async (given, by) => {
      const who = actor(by);
      if (!given || typeof given !== 'object' || Array.isArray(given)) bad('doc must be an object');
      if ('id' in given) bad('a new consultation has no id: the store numbers it');
      // Checked with a placeholder id; the real one is the row's.
      checked('doc', ConsultDoc, { ...given, id: 1 });
      if (given.seq !== 0) bad(`a new consultation is at seq 0 (no op applied yet), not ${given.seq}`);
      text('doc.city', given.city, 64);
      day('doc.issueDay', given.issueDay);
      return write(ctx, 'consultation open', async (trx) => {
        await lockStream(ctx, trx, `consultation:${given.city}/${given.issueDay}`);
        const taken = await trx.selectFrom('consultations').select('id')
          .where('city', '=', given.city).where('issue_day', '=', given.issueDay).where('cycle', '=', given.cycle).executeTakeFirst();
        if (taken) throw new RecordsError('RECORDS_CONFLICT', `consultation ${given.city}/${given.issueDay} cycle ${given.cycle} exists already (id ${Number(taken.id)})`);
        const now = ctx.clock();
        const row = {
          city: given.city, issue_day: given.issueDay, cycle: given.cycle, kind: given.kind, state: given.state, seq: 0,
          deadline: given.deadline, opened_at: given.openedAt, opened_by: given.openedBy, doc: JSON.stringify(given), updated_at: now,
        };
        // The unique (city, issue_day, cycle) backs the check up against a writer the lock does not see.
        const { id } = await trx.insertInto('consultations').values(row).returning('id').executeTakeFirstOrThrow();
        const doc: ConsultDoc = { ...given, id: Number(id) };
        await trx.updateTable('consultations').set({ doc: JSON.stringify(doc) }).where('id', '=', doc.id).execute();
        await appendAudit(trx, now, { action: 'consultation.opened', target: stream(doc.id), before: null, after: summary(doc) }, who);
        return doc;
      }, { retry: false });
    },

    nextCycle: (city, issueDay) => read(ctx, 'consultation next cycle', async (db) => {
      const r = await db.selectFrom('consultations').select((eb) => eb.fn.max('cycle').as('max'))
        .where('city', '=', text('city', city, 64)).where('issue_day', '=', day('issueDay', issueDay)).executeTakeFirst();
      return r?.max == null ? 1 : Number(r.max) + 1;
    }),

    get: (id) => read(ctx, 'consultation get', async (db) => (await getIn(db, rowId('id', id)))?.doc ?? null),

    append: async (id, appliedIn, docIn, by, publish) => {
      const cid = rowId('id', id);
      const who = actor(by);
      const seq = seqOf('applied.seq', (appliedIn as Partial<AppliedOp> | null)?.seq, 1);
      let applied = appliedIn;
      let doc = docIn;
      let forecasts: CheckedForecast[] = [];
      if (publish !== undefined) {
        if (!publish || typeof publish !== 'object' || !Array.isArray(publish.proposals)) bad('publish must be { official, proposals: [] }');
        if (!applied.publication || typeof applied.publication !== 'object') bad('publish needs applied.publication (the publication the op made)');
        if (!doc || !Array.isArray(doc.published) || doc.published.length === 0) bad('publish needs doc.published to end with the publication');
        // The caller cannot know the official forecast's id yet: whatever it put there is replaced
        // (by a placeholder to check the shapes, by the id once the forecast is stored).
        applied = withForecastId(applied, PENDING);
        doc = docWithForecastId(doc, PENDING);
        forecasts = [publish.official, ...publish.proposals].map((f) => checkForecastIn(f));
      }
      checked('applied', AppliedOp, applied);
      text('applied.opId', applied.opId, 64);
      ident('applied.kind', applied.kind, 32);
      checked('doc', ConsultDoc, doc);
      if (doc.id !== cid) bad(`doc.id ${doc.id} is not consultation ${cid}`);
      if (doc.seq !== seq) throw new RecordsError('RECORDS_CONFLICT', `doc.seq ${doc.seq} is not the op's seq ${seq}: the document must be the one the op made`);
      if (doc.state !== applied.state) bad(`doc.state ${doc.state} is not the op's state ${applied.state}`);
      return write(ctx, 'consultation append', async (trx) => {
        await lockStream(ctx, trx, stream(cid));
        const cur = await getIn(trx, cid);
        if (!cur) bad(`consultation ${cid} does not exist`);
        if (cur.seq !== seq - 1) {
          throw new RecordsError('RECORDS_CONFLICT', `consultation ${cid} is at seq ${cur.seq}, not ${seq - 1}: op ${seq} must follow op ${seq - 1}; reload and apply again`);
        }
        for (const k of ['city', 'issueDay', 'cycle', 'kind', 'openedAt', 'openedBy'] as const) {
          if (doc[k] !== cur.doc[k]) bad(`doc.${k} ${String(doc[k])} differs from the stored ${String(cur.doc[k])}: an op cannot change what the consultation is`);
        }
        const dup = await trx.selectFrom('consultation_ops').select('seq')
          .where('consultation_id', '=', cid).where('op_id', '=', applied.opId).executeTakeFirst();
        if (dup) throw new RecordsError('RECORDS_CONFLICT', `op ${applied.opId} was applied to consultation ${cid} already (seq ${Number(dup.seq)})`);

        const forecastIds: number[] = [];
        for (const f of forecasts) forecastIds.push((await addForecastIn(ctx, trx, f, who)).id);
        if (publish !== undefined) {
          applied = withForecastId(applied, forecastIds[0]);
          doc = docWithForecastId(doc, forecastIds[0]);
        }
        const now = ctx.clock();
        await trx.insertInto('consultation_ops').values({
          consultation_id: cid, seq, op_id: applied.opId, actor: who.who, origin: who.from, at: applied.at, kind: applied.kind,
          applied: JSON.stringify(applied),
        }).execute();
        await trx.updateTable('consultations').set({ doc: JSON.stringify(doc), state: doc.state, seq, updated_at: now })
          .where('id', '=', cid).where('seq', '=', seq - 1).execute();
        const { before, after } = auditOf(applied, cur);
        await appendAudit(trx, now, { action: `consultation.${applied.kind}`, target: stream(cid), before, after }, who);
        return { applied, doc, forecastIds };
      }, { retry: false });
    },

    findOp: (id, opId) => read(ctx, 'consultation op', async (db) => {
      const r = await db.selectFrom('consultation_ops').select('applied')
        .where('consultation_id', '=', rowId('id', id)).where('op_id', '=', text('opId', opId, 64)).executeTakeFirst();
      return r ? (parseJson(r.applied) as AppliedOp) : null;
    }),

    ops: (id, afterSeq = 0, n) => read(ctx, 'consultation ops', async (db) => {
      const rows = await db.selectFrom('consultation_ops').select('applied')
        .where('consultation_id', '=', rowId('id', id)).where('seq', '>', seqOf('afterSeq', afterSeq, 0))
        .orderBy('seq', 'asc').limit(limit(n, 1000, 10_000)).execute();
      return rows.map((r) => parseJson(r.applied) as AppliedOp);
    }),

    list: (f = {}) => read(ctx, 'consultation list', async (db) => {
      checkFilter(f);
      let q = db.selectFrom('consultations').select('doc');
      if (f.city !== undefined) q = q.where('city', '=', f.city);
      if (f.issueDay !== undefined) q = q.where('issue_day', '=', f.issueDay);
      if (f.fromDay !== undefined) q = q.where('issue_day', '>=', f.fromDay);
      if (f.toDay !== undefined) q = q.where('issue_day', '<=', f.toDay);
      if (f.states !== undefined) q = q.where('state', 'in', f.states);
      const rows = await q.orderBy('issue_day', 'desc').orderBy('cycle', 'desc').orderBy('id', 'desc').limit(limit(f.limit, 100, 1000)).execute();
      return rows.map((r) => summary(decode(r)));
    }),
  };
}
