/**
 * The gateway process: read env once, build the logger, open the store and station registry,
 * run buildGateway, stop gracefully on SIGTERM/SIGINT. `airdesk gateway` calls runGateway().
 * SIGKILL is safe too: nothing is acknowledged before it is in the fsynced spool.
 */
import pino, { type Logger } from 'pino';
import { OPEN_BROKER_MESSAGE, probeOpenBroker, type ProbeResult } from './open-broker.ts';
import { openStore, parseInfluxUrl, storeConfigFromEnv } from '../stores/open.ts';
import { InfluxStore } from '../stores/influx.ts';
import { openStationRegistry } from '../stores/stations.ts';
import { openStationCredentials } from '../stores/station-credentials.ts';
import { buildGateway } from './app.ts';
import { loadGatewayConfig, type GatewayConfig } from './config.ts';
import { gatewayOptions } from './options.ts';
import { serveHealth } from './health.ts';

/** Stops start-up (throws) on a broker that lets anonymous clients publish on the internal
 *  topics, unless AIRDESK_ALLOW_OPEN_BROKER=1 (then it warns). system/stack.ts calls it too. */
export async function refuseOpenBroker(cfg: Readonly<GatewayConfig>, logger: Logger, url = cfg.mqttUrl, protocolVersion = cfg.protocolVersion): Promise<ProbeResult> {
  const r = await probeOpenBroker(url, { protocolVersion, clientId: cfg.clientId });
  if (r.state === 'open' && !cfg.allowOpenBroker) throw new Error(OPEN_BROKER_MESSAGE(r.detail));
  if (r.state === 'open') logger.warn({ probe: r.detail }, 'the broker is OPEN to anonymous publishing on aq/v1/internal/# (AIRDESK_ALLOW_OPEN_BROKER=1: development only)');
  else if (r.state === 'unknown') logger.warn({ probe: r.detail }, 'could not check whether the broker is open to anonymous publishing');
  else logger.info({ probe: r.detail }, 'broker closed to anonymous publishing on the internal topics');
  return r;
}

export async function runGateway(env: Readonly<Record<string, string | undefined>> = process.env): Promise<void> {
  const cfg = loadGatewayConfig(env);
  const storeEnv = storeConfigFromEnv(env);
  const logger = pino({ level: cfg.logLevel, base: { proc: 'gateway' } });
  await refuseOpenBroker(cfg, logger);
  // InfluxDB may be down when the gateway starts: construct without init (buildGateway retries it)
  // rather than openStore(), which fails when the server does not answer.
  // With the store thread (default) that thread opens the store itself.
  const storeThread = cfg.storeThread
    ? (storeEnv.influxUrl ? { influx: parseInfluxUrl(storeEnv.influxUrl) } : { sqlitePath: storeEnv.sqlitePath })
    : undefined;
  const store = storeThread
    ? null
    : storeEnv.influxUrl
      ? new InfluxStore(parseInfluxUrl(storeEnv.influxUrl))
      : await openStore({ sqlitePath: storeEnv.sqlitePath });
  const registry = openStationRegistry(storeEnv.stationsPath);
  // HJ 212 PWs set with `airdesk stations credentials hj212-pw` (read at start).
  const creds = openStationCredentials(storeEnv.stationsPath);
  const hj212Hashes = creds.hj212Hashes();
  creds.close();
  let newStations: string[] = [];
  let regTimer: NodeJS.Timeout | null = null;
  const flushStations = () => {
    if (regTimer) clearTimeout(regTimer);
    regTimer = null;
    if (!newStations.length) return;
    // Minimal entries so the server lists them; an operator completes name and location later.
    const codes = newStations;
    newStations = [];
    try {
      registry.upsert(codes.map((code) => ({ code, name: code, city: '', province: '', lon: null, lat: null, kind: 'micro' as const })));
    } catch (err) {
      logger.error({ err: (err as Error).message, stations: codes.length }, 'registering new stations failed');
    }
  };
  if (!cfg.internalKey) logger.warn('AIRDESK_INTERNAL_KEY is not set: the live push on aq/v1/internal/# goes out unsigned, and a server holding a key refuses it (docs/security.md)');
  const gw = buildGateway({
    ...gatewayOptions(cfg),
    hj212Pw: { mode: cfg.hj212Pw, hashes: hj212Hashes },
    store,
    storeThread,
    logger,
    isKnownStation: (code) => registry.has(code),
    stationLimit: { max: cfg.stationRegisterMax, perMinute: cfg.stationRegisterPerMin, registered: () => registry.count() },
    registerStation: (code) => {
      // Gathered and written in one registry transaction shortly after: this runs on the hot
      // path, and one fsynced transaction per new station stalled ingest for seconds when a
      // fleet of unknown stations came online at once (2,000 stations: 2,000 fsyncs).
      newStations.push(code);
      regTimer ??= setTimeout(flushStations, 100);
    },
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    try {
      await gw.stop();
      flushStations();
      await store?.close();
      registry.close();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // Optional stats line for supervisors and tests: AIRDESK_GATEWAY_STATS_MS=1000 prints JSON to
  // stderr. Started before start() resolves: a broker with a large queued backlog for our session
  // delivers it ahead of the SUBACKs start() waits for, and ingest is already running then.
  const every = Number(env.AIRDESK_GATEWAY_STATS_MS ?? 0);
  if (every > 0) {
    setInterval(() => {
      const m = process.memoryUsage();
      const mb = (x: number) => Math.round(x / 1048576);
      process.stderr.write(`STATS ${JSON.stringify({ ...gw.stats(), memMb: { rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external) } })}\n`);
    }, every).unref();
  }
  await gw.start();
  if (cfg.http) await serveHealth(gw, { ...cfg.http, maxLagMs: cfg.readyMaxLagMs, log: logger });
}
