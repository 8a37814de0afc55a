/** /api/auth: login (sets the session and CSRF cookies), logout (this session or everywhere),
 *  me (who am I, my CSRF token), password (change mine; required at first login). */
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from '#common/schemas/api.ts';
import { LoginIn, LogoutIn, MeResponse, PasswordIn, type LoginIn as LI } from '#common/schemas/auth.ts';
import { setSessionCookies } from '../plugins/auth.ts';
import type { Identity } from '../services/auth.ts';

export const meOf = (who: Identity, expiresAt?: number) => ({
  kind: who.kind, name: who.name, roles: who.roles, actions: [...who.actions].sort(), mustChangePassword: who.mustChangePassword, via: who.via,
  ...(who.csrf ? { csrf: who.csrf } : {}), ...(expiresAt !== undefined ? { expiresAt } : {}),
});

export async function authRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: LI }>('/auth/login', {
    config: { permission: 'public', rateLimit: { max: app.config.loginPerMinute, timeWindow: 60_000, hook: 'onRequest', keyGenerator: (req) => req.ip } },
    schema: { tags: ['auth'], description: 'Sign in with name and password: sets an HttpOnly session cookie and a CSRF cookie', body: LoginIn, response: { 200: MeResponse, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody } },
  }, async (req, reply) => {
    const r = await app.auth.login(req.body.name, req.body.password, { from: req.ip, userAgent: req.headers['user-agent'] });
    setSessionCookies(reply, req, r);
    return { me: meOf(r.identity, r.expiresAt), publicRead: app.config.publicRead };
  });

  app.post<{ Body: { everywhere?: boolean } }>('/auth/logout', {
    config: { permission: 'authenticated' },
    schema: { tags: ['auth'], description: 'End this session, or every session of this user (everywhere: true)', body: LogoutIn, response: { 200: MeResponse, 401: ErrorBody } },
  }, async (req, reply) => {
    const who = req.identity!;
    const everywhere = req.body?.everywhere === true;
    await app.auth.logout(who, everywhere, req.ip);
    req.markAudited();
    app.endSockets((s) => (everywhere ? s.userId === who.userId && s.kind === 'user' : s.sessionId !== undefined && s.sessionId === who.sessionId));
    if (who.via === 'session') setSessionCookies(reply, req, null);
    return { me: null, publicRead: app.config.publicRead };
  });

  app.get('/auth/me', {
    config: { permission: 'public' },
    schema: { tags: ['auth'], description: 'Who the request is from (null when nobody), and whether reads are public', response: { 200: MeResponse } },
  }, async (req) => ({ me: req.identity ? meOf(req.identity) : null, publicRead: app.config.publicRead }));

  app.post<{ Body: { current: string; next: string } }>('/auth/password', {
    config: { permission: 'authenticated', rateLimit: { max: app.config.loginPerMinute, timeWindow: 60_000, hook: 'preHandler', keyGenerator: (req) => req.identity?.name ?? req.ip } },
    schema: { tags: ['auth'], description: 'Change my password (ends my other sessions)', body: PasswordIn, response: { 200: MeResponse, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (req) => {
    await app.auth.changePassword(req.identity!, req.body.current, req.body.next, req.ip);
    req.markAudited();
    const who = { ...req.identity!, mustChangePassword: false };
    return { me: meOf(who), publicRead: app.config.publicRead };
  });
}
