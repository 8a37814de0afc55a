/**
 * The whole system in one process, for `npm start` and the browser tests: broker (embedded aedes
 * unless MQTT_URL is set), store (embedded SQLite unless INFLUX_URL is set), station registry,
 * gateway, server and a simulated city. Each part is the same factory its own process uses, with
 * the same config (system/config.ts composes their readers); this file only wires them, so "works
 * on embedded defaults" and "works on the real servers" run the same code. system/ is the only
 * folder that imports gateway/, server/ and simulators/ together.
 */
import { mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';
import { startEmbeddedBroker } from './broker.ts';
import { openStore } from '../stores/open.ts';
import { openStationRegistry } from '../stores/stations.ts';
import { openStationCredentials } from '../stores/station-credentials.ts';
import type { TimeSeriesStore } from '../stores/types.ts';
import { buildGateway, type Gateway } from '../gateway/app.ts';
import { loadGatewayConfig, type GatewayConfig } from '../gateway/config.ts';
import { gatewayOptions } from '../gateway/options.ts';
import { refuseOpenBroker } from '../gateway/main.ts';
import { deadLetterSummary } from '../gateway/dead-letters.ts';
import { startSimulator, type Simulator } from '../simulators/publish.ts';
import { BEIJING_STATIONS } from '../simulators/city-beijing.ts';
import type { ScenarioName } from '../simulators/scenarios.ts';
import { buildServer, type Built } from '../server/app.ts';
import { openRecords, RECORDS_FILE, type Records } from '../records/open.ts';
import { statePathIn, type ServerConfig } from '../server/config.ts';
import { DEFAULT_CONSULT } from '../server/services/consult-config.ts';
import type { DeadLetterSource } from '../server/plugins/core.ts';

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
  /** Embedded broker: clients without an account may connect (default true). */
  brokerAnonymous?: boolean;
  /** External InfluxDB (http://host:port/db); unset = embedded SQLite store. */
  influxUrl?: string;
  /** The system of record on PostgreSQL; unset = records.sqlite in `dataDir`. */
  databaseUrl?: string;
  /** Run the simulated city (default true). */
  simulate?: boolean;
  scenario?: ScenarioName;
  seed?: string | number;
  /** Simulated seconds per wall second (1 = real time). */
  speed?: number;
  /** Hours of simulated history published at start, so charts have something to show. */
  backfillHours?: number;
  /** Scenario start (UTC ms); default the simulator's own. */
  simStart?: number;
  /** The server's config (system/config.ts reads it as `airdesk serve` does); the state file
   *  defaults to the data folder's, as under `airdesk serve`. */
  server?: Partial<ServerConfig>;
  /** The gateway's config (as `airdesk gateway` reads it); default: its defaults in `dataDir`.
   *  Its MQTT_URL is replaced by the broker this stack uses. */
  gateway?: Readonly<GatewayConfig>;
}

export interface Stack {
  url: string;
  mqttUrl: string;
  store: TimeSeriesStore;
  server: Built;
  records: Records;
  gateway: Gateway;
  simulator: Simulator | null;
  stop(): Promise<void>;
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
    // The gateway's and the server's own URLs (with the embedded broker: each with its own
    // credentials, so only the gateway may publish on the internal topics; system/broker.ts).
    // Station accounts and HJ 212 PWs live beside the registry (airdesk stations credentials).
    const creds = openStationCredentials(path.join(opts.dataDir, 'stations.sqlite'));
    closers.push(() => creds.close());
    let gatewayMqttUrl = mqttUrl;
    let serverMqttUrl = mqttUrl;
    if (!mqttUrl) {
      const b = await startEmbeddedBroker(opts.mqttPort ?? 0, '127.0.0.1', {
        verifyStation: (code, pw) => creds.verify(code, pw), anonymous: opts.brokerAnonymous ?? true,
      });
      closers.push(b.close);
      mqttUrl = b.url;
      gatewayMqttUrl = b.gatewayUrl;
      serverMqttUrl = b.serverUrl;
      log.info({ mqtt: mqttUrl }, 'embedded MQTT broker (aedes) listening; internal topics: gateway only');
    }

