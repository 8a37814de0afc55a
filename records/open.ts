/**
 * Open the system of record: embedded SQLite (a file under the data dir) by default, PostgreSQL
 * when DATABASE_URL is set, the way Grafana and Home Assistant do it. Checks the URL, connects
 * with a bounded retry, runs the pending migrations (one transaction: a migration that fails
 * half-way leaves nothing of the run behind) and returns the repositories. Every failure is one
 * coded line (records/errors.ts); the password of a URL never appears in it.
 *
 * Env (read by each process's config through recordsConfigFromEnv):
 *   DATABASE_URL      postgres://user[:password]@host[:port]/database[?sslmode=...]; unset or empty = SQLite
 *   AIRDESK_DATA_DIR  folder of the SQLite file records.sqlite (default ./.airdesk)
 */
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { type AuditLog, createAuditLog } from './audit.ts';
import type { RecordsContext } from './context.ts';
import { RecordsError } from './errors.ts';
import { type Consultations, createConsultations } from './consultations.ts';
import { type Forecasts, createForecasts } from './forecasts.ts';
import { type Measures, createMeasures } from './measures.ts';
import { MIGRATIONS } from './migrations/index.ts';
import type { RecordsDb } from './schema.ts';
import { type Settings, createSettings } from './settings.ts';
import { type Warnings, createWarnings } from './warnings.ts';
import { type Verifications, createVerifications } from './verifications.ts';
import { type ObmRuns, createObmRuns } from './obm-runs.ts';
import { type Users, createUsers } from './users.ts';
import { type Sessions, createSessions } from './sessions.ts';
import { type Tokens, createTokens } from './tokens.ts';

export const DEFAULT_DATA_DIR = './.airdesk';
export const RECORDS_FILE = 'records.sqlite';

export interface OpenRecordsOptions {
  /** postgres:// or postgresql:// URL; unset or empty = SQLite at sqlitePath. */
  databaseUrl?: string;
  /** SQLite file (':memory:' for tests); default ./.airdesk/records.sqlite. */
  sqlitePath?: string;
  logger?: Logger;
  /** Connection attempts before giving up (default 5) and the first wait between them in ms
   *  (default 500, doubled each time, at most 4 s): about 7.5 s for a database still starting. */
  connectAttempts?: number;
  retryDelayMs?: number;
  /** Clock for recorded_at and audit times (default Date.now). */
  clock?: () => number;
  /** The migrations to run (default: records/migrations). For tests of a failing migration. */
  migrations?: Readonly<Record<string, Migration>>;
}

export interface Records {
  readonly dialect: 'sqlite' | 'postgres';
  /** Where it is, for logs: the SQLite path or the URL without its password. */
  readonly where: string;
  readonly forecasts: Forecasts;
  readonly warnings: Warnings;
  readonly audit: AuditLog;
  readonly settings: Settings;
  /** Verifications of forecasts (004_guidance). */
  readonly verifications: Verifications;
  /** Box-model runs and their results (issue 18). */
  readonly obmRuns: ObmRuns;
  /** Emergency and control measures (records/measures.ts). */
  readonly measures: Measures;
  /** Forecast consultations and their ops (records/consultations.ts). */
  readonly consultations: Consultations;
  /** Identities (migration 002): users and login failures, browser sessions, API and display tokens. */
  readonly users: Users;
  readonly sessions: Sessions;
  readonly tokens: Tokens;
  /** The typed query layer, for repositories added by later issues (in records/). */
  readonly db: Kysely<RecordsDb>;
  /** Migrations applied, oldest first. */
  readonly migrations: readonly string[];
  close(): Promise<void>;
}

/** SQLite does run DDL inside transactions, but Kysely's adapter says it does not, so its Migrator
 *  would run migrations bare and a failure half-way would leave half a schema. This adapter tells
 *  the truth, so the Migrator wraps the whole run in one transaction on SQLite as on PostgreSQL. */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
class AirdeskSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalSqliteAdapter();
  }
}

/** The URL with its password replaced, for messages. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** Check a DATABASE_URL: postgres:// or postgresql://, a host, a database name. Throws RECORDS_BAD_CONFIG. */
export function parseDatabaseUrl(raw: string): URL {
  const bad = (why: string): never => {
    throw new RecordsError('RECORDS_BAD_CONFIG', `DATABASE_URL ${why} (expected postgres://user@host[:port]/database; unset it for the embedded SQLite file)`);
  };
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return bad(`${JSON.stringify(raw.replace(/:[^:@/]*@/, ':***@'))} is not a URL`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') bad(`scheme must be postgres:// or postgresql://, got ${u.protocol}//`);
  if (!u.hostname) bad('has no host');
  const db = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!db || db.includes('/')) bad(`needs one database name in its path, got ${JSON.stringify(u.pathname)}`);
  return u;
}

export interface RecordsEnv {
  databaseUrl?: string;
  sqlitePath: string;
}

/** The records part of a process's config, from the environment (call once, in main). Fails at
 *  start-up on a malformed DATABASE_URL, not at the first write. */
