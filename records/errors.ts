/**
 * Coded errors of the system of record, in one table (as fastify's lib/errors.js, and like
 * stores/errors.ts for the time-series store). Callers branch on `code`; people read `message`,
 * which is always one line: `CODE: meaning: detail`. A write that throws has written nothing:
 * every repository write is one transaction (the record row and its audit line together).
 */
export const RECORDS_ERRORS = {
  /** DATABASE_URL (or another setting) the records cannot use. Fix the configuration. */
  RECORDS_BAD_CONFIG: 'bad configuration',
  /** The database could not be reached at start, after the bounded retries. */
  RECORDS_UNREACHABLE: 'database unreachable',
  /** A migration failed; the run was rolled back (nothing of it is left in the database). */
  RECORDS_MIGRATION_FAILED: 'migration failed',
  /** An argument the repositories refuse (bad day, unknown level, not JSON, too long...). */
  RECORDS_INVALID_INPUT: 'invalid input',
  /** The change is not allowed in the current state (e.g. lifting a warning that is not issued). */
  RECORDS_INVALID_STATE: 'not allowed in the current state',
  /** Someone else changed the same thing first (version or sequence taken). Retry on fresh state. */
  RECORDS_CONFLICT: 'conflicting change',
  /** A query or write failed in the database itself. */
  RECORDS_QUERY_FAILED: 'query failed',
  /** The records were closed. */
  RECORDS_CLOSED: 'records closed',
} as const;
export type RecordsErrorCode = keyof typeof RECORDS_ERRORS;

export class RecordsError extends Error {
  readonly code: RecordsErrorCode;
  /** True when the same call may succeed later (conflict, database down). */
  readonly retryable: boolean;
  constructor(code: RecordsErrorCode, detail: string, opts: { cause?: unknown; retryable?: boolean } = {}) {
    // One line, whatever the detail carries (driver messages sometimes span lines).
    super(`${code}: ${RECORDS_ERRORS[code]}: ${detail.replace(/\s*\n\s*/g, ' ')}`, { cause: opts.cause });
    this.name = 'RecordsError';
    this.code = code;
    this.retryable = opts.retryable ?? (code === 'RECORDS_CONFLICT' || code === 'RECORDS_UNREACHABLE');
  }
}

/** Unique-constraint violations of both dialects (SQLite SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY,
 *  PostgreSQL SQLSTATE 23505), and SQLite's "database changed under a deferred transaction". */
export function isConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_BUSY_SNAPSHOT' || code === '23505' || code === '40001';
}

/** Wrap whatever a driver threw into a coded error (coded errors pass through). */
export function toRecordsError(err: unknown, what: string): RecordsError {
  if (err instanceof RecordsError) return err;
  const msg = (err as Error)?.message ?? String(err);
  if (isConflict(err)) return new RecordsError('RECORDS_CONFLICT', `${what}: ${msg}`, { cause: err });
  return new RecordsError('RECORDS_QUERY_FAILED', `${what}: ${msg}`, { cause: err });
}
