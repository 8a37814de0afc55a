/**
 * Identities for the server: passwords (argon2id), sessions (cookie value -> user, idle and
 * absolute expiry), API and display tokens, the login lock-out, and the first-start admin / seeded
 * users. The one hook in server/plugins/auth.ts calls `identify`; the auth routes call the rest.
 * State lives in the system of record (records/users.ts, sessions.ts, tokens.ts); secrets never
 * do: cookies and tokens are stored as SHA-256, passwords as argon2id PHC strings.
 */
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { actionsOf, isAction, isRole, narrow, type Action, type Role } from '#common/auth/permissions.ts';
import type { Records } from '../../records/open.ts';
import type { Actor } from '../../records/check.ts';
import type { User } from '../../records/users.ts';
import { USER_NAME } from '../../records/users.ts';
import type { Token } from '../../records/tokens.ts';
import { appError } from '../errors.ts';
import type { ServerConfig } from '../config.ts';

/** argon2id with the OWASP Password Storage Cheat Sheet's first configuration (m = 19 MiB, t = 2,
 *  p = 1; also the RFC 9106 "memory-constrained" class). About 30 ms a hash here. */
export const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** NIST SP 800-63B 5.1.1.2: at least 8 characters, allow at least 64, no composition rules; we ask
 *  10 (a bureau's shared terminals) and refuse the name itself and a few known-worst passwords. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
const WORST = new Set(['password', 'password1', 'password123', '1234567890', '12345678910', 'qwertyuiop', 'airdesk', 'admin12345', 'changeme123']);

export const SESSION_COOKIE = 'airdesk_session';
export const CSRF_COOKIE = 'airdesk_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Token prefixes: say what a leaked string is (secret scanners match them). */
export const API_TOKEN_PREFIX = 'adk_';
export const DISPLAY_TOKEN_PREFIX = 'adw_';
/** last_seen_at is written at most this often per session (not on every request). */
const TOUCH_EVERY_MS = 60_000;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** 32 random bytes, base64url (256 bits). */
export const secret = (bytes = 32) => randomBytes(bytes).toString('base64url');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(pw: unknown, name: string): string | null {
  if (typeof pw !== 'string') return 'password must be a string';
  if ([...pw].length < PASSWORD_MIN) return `password must be at least ${PASSWORD_MIN} characters`;
  if (pw.length > PASSWORD_MAX) return `password must be at most ${PASSWORD_MAX} characters`;
  if (pw.toLowerCase().includes(name.toLowerCase()) && name.length >= 3) return 'password must not contain the user name';
  if (WORST.has(pw.toLowerCase())) return 'password is on the list of the most common passwords';
  return null;
}

export const hashPassword = (pw: string) => argonHash(pw, ARGON2);

// A hash to verify against when the name is unknown, so that "no such user" takes as long as
// "wrong password" (no user enumeration by timing).
let dummy: Promise<string> | null = null;
async function verifyOrDummy(hash: string | null, pw: string): Promise<boolean> {
  if (hash) {
    try {
      return await argonVerify(hash, pw);
    } catch {
      return false;
    }
  }
  dummy ??= argonHash(secret(), ARGON2);
  await argonVerify(await dummy, pw).catch(() => false);
  return false;
}

/** Who is asking: the one shape the hook, the routes and the audit use. */
export interface Identity {
  kind: 'user' | 'token' | 'display';
  /** The audit's `who`: a user name, or `token:<id>` / `display:<id>`. */
  name: string;
  /** The person (or wall) behind it: the user name, a token's owner, `display:<id>`. What a
   *  warning's "issued by" shows. */
  person: string;
  userId: number | null;
  roles: Role[];
  actions: ReadonlySet<Action>;
  mustChangePassword: boolean;
  via: 'session' | 'token';
  sessionId?: number;
  csrf?: string;
  tokenId?: number;
  tokenName?: string;
}

export interface LoginResult {
  /** The cookie value (hand it to the browser; never stored). */
  cookie: string;
  csrf: string;
  expiresAt: number;
  identity: Identity;
}

export interface SeedUser {
  name: string;
  roles: Role[];
  password: string;
}

/** AIRDESK_SEED_USERS: inline `name:role[+role]:password,...` or a path to a JSON file holding
 *  `[{ "name", "roles": [...], "password" }]`. Throws a one-line reason on anything malformed. */
export function parseSeedUsers(raw: string, read: (p: string) => string = (p) => readFileSync(p, 'utf8')): SeedUser[] {
  const bad = (why: string): never => {
    throw new Error(`AIRDESK_SEED_USERS: ${why}`);
  };
  let list: unknown[];
  if (/^[\s]*[[{]/.test(raw) || /\.json$/i.test(raw.trim())) {
    let text = raw;
    if (/\.json$/i.test(raw.trim())) {
      try {
        text = read(raw.trim());
      } catch (e) {
        bad(`cannot read ${raw.trim()}: ${(e as Error).message}`);
      }
    }
    try {
      const j = JSON.parse(text);
      list = Array.isArray(j) ? j : bad('the JSON must be a list of { name, roles, password }');
    } catch (e) {
      return bad(`not JSON: ${(e as Error).message}`);
    }
  } else {
    list = raw.split(',').map((s) => s.trim()).filter(Boolean).map((item) => {
      const i = item.indexOf(':');
      const j = item.indexOf(':', i + 1);
      if (i < 0 || j < 0) bad(`${JSON.stringify(item.split(':')[0])}: expected name:role[+role]:password`);
      return { name: item.slice(0, i), roles: item.slice(i + 1, j).split('+'), password: item.slice(j + 1) };
    });
  }
  if (list.length === 0) bad('no users given');
  const seen = new Set<string>();
  return list.map((u) => {
    const o = u as Partial<SeedUser>;
    if (!o || typeof o.name !== 'string' || !USER_NAME.test(o.name)) bad(`user name ${JSON.stringify(o?.name)} must be lowercase letters, digits, . _ -`);
    if (seen.has(o.name!)) bad(`user ${o.name} is given twice`);
    seen.add(o.name!);
    if (!Array.isArray(o.roles) || o.roles.length === 0 || !o.roles.every(isRole)) bad(`user ${o.name}: roles ${JSON.stringify(o.roles)} must be from ${['forecaster', 'lead_forecaster', 'emergency_officer', 'analyst', 'admin', 'display'].join(', ')}`);
    const p = passwordProblem(o.password, o.name!);
    if (p) bad(`user ${o.name}: ${p}`);
    return { name: o.name!, roles: [...o.roles!] as Role[], password: o.password! };
  });
}

export interface AuthService {
  identify(req: { cookie?: string; bearer?: string; queryToken?: string; method: string }): Promise<Identity | null>;
  login(name: unknown, password: unknown, by: { from: string; userAgent?: string }): Promise<LoginResult>;
  logout(who: Identity, everywhere: boolean, from: string): Promise<number>;
  changePassword(who: Identity, current: unknown, next: unknown, from: string): Promise<void>;
  /** Lock state of a name: locked until (epoch ms) or null. */
  lockedUntil(name: string): Promise<number | null>;
  /** Create a token; returns the secret once. */
  createToken(t: { kind: 'api' | 'display'; name: string; owner?: User | null; scopes: Action[]; expiresAt?: number | null }, by: Actor): Promise<{ token: string; record: Token }>;
  /** At start: seed users, or when there are none an admin with a one-time password (returned, to print once). */
  firstStart(by: Actor): Promise<{ seeded: string[]; admin: { name: string; password: string } | null }>;
}

export function createAuthService(records: Records, config: Readonly<ServerConfig>, clock: () => number): AuthService {
  const idleMs = config.sessionIdleMinutes * 60_000;
  const maxMs = config.sessionMaxHours * 3_600_000;
  const lockMs = config.loginLockMinutes * 60_000;
  const system = (from: string): Actor => ({ who: 'system', from });

  const userIdentity = (u: User, via: Identity['via'], extra: Partial<Identity> = {}): Identity => ({
    kind: 'user', name: u.name, person: u.name, userId: u.id, roles: u.roles, actions: actionsOf(u.roles), mustChangePassword: u.mustChangePassword, via, ...extra,
  });

  async function lockedUntil(name: string): Promise<number | null> {
    const now = clock();
    const f = await records.users.failuresSince(name, now - lockMs);
    return f.count >= config.loginMaxFailures && f.last !== null ? f.last + lockMs : null;
  }

  async function fromSession(cookie: string): Promise<Identity | null> {
    if (cookie.length > 128) return null;
    const s = await records.sessions.byHash(sha256(cookie));
    if (!s) return null;
    const now = clock();
    if (now >= s.expiresAt || now - s.lastSeenAt >= idleMs) {
      await records.sessions.end(s.id, system('session-expiry'), 'session.expired');
      return null;
    }
    const u = await records.users.byId(s.userId);
    if (!u || u.disabled) return null;
    if (now - s.lastSeenAt >= TOUCH_EVERY_MS) await records.sessions.touch(s.id, now);
    return userIdentity(u, 'session', { sessionId: s.id, csrf: s.csrf });
  }

  async function fromToken(raw: string, displayOnly: boolean): Promise<Identity | null> {
    if (raw.length > 128 || !(raw.startsWith(API_TOKEN_PREFIX) || raw.startsWith(DISPLAY_TOKEN_PREFIX))) return null;
    const t = await records.tokens.byHash(sha256(raw));
    const now = clock();
    if (!t || t.revokedAt !== null || (t.expiresAt !== null && now >= t.expiresAt)) return null;
    if (displayOnly && t.kind !== 'display') return null;
    if (t.lastUsedAt === null || now - t.lastUsedAt >= TOUCH_EVERY_MS) await records.tokens.touch(t.id, now);
    if (t.kind === 'display') {
      return { kind: 'display', name: `display:${t.id}`, person: `display:${t.id}`, userId: null, roles: ['display'], actions: actionsOf(['display']), mustChangePassword: false, via: 'token', tokenId: t.id, tokenName: t.name };
    }
    const owner = t.userId === null ? null : await records.users.byId(t.userId);
    if (!owner || owner.disabled) return null;
    // The owner's roles today, narrowed to the token's scopes: a role taken away is taken from
    // its tokens too. A token never has to change a password.
    return {
      kind: 'token', name: `${owner.name}/token:${t.id}`, person: owner.name, userId: owner.id, roles: owner.roles, actions: narrow(actionsOf(owner.roles), t.scopes),
      mustChangePassword: false, via: 'token', tokenId: t.id, tokenName: t.name,
    };
  }

  return {
    lockedUntil,
    async identify(req) {
      if (req.bearer) return fromToken(req.bearer, false);
      if (req.cookie) {
        const s = await fromSession(req.cookie);
        if (s) return s;
      }
      // A token in the URL only for a wall (read only) and only on reads: a URL ends up in
      // histories and proxy logs, so it must never carry a token that can write.
      if (req.queryToken && (req.method === 'GET' || req.method === 'HEAD')) return fromToken(req.queryToken, true);
      return null;
    },

    async login(name, password, by) {
      if (typeof name !== 'string' || typeof password !== 'string' || name.length === 0 || name.length > 64 || password.length > PASSWORD_MAX) {
        throw appError('AIRDESK_BAD_BODY', 'name and password must be strings');
      }
      const n = name.trim().toLowerCase();
      const until = await lockedUntil(n);
      if (until !== null) {
        await records.users.loginFailed(n, by.from);
        throw appError('AIRDESK_LOCKED_OUT', new Date(until).toISOString());
      }
      const u = USER_NAME.test(n) ? await records.users.get(n) : null;
      const ok = await verifyOrDummy(u?.passwordHash ?? null, password);
      if (!u || !ok || u.disabled) {
        await records.users.loginFailed(n, by.from);
        throw appError('AIRDESK_LOGIN_FAILED');
      }
      const cookie = secret();
      const csrf = secret();
      const expiresAt = clock() + maxMs;
      const s = await records.sessions.create({ tokenHash: sha256(cookie), userId: u.id, csrf, expiresAt, origin: by.from, userAgent: by.userAgent ?? null }, { who: u.name, from: by.from });
      return { cookie, csrf, expiresAt, identity: userIdentity(u, 'session', { sessionId: s.id, csrf }) };
    },

    async logout(who, everywhere, from) {
      const by = { who: who.name, from };
      if (everywhere && who.userId !== null) return records.sessions.endAll(who.userId, by);
      if (who.sessionId !== undefined) return (await records.sessions.end(who.sessionId, by)) ? 1 : 0;
      return 0;
    },

    async changePassword(who, current, next, from) {
      if (who.kind !== 'user' || who.userId === null) throw appError('AIRDESK_FORBIDDEN', 'a token cannot change a password');
      if (typeof current !== 'string' || typeof next !== 'string') throw appError('AIRDESK_BAD_BODY', 'current and next must be strings');
      const u = await records.users.byId(who.userId);
      if (!u || !(await verifyOrDummy(u.passwordHash, current))) {
        await records.users.loginFailed(who.name, from);
        throw appError('AIRDESK_LOGIN_FAILED');
      }
      const p = passwordProblem(next, u.name);
      if (p) throw appError('AIRDESK_WEAK_PASSWORD', p);
      if (next === current) throw appError('AIRDESK_WEAK_PASSWORD', 'the new password must differ from the current one');
      await records.users.setPassword(u.name, await hashPassword(next), false, { who: u.name, from });
      // Every other session of this user ends: a changed password locks out whoever else had it.
      await records.sessions.endAll(u.id, { who: u.name, from }, who.sessionId);
    },

    async createToken(t, by) {
      if (t.kind === 'api') {
        if (!t.owner) throw appError('AIRDESK_BAD_BODY', 'an api token needs an owner');
        const held = actionsOf(t.owner.roles);
        const missing = t.scopes.filter((s) => !isAction(s) || !held.has(s));
        if (missing.length) throw appError('AIRDESK_SCOPE_NOT_HELD', t.owner.name, missing.join(', '));
      }
      const token = (t.kind === 'api' ? API_TOKEN_PREFIX : DISPLAY_TOKEN_PREFIX) + secret();
      const record = await records.tokens.create({
        kind: t.kind, name: t.name, tokenHash: sha256(token), prefix: token.slice(0, 10), userId: t.owner?.id ?? null,
        scopes: t.kind === 'display' ? ['read'] : t.scopes, expiresAt: t.expiresAt ?? null,
      }, by);
      return { token, record };
    },

    async firstStart(by) {
      const seeded: string[] = [];
      if (config.seedUsers) {
        for (const s of parseSeedUsers(config.seedUsers)) {
          if (await records.users.get(s.name)) continue;
          await records.users.create({ name: s.name, roles: s.roles, passwordHash: await hashPassword(s.password), mustChangePassword: false }, by);
          seeded.push(s.name);
        }
      }
      if ((await records.users.count()) > 0) return { seeded, admin: null };
      // Grafana/Jenkins style: one admin, a one-time password shown once, changed at first login.
      const password = secret(15);
      await records.users.create({ name: 'admin', displayName: 'Administrator', roles: ['admin'], passwordHash: await hashPassword(password), mustChangePassword: true }, by);
      return { seeded, admin: { name: 'admin', password } };
    },
  };
}
