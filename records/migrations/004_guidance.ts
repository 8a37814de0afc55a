/**
 * 004: verification of forecasts (issue 16). One row per verification of one forecast (city,
 * target day, source, lead) against the observed day; when late data or a review changes the
 * observation the day is verified again and a new version is added (nothing edited in place), so
 * the scores of the time can be reproduced. 002 and 003 belong to other issues.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, refType, sql, withId } from './dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('verifications'))
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('target_day', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('lead_days', 'integer', (c) => c.notNull().check(sql`lead_days >= 1`))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('issue_day', 'text', (c) => c.notNull())
    .addColumn('forecast_id', refType(db), (c) => c.notNull().references('forecasts.id'))
    .addColumn('forecast', 'text', (c) => c.notNull())
    .addColumn('observed', 'text', (c) => c.notNull())
    .addColumn('obs_key', 'text', (c) => c.notNull())
    .addColumn('computed_at', EPOCH_MS, (c) => c.notNull())
    .addUniqueConstraint('verifications_version_unique', ['city', 'target_day', 'source', 'lead_days', 'version'])
    .execute();
  await db.schema.createIndex('verifications_city_target').on('verifications').columns(['city', 'target_day']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('verifications').execute();
}
