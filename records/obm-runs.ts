/**
 * Box-model runs (issue 18): who asked for which station-day, the run's state, and its result.
 * Each change of state appends its audit line in the same transaction: the request by the person
 * who asked, the finish or failure by the system. The result document belongs to its producer
 * (common/schemas/obm.ts ObmResult); the record keeps it faithfully.
 */
import type { Selectable } from 'kysely';
import { appendAudit } from './audit.ts';
import { type Actor, actor, day, epochMs, json, parseJson, text } from './check.ts';
import { type RecordsContext, read, write } from './context.ts';
import { RecordsError } from './errors.ts';
import type { ObmRunsTable } from './schema.ts';

export type ObmRunStateName = ObmRunsTable['state'];

export interface ObmRunRecord<R = unknown> {
  id: number;
  station: string;
  day: string;
  state: ObmRunStateName;
  inputHash: string;
  options: unknown;
  requestedBy: string;
  requestedFrom: string;
  requestedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  result: R | null;
  error: { code: string; message: string } | null;
}

export interface ObmRunIn {
  station: string;
  day: string;
  inputHash: string;
  options: unknown;
}

/** Who the system itself is in the audit log. */
export const SYSTEM: Actor = { who: 'system', from: 'obm-service' };

export interface ObmRuns {
  create(r: ObmRunIn, by: Actor): Promise<ObmRunRecord>;
  markRunning(id: number): Promise<void>;
  finish<R>(id: number, result: R, summary: unknown): Promise<void>;
  fail(id: number, error: { code: string; message: string }): Promise<void>;
  get<R>(id: number): Promise<ObmRunRecord<R> | null>;
  /** The newest finished run of a station-day over the same inputs (sha256), or null. */
  latestDone<R>(station: string, day: string, inputHash: string): Promise<ObmRunRecord<R> | null>;
  /** Runs left queued or running by a process that stopped: failed, so nobody waits for them. */
  failInterrupted(): Promise<number>;
}

function decode<R>(r: Selectable<ObmRunsTable>): ObmRunRecord<R> {
  return {
    id: Number(r.id), station: r.station, day: r.day, state: r.state, inputHash: r.input_hash,
    options: parseJson(r.options), requestedBy: r.requested_by, requestedFrom: r.requested_from,
    requestedAt: Number(r.requested_at), startedAt: r.started_at == null ? null : Number(r.started_at),
    finishedAt: r.finished_at == null ? null : Number(r.finished_at),
    result: parseJson(r.result) as R | null,
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
  };
}

const target = (station: string, d: string) => `obm:${station}/${d}`;

export function createObmRuns(ctx: RecordsContext): ObmRuns {
  const transition = async (id: number, from: readonly ObmRunStateName[], set: Partial<Selectable<ObmRunsTable>>, audit: { action: string; after: unknown } | null) => {
    epochMs('id', id);
    await write(ctx, 'obm run update', async (trx) => {
      const prev = await trx.selectFrom('obm_runs').selectAll().where('id', '=', id).executeTakeFirst();
      if (!prev) throw new RecordsError('RECORDS_INVALID_INPUT', `no obm run ${id}`);
      if (!from.includes(prev.state)) throw new RecordsError('RECORDS_INVALID_STATE', `obm run ${id} is ${prev.state}, not ${from.join(' or ')}`);
      await trx.updateTable('obm_runs').set(set).where('id', '=', id).execute();
      if (audit) await appendAudit(trx, ctx.clock(), { action: audit.action, target: target(prev.station, prev.day), before: { id, state: prev.state }, after: audit.after }, SYSTEM);
    }, { retry: false });
  };
  return {
    create: async (r, by) => {
      const who = actor(by);
      const row = {
        station: text('station', r.station, 64), day: day('day', r.day), state: 'queued' as const,
        input_hash: text('inputHash', r.inputHash, 128), options: json('options', r.options),
        requested_by: who.who, requested_from: who.from, requested_at: ctx.clock(),
        started_at: null, finished_at: null, result: null, error_code: null, error_message: null,
      };
      return write(ctx, 'obm run create', async (trx) => {
        const { id } = await trx.insertInto('obm_runs').values(row).returning('id').executeTakeFirstOrThrow();
        const rec = decode({ id, ...row });
        await appendAudit(trx, row.requested_at, { action: 'obm.run.requested', target: target(row.station, row.day), before: null, after: { id: rec.id, options: rec.options, inputHash: rec.inputHash } }, who);
        return rec;
      });
    },
    markRunning: (id) => transition(id, ['queued'], { state: 'running', started_at: ctx.clock() }, null),
    finish: (id, result, summary) => transition(id, ['running'], { state: 'done', finished_at: ctx.clock(), result: json('result', result) }, { action: 'obm.run.finished', after: { id, state: 'done', summary } }),
    fail: (id, error) => transition(id, ['queued', 'running'], {
      state: 'failed', finished_at: ctx.clock(), error_code: text('error.code', error.code, 64), error_message: error.message.slice(0, 2000),
    }, { action: 'obm.run.failed', after: { id, state: 'failed', error } }),
    get: (id) => read(ctx, 'obm run get', async (db) => {
      epochMs('id', id);
      const r = await db.selectFrom('obm_runs').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? decode(r) : null;
    }),
    latestDone: (station, d, hash) => read(ctx, 'obm run latest', async (db) => {
      const r = await db.selectFrom('obm_runs').selectAll().where('station', '=', station).where('day', '=', d)
        .where('input_hash', '=', hash).where('state', '=', 'done').orderBy('id', 'desc').limit(1).executeTakeFirst();
      return r ? decode(r) : null;
    }),
    failInterrupted: () => write(ctx, 'obm run interrupted', async (trx) => {
      const rows = await trx.selectFrom('obm_runs').select(['id', 'station', 'day', 'state']).where('state', 'in', ['queued', 'running']).execute();
      const at = ctx.clock();
      for (const r of rows) {
        await trx.updateTable('obm_runs').set({ state: 'failed', finished_at: at, error_code: 'AIRDESK_OBM_INTERRUPTED', error_message: 'the server stopped before the run finished' }).where('id', '=', r.id).execute();
        await appendAudit(trx, at, { action: 'obm.run.failed', target: target(r.station, r.day), before: { id: Number(r.id), state: r.state }, after: { id: Number(r.id), state: 'failed', error: { code: 'AIRDESK_OBM_INTERRUPTED' } } }, SYSTEM);
      }
      return rows.length;
    }),
  };
}
