/**
 * Browser sessions. The cookie carries a random value; the record keeps only its SHA-256 (a stolen
 * database does not yield live sessions), the user, the CSRF token, when it began, when it was
 * last used (idle expiry) and when it ends whatever happens (absolute expiry). Login, logout and
 * "logout everywhere" are audited; touching last_seen_at is bookkeeping and is not.
 */
import type { Selectable } from 'kysely';
import { appendAudit } from './audit.ts';
import { type Actor, actor, epochMs, optText, text } from './check.ts';
import { type RecordsContext, read, write } from './context.ts';
import { RecordsError } from './errors.ts';
import type { SessionsTable } from './schema.ts';

export interface Session {
  id: number;
  tokenHash: string;
  userId: number;
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  origin: string;
  userAgent: string | null;
}

export interface SessionIn {
  tokenHash: string;
  userId: number;
  csrf: string;
  expiresAt: number;
  origin: string;
  userAgent?: string | null;
}

export interface Sessions {
  /** Start a session (audited user.login; stamps the user's last login, clears its failures). */
  create(s: SessionIn, by: Actor): Promise<Session>;
  byHash(tokenHash: string): Promise<Session | null>;
  listForUser(userId: number): Promise<Session[]>;
  touch(id: number, at: number): Promise<void>;
  /** End one session (logout, or expiry found at use when by.who is 'system'). */
  end(id: number, by: Actor, action?: 'user.logout' | 'session.expired'): Promise<boolean>;
  /** End every session of a user (logout everywhere, a disabled user, a password change). */
  endAll(userId: number, by: Actor, exceptId?: number): Promise<number>;
}

const hash = (v: unknown) => {
  if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) throw new RecordsError('RECORDS_INVALID_INPUT', 'token hash must be 64 hex digits (SHA-256)');
  return v;
};

function decode(r: Selectable<SessionsTable>): Session {
  return {
    id: Number(r.id), tokenHash: r.token_hash, userId: Number(r.user_id), csrf: r.csrf, createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at), expiresAt: Number(r.expires_at), origin: r.origin, userAgent: r.user_agent,
  };
}

const userTarget = async (trx: Parameters<Parameters<typeof write>[2]>[0], userId: number) => {
  const u = await trx.selectFrom('users').select('name').where('id', '=', userId).executeTakeFirst();
  if (!u) throw new RecordsError('RECORDS_INVALID_STATE', `no user with id ${userId}`);
  return u.name;
};

export function createSessions(ctx: RecordsContext): Sessions {
  return {
    create: async (s, by) => {
      const who = actor(by);
      const row = {
        token_hash: hash(s.tokenHash), user_id: epochMs('userId', s.userId), csrf: text('csrf', s.csrf, 128),
        expires_at: epochMs('expiresAt', s.expiresAt), origin: text('origin', s.origin, 256), user_agent: optText('userAgent', s.userAgent?.slice(0, 256), 256),
      };
      return write(ctx, 'session create', async (trx) => {
        const now = ctx.clock();
        const name = await userTarget(trx, row.user_id);
        const full = { ...row, created_at: now, last_seen_at: now };
        const { id } = await trx.insertInto('sessions').values(full).returning('id').executeTakeFirstOrThrow();
        await trx.updateTable('users').set({ last_login_at: now }).where('id', '=', row.user_id).execute();
        await trx.deleteFrom('login_failures').where('name', '=', name).execute();
        await appendAudit(trx, now, { action: 'user.login', target: `user:${name}`, after: { session: Number(id), expiresAt: row.expires_at } }, who);
        return decode({ id, ...full });
      }, { retry: false });
    },
    byHash: (h) => read(ctx, 'session get', async (db) => {
      const r = await db.selectFrom('sessions').selectAll().where('token_hash', '=', hash(h)).executeTakeFirst();
      return r ? decode(r) : null;
    }),
    listForUser: (userId) => read(ctx, 'sessions list', async (db) =>
      (await db.selectFrom('sessions').selectAll().where('user_id', '=', epochMs('userId', userId)).orderBy('id').execute()).map(decode)),
    touch: (id, at) => read(ctx, 'session touch', async (db) => {
      await db.updateTable('sessions').set({ last_seen_at: epochMs('at', at) }).where('id', '=', epochMs('id', id)).execute();
    }),
    end: async (id, by, action = 'user.logout') => {
      const who = actor(by);
      return write(ctx, 'session end', async (trx) => {
        const old = await trx.selectFrom('sessions').selectAll().where('id', '=', epochMs('id', id)).executeTakeFirst();
        if (!old) return false;
        const name = await userTarget(trx, Number(old.user_id));
        await trx.deleteFrom('sessions').where('id', '=', old.id).execute();
        await appendAudit(trx, ctx.clock(), { action, target: `user:${name}`, before: { session: Number(old.id) }, after: null }, who);
        return true;
      }, { retry: false });
    },
    endAll: async (userId, by, exceptId) => {
      const who = actor(by);
      return write(ctx, 'sessions end all', async (trx) => {
        const name = await userTarget(trx, epochMs('userId', userId));
        let q = trx.deleteFrom('sessions').where('user_id', '=', userId);
        if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
        const n = Number((await q.executeTakeFirst()).numDeletedRows ?? 0);
        await appendAudit(trx, ctx.clock(), { action: 'user.logout_everywhere', target: `user:${name}`, after: { ended: n } }, who);
        return n;
      }, { retry: false });
    },
  };
}
