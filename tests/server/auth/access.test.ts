/**
 * Access, route by route (issue 15): for every route in the OpenAPI document, each role and no
 * identity is allowed exactly when common/auth/permissions.ts says so, refused with a coded
 * 401/403 otherwise, and refused writes are audited. Plus: a route without a permission stops
 * start-up; brute force locks a name out; a cookie write without the CSRF header is refused; a
 * wall token cannot write; sessions expire (idle and absolute) and logout ends them everywhere.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_ACTIONS, ROLES, type Role } from '../../../common/auth/permissions.ts';
import type { Built } from '../../../server/app.ts';
import type { TimeSeriesStore } from '../../../stores/types.ts';
import { makeServer, seedToken, seedUser, type Seeded } from '../helpers.ts';

type S = Built & { store: TimeSeriesStore };

/** The routes the OpenAPI document lists, as 'METHOD /path' with Fastify's :params. */
async function openapiRoutes(s: S): Promise<string[]> {
  const doc = (await s.app.inject({ url: '/docs/json', headers: (await seedToken(s.app, 'analyst')).headers })).json() as { paths: Record<string, Record<string, unknown>> };
  const out: string[] = [];
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const m of Object.keys(ops)) out.push(`${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
  }
  return out;
}

describe('every route declares a permission', () => {
  let s: S;
  beforeAll(async () => {
    s = await makeServer({ config: { publicRead: false } });
    await s.app.ready();
  });
  afterAll(() => s.close());

  it('the OpenAPI document lists no route without a declared permission (and lists the write routes)', async () => {
    const routes = await openapiRoutes(s);
    expect(routes).toEqual(expect.arrayContaining(['POST /api/forecasts', 'POST /api/warnings/actions', 'POST /api/auth/login', 'GET /api/audit']));
    const undeclared = routes.filter((r) => !s.app.routePermissions.has(r));
    expect(undeclared).toEqual([]);
  });

  it('a server with an /api route that declares none does not start, naming the route', async () => {
    const app = Fastify();
    const { default: core } = await import('../../../server/plugins/core.ts');
    const { default: auth } = await import('../../../server/plugins/auth.ts');
    const { serverConfig } = await import('../../../server/config.ts');
    const { openRecords } = await import('../../../records/open.ts');
    const records = await openRecords({ sqlitePath: ':memory:' });
    await app.register(core, { config: serverConfig(), clock: Date.now, store: {} as never, stations: [], deadLetters: null, records });
    await app.register(auth);
    app.get('/api/oops', async () => ({ ok: true }));
    app.get('/api/typo', { config: { permission: 'raed' as never } }, async () => ({ ok: true }));
    await expect(app.ready()).rejects.toThrow(/AIRDESK_NO_PERMISSION.*GET \/api\/oops.*GET \/api\/typo \(unknown permission "raed"\)/);
    await records.close();
  });
});

describe('route by route, role by role (reads closed: publicRead false)', () => {
  let s: S;
  const ids = new Map<Role, Seeded>();
  beforeAll(async () => {
    s = await makeServer({ config: { publicRead: false } });
    for (const r of ROLES) ids.set(r, await seedToken(s.app, r));
  });
  afterAll(() => s.close());

  // One representative request per route: [method, url, body]. Reads and writes; bodies are
  // valid so an allowed identity gets past the check (a 2xx or a 4xx that is not 401/403).
  const REQUESTS: [string, string, unknown?][] = [
    ['GET', '/api/stations'], ['GET', '/api/latest'], ['GET', '/api/episodes'], ['GET', '/api/warnings'], ['GET', '/api/forecasts'],
    ['GET', '/api/today'], ['GET', '/api/dead-letters/summary'], ['GET', '/api/voc/species'], ['GET', '/metrics'], ['GET', '/docs/json'],
    ['POST', '/api/forecasts', { city: 'Xcity', days: [{ day: '2026-12-03', aqi: 120 }] }],
    ['POST', '/api/warnings/actions', { city: 'Xcity', scheme: '2018', action: 'lift' }],
    ['GET', '/api/admin/users'], ['POST', '/api/admin/displays', { name: 'lobby' }], ['GET', '/api/admin/tokens'], ['GET', '/api/admin/displays'],
    ['GET', '/api/audit'], ['GET', '/api/audit.csv'],
  ];
  const NEED: Record<string, string> = {
    'POST /api/forecasts': 'forecast.write', 'POST /api/warnings/actions': 'warning.act',
    'GET /api/admin/users': 'admin.users', 'POST /api/admin/displays': 'admin.users', 'GET /api/admin/tokens': 'admin.users', 'GET /api/admin/displays': 'admin.users',
    'GET /api/audit': 'audit.read', 'GET /api/audit.csv': 'audit.read',
  };

  it.each(REQUESTS)('%s %s: no identity -> 401 AIRDESK_UNAUTHENTICATED (a write refused is audited)', async (method, url, body) => {
    const before = (await s.app.records.audit.list({ action: 'access.denied' })).length;
    const r = await s.app.inject({ method: method as 'GET', url, payload: body as object });
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('AIRDESK_UNAUTHENTICATED');
    const after = await s.app.records.audit.list({ action: 'access.denied' });
    expect(after.length - before).toBe(method === 'GET' ? 0 : 1);
    if (method !== 'GET') expect(after[0]).toMatchObject({ actor: 'anonymous', target: `route:${method} ${url}`, after: { code: 'AIRDESK_UNAUTHENTICATED', status: 401 } });
  });

  const cases = REQUESTS.flatMap(([m, u, b]) => ROLES.map((role) => [role, m, u, b] as const));
  it.each(cases)('%s: %s %s allowed exactly when the role holds the action', async (role, method, url, body) => {
    const need = NEED[`${method} ${url}`] ?? 'read';
    const allowed = (ROLE_ACTIONS[role] as readonly string[]).includes(need);
    const r = await s.app.inject({ method: method as 'GET', url, payload: body as object, headers: ids.get(role)!.headers });
    if (allowed) {
      expect([401, 403], `${r.statusCode} ${r.body.slice(0, 200)}`).not.toContain(r.statusCode);
    } else {
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('AIRDESK_FORBIDDEN');
      expect(r.json().error.message).toContain(need);
    }
  });

  it('an allowed write is audited with who and from where; a display token cannot write', async () => {
    const r = await s.app.inject({ method: 'POST', url: '/api/forecasts', headers: ids.get('forecaster')!.headers, payload: { city: 'Xcity', days: [{ day: '2026-12-05', aqi: 150 }] } });
    expect(r.statusCode).toBe(201);
    const [line] = await s.app.records.audit.list({ action: 'forecast.' });
    expect(line).toMatchObject({ actor: expect.stringMatching(/^test-forecaster-\d+/), origin: '127.0.0.1' });
    const wall = ids.get('display')!;
    for (const [m, u, b] of REQUESTS.filter(([m]) => m !== 'GET')) {
      const w = await s.app.inject({ method: m as 'POST', url: u, payload: b as object, headers: wall.headers });
      expect(w.statusCode, u).toBe(403);
    }
    expect((await s.app.inject({ url: '/api/latest', headers: wall.headers })).statusCode).toBe(200);
  });

  it('a revoked or expired token is no identity (401)', async () => {
    const t = await seedToken(s.app, 'analyst');
    expect((await s.app.inject({ url: '/api/stations', headers: t.headers })).statusCode).toBe(200);
    const [rec] = await s.app.records.tokens.list({ kind: 'api' });
    await s.app.records.tokens.revoke(rec.id, { who: 'test', from: 'tests' });
    expect((await s.app.inject({ url: '/api/stations', headers: t.headers })).statusCode).toBe(401);
    expect((await s.app.inject({ url: '/api/stations', headers: { authorization: 'Bearer adk_not-a-token' } })).statusCode).toBe(401);
  });

  it('health, readiness, login and me are public', async () => {
    for (const url of ['/healthz', '/api/auth/me']) expect((await s.app.inject({ url })).statusCode, url).toBe(200);
    expect([200, 503]).toContain((await s.app.inject({ url: '/readyz' })).statusCode);
    expect((await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'x', password: 'y' } })).json().error.code).toBe('AIRDESK_LOGIN_FAILED');
  });
});

describe('public read (AIRDESK_PUBLIC_READ=1)', () => {
  it('opens the reads to anyone, and nothing else', async () => {
    const s = await makeServer({ config: { publicRead: true } });
    expect((await s.app.inject({ url: '/api/latest' })).statusCode).toBe(200);
    expect((await s.app.inject({ url: '/api/audit' })).statusCode).toBe(401);
    expect((await s.app.inject({ method: 'POST', url: '/api/forecasts', payload: { city: 'Xcity', days: [{ day: '2026-12-03', aqi: 120 }] } })).statusCode).toBe(401);
    await s.close();
  });
});

describe('sessions: login, CSRF, lock-out, expiry, logout everywhere, first login', () => {
  let now = Date.UTC(2026, 11, 2, 2);
  let s: S;
  beforeAll(async () => {
    s = await makeServer({ clock: () => now, config: { publicRead: false, sessionIdleMinutes: 30, sessionMaxHours: 8, loginMaxFailures: 3, loginLockMinutes: 15, loginPerMinute: 1000 } });
  });
  afterAll(() => s.close());

  const login = async (name: string, password: string) => s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { name, password } });
  const jar = (r: { cookies: { name: string; value: string }[] }) => ({
    cookie: r.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
    csrf: r.cookies.find((c) => c.name === 'airdesk_csrf')!.value,
  });

  it('sets an HttpOnly SameSite=Strict session cookie; a cookie write needs the CSRF header', async () => {
    const u = await seedUser(s.app, 'lead_forecaster');
    const r = await login(u.name, u.password);
    expect(r.statusCode).toBe(200);
    const sc = r.cookies.find((c) => c.name === 'airdesk_session')!;
    expect(sc).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(sc.secure).toBeFalsy(); // plain HTTP in the test; Secure over HTTPS
    const { cookie, csrf } = jar(r);
    const body = { city: 'Xcity', days: [{ day: '2026-12-03', aqi: 120 }] };
    const noCsrf = await s.app.inject({ method: 'POST', url: '/api/forecasts', headers: { cookie }, payload: body });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('AIRDESK_CSRF');
    const wrong = await s.app.inject({ method: 'POST', url: '/api/forecasts', headers: { cookie, 'x-csrf-token': `${csrf}x` }, payload: body });
    expect(wrong.json().error.code).toBe('AIRDESK_CSRF');
    const other = await s.app.inject({ method: 'POST', url: '/api/forecasts', headers: { cookie, 'x-csrf-token': csrf, origin: 'http://evil.example' }, payload: body });
    expect(other.json().error.code).toBe('AIRDESK_ORIGIN_REFUSED');
    const ok = await s.app.inject({ method: 'POST', url: '/api/forecasts', headers: { cookie, 'x-csrf-token': csrf }, payload: body });
    expect(ok.statusCode).toBe(201);
    expect((await s.app.records.audit.list({ action: 'access.denied', actor: u.name })).map((e) => (e.after as { code: string }).code))
      .toEqual(['AIRDESK_ORIGIN_REFUSED', 'AIRDESK_CSRF', 'AIRDESK_CSRF']);
  });

  it('brute force: after 3 failures the name is locked, the right password refused too, until the lock ends', async () => {
    const u = await seedUser(s.app, 'analyst');
    for (let i = 0; i < 3; i++) expect((await login(u.name, `wrong-${i}-password`)).json().error.code).toBe('AIRDESK_LOGIN_FAILED');
    const locked = await login(u.name, u.password);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('AIRDESK_LOCKED_OUT');
    // An unknown name fails exactly like a wrong password (no enumeration).
    expect((await login('nobody-here', 'whatever-password')).json().error).toEqual((await login(u.name.replace(/\d+$/, '0'), 'x-password-x')).json().error);
    now += 16 * 60_000;
    expect((await login(u.name, u.password)).statusCode).toBe(200);
    expect((await s.app.records.audit.list({ action: 'user.login_failed', target: `user:${u.name}` })).length).toBe(4);
  });

  it('idle and absolute expiry end a session (401 then); logout everywhere ends them all', async () => {
    const u = await seedUser(s.app, 'forecaster');
    const a = jar(await login(u.name, u.password));
    const me = () => s.app.inject({ url: '/api/stations', headers: { cookie: a.cookie } });
    expect((await me()).statusCode).toBe(200);
    now += 29 * 60_000;
    expect((await me()).statusCode).toBe(200); // used within 30 min: still on
    now += 31 * 60_000;
    expect((await me()).statusCode).toBe(401); // idle > 30 min
    expect((await s.app.records.audit.list({ action: 'session.expired', target: `user:${u.name}` })).length).toBe(1);
    // Absolute: used every 20 minutes, still ends 8 h after login.
    const b = jar(await login(u.name, u.password));
    let last = 0;
    for (let t = 0; t < 8 * 3; t++) {
      now += 20 * 60_000;
      last = (await s.app.inject({ url: '/api/stations', headers: { cookie: b.cookie } })).statusCode;
      if (last === 401) break;
    }
    expect(last).toBe(401);
    const c = jar(await login(u.name, u.password));
    const d = jar(await login(u.name, u.password));
    const out = await s.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: c.cookie, 'x-csrf-token': c.csrf }, payload: { everywhere: true } });
    expect(out.statusCode).toBe(200);
    expect((await s.app.inject({ url: '/api/stations', headers: { cookie: d.cookie } })).statusCode).toBe(401);
  });

  it('a user with a one-time password must change it before anything else; the new one works, the old does not', async () => {
    const admin = await seedUser(s.app, 'admin');
    const A = jar(await login(admin.name, admin.password));
    const created = await s.app.inject({ method: 'POST', url: '/api/admin/users', headers: { cookie: A.cookie, 'x-csrf-token': A.csrf }, payload: { name: 'new.forecaster', roles: ['forecaster'] } });
    expect(created.statusCode).toBe(201);
    const otp = created.json().oneTimePassword as string;
    expect(otp.length).toBeGreaterThanOrEqual(20);
    const n = jar(await login('new.forecaster', otp));
    const blocked = await s.app.inject({ url: '/api/stations', headers: { cookie: n.cookie } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('AIRDESK_PASSWORD_CHANGE_REQUIRED');
    const weak = await s.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: n.cookie, 'x-csrf-token': n.csrf }, payload: { current: otp, next: 'short' } });
    expect(weak.json().error.code).toBe('AIRDESK_WEAK_PASSWORD');
    const ch = await s.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: n.cookie, 'x-csrf-token': n.csrf }, payload: { current: otp, next: 'a much longer passphrase' } });
    expect(ch.statusCode).toBe(200);
    expect((await s.app.inject({ url: '/api/stations', headers: { cookie: n.cookie } })).statusCode).toBe(200);
    expect((await login('new.forecaster', otp)).statusCode).toBe(401);
    expect((await login('new.forecaster', 'a much longer passphrase')).statusCode).toBe(200);
    const log = (await s.app.inject({ url: '/api/audit?target=user:new.forecaster', headers: { cookie: A.cookie } })).json().entries.map((e: { action: string }) => e.action);
    expect(log).toEqual(expect.arrayContaining(['user.created', 'user.password_changed', 'user.login']));
    const csv = await s.app.inject({ url: '/api/audit.csv?action=user.', headers: { cookie: A.cookie } });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n')[0]).toBe('id,time_beijing,at_ms,actor,origin,action,target,before,after');
    expect(csv.body).not.toMatch(/argon2/);
  });

  it('garbage to the auth and admin routes: 400 with a code, never a crash', async () => {
    const admin = await seedUser(s.app, 'admin');
    const A = jar(await login(admin.name, admin.password));
    const h = { cookie: A.cookie, 'x-csrf-token': A.csrf };
    const rows: [string, string, unknown, string][] = [
      ['POST', '/api/auth/login', { name: 'x' }, 'AIRDESK_BAD_BODY'],
      ['POST', '/api/auth/login', { name: 'x', password: 'y', extra: 1 }, 'AIRDESK_BAD_BODY'],
      ['POST', '/api/admin/users', { name: 'Bad Name', roles: ['analyst'] }, 'AIRDESK_BAD_BODY'],
      ['POST', '/api/admin/users', { name: 'ok', roles: ['root'] }, 'AIRDESK_BAD_BODY'],
      ['POST', '/api/admin/tokens', { name: 't', owner: admin.name, scopes: ['forecast.write'], expiresInDays: 30 }, 'AIRDESK_SCOPE_NOT_HELD'],
      ['POST', '/api/admin/tokens', { name: 't', owner: admin.name, scopes: ['read'], expiresInDays: 0 }, 'AIRDESK_BAD_BODY'],
      ['DELETE', '/api/admin/tokens/999', undefined, 'AIRDESK_TOKEN_NOT_FOUND'],
      ['PATCH', '/api/admin/users/nobody', { disabled: true }, 'AIRDESK_UNKNOWN_USER'],
      ['GET', '/api/audit?from=yesterday', undefined, 'AIRDESK_BAD_TIME'],
      ['GET', '/api/audit?action=DROP', undefined, 'AIRDESK_BAD_QUERY'],
    ];
    for (const [method, url, payload, code] of rows) {
      const r = await s.app.inject({ method: method as 'POST', url, headers: h, ...(payload ? { payload: payload as object } : {}) });
      expect(r.json().error?.code, `${method} ${url} ${r.body}`).toBe(code);
    }
  });

  it('API tokens: created for a user with scopes it holds, listed without the secret, revoked', async () => {
    const admin = await seedUser(s.app, 'admin');
    const A = jar(await login(admin.name, admin.password));
    const h = { cookie: A.cookie, 'x-csrf-token': A.csrf };
    const owner = await seedUser(s.app, 'forecaster');
    const c = await s.app.inject({ method: 'POST', url: '/api/admin/tokens', headers: h, payload: { name: 'guidance job', owner: owner.name, scopes: ['read'], expiresInDays: 30 } });
    expect(c.statusCode).toBe(201);
    const tok = c.json().token as string;
    expect(tok).toMatch(/^adk_/);
    const list = (await s.app.inject({ url: '/api/admin/tokens', headers: h })).json().tokens;
    expect(JSON.stringify(list)).not.toContain(tok);
    // read only: cannot post a forecast although its owner can
    const post = await s.app.inject({ method: 'POST', url: '/api/forecasts', headers: { authorization: `Bearer ${tok}` }, payload: { city: 'Xcity', days: [{ day: '2026-12-03', aqi: 120 }] } });
    expect(post.statusCode).toBe(403);
    const del = await s.app.inject({ method: 'DELETE', url: `/api/admin/tokens/${c.json().record.id}`, headers: h });
    expect(del.statusCode).toBe(200);
    expect((await s.app.inject({ url: '/api/stations', headers: { authorization: `Bearer ${tok}` } })).statusCode).toBe(401);
  });
});
