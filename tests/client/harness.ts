/**
 * A real AirDesk server for the browser tests, screenshots and the client bench: buildServer
 * (server/app.ts) on port 0 with an in-memory SQLite store, the built client from dist/client, and
 * the simulated Beijing city (simulators/) ingested hour by hour through the server's own ingest
 * path (normalised by common/ingest exactly as the gateway does). No fakes: what the browser sees
 * is what the server computes.
 */
import pino from 'pino';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { buildServer, type Built } from '../../server/app.ts';
import type { ServerConfig } from '../../server/config.ts';
import { openStore } from '../../stores/open.ts';
import { syntheticStations } from '../../simulators/city-beijing.ts';
import { createSim, simulateHour, beijingMidnight, type SimState } from '../../simulators/model.ts';
import { rng } from '../../simulators/noise.ts';
import type { ScenarioName } from '../../simulators/scenarios.ts';
import { normaliseStationReading, normaliseVocCycle } from '#common/ingest/normalise.ts';
import type { Reading, StationReadingMsg } from '#common/schemas/reading.ts';
import type { Station } from '#common/schemas/station.ts';
import { DAY_MS, HOUR_MS } from '#common/time.ts';
import { seedToken } from '../server/helpers.ts';

/** Each demo's write headers by its base URL (tests/client/users-helpers.ts postJson reads them). */
export const WRITE_HEADERS = new Map<string, Record<string, string>>();

export const CHROMIUM = process.env.AIRDESK_TEST_CHROMIUM || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : '');
export const HAVE_CLIENT = existsSync('dist/client/index.html');

/** Flags that make WebGL2 work in software as root (../shared/STACK-NOTES.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface Demo {
  url: string;
  /** Authorization header of a seeded lead forecaster's token, for the test's own HTTP writes. */
  writeHeaders: Record<string, string>;
  server: Built;
  sim: SimState;
  /** hour end (UTC ms) of the latest hour ingested */
  lastHour: number;
  /** readings ingested, by station, for the latest hour */
  latest: Map<string, Reading>;
  toReading(msg: StationReadingMsg): Reading;
  publish(rs: Reading[]): Promise<void>;
  /** push the latest VOC cycles to connected clients */
  emitVoc(): void;
  close(): Promise<void>;
}

export interface DemoOptions {
  scenario?: ScenarioName;
  seed?: string;
  /** days of history before now (default 3) */
  days?: number;
  /** extra synthetic stations (bench) */
  extraStations?: number;
  /** leave these stations out of the latest hour */
  skipLatest?: readonly string[];
  /** stations with no data at all */
  silent?: readonly string[];
  /** server config over the demo's (e.g. a small guidance training set, a coarse box-model grid, the measure evaluation's sizes) */
  config?: Partial<ServerConfig>;
  /** Reads open without signing in (AIRDESK_PUBLIC_READ=1; default true: the browser tests that
   *  are not about access); false = the closed default, the sign-in screen first. */
  publicRead?: boolean;
  /** AIRDESK_SEED_USERS for the server (e.g. 'li.na:forecaster:a-long-passphrase'). */
  seedUsers?: string;
  /** Session idle expiry in minutes (tests of a session ending mid-use). */
  sessionIdleMinutes?: number;
  /** The system of record to use (default a private in-memory one), e.g. to restart on the same file. */
  records?: import('../../records/open.ts').Records;
}

export async function startDemo(o: DemoOptions = {}): Promise<Demo> {
  const now = Date.now();
  const days = o.days ?? 3;
  // The pm scenario's heavy days are 2..5 from its start: start it `days` days ago so today is an
  // episode day and the last 72 h carry the build-up.
  const start = beijingMidnight(now) - days * DAY_MS;
  const sim = createSim({ seed: o.seed ?? 'airdesk-e2e', scenario: o.scenario ?? 'pm', start, extraStations: o.extraStations ?? 0 });
  const stations: Station[] = sim.stations.map((s) => ({ code: s.code, name: s.name, city: s.city, province: s.province, lon: s.lon, lat: s.lat, kind: s.kind }));
  const store = await openStore({ sqlitePath: ':memory:' });
  const ctx = { source: 'sim' as const, now };
  const toReading = (msg: StationReadingMsg): Reading => {
    const r = normaliseStationReading(msg, { ...ctx, now: Date.now() });
    if (!r.ok) throw new Error(`simulated reading rejected: ${JSON.stringify(r)}`);
    return r.reading;
  };
  // History goes to the store as the gateway would have written it; the server rebuilds its live
  // state (rolling windows, episodes) from there at start, as after a restart.
  const lastHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const silent = new Set(o.silent ?? []);
  const latest = new Map<string, Reading>();
  for (let t = start + HOUR_MS; t <= lastHour; t += HOUR_MS) {
    const h = simulateHour(sim, t);
    const rs = h.readings
      .filter((m) => !silent.has(m.station) && !(t === lastHour && o.skipLatest?.includes(m.station)))
      .map(toReading);
    await store.writeReadings(rs);
    const cycles = h.voc.map((v) => normaliseVocCycle(v, ctx)).flatMap((c) => (c.ok ? [c.cycle] : []));
    if (cycles.length) await store.writeVocCycles(cycles);
    if (t === lastHour) for (const r of rs) latest.set(r.station, r);
  }
  const server = await buildServer({
    store, stations, logger: pino({ level: 'warn' }), mqttUrl: null,
    config: {
      clientDir: 'dist/client', tickSeconds: 2, socketBatchMs: 20, rebuildDays: days + 1, publicRead: o.publicRead ?? true,
      ...(o.seedUsers ? { seedUsers: o.seedUsers } : {}), ...(o.sessionIdleMinutes ? { sessionIdleMinutes: o.sessionIdleMinutes } : {}),
      ...(o.config ?? {}),
    },
    ...(o.records ? { records: o.records } : {}),
  });
  await server.start();
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = server.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  // A lead forecaster's API token for the tests' own writes through HTTP (forecasts, warning
  // actions, measures): what a script of the bureau would hold, seeded, never a bypass.
  const writeHeaders = (await seedToken(server.app, 'lead_forecaster', 'e2e-lead')).headers;
  WRITE_HEADERS.set(`http://127.0.0.1:${port}`, writeHeaders);
  // The latest cycle of each analyzer, as the live MQTT path would push it (emitVoc).
  const vocs = simulateHour(sim, lastHour).voc.map((v) => normaliseVocCycle(v, ctx)).flatMap((c) => (c.ok ? [c.cycle] : []));
  return {
    url: `http://127.0.0.1:${port}`, server, sim, lastHour, latest, toReading, writeHeaders,
    emitVoc: () => { for (const c of vocs) server.io.emit('voc:cycle', c); },
    /** Publish live readings: through the server's ingest path and into the store. */
    publish: async (rs: Reading[]) => { server.ingest(rs); await store.writeReadings(rs); },
    close: async () => { await server.close(); await store.close(); },
  };
}

export { syntheticStations, rng };
