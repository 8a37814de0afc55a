import type { InjectOptions, LightMyRequestResponse } from 'fastify';
/** Shared test helpers for the server: stations, hour series notation, a built server on SQLite. */
import pino from 'pino';
import { openSqliteStore } from '../../stores/sqlite.ts';
import { buildServer, type Built } from '../../server/app.ts';
import type { ServerConfig } from '../../server/config.ts';
import type { Reading } from '../../common/schemas/reading.ts';
import type { Station } from '../../common/schemas/station.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import type { Records } from '../../records/open.ts';
import { beijingToUtc, HOUR_MS } from '../../common/time.ts';
import type { FastifyInstance } from 'fastify';
import { ROLE_ACTIONS, type Role } from '../../common/auth/permissions.ts';

export const STATIONS: Station[] = [
  { code: 'X1', name: 'X one', city: 'Xcity', province: 'P', lon: 116.1, lat: 39.9, kind: 'national' },
  { code: 'X2', name: 'X two', city: 'Xcity', province: 'P', lon: 116.2, lat: 39.9, kind: 'national' },
  { code: 'X3', name: 'X micro', city: 'Xcity', province: 'P', lon: 116.3, lat: 39.9, kind: 'micro' },
  { code: 'Y1', name: 'Y one', city: 'Ycity', province: 'P', lon: 117.1, lat: 39.1, kind: 'national' },
];

/** UTC ms of the end of Beijing hour label `h` (1..24) on day 'YYYY-MM-DD'. */
export function bj(day: string, h: number): number {
  const [y, m, d] = day.split('-').map(Number);
  return beijingToUtc(y, m, d, h);
}

/** Hourly readings of one station from `start` (hour end): `values` per hour; null = missing hour. */
export function hourly(station: string, start: number, values: (Record<string, number | null> | null)[]): Reading[] {
  const out: Reading[] = [];
  values.forEach((v, k) => {
    if (v) out.push({ station, time: start + k * HOUR_MS, interval: 'hour', source: 'sim', values: v, flags: {} });
  });
  return out;
}

export const quiet = () => pino({ level: 'silent' });

export async function makeServer(opts: {
  store?: TimeSeriesStore; stations?: Station[]; clock?: () => number; config?: Partial<ServerConfig>;
  mqttUrl?: string | null;
  /** The system of record (default: the server's own in-memory one). */
  records?: Records;
} = {}): Promise<Built & { store: TimeSeriesStore }> {
  const store = opts.store ?? (await openSqliteStore(':memory:'));
  const s = await buildServer({
    store, stations: opts.stations ?? STATIONS, logger: quiet(), clock: opts.clock,
    // publicRead: reads open, for the tests that are not about access (a documented setting,
    // AIRDESK_PUBLIC_READ=1); tests about access pass publicRead: false. Writes always need an
    // identity: get one with seedToken().
    config: { tickSeconds: 3600, socketBatchMs: 10, publicRead: true, ...(opts.config ?? {}) }, mqttUrl: opts.mqttUrl ?? null,
    ...(opts.records ? { records: opts.records } : {}),
  });
  return Object.assign(s, { store });
}

let seeded = 0;

export interface Seeded {
  /** The user the token acts for (role `role`). */
  name: string;
  token: string;
  /** `{ authorization: 'Bearer ...' }`, for app.inject and fetch. */
  headers: { authorization: string };
}

/** An identity for a test: a user with `role` and an API token holding every action of the role,
 *  made through the same records and service the admin routes use (no bypass in the server). */
export async function seedToken(app: FastifyInstance, role: Role, name = `test-${role.replace(/_/g, '-')}-${++seeded}`): Promise<Seeded> {
  const by = { who: 'test-setup', from: 'tests' };
  const user = (await app.records.users.get(name)) ?? (await app.records.users.create({ name, roles: [role] }, by));
  if (role === 'display') {
    const { token } = await app.auth.createToken({ kind: 'display', name, scopes: ['read'] }, by);
    return { name, token, headers: { authorization: `Bearer ${token}` } };
  }
  const { token } = await app.auth.createToken({ kind: 'api', name, owner: user, scopes: [...ROLE_ACTIONS[role]], expiresAt: null }, by);
  return { name, token, headers: { authorization: `Bearer ${token}` } };
}

/** A user with a password, for tests that log in through /api/auth/login. */
export async function seedUser(app: FastifyInstance, role: Role, password = 'correct horse battery', name = `user-${role.replace(/_/g, '-')}-${++seeded}`): Promise<{ name: string; password: string }> {
  const { hashPassword } = await import('../../server/services/auth.ts');
  await app.records.users.create({ name, roles: [role], passwordHash: await hashPassword(password) }, { who: 'test-setup', from: 'tests' });
  return { name, password };
}

/** `app.inject` as a signed-in person of `role` (an API token from seedToken): for tests that are
 *  about what a write does, not about who may do it (tests/server/auth/ covers that). */
export async function injectAs(app: FastifyInstance, role: Role, name?: string): Promise<(o: InjectOptions) => Promise<LightMyRequestResponse>> {
  const { headers } = await seedToken(app, role, name);
  return (o: InjectOptions) => app.inject({ ...o, headers: { ...headers, ...(o.headers ?? {}) } });
}
