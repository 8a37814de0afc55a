/**
 * 002: identities (issue 15): users with roles and an argon2 password hash, browser sessions,
 * API and wall-display tokens, and the login failures that drive the lock-out. Secrets are never
 * stored: sessions and tokens keep the SHA-256 of the random value handed out, passwords their
 * argon2id hash. Flags are integers 0/1 on both dialects.
 */
import type { Kysely } from 'kysely';
import { EPOCH_MS, refType, withId } from './dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const ref = refType(db);

  await withId(db, db.schema.createTable('users'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text')
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('password_changed_at', EPOCH_MS)
    .addColumn('last_login_at', EPOCH_MS)
    .execute();

  await withId(db, db.schema.createTable('sessions'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', ref, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('last_seen_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('expires_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await withId(db, db.schema.createTable('api_tokens'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('user_id', ref, (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', EPOCH_MS, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('expires_at', EPOCH_MS)
    .addColumn('last_used_at', EPOCH_MS)
    .addColumn('revoked_at', EPOCH_MS)
    .addColumn('revoked_by', 'text')
    .execute();

  await withId(db, db.schema.createTable('login_failures'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('at', EPOCH_MS, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_failures_name_at').on('login_failures').columns(['name', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['login_failures', 'api_tokens', 'sessions', 'users']) await db.schema.dropTable(t).execute();
}
