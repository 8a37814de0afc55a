/**
 * 006: forecast consultations (issue 17, common/schemas/consult.ts). One row per consultation
 * (a city's issue day and cycle) holding the whole document as JSON with the columns lists filter
 * on beside it, and one row per applied op, numbered 1, 2, ... per consultation: the op stream is
 * the document's history, so a restart replays nothing and a resent op is found by its client id.
 * Independent of 002-005 (who opened or acted is text, as in the audit log).
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, refType, sql, withId } from './dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('consultations'))
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('issue_day', 'text', (c) => c.notNull())
    .addColumn('cycle', 'integer', (c) => c.notNull().check(sql`cycle >= 1`))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('regular', 'emergency')`))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 0`))
    .addColumn('deadline', EPOCH_MS, (c) => c.notNull())
    .addColumn('opened_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('opened_by', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .addUniqueConstraint('consultations_city_day_cycle', ['city', 'issue_day', 'cycle'])
    .execute();
  await db.schema.createIndex('consultations_city_day').on('consultations').columns(['city', 'issue_day']).execute();

  await withId(db, db.schema.createTable('consultation_ops'))
    .addColumn('consultation_id', refType(db), (c) => c.notNull().references('consultations.id'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 1`))
    .addColumn('op_id', 'text', (c) => c.notNull())
    // `actor`/`origin` as in audit_log (and not `by`, an SQL keyword a hand-written query would trip on).
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('at', EPOCH_MS, (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('applied', 'text', (c) => c.notNull())
    // The two rules of the stream: never two ops at one revision, never one op applied twice.
    .addUniqueConstraint('consultation_ops_seq', ['consultation_id', 'seq'])
    .addUniqueConstraint('consultation_ops_op_id', ['consultation_id', 'op_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['consultation_ops', 'consultations']) await db.schema.dropTable(t).execute();
}
