/**
 * Users (name, roles, argon2 password hash, flags) and the login failures that drive the lock-out.
 * The hash is made and checked by the server (server/auth/passwords.ts); the record only keeps it,
 * and never puts it in an audit line. Every change is audited in its own transaction.
 */
import type { Selectable } from 'kysely';
import { isRole, type Role } from '../common/auth/permissions.ts';
import { appendAudit } from './audit.ts';
import { type Actor, actor, epochMs, optText, text } from './check.ts';
import { type RecordsContext, read, write } from './context.ts';
import { RecordsError } from './errors.ts';
import type { UsersTable } from './schema.ts';

export interface User {
  id: number;
  name: string;
  displayName: string | null;
  roles: Role[];
  /** argon2id PHC string, or null. Never sent to a client or written to the audit log. */
  passwordHash: string | null;
  mustChangePassword: boolean;
  disabled: boolean;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  passwordChangedAt: number | null;
  lastLoginAt: number | null;
}

/** A user as shown to admins and in audit lines: everything but the hash. */
export type PublicUser = Omit<User, 'passwordHash'>;
export const publicUser = ({ passwordHash: _h, ...u }: User): PublicUser => u;

export interface UserIn {
  name: string;
  displayName?: string | null;
  roles: readonly Role[];
  passwordHash?: string | null;
  mustChangePassword?: boolean;
}

export interface UserPatch {
  displayName?: string | null;
  roles?: readonly Role[];
  disabled?: boolean;
}

export interface Users {
  create(u: UserIn, by: Actor): Promise<User>;
  get(name: string): Promise<User | null>;
  byId(id: number): Promise<User | null>;
  list(): Promise<User[]>;
  count(): Promise<number>;
  update(name: string, patch: UserPatch, by: Actor): Promise<User>;
  setPassword(name: string, hash: string, mustChange: boolean, by: Actor): Promise<User>;
  /** Record a failed login for `name` (known or not) from `origin`; audited as user.login_failed. */
  loginFailed(name: string, origin: string): Promise<void>;
  /** Failures for `name` since `since` (epoch ms). */
  failuresSince(name: string, since: number): Promise<{ count: number; last: number | null }>;
  /** Forget the failures of a name (after a successful login or an admin unlock); audited when by is given. */
  clearFailures(name: string, by?: Actor): Promise<number>;
}

/** Login names: lowercase ASCII letters, digits and . _ - (so they are safe in logs, URLs and the
 *  audit CSV), 1..64 characters, starting with a letter or digit. */
export const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export function userName(v: unknown): string {
  if (typeof v !== 'string' || !USER_NAME.test(v)) {
    throw new RecordsError('RECORDS_INVALID_INPUT', `user name ${JSON.stringify(v)} must be 1..64 lowercase letters, digits, . _ - starting with a letter or digit`);
  }
  return v;
}

function roles(v: unknown): Role[] {
  if (!Array.isArray(v) || v.length === 0 || v.length > 6 || !v.every(isRole) || new Set(v).size !== v.length) {
    throw new RecordsError('RECORDS_INVALID_INPUT', `roles ${JSON.stringify(v)} must be a non-empty list of distinct roles`);
  }
  return [...v];
}

function decode(r: Selectable<UsersTable>): User {
  return {
    id: Number(r.id), name: r.name, displayName: r.display_name, roles: JSON.parse(r.roles) as Role[],
    passwordHash: r.password_hash, mustChangePassword: Number(r.must_change_password) === 1, disabled: Number(r.disabled) === 1,
    createdAt: Number(r.created_at), createdBy: r.created_by, updatedAt: Number(r.updated_at),
    passwordChangedAt: r.password_changed_at === null ? null : Number(r.password_changed_at),
    lastLoginAt: r.last_login_at === null ? null : Number(r.last_login_at),
  };
}

const shown = (u: User) => {
  const { passwordHash: _h, id: _i, createdAt: _c, createdBy: _b, updatedAt: _u, lastLoginAt: _l, passwordChangedAt: _p, ...rest } = u;
  return rest;
};

