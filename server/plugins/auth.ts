/**
 * THE access hook (issue 15, docs/security.md). Every route and every socket.io event is checked
 * here, against the roles -> actions table in common/auth/permissions.ts; no route has its own if.
 *
 * CONVENTION for every route (other helpers: follow it):
 *
 *   app.post('/measures', { config: { permission: 'measure.write' }, schema: {...} }, handler)
 *   app.get('/measures', { config: { permission: 'read' }, schema: {...} }, handler)
 *
 *   permission is one of the actions ('read', 'forecast.write', 'forecast.signoff', 'warning.act',
 *   'measure.write', 'analysis.run', 'report.generate', 'data.review', 'admin.users',
 *   'admin.settings', 'audit.read'), 'authenticated' (any identity) or 'public' (no identity).
 *   'read' is open to anyone only when AIRDESK_PUBLIC_READ=1. A route without a permission (or with
 *   an unknown one) stops start-up: app.ready() fails naming it.
 *
 *   A route that changes state audits it: `await req.audit({ action: 'measure.created', target:
 *   'measure:42', before, after })` (who = the identity, from = the client address). When the
 *   change is audited by a records repository in the same transaction (pass `req.actor()` as its
 *   `by`), call `req.markAudited()`. A successful non-GET request that did neither gets a generic
 *   line `http.post` with its URL, so nothing changes unrecorded; refused writes are audited as
 *   `access.denied`.
 *
 * Identities: a session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS) with a CSRF token
 * that cookie-authenticated writes must echo in the `x-csrf-token` header; or
 * `Authorization: Bearer adk_...` (API token) / `adw_...` (display token). The socket handshake
 * takes the same cookie, or `auth: { token }`, and is checked with the same rule ('read');
 * its Origin must be the server's own or in AIRDESK_ALLOWED_ORIGINS.
 *
 * Also here: @fastify/cookie, @fastify/helmet (CSP the built client passes), @fastify/rate-limit
 * (login per address, writes per identity), and the first-start admin / seeded users.
 */
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { decide, isPermission, type Permission } from '#common/auth/permissions.ts';
import type { ClientToServerEvents } from '#common/schemas/events.ts';
import type { Actor } from '../../records/check.ts';
import type { AuditIn } from '../../records/audit.ts';
import { AppError, appError } from '../errors.ts';
import { createAuthService, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, sameSecret, type AuthService, type Identity } from '../services/auth.ts';
import { pinoOf } from './core.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route needs (see the header). Required on every route. */
    permission?: Permission;
  }
  interface FastifyRequest {
    identity: Identity | null;
    /** The audit's who and from for this request. */
    actor(): Actor;
    /** Append an audit line for this request (and mark it audited). */
    audit(e: AuditIn): Promise<void>;
    /** Say that a records repository audited this request's change itself. */
    markAudited(): void;
    audited: boolean;
  }
  interface FastifyInstance {
    auth: AuthService;
    /** Every route's declared permission, 'METHOD url' -> permission (the OpenAPI test reads it). */
    routePermissions: Map<string, Permission>;
    /** Disconnect live sockets whose identity matches (after a logout or a revoked token). */
    endSockets(match: (who: Identity) => boolean): void;
  }
}

/** socket.io events a client may send, each with its permission. Typed by the event map: a new
 *  event does not compile until it is listed here. */
export const SOCKET_EVENT_PERMISSIONS: Readonly<Record<keyof ClientToServerEvents, Permission>> = Object.freeze({
  'city:join': 'read',
  'city:leave': 'read',
  'state:request': 'read',
  'consult:join': 'read',
  'consult:leave': 'read',
  'consult:typing': 'forecast.write',
  // Which fields a person may change is the document model's (common/consult/doc.ts); that they
  // may change anything at all is decided here, so a wall display's op never reaches the room.
  'consult:op': 'forecast.write',
});

/** Routes registered by third-party plugins, which cannot declare a permission themselves. */
const THIRD_PARTY: readonly [RegExp, Permission][] = [
  // The OpenAPI document and its UI follow the read rule (closed unless AIRDESK_PUBLIC_READ=1).
  [/^\/docs(\/|$)/, 'read'],
];

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Content-Security-Policy the built client passes (checked in tests/client/auth.test.ts): no
 *  inline script (eval only for the validators, below); styles from files plus the style attributes React and MapLibre set; MapLibre's
 *  worker and tiles from this origin, blob: and data: images; the socket on this origin. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  // 'unsafe-eval' for TypeBox's compiled validators only (client/src/data/live.ts: a 10,000-reading
  // batch checks in ~10 ms compiled, ~200 ms interpreted). No inline script is allowed, which is
  // what stops injected markup from running.
  scriptSrc: ["'self'", "'unsafe-eval'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  // data: for deck.gl's icon atlases (it fetches its data: URIs).
  connectSrc: ["'self'", 'ws:', 'wss:', 'data:'],
  workerSrc: ["'self'", 'blob:'],
  childSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  upgradeInsecureRequests: null,
} as const;

function bearerOf(h: string | undefined): string | undefined {
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : undefined;
}

