/**
 * Coded store errors, in one table (as fastify's lib/errors.js). Callers branch on `code`, people
 * read `message`. A write that throws has written nothing the caller must undo: batches are
 * validated whole before the first byte goes out, and re-writing is idempotent.
 */
export const STORE_ERRORS = {
  /** A reading or VOC cycle the store refuses (NaN/Infinity, bad key, bad time, InfluxDB's HTTP
   *  400 incl. "partial write"). Not retryable: the gateway's drainer splits such a batch to find
   *  the culprit (dead letter `store.refused`) and writes the rest. */
  STORE_INVALID_INPUT: 'invalid input',
  /** The server or file could not be reached. Retryable. */
  STORE_UNREACHABLE: 'store unreachable',
  /** The server answered a write with an error other than 400 (credentials, database, 5xx): retryable. */
  STORE_WRITE_FAILED: 'write failed',
  /** A query failed. */
  STORE_QUERY_FAILED: 'query failed',
  /** Configuration the store cannot use (bad URL, bad database name). */
  STORE_BAD_CONFIG: 'bad configuration',
} as const;
export type StoreErrorCode = keyof typeof STORE_ERRORS;

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  /** True when the same call may succeed later (server down, 5xx). */
  readonly retryable: boolean;
  constructor(code: StoreErrorCode, detail: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(`${code}: ${STORE_ERRORS[code]}: ${detail}`, { cause: opts.cause });
    this.name = 'StoreError';
    this.code = code;
    this.retryable = opts.retryable ?? (code === 'STORE_UNREACHABLE');
  }
}
