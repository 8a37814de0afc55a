/**
 * The audit log: who did what, when, from where, to what, with the state before and after.
 * Append-only at the API level: there is no update or delete method, and every other repository
 * appends its audit line inside the same transaction as the change it describes, so no change is
 * committed without its line (and no line without its change). On PostgreSQL an operator can make
 * it append-only in the database too (docs/records.md, REVOKE UPDATE, DELETE).
 */
import { isoBeijing } from '../common/time.ts';
import { type Actor, actor, epochMs, ident, limit, optJson, optText, parseJson, text } from './check.ts';
import { type RecordsContext, type Trx, read, write } from './context.ts';
import type { AuditLogTable } from './schema.ts';
import { sql, type Selectable } from 'kysely';

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  origin: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
}

export interface AuditIn {
  /** Dotted verb, e.g. 'forecast.issued', 'user.login', 'setting.set'. */
  action: string;
  /** What it was done to, e.g. 'forecast:beijing/2026-12-01/desk', 'user:42'. */
  target: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditFilter {
  actor?: string;
  /** Exact action, or a prefix ending in '.' ('forecast.' = every forecast action). */
  action?: string;
  target?: string;
  /** at >= from (epoch ms). */
  from?: number;
  /** at < to. */
  to?: number;
  /** Newest first, at most this many (default 100, at most 10,000). */
  limit?: number;
  /** Only entries with a smaller id (paging backwards through the log). */
  beforeId?: number;
}

export interface AuditLog {
  append(entry: AuditIn, by: Actor): Promise<AuditEntry>;
  /** Newest first. */
  list(filter?: AuditFilter): Promise<AuditEntry[]>;
  /** Every matching entry (no limit), oldest first, as CSV (auditCsv). */
  exportCsv(filter?: Omit<AuditFilter, 'limit' | 'beforeId'>): Promise<string>;
}

function decode(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: Number(r.id), at: Number(r.at), actor: r.actor, origin: r.origin, action: r.action, target: r.target,
    before: parseJson(r.before), after: parseJson(r.after),
  };
}

/** Append one line inside the caller's transaction (used by every repository's writes). */
export async function appendAudit(trx: Trx, at: number, entry: AuditIn, by: Actor): Promise<AuditEntry> {
  const row = {
    at, actor: by.who, origin: by.from,
    action: ident('action', entry.action, 64), target: text('target', entry.target, 256),
    before: optJson('before', entry.before), after: optJson('after', entry.after),
  };
  const { id } = await trx.insertInto('audit_log').values(row).returning('id').executeTakeFirstOrThrow();
  return decode({ id, ...row });
}

function checkFilter(f: AuditFilter): AuditFilter {
  if (f.actor !== undefined) text('actor', f.actor);
  if (f.action !== undefined) ident('action', f.action, 64);
  if (f.target !== undefined) text('target', f.target, 256);
  if (f.from !== undefined) epochMs('from', f.from);
  if (f.to !== undefined) epochMs('to', f.to);
  if (f.beforeId !== undefined) epochMs('beforeId', f.beforeId);
  return f;
}

// Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
const FORMULA = /^[=+\-@\t\r]/;

function cell(v: string): string {
  const s = FORMULA.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const AUDIT_CSV_HEADER = ['id', 'time_beijing', 'at_ms', 'actor', 'origin', 'action', 'target', 'before', 'after'] as const;

/** RFC 4180 CSV (CRLF line ends, quotes doubled) of audit entries, one per line, times in Beijing
 *  ISO 8601 plus epoch ms; before/after as JSON text. Cells a spreadsheet would run as a formula
 *  get a leading apostrophe. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [AUDIT_CSV_HEADER.join(',')];
  for (const e of entries) {
    lines.push([
      String(e.id), isoBeijing(e.at), String(e.at), e.actor, e.origin, e.action, e.target,
      e.before === null ? '' : JSON.stringify(e.before), e.after === null ? '' : JSON.stringify(e.after),
    ].map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function createAuditLog(ctx: RecordsContext): AuditLog {
  const query = (f: AuditFilter) => {
    checkFilter(f);
    let q = ctx.db.selectFrom('audit_log').selectAll();
    if (f.actor !== undefined) q = q.where('actor', '=', f.actor);
    if (f.action !== undefined) {
      // A prefix by substr, not LIKE: '_' is a LIKE wildcard and the two dialects escape differently.
      const a = f.action;
      q = a.endsWith('.') ? q.where(sql<string>`substr(action, 1, ${a.length})`, '=', a) : q.where('action', '=', a);
    }
    if (f.target !== undefined) q = q.where('target', '=', f.target);
    if (f.from !== undefined) q = q.where('at', '>=', f.from);
    if (f.to !== undefined) q = q.where('at', '<', f.to);
    if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
    return q;
  };
  return {
    append: async (entry, by) => {
      const who = actor(by);
      return write(ctx, 'audit append', (trx) => appendAudit(trx, ctx.clock(), entry, who), { retry: false });
    },
    list: (filter = {}) => read(ctx, 'audit list', async () => {
      const n = limit(filter.limit, 100, 10_000);
      const rows = await query(filter).orderBy('id', 'desc').limit(n).execute();
      return rows.map(decode);
    }),
    exportCsv: (filter = {}) => read(ctx, 'audit export', async () => {
      // Pages of 1,000 by id keep each query small on a long log.
      const out: AuditEntry[] = [];
      let after = 0;
      for (;;) {
        const rows = await query(filter).where('id', '>', after).orderBy('id', 'asc').limit(1000).execute();
        out.push(...rows.map(decode));
        if (rows.length < 1000) break;
        after = Number(rows[rows.length - 1].id);
      }
      return auditCsv(out);
    }),
  };
}