/** scheme://host of the request itself (what a same-origin browser sends as Origin). */
function ownOrigin(req: { protocol: string; host: string }): string {
  return `${req.protocol}://${req.host}`;
}

export function originAllowed(origin: string | undefined, own: string, allowed: readonly string[]): boolean {
  if (!origin) return true; // not a browser cross-origin request (curl, server-to-server)
  return origin === own || allowed.includes(origin);
}

export default fp(async (app) => {
  const auth = createAuthService(app.records, app.config, app.clock);
  app.decorate('auth', auth);
  const perms = new Map<string, Permission>();
  app.decorate('routePermissions', perms);
  const missing: string[] = [];

  // Before any route (this plugin is registered before them) and before rate-limit's own
  // onRoute, so the rate limits set here are seen by it.
  app.addHook('onRoute', (r: RouteOptions) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    let p = (r.config as { permission?: unknown } | undefined)?.permission;
    if (p === undefined) p = THIRD_PARTY.find(([re]) => re.test(r.url))?.[1];
    // The built client's files (@fastify/static marks each route with config.file): public, they
    // hold no data, and the sign-in screen is one of them.
    if (p === undefined && typeof (r.config as { file?: unknown } | undefined)?.file === 'string') p = 'public';
    const name = `${methods.join(',')} ${r.url}`;
    if (!isPermission(p)) {
      missing.push(`${name}${p === undefined ? '' : ` (unknown permission ${JSON.stringify(p)})`}`);
      return;
    }
    r.config = { ...(r.config ?? {}), permission: p } as typeof r.config;
    for (const m of methods) perms.set(`${m} ${r.url}`, p);
    const writes = methods.some((m) => !SAFE.has(m));
    const cfg = r.config as Record<string, unknown>;
    if (writes && cfg.rateLimit === undefined && p !== 'public') {
      // Per identity (the address when there is none): after the access check, so the key is known.
      cfg.rateLimit = { max: app.config.writesPerMinute, timeWindow: 60_000, hook: 'preHandler', keyGenerator: (req: FastifyRequest) => req.identity?.name ?? req.ip };
    }
  });
  app.addHook('onReady', async () => {
    if (missing.length) {
      throw new Error(`AIRDESK_NO_PERMISSION: every route must declare config.permission (server/plugins/auth.ts); missing on ${missing.join('; ')}`);
    }
  });

  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => new AppError('AIRDESK_RATE_LIMITED', `retry after ${ctx.after}`),
  });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES as never },
    // HSTS only means something over HTTPS; it is set below when the request came in over TLS.
    hsts: false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });

  app.decorateRequest('identity', null);
  app.decorateRequest('audited', false);
  app.decorateRequest('actor', function (this: FastifyRequest): Actor {
    return { who: this.identity?.name ?? 'anonymous', from: this.ip || 'unknown' };
  });
  app.decorateRequest('markAudited', function (this: FastifyRequest) {
    this.audited = true;
  });
  app.decorateRequest('audit', async function (this: FastifyRequest, e: AuditIn) {
    await app.records.audit.append(e, this.actor());
    this.audited = true;
  });

  const deny = async (req: FastifyRequest, err: AppError): Promise<never> => {
    if (!SAFE.has(req.method)) {
      // Refused writes are part of the record of who tried what (never the body: it may hold a password).
      await app.records.audit.append({
        action: 'access.denied', target: `route:${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`.slice(0, 256),
        after: { code: err.code, status: err.statusCode },
      }, req.actor()).catch((e) => req.log.warn({ err: e }, 'audit of a refused request failed'));
    }
    throw err;
  };

  app.addHook('onRequest', async (req, reply) => {
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // No route (404 handler, SPA fallback): nothing to protect; the 404 handler answers.
    const permission = req.routeOptions.config?.permission as Permission | undefined;
    const who = await auth.identify({
      cookie: req.cookies?.[SESSION_COOKIE], bearer: bearerOf(req.headers.authorization), method: req.method,
    });
    req.identity = who;
    if (permission === undefined) return;
    const d = decide(permission, who, { publicRead: app.config.publicRead });
    if (!d.allow) {
      const need = `${req.method} ${req.routeOptions.url} (${d.need})`;
      return deny(req, d.code === 'AIRDESK_UNAUTHENTICATED' ? appError(d.code, need) : appError(d.code, need));
    }
    if (who?.via === 'session' && !SAFE.has(req.method) && permission !== 'public') {
      const origin = req.headers.origin;
      if (!originAllowed(origin, ownOrigin(req), app.config.allowedOrigins)) return deny(req, appError('AIRDESK_ORIGIN_REFUSED', String(origin)));
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !who.csrf || !sameSecret(sent, who.csrf)) return deny(req, appError('AIRDESK_CSRF'));
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    if (SAFE.has(req.method) || req.audited || reply.statusCode >= 400) return;
    const permission = req.routeOptions.config?.permission;
    if (permission === undefined || permission === 'public') return;
    await app.records.audit.append({
      action: `http.${req.method.toLowerCase()}`, target: `route:${req.method} ${req.url.split('?')[0]}`.slice(0, 256), after: { status: reply.statusCode },
    }, req.actor()).catch((e) => req.log.error({ err: e }, 'audit of a write failed'));
  });

  // First start: seeded users (AIRDESK_SEED_USERS), or an admin with a one-time password printed
  // once. Once per process, before the server answers.
  app.addHook('onReady', async () => {
    const r = await auth.firstStart({ who: 'system', from: 'first-start' });
    const log = pinoOf(app);
    if (r.seeded.length) log.info({ users: r.seeded }, 'auth: seeded users created');
    if (r.admin) {
      // Printed once, on the console, not only in the (possibly shipped-off) log.
      const line = `AirDesk first start: sign in as "${r.admin.name}" with the one-time password ${r.admin.password} (you will be asked to change it)`;
      log.warn({ user: r.admin.name }, 'auth: no users yet; created an admin with a one-time password (printed on the console once)');
      if (app.config.printFirstPassword) process.stdout.write(`\n${line}\n\n`);
    }
  });
}, { name: 'auth', dependencies: ['core'] });

