/**
 * The whole system in one process, for `npm start` and the browser tests: broker (embedded aedes
 * unless MQTT_URL is set), store (embedded SQLite unless INFLUX_URL is set), station registry,
 * gateway, server and a simulated city. Each part is the same factory its own process uses; this
 * file only wires them, so "works on embedded defaults" and "works on the real servers" run the
 * same code.
 */
import { createServer, type Server as NetServer } from 'node:net';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { Aedes } from 'aedes';
import { openStore } from '../stores/open.ts';
import { openStationRegistry } from '../stores/stations.ts';
import type { TimeSeriesStore } from '../stores/types.ts';
import { buildGateway, type Gateway } from '../gateway/app.ts';
import { startSimulator, type Simulator } from '../simulators/publish.ts';
import { BEIJING_STATIONS } from '../simulators/city-beijing.ts';
import type { ScenarioName } from '../simulators/scenarios.ts';
import { buildServer, type Built } from './app.ts';
import type { ServerConfig } from './config.ts';
import type { DeadLetterSource } from './routes/dead-letters.ts';

export interface StackOptions {
  logger: Logger;
  /** Folder for the SQLite store, the gateway spool and the registry. */
  dataDir: string;
  /** HTTP port (0 = any free port). */
  port: number;
  host?: string;
  /** External broker; unset = embedded aedes on 127.0.0.1. */
  mqttUrl?: string;
  /** Embedded broker port (0 = any free port). */
  mqttPort?: number;
  /** External InfluxDB (http://host:port/db); unset = embedded SQLite store. */
  influxUrl?: string;
  /** Run the simulated city (default true). */
  simulate?: boolean;
  scenario?: ScenarioName;
  seed?: string | number;
  /** Simulated seconds per wall second (1 = real time). */
  speed?: number;
  /** Hours of simulated history published at start, so charts have something to show. */
  backfillHours?: number;
  server?: Partial<ServerConfig>;
}

export interface Stack {
  url: string;
  mqttUrl: string;
  store: TimeSeriesStore;
  server: Built;
  gateway: Gateway;
  simulator: Simulator | null;
  stop(): Promise<void>;
}

async function startEmbeddedBroker(port: number, host: string): Promise<{ url: string; close(): Promise<void> }> {
  const broker = await Aedes.createBroker();
  const server: NetServer = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `mqtt://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
      }),
  };
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const log = opts.logger;
  const host = opts.host ?? '127.0.0.1';
  mkdirSync(opts.dataDir, { recursive: true });
  const closers: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const c of closers.reverse()) {
      try {
        await c();
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'error while stopping');
      }
    }
    closers.length = 0;
  };
  try {
    let mqttUrl = opts.mqttUrl;
    const embeddedBroker = !mqttUrl;
    if (!mqttUrl) {
      const b = await startEmbeddedBroker(opts.mqttPort ?? 0, '127.0.0.1');
      closers.push(b.close);
      mqttUrl = b.url;
      log.info({ mqtt: mqttUrl }, 'embedded MQTT broker (aedes) listening');
    }

    const store = await openStore(
      opts.influxUrl ? { influxUrl: opts.influxUrl } : { sqlitePath: path.join(opts.dataDir, 'airdesk.sqlite') },
    );
    closers.push(() => store.close());
    log.info({ store: store.kind }, 'store open');

    const stations = openStationRegistry(path.join(opts.dataDir, 'stations.sqlite'));
    closers.push(() => stations.close());
    const simulate = opts.simulate ?? true;
    if (simulate) {
      // The simulated city's stations, at their real coordinates.
      stations.upsert(BEIJING_STATIONS.map(({ code, name, city, province, lon, lat, kind }) => ({ code, name, city, province, lon, lat, kind })));
    }

    const gateway = buildGateway({
      mqttUrl,
      store,
      spoolPath: path.join(opts.dataDir, 'gateway-spool.sqlite'),
      logger: log,
      protocolVersion: embeddedBroker ? 4 : 5,
      source: simulate ? 'sim' : 'live',
      isKnownStation: (code) => stations.has(code),
      // A new station appears in the registry (without coordinates until an operator imports
      // them) rather than being lost; AIRDESK_UNKNOWN_STATION=reject in a gateway process refuses it.
      unknownStation: 'register',
      registerStation: (code) =>
        stations.upsert([{ code, name: code, city: '', province: '', lon: null, lat: null, kind: 'micro' }]),
    });
    const deadLetters: DeadLetterSource = {
      summary() {
        const rows = gateway.spool?.deadLetterSummary() ?? [];
        return {
          available: gateway.spool !== null,
          total: rows.reduce((s, r) => s + r.count, 0),
          byReason: rows.map((r) => ({ reason: r.reason, count: r.count, last: r.last })),
        };
      },
    };

    const { vocRoutes } = await import('./routes/voc.ts');

    const server = await buildServer({
      store,
      stations,
      mqttUrl,
      logger: log,
      deadLetters,
      vocRoutes: vocRoutes as Parameters<typeof buildServer>[0]['vocRoutes'],
      config: { port: opts.port, host, dataDir: opts.dataDir, ...(opts.server ?? {}) },
    });
    // The server subscribes first, so the gateway's first republished batch is not missed.
    await server.start();
    closers.push(() => server.close());
    await gateway.start();
    closers.push(() => gateway.stop());
    const address = await server.app.listen({ port: opts.port, host });
    const url = address.replace('0.0.0.0', '127.0.0.1');

    let simulator: Simulator | null = null;
    if (simulate) {
      simulator = await startSimulator({
        mqttUrl,
        scenario: opts.scenario ?? 'normal',
        seed: opts.seed ?? 1,
        speed: opts.speed ?? 1,
        backfillHours: opts.backfillHours ?? 72,
        log: (line) => log.info(line),
      });
      closers.push(() => simulator!.stop());
    }
    return { url, mqttUrl, store, server, gateway, simulator, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
