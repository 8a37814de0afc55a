/**
 * 001: the first tables of the system of record (issue 13): forecasts with every version, warning
 * events (the lifecycle of each warning), the append-only audit log and settings.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, refType, sql, withId } from './dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ref = refType(db);

  await withId(db, db.schema.createTable('forecasts'))
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('issue_day', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('issued_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('author', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('supersedes', ref, (c) => c.references('forecasts.id'))
    .addColumn('reason', 'text')
    .addColumn('recorded_at', EPOCH_MS, (c) => c.notNull())
    .addUniqueConstraint('forecasts_version_unique', ['city', 'issue_day', 'source', 'version'])
    .execute();
  await db.schema.createIndex('forecasts_city_issued').on('forecasts').columns(['city', 'issued_at']).execute();

  await withId(db, db.schema.createTable('warning_events'))
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('scheme', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 1`))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', EPOCH_MS, (c) => c.notNull())
    .addColumn('level', 'text')
    .addColumn('warning_id', ref, (c) => c.references('warning_events.id'))
    .addColumn('rule', 'text')
    .addColumn('reason', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('lead_hours', 'double precision')
    .addColumn('basis', 'text')
    .addColumn('forecast_id', ref, (c) => c.references('forecasts.id'))
    .addColumn('recorded_at', EPOCH_MS, (c) => c.notNull())
    .addUniqueConstraint('warning_events_seq_unique', ['city', 'scheme', 'seq'])
    .execute();
  await db.schema.createIndex('warning_events_warning').on('warning_events').column('warning_id').execute();
  await db.schema.createIndex('warning_events_at').on('warning_events').column('at').execute();

  await withId(db, db.schema.createTable('audit_log'))
    .addColumn('at', EPOCH_MS, (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor', 'at']).execute();
  await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target', 'at']).execute();

  await db.schema.createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['settings', 'audit_log', 'warning_events', 'forecasts']) await db.schema.dropTable(t).execute();
}
