/**
 * What every repository shares: the database, the clock, and the two ways in: `read` (one query,
 * errors coded) and `write` (one transaction: the record and its audit line commit together or
 * not at all; a conflict with a concurrent writer is retried a bounded number of times on fresh
 * state, when the caller allows it).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { RecordsError, toRecordsError } from './errors.ts';
import type { RecordsDb } from './schema.ts';

export interface RecordsContext {
  readonly db: Kysely<RecordsDb>;
  readonly clock: () => number;
  readonly dialect: 'sqlite' | 'postgres';
  closed: boolean;
}

export type Trx = Transaction<RecordsDb>;

/** Attempts of a write that lost a race (unique version/sequence taken by another writer). */
export const WRITE_ATTEMPTS = 3;

function open(ctx: RecordsContext, what: string): void {
  if (ctx.closed) throw new RecordsError('RECORDS_CLOSED', what);
}

export async function read<T>(ctx: RecordsContext, what: string, fn: (db: Kysely<RecordsDb>) => Promise<T>): Promise<T> {
  open(ctx, what);
  try {
    return await fn(ctx.db);
  } catch (err) {
    throw toRecordsError(err, what);
  }
}

export async function write<T>(ctx: RecordsContext, what: string, fn: (trx: Trx) => Promise<T>, opts: { retry?: boolean } = {}): Promise<T> {
  open(ctx, what);
  const attempts = opts.retry === false ? 1 : WRITE_ATTEMPTS;
  for (let i = 1; ; i++) {
    try {
      return await ctx.db.transaction().execute(fn);
    } catch (err) {
      const e = toRecordsError(err, what);
      if (e.code !== 'RECORDS_CONFLICT' || i >= attempts) throw e;
    }
  }
}

/** Serialise writers of one stream (a forecast's versions, a city's warning events) for the rest
 *  of the transaction. On PostgreSQL a transaction-scoped advisory lock on the stream's name, so
 *  concurrent server processes queue instead of racing for the next version number (the unique
 *  constraint still backs it up). On SQLite the transaction already holds the database's one write
 *  lock once it writes; nothing to do. */
export async function lockStream(ctx: RecordsContext, trx: Trx, stream: string): Promise<void> {
  if (ctx.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtextextended(${stream}, 0))`.execute(trx);
}
