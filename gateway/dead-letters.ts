/**
 * The dead-letter summary (what the gateway rejected, by reason), read from the gateway's spool.
 * The one reader: the server's /api/dead-letters/summary (wired by system/), `npm start`'s stack
 * and `airdesk deadletter` all call it, so they count the same way. The gateway owns the format.
 */
import { existsSync } from 'node:fs';
import type { DeadLetterSummary } from '#common/schemas/api.ts';
import { Spool } from './spool.ts';

/** The summary of an open spool (null = no spool: `available: false`). */
export function deadLetterSummary(spool: Spool | null, opts: { since?: number } = {}): DeadLetterSummary {
  if (!spool) return { available: false, total: 0, byReason: [] };
  const rows = spool.deadLetterSummary(opts.since);
  return {
    available: true,
    total: rows.reduce((s, r) => s + r.count, 0),
    byReason: rows.map((r) => ({ reason: r.reason, count: r.count, last: r.last })),
  };
}

export interface DeadLetterReader {
  summary(opts?: { since?: number }): DeadLetterSummary;
  close(): void;
}

/**
 * A read-only reader of the spool file another process (the gateway) writes; safe while it runs.
 * The file is opened when it first exists: a server may start before the gateway ever ran, and
 * until then the summary says `available: false`.
 */
export function openDeadLetterReader(spoolPath: string): DeadLetterReader {
  let spool: Spool | null = null;
  return {
    summary(opts = {}) {
      if (!spool && existsSync(spoolPath)) spool = new Spool(spoolPath, { readonly: true });
      return deadLetterSummary(spool, opts);
    },
    close() {
      spool?.close();
      spool = null;
    },
  };
}