export function recordsConfigFromEnv(env: Readonly<Record<string, string | undefined>>): Readonly<RecordsEnv> {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl) parseDatabaseUrl(databaseUrl);
  const dataDir = env.AIRDESK_DATA_DIR?.trim() || DEFAULT_DATA_DIR;
  return Object.freeze({ databaseUrl, sqlitePath: path.join(dataDir, RECORDS_FILE) });
}

const INT8_OID = 20;

/** PostgreSQL errors that retrying will not cure: bad password, no such database or role. */
function permanent(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === '28P01' || code === '28000' || code === '3D000' || code === '42501';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function openSqlite(file: string): { dialect: SqliteDialect; where: string } {
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new Database(file);
    try {
      // WAL: readers do not block the writer; FULL: a committed record survives a power cut;
      // busy_timeout: a second process waits for the write lock instead of failing at once.
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = FULL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
    } catch (err) {
      sqlite.close();
      throw err;
    }
    return { dialect: new AirdeskSqliteDialect({ database: sqlite }), where: file };
  } catch (err) {
    throw new RecordsError('RECORDS_UNREACHABLE', `cannot open SQLite file ${file}: ${(err as Error).message}`, { cause: err });
  }
}

async function connectPostgres(url: string, attempts: number, firstDelay: number, logger?: Logger): Promise<pg.Pool> {
  const where = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url, max: 10, connectionTimeoutMillis: 5000,
    // int8 (BIGINT: epoch ms, ids, counts) as a JS number: every value we store is a safe integer.
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser },
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', (err) => logger?.warn({ err: err.message }, 'records: idle PostgreSQL connection failed'));
  let delay = firstDelay;
  for (let i = 1; ; i++) {
    try {
      const c = await pool.connect();
      try {
        await c.query('SELECT 1');
      } finally {
        c.release();
      }
      return pool;
    } catch (err) {
      const msg = (err as Error).message || String((err as { code?: unknown }).code ?? err);
      if (permanent(err) || i >= attempts) {
        await pool.end().catch(() => {});
        const perm = permanent(err);
        throw new RecordsError('RECORDS_UNREACHABLE', `${where}: ${msg}${perm ? '' : ` (after ${i} attempt${i > 1 ? 's' : ''})`}`, { cause: err, retryable: !perm });
      }
      logger?.warn({ where, attempt: i, err: msg }, 'records: database not reachable yet; retrying');
      await sleep(delay);
      delay = Math.min(delay * 2, 4000);
    }
  }
}

/** A Migrator over the given migrations (for start-up, and for tests that go up and down). */
export function createMigrator(db: Kysely<any>, migrations: Readonly<Record<string, Migration>> = MIGRATIONS): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => ({ ...migrations }) } });
}

export async function openRecords(opts: OpenRecordsOptions = {}): Promise<Records> {
  const url = opts.databaseUrl?.trim() || undefined;
  let kdb: Kysely<RecordsDb>;
  let dialect: Records['dialect'];
  let where: string;
  if (url) {
    parseDatabaseUrl(url);
    const pool = await connectPostgres(url, Math.max(1, opts.connectAttempts ?? 5), opts.retryDelayMs ?? 500, opts.logger);
    kdb = new Kysely<RecordsDb>({ dialect: new PostgresDialect({ pool }) });
    dialect = 'postgres';
    where = redactUrl(url);
  } else {
    const s = openSqlite(opts.sqlitePath ?? path.join(DEFAULT_DATA_DIR, RECORDS_FILE));
    kdb = new Kysely<RecordsDb>({ dialect: s.dialect });
    dialect = 'sqlite';
    where = s.where;
  }

  const { error, results } = await createMigrator(kdb, opts.migrations ?? MIGRATIONS).migrateToLatest();
  if (error) {
    await kdb.destroy().catch(() => {});
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const msg = (error as Error)?.message ?? String(error);
    throw new RecordsError('RECORDS_MIGRATION_FAILED', `${failed ? `migration ${failed}` : 'migrating'} on ${where}: ${msg}; rolled back, nothing applied`, { cause: error });
  }
  const applied = (await createMigrator(kdb, opts.migrations ?? MIGRATIONS).getMigrations()).filter((m) => m.executedAt).map((m) => m.name);
  const ran = (results ?? []).map((r) => r.migrationName);
  opts.logger?.info({ dialect, where, migrations: applied.length, ran }, 'records open');

  const ctx: RecordsContext = { db: kdb, clock: opts.clock ?? Date.now, dialect, closed: false };
  return {
    dialect, where, db: kdb, migrations: applied,
    forecasts: createForecasts(ctx), warnings: createWarnings(ctx), audit: createAuditLog(ctx), settings: createSettings(ctx),
    verifications: createVerifications(ctx),
    obmRuns: createObmRuns(ctx),
    measures: createMeasures(ctx),
    consultations: createConsultations(ctx),
    users: createUsers(ctx), sessions: createSessions(ctx), tokens: createTokens(ctx),
    close: async () => {
      if (ctx.closed) return;
      ctx.closed = true;
      await kdb.destroy();
    },
  };
}