    const store = await openStore(
      opts.influxUrl ? { influxUrl: opts.influxUrl } : { sqlitePath: path.join(opts.dataDir, 'airdesk.sqlite') },
    );
    closers.push(() => store.close());
    log.info({ store: store.kind }, 'store open');

    const records = await openRecords(
      opts.databaseUrl ? { databaseUrl: opts.databaseUrl, logger: log } : { sqlitePath: path.join(opts.dataDir, RECORDS_FILE), logger: log },
    );
    closers.push(() => records.close());
    log.info({ records: records.where }, 'system of record open');

    const stations = openStationRegistry(path.join(opts.dataDir, 'stations.sqlite'));
    closers.push(() => stations.close());
    const simulate = opts.simulate ?? true;
    if (simulate) {
      // The simulated city's stations, at their real coordinates.
      stations.upsert(BEIJING_STATIONS.map(({ code, name, city, province, lon, lat, kind }) => ({ code, name, city, province, lon, lat, kind })));
    }

    const gwConfig = opts.gateway ?? loadGatewayConfig({ AIRDESK_DATA_DIR: opts.dataDir });
    // The key the gateway signs its internal messages with and the server checks them by
    // (common/schemas/internal-sig.ts): the configured one (AIRDESK_INTERNAL_KEY, read by both
    // configs), else a random one per start, so the default install checks signatures too.
    const internalKeys = opts.server?.internalKeys ?? {
      current: gwConfig.internalKey ?? randomBytes(32).toString('hex'), previous: null, previousHours: 0, windowSeconds: 300,
    };
    const gateway = buildGateway({
      ...gatewayOptions(gwConfig),
      internalKey: internalKeys.current,
      hj212Pw: { mode: gwConfig.hj212Pw, hashes: creds.hj212Hashes() },
      mqttUrl: gatewayMqttUrl!,
      store,
      logger: log,
      // aedes speaks MQTT 3.1.1 only.
      protocolVersion: embeddedBroker ? 4 : gwConfig.protocolVersion,
      source: simulate ? 'sim' : gwConfig.source,
      isKnownStation: (code) => stations.has(code),
      stationLimit: { max: gwConfig.stationRegisterMax, perMinute: gwConfig.stationRegisterPerMin, registered: () => stations.count() },
      // Under the register policy (the default) a new station appears in the registry (without
      // coordinates until an operator imports them) rather than being lost.
      registerStation: (code) =>
        stations.upsert([{ code, name: code, city: '', province: '', lon: null, lat: null, kind: 'micro' }]),
    });
    const deadLetters: DeadLetterSource = { summary: (o) => deadLetterSummary(gateway.spool, o) };

    const server = await buildServer({
      store,
      stations,
      mqttUrl: serverMqttUrl!,
      logger: log,
      deadLetters,
      records,
      config: {
        statePath: statePathIn(opts.dataDir), ...(opts.server ?? {}), port: opts.port, host, dataDir: opts.dataDir, internalKeys,
        // The demo city opens today's consultation at start, whatever the hour, so a new user
        // finds a room to try (README); a real city keeps the afternoon schedule.
        ...(simulate ? { consult: { ...(opts.server?.consult ?? DEFAULT_CONSULT), openOnStart: true } } : {}),
      },
    });
    // An external broker: the gateway's open-broker check, as `airdesk gateway` makes it.
    if (!embeddedBroker) await refuseOpenBroker(gwConfig, log, gatewayMqttUrl!, gwConfig.protocolVersion);
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
        ...(opts.simStart !== undefined ? { start: opts.simStart } : {}),
        log: (line) => log.info(line),
      });
      closers.push(() => simulator!.stop());
    }
    return { url, mqttUrl, store, server, records, gateway, simulator, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
