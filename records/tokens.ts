/**
 * Tokens for machines and walls. An 'api' token acts for its owner, narrowed to its scopes (a
 * subset of the owner's actions, checked again at every use, so taking a role from the owner takes
 * it from the token too); a 'display' token is a wall: read only, no owner. Only the SHA-256 of a
 * token is stored, with its first characters to recognise it in a list. Created, listed,
 * revoked (never deleted: the list keeps who revoked what), every change audited.
 */
import type { Selectable } from 'kysely';
import { isAction, type Action } from '../common/auth/permissions.ts';
import { appendAudit } from './audit.ts';
import { type Actor, actor, epochMs, text } from './check.ts';
import { type RecordsContext, read, write } from './context.ts';
import { RecordsError } from './errors.ts';
import type { ApiTokensTable } from './schema.ts';

export type TokenKind = 'api' | 'display';

export interface Token {
  id: number;
  kind: TokenKind;
  name: string;
  tokenHash: string;
  prefix: string;
  userId: number | null;
  scopes: Action[];
  createdAt: number;
  createdBy: string;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
  revokedBy: string | null;
}

export interface TokenIn {
  kind: TokenKind;
  name: string;
  tokenHash: string;
  prefix: string;
  userId?: number | null;
  scopes: readonly Action[];
  expiresAt?: number | null;
}

export interface Tokens {
  create(t: TokenIn, by: Actor): Promise<Token>;
  byHash(tokenHash: string): Promise<Token | null>;
  byId(id: number): Promise<Token | null>;
  /** Newest first; revoked ones included (they say who revoked them). */
  list(filter?: { kind?: TokenKind; userId?: number }): Promise<Token[]>;
  touch(id: number, at: number): Promise<void>;
  revoke(id: number, by: Actor): Promise<Token>;
}

function decode(r: Selectable<ApiTokensTable>): Token {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: Number(r.id), kind: r.kind as TokenKind, name: r.name, tokenHash: r.token_hash, prefix: r.prefix, userId: n(r.user_id),
    scopes: JSON.parse(r.scopes) as Action[], createdAt: Number(r.created_at), createdBy: r.created_by, expiresAt: n(r.expires_at),
    lastUsedAt: n(r.last_used_at), revokedAt: n(r.revoked_at), revokedBy: r.revoked_by,
  };
}

/** A token as listed and audited: never its hash. */
export const shownToken = ({ tokenHash: _h, ...t }: Token) => t;

function bad(detail: string): never {
  throw new RecordsError('RECORDS_INVALID_INPUT', detail);
}

export function createTokens(ctx: RecordsContext): Tokens {
  return {
    create: async (t, by) => {
      const who = actor(by);
      if (t.kind !== 'api' && t.kind !== 'display') bad(`token kind ${JSON.stringify(t.kind)} must be api or display`);
      if (!/^[0-9a-f]{64}$/.test(t.tokenHash)) bad('token hash must be 64 hex digits (SHA-256)');
      if (!Array.isArray(t.scopes) || t.scopes.length === 0 || !t.scopes.every(isAction)) bad(`scopes ${JSON.stringify(t.scopes)} must be a non-empty list of actions`);
      if (t.kind === 'display' && (t.scopes.length !== 1 || t.scopes[0] !== 'read')) bad('a display token has exactly the scope read');
      if (t.kind === 'api' && (t.userId === undefined || t.userId === null)) bad('an api token needs an owner');
      const row = {
        kind: t.kind, name: text('name', t.name, 128), token_hash: t.tokenHash, prefix: text('prefix', t.prefix, 16),
        user_id: t.userId === undefined || t.userId === null ? null : epochMs('userId', t.userId), scopes: JSON.stringify([...new Set(t.scopes)]),
        expires_at: t.expiresAt === undefined || t.expiresAt === null ? null : epochMs('expiresAt', t.expiresAt),
        created_by: who.who, last_used_at: null, revoked_at: null, revoked_by: null,
      };
      return write(ctx, 'token create', async (trx) => {
        const now = ctx.clock();
        if (row.user_id !== null && !(await trx.selectFrom('users').select('id').where('id', '=', row.user_id).executeTakeFirst())) {
          throw new RecordsError('RECORDS_INVALID_STATE', `no user with id ${row.user_id}`);
        }
        const full = { ...row, created_at: now };
        const { id } = await trx.insertInto('api_tokens').values(full).returning('id').executeTakeFirstOrThrow();
        const tok = decode({ id, ...full });
        await appendAudit(trx, now, { action: `${t.kind === 'display' ? 'display' : 'token'}.created`, target: `token:${Number(id)}`, after: shownToken(tok) }, who);
        return tok;
      }, { retry: false });
    },
    byHash: (h) => read(ctx, 'token get', async (db) => {
      if (!/^[0-9a-f]{64}$/.test(h)) return null;
      const r = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', h).executeTakeFirst();
      return r ? decode(r) : null;
    }),
    byId: (id) => read(ctx, 'token by id', async (db) => {
      const r = await db.selectFrom('api_tokens').selectAll().where('id', '=', epochMs('id', id)).executeTakeFirst();
      return r ? decode(r) : null;
    }),
    list: (f = {}) => read(ctx, 'tokens list', async (db) => {
      let q = db.selectFrom('api_tokens').selectAll();
      if (f.kind !== undefined) q = q.where('kind', '=', f.kind);
      if (f.userId !== undefined) q = q.where('user_id', '=', f.userId);
      return (await q.orderBy('id', 'desc').execute()).map(decode);
    }),
    touch: (id, at) => read(ctx, 'token touch', async (db) => {
      await db.updateTable('api_tokens').set({ last_used_at: epochMs('at', at) }).where('id', '=', epochMs('id', id)).execute();
    }),
    revoke: async (id, by) => {
      const who = actor(by);
      return write(ctx, 'token revoke', async (trx) => {
        const old = await trx.selectFrom('api_tokens').selectAll().where('id', '=', epochMs('id', id)).executeTakeFirst();
        if (!old) throw new RecordsError('RECORDS_INVALID_STATE', `no token ${id}`);
        if (old.revoked_at !== null) throw new RecordsError('RECORDS_INVALID_STATE', `token ${id} is revoked already`);
        const now = ctx.clock();
        await trx.updateTable('api_tokens').set({ revoked_at: now, revoked_by: who.who }).where('id', '=', old.id).execute();
        const after = decode({ ...old, revoked_at: now, revoked_by: who.who });
        await appendAudit(trx, now, { action: `${old.kind === 'display' ? 'display' : 'token'}.revoked`, target: `token:${Number(old.id)}`, before: shownToken(decode(old)), after: shownToken(after) }, who);
        return after;
      }, { retry: false });
    },
  };
}
