/**
 * 003: emergency and control measures (issue 19, common/measures/schema.ts), and their links to
 * episodes and warnings. Numbered 003 and independent of 002 (identities, another branch): no
 * column refers to a user table; who declared a measure is text, as in the audit log.
 *
 * `doc` holds the whole measure (JSON text, the Measure schema without v and id); the columns
 * beside it are copies of the fields that lists filter on. `measure_links` indexes the episode ids,
 * warning event ids and warning lifecycles a measure names, so "the measure of warning X" and
 * "the measures of episode E" are queries, not scans of JSON.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, refType, sql, withId } from './dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ref = refType(db);

  await withId(db, db.schema.createTable('measures'))
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('level', 'text')
    .addColumn('start_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('end_at', EPOCH_MS)
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .addCheckConstraint('measures_end_after_start', sql`end_at IS NULL OR end_at > start_at`)
    .execute();
  await db.schema.createIndex('measures_city_start').on('measures').columns(['city', 'start_at']).execute();

  await db.schema.createTable('measure_links')
    .addColumn('measure_id', ref, (c) => c.notNull().references('measures.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('measure_links_pk', ['measure_id', 'kind', 'ref'])
    .execute();
  await db.schema.createIndex('measure_links_ref').on('measure_links').columns(['kind', 'ref']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['measure_links', 'measures']) await db.schema.dropTable(t).execute();
}