export function createUsers(ctx: RecordsContext): Users {
  const get = (name: string) => read(ctx, 'users get', async (db) => {
    const r = await db.selectFrom('users').selectAll().where('name', '=', userName(name)).executeTakeFirst();
    return r ? decode(r) : null;
  });
  return {
    create: async (u, by) => {
      const who = actor(by);
      const row = {
        name: userName(u.name), display_name: optText('displayName', u.displayName, 128), roles: JSON.stringify(roles(u.roles)),
        password_hash: optText('passwordHash', u.passwordHash, 512), must_change_password: u.mustChangePassword ? 1 : 0, disabled: 0,
        created_by: who.who, password_changed_at: null, last_login_at: null,
      };
      return write(ctx, 'users create', async (trx) => {
        const now = ctx.clock();
        const exists = await trx.selectFrom('users').select('id').where('name', '=', row.name).executeTakeFirst();
        if (exists) throw new RecordsError('RECORDS_INVALID_STATE', `user ${row.name} exists already`);
        const full = { ...row, created_at: now, updated_at: now, password_changed_at: row.password_hash ? now : null };
        const { id } = await trx.insertInto('users').values(full).returning('id').executeTakeFirstOrThrow();
        const user = decode({ id, ...full });
        await appendAudit(trx, now, { action: 'user.created', target: `user:${row.name}`, before: null, after: shown(user) }, who);
        return user;
      }, { retry: false });
    },
    get,
    byId: (id) => read(ctx, 'users by id', async (db) => {
      const r = await db.selectFrom('users').selectAll().where('id', '=', epochMs('id', id)).executeTakeFirst();
      return r ? decode(r) : null;
    }),
    list: () => read(ctx, 'users list', async (db) => (await db.selectFrom('users').selectAll().orderBy('name').execute()).map(decode)),
    count: () => read(ctx, 'users count', async (db) => Number((await db.selectFrom('users').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)),
    update: async (name, patch, by) => {
      const who = actor(by);
      const n = userName(name);
      const set: Partial<Record<keyof UsersTable, unknown>> = {};
      if (patch.displayName !== undefined) set.display_name = optText('displayName', patch.displayName, 128);
      if (patch.roles !== undefined) set.roles = JSON.stringify(roles(patch.roles));
      if (patch.disabled !== undefined) set.disabled = patch.disabled ? 1 : 0;
      return write(ctx, 'users update', async (trx) => {
        const old = await trx.selectFrom('users').selectAll().where('name', '=', n).executeTakeFirst();
        if (!old) throw new RecordsError('RECORDS_INVALID_STATE', `no user ${n}`);
        const now = ctx.clock();
        await trx.updateTable('users').set({ ...set, updated_at: now } as never).where('id', '=', old.id).execute();
        const after = decode({ ...old, ...(set as object), updated_at: now });
        await appendAudit(trx, now, { action: 'user.updated', target: `user:${n}`, before: shown(decode(old)), after: shown(after) }, who);
        return after;
      });
    },
    setPassword: async (name, hash, mustChange, by) => {
      const who = actor(by);
      const n = userName(name);
      const h = text('passwordHash', hash, 512);
      return write(ctx, 'users set password', async (trx) => {
        const old = await trx.selectFrom('users').selectAll().where('name', '=', n).executeTakeFirst();
        if (!old) throw new RecordsError('RECORDS_INVALID_STATE', `no user ${n}`);
        const now = ctx.clock();
        const set = { password_hash: h, must_change_password: mustChange ? 1 : 0, password_changed_at: now, updated_at: now };
        await trx.updateTable('users').set(set).where('id', '=', old.id).execute();
        await appendAudit(trx, now, {
          action: who.who === n ? 'user.password_changed' : 'user.password_reset', target: `user:${n}`,
          before: { mustChangePassword: Number(old.must_change_password) === 1 }, after: { mustChangePassword: mustChange },
        }, who);
        return decode({ ...old, ...set });
      });
    },
    loginFailed: async (name, origin) => {
      const nm = text('name', name.slice(0, 64) || '-', 64);
      const from = text('origin', origin, 256);
      await write(ctx, 'login failure', async (trx) => {
        const now = ctx.clock();
        await trx.insertInto('login_failures').values({ name: nm, origin: from, at: now }).execute();
        await appendAudit(trx, now, { action: 'user.login_failed', target: `user:${nm}` }, { who: 'anonymous', from });
      }, { retry: false });
    },
    failuresSince: (name, since) => read(ctx, 'login failures', async (db) => {
      const r = await db.selectFrom('login_failures').select((e) => [e.fn.countAll().as('n'), e.fn.max('at').as('last')])
        .where('name', '=', name.slice(0, 64)).where('at', '>=', epochMs('since', since)).executeTakeFirstOrThrow();
      return { count: Number(r.n), last: r.last === null ? null : Number(r.last) };
    }),
    clearFailures: async (name, by) => write(ctx, 'login failures clear', async (trx) => {
      const res = await trx.deleteFrom('login_failures').where('name', '=', name.slice(0, 64)).executeTakeFirst();
      const n = Number(res.numDeletedRows ?? 0);
      if (by && n > 0) await appendAudit(trx, ctx.clock(), { action: 'user.unlocked', target: `user:${name}`, before: { failures: n }, after: { failures: 0 } }, actor(by));
      return n;
    }),
  };
}