/** The socket half of the hook: the handshake by the same rule as a 'read' route, every event by
 *  its permission in SOCKET_EVENT_PERMISSIONS. Registered after realtime (it needs app.io). */
export const socketAuth = fp(async (app: FastifyInstance) => {
  const io = app.io;
  const recheckMs = 60_000;
  io.use((socket, next) => {
    void (async () => {
      const h = socket.request.headers;
      const host = h.host ?? '';
      const secure = (socket.request.socket as { encrypted?: boolean }).encrypted === true;
      if (!originAllowed(h.origin, `${secure ? 'https' : 'http'}://${host}`, app.config.allowedOrigins)) {
        return next(Object.assign(new Error(new AppError('AIRDESK_ORIGIN_REFUSED', String(h.origin)).message), { data: { code: 'AIRDESK_ORIGIN_REFUSED' } }));
      }
      const cookies = app.parseCookie(h.cookie ?? '');
      const tok = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const who = await app.auth.identify({
        cookie: cookies[SESSION_COOKIE], bearer: typeof tok === 'string' ? tok : bearerOf(h.authorization), method: 'GET',
      });
      const d = decide('read', who, { publicRead: app.config.publicRead });
      if (!d.allow) {
        const e = appError(d.code, 'the live socket (read)');
        return next(Object.assign(new Error(e.message), { data: { code: e.code, statusCode: e.statusCode } }));
      }
      socket.data.identity = who;
      socket.data.cookie = cookies[SESSION_COOKIE];
      socket.data.bearer = typeof tok === 'string' ? tok : bearerOf(h.authorization);
      socket.data.checkedAt = Date.now();
      next();
    })().catch((err) => next(err as Error));
  });
  io.on('connection', (socket) => {
    socket.use((packet, next) => {
      const ev = String(packet[0]) as keyof ClientToServerEvents;
      const p = SOCKET_EVENT_PERMISSIONS[ev];
      if (!p) return next(new Error(`AIRDESK_FORBIDDEN: unknown event ${ev}`));
      void (async () => {
        // A session that ended (logout, expiry) since the handshake: found here at the latest.
        if (socket.data.identity && Date.now() - socket.data.checkedAt > recheckMs) {
          socket.data.identity = await app.auth.identify({ cookie: socket.data.cookie, bearer: socket.data.bearer, method: 'GET' });
          socket.data.checkedAt = Date.now();
          if (!socket.data.identity && !app.config.publicRead) return socket.disconnect(true);
        }
        const d = decide(p, socket.data.identity ?? null, { publicRead: app.config.publicRead });
        if (!d.allow) {
          // Answer the event's ack too, so the sender learns why at once instead of waiting out a
          // timeout (the shape satisfies both Ack and the consultation's OpAck).
          const ack = packet[packet.length - 1];
          const message = `${d.code}: ${ev} needs ${d.need}`;
          if (typeof ack === 'function') ack({ ok: false, refusal: 'forbidden', message, error: { code: d.code, message } });
          return next(new Error(message));
        }
        next();
      })().catch((err) => next(err as Error));
    });
  });
  app.decorate('endSockets', (match: (who: Identity) => boolean) => {
    for (const s of io.of('/').sockets.values()) {
      const who = s.data.identity as Identity | null;
      if (who && match(who)) s.disconnect(true);
    }
  });
}, { name: 'socket-auth', dependencies: ['auth', 'realtime'] });

/** Set the session and CSRF cookies on a reply (login) or clear them (logout). */
export function setSessionCookies(reply: FastifyReply, req: FastifyRequest, s: { cookie: string; csrf: string; expiresAt: number } | null): void {
  const secure = req.protocol === 'https';
  if (!s) {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return;
  }
  const expires = new Date(s.expiresAt);
  reply.setCookie(SESSION_COOKIE, s.cookie, { path: '/', httpOnly: true, sameSite: 'strict', secure, expires });
  // Readable by the page (double submit): it sends it back in x-csrf-token on writes.
  reply.setCookie(CSRF_COOKIE, s.csrf, { path: '/', httpOnly: false, sameSite: 'strict', secure, expires });
}
