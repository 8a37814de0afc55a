/** /api/admin: users (create with a one-time password, change roles, disable, reset, unlock, log
 *  out everywhere), API tokens (scoped, expiring, listed, revocable) and wall displays (a
 *  read-only token in a URL). Every change is audited by the records repositories in the same
 *  transaction, as req.actor(). */
import type { FastifyInstance } from 'fastify';
import type { Action, Role } from '#common/auth/permissions.ts';
import { ErrorBody } from '#common/schemas/api.ts';
import {
  DisplayCreateIn, DisplayCreated, TokenCreateIn, TokenCreated, TokenParams, TokensResponse, UserCreateIn, UserCreated, UserParams,
  UserPatchIn, UserPatched, UsersResponse,
} from '#common/schemas/auth.ts';
import { RecordsError } from '../../records/errors.ts';
import { publicUser, type User } from '../../records/users.ts';
import type { Token } from '../../records/tokens.ts';
import { appError } from '../errors.ts';
import { hashPassword, secret } from '../services/auth.ts';

const DAY_MS = 86_400_000;

const userOut = (u: User) => {
  const p = publicUser(u);
  return { name: p.name, displayName: p.displayName, roles: p.roles, mustChangePassword: p.mustChangePassword, disabled: p.disabled, createdAt: p.createdAt, createdBy: p.createdBy, lastLoginAt: p.lastLoginAt, passwordChangedAt: p.passwordChangedAt };
};

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  const names = async () => new Map((await app.records.users.list()).map((u) => [u.id, u.name]));
  const tokenOut = (t: Token, owners: Map<number, string>) => ({
    id: t.id, kind: t.kind, name: t.name, prefix: t.prefix, owner: t.userId === null ? null : owners.get(t.userId) ?? null, scopes: t.scopes,
    createdAt: t.createdAt, createdBy: t.createdBy, expiresAt: t.expiresAt, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt, revokedBy: t.revokedBy,
  });
  const mustUser = async (name: string) => {
    const u = await app.records.users.get(name);
    if (!u) throw appError('AIRDESK_UNKNOWN_USER', name);
    return u;
  };
  const admin = { permission: 'admin.users' as const };

  app.get('/admin/users', { config: admin, schema: { tags: ['admin'], response: { 200: UsersResponse, 401: ErrorBody, 403: ErrorBody } } },
    async () => ({ users: (await app.records.users.list()).map(userOut) }));

  app.post<{ Body: { name: string; displayName?: string; roles: Role[] } }>('/admin/users', {
    config: admin,
    schema: { tags: ['admin'], description: 'Create a user with a one-time password (returned once; changed at first login)', body: UserCreateIn, response: { 201: UserCreated, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody } },
  }, async (req, reply) => {
    if (await app.records.users.get(req.body.name)) throw appError('AIRDESK_USER_EXISTS', req.body.name);
    const password = secret(15);
    const u = await app.records.users.create({ name: req.body.name, displayName: req.body.displayName ?? null, roles: req.body.roles, passwordHash: await hashPassword(password), mustChangePassword: true }, req.actor());
    req.markAudited();
    return reply.status(201).send({ user: userOut(u), oneTimePassword: password });
  });

  app.patch<{ Params: { name: string }; Body: { displayName?: string | null; roles?: Role[]; disabled?: boolean; resetPassword?: boolean; endSessions?: boolean; unlock?: boolean } }>('/admin/users/:name', {
    config: admin,
    schema: { tags: ['admin'], description: 'Change roles, disable, reset the password, unlock, or log a user out everywhere', params: UserParams, body: UserPatchIn, response: { 200: UserPatched, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    const b = req.body;
    let u = await mustUser(req.params.name);
    const by = req.actor();
    if (u.id === req.identity?.userId && (b.disabled === true || (b.roles && !b.roles.includes('admin')))) {
      throw appError('AIRDESK_BAD_BODY', 'an admin cannot disable themselves or drop their own admin role (ask another admin)');
    }
    if (b.displayName !== undefined || b.roles !== undefined || b.disabled !== undefined) {
      u = await app.records.users.update(u.name, { displayName: b.displayName, roles: b.roles, disabled: b.disabled }, by);
    }
    let oneTimePassword: string | undefined;
    if (b.resetPassword) {
      oneTimePassword = secret(15);
      u = await app.records.users.setPassword(u.name, await hashPassword(oneTimePassword), true, by);
    }
    if (b.endSessions || b.disabled === true || b.resetPassword) {
      await app.records.sessions.endAll(u.id, by);
      app.endSockets((s) => s.userId === u.id);
    }
    if (b.unlock) await app.records.users.clearFailures(u.name, by);
    req.markAudited();
    return { user: userOut(u), ...(oneTimePassword ? { oneTimePassword } : {}) };
  });

  app.get('/admin/tokens', { config: admin, schema: { tags: ['admin'], description: 'API tokens, newest first (revoked ones too)', response: { 200: TokensResponse, 401: ErrorBody, 403: ErrorBody } } },
    async () => {
      const owners = await names();
      return { tokens: (await app.records.tokens.list({ kind: 'api' })).map((t) => tokenOut(t, owners)) };
    });

  app.post<{ Body: { name: string; owner: string; scopes: Action[]; expiresInDays: number } }>('/admin/tokens', {
    config: admin,
    schema: { tags: ['admin'], description: 'Create an API token acting for a user, narrowed to scopes the user holds; the token is shown once', body: TokenCreateIn, response: { 201: TokenCreated, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (req, reply) => {
    const owner = await mustUser(req.body.owner);
    const { token, record } = await app.auth.createToken({ kind: 'api', name: req.body.name, owner, scopes: req.body.scopes, expiresAt: app.clock() + req.body.expiresInDays * DAY_MS }, req.actor());
    req.markAudited();
    return reply.status(201).send({ token, record: tokenOut(record, new Map([[owner.id, owner.name]])) });
  });

  const revoke = (kind: 'api' | 'display') => async (req: { params: { id: number }; actor(): { who: string; from: string }; markAudited(): void }) => {
    const t = await app.records.tokens.byId(req.params.id);
    if (!t || t.kind !== kind) throw appError('AIRDESK_TOKEN_NOT_FOUND', String(req.params.id));
    if (t.revokedAt !== null) throw appError('AIRDESK_TOKEN_REVOKED', String(t.id));
    try {
      const r = await app.records.tokens.revoke(t.id, req.actor());
      req.markAudited();
      app.endSockets((s) => s.tokenId === t.id);
      return { tokens: [tokenOut(r, await names())] };
    } catch (e) {
      if (e instanceof RecordsError && e.code === 'RECORDS_INVALID_STATE') throw appError('AIRDESK_TOKEN_REVOKED', String(t.id));
      throw e;
    }
  };
  app.delete<{ Params: { id: number } }>('/admin/tokens/:id', {
    config: admin, schema: { tags: ['admin'], description: 'Revoke an API token (it stays listed, with who revoked it)', params: TokenParams, response: { 200: TokensResponse, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
  }, revoke('api'));

  app.get('/admin/displays', { config: admin, schema: { tags: ['admin'], description: 'Wall display tokens', response: { 200: TokensResponse, 401: ErrorBody, 403: ErrorBody } } },
    async () => ({ tokens: (await app.records.tokens.list({ kind: 'display' })).map((t) => tokenOut(t, new Map())) }));

  app.post<{ Body: { name: string; expiresInDays?: number } }>('/admin/displays', {
    config: admin,
    schema: { tags: ['admin'], description: 'Create a wall display: a read-only token and the /wall URL that carries it (shown once)', body: DisplayCreateIn, response: { 201: DisplayCreated, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (req, reply) => {
    const { token, record } = await app.auth.createToken({ kind: 'display', name: req.body.name, scopes: ['read'], expiresAt: req.body.expiresInDays ? app.clock() + req.body.expiresInDays * DAY_MS : null }, req.actor());
    req.markAudited();
    return reply.status(201).send({ token, wallPath: `/wall?token=${encodeURIComponent(token)}`, record: tokenOut(record, new Map()) });
  });
  app.delete<{ Params: { id: number } }>('/admin/displays/:id', {
    config: admin, schema: { tags: ['admin'], description: 'Revoke a wall display token (the wall shows the sign-in screen at its next request)', params: TokenParams, response: { 200: TokensResponse, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
  }, revoke('display'));
}
