/**
 * Small helpers the migrations share so one migration file serves both dialects. A migration is a
 * historical snapshot: once released it never changes; a later change is a new numbered file.
 */
import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';

export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An integer id chosen by the database: SQLite's rowid alias (INTEGER PRIMARY KEY AUTOINCREMENT,
 *  never reused after a delete) or a PostgreSQL identity column. */
export function withId<T extends string>(db: Kysely<unknown>, t: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return isPostgres(db)
    ? t.addColumn('id', 'bigint', (c: ColumnDefinitionBuilder) => c.primaryKey().generatedByDefaultAsIdentity())
    : t.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
}

/** Epoch ms: BIGINT (SQLite gives it INTEGER affinity; PostgreSQL int8, parsed back to a number). */
export const EPOCH_MS = 'bigint' as const;
/** A reference to another table's id, with the same type as withId's. */
export function refType(db: Kysely<unknown>): 'bigint' | 'integer' {
  return isPostgres(db) ? 'bigint' : 'integer';
}
export { sql };
