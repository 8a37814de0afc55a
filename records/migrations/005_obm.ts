/**
 * 005: box-model (OBM) runs (issue 18): one row per requested run of a station-day, its state,
 * who asked, and the result document once done. Independent of 002-004 (no references to them).
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, sql, withId } from './dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('obm_runs'))
    .addColumn('station', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('queued', 'running', 'done', 'failed')`))
    .addColumn('input_hash', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_from', 'text', (c) => c.notNull())
    .addColumn('requested_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('started_at', EPOCH_MS)
    .addColumn('finished_at', EPOCH_MS)
    .addColumn('result', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .execute();
  await db.schema.createIndex('obm_runs_station_day').on('obm_runs').columns(['station', 'day', 'requested_at']).execute();
  await db.schema.createIndex('obm_runs_state').on('obm_runs').column('state').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('obm_runs').execute();
}
