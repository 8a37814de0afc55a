/**
 * The server process: read the environment once, build a pino logger, open the store and station
 * registry, build the server, listen, and close gracefully on SIGTERM/SIGINT.
 * Environment (defaults in server/config.ts ENV_DEFAULTS; listed in docs/api.md):
 *   PORT HOST MQTT_URL INFLUX_URL AIRDESK_DATA_DIR AIRDESK_STALE_MINUTES AIRDESK_HOUR_GRACE_MINUTES
 *   AIRDESK_REBUILD_DAYS AIRDESK_AQI_RULE AIRDESK_DAILY_RULE AIRDESK_SOCKET_BATCH_MS AIRDESK_CLIENT_DIR
 *   AIRDESK_MAX_RANGE_DAYS AIRDESK_TICK_SECONDS LOG_LEVEL
 */
import pino from 'pino';
import { openStore, storeConfigFromEnv } from '../stores/open.ts';
import { openStationRegistry } from '../stores/stations.ts';
import { buildServer } from './app.ts';
import { readConfig } from './config.ts';
import { deadLetterSource } from './dead-letter-source.ts';

export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = readConfig(env);
  const storeEnv = storeConfigFromEnv(env);
  const logger = pino({ level: config.logLevel, base: { app: 'airdesk-server' } });
  const store = await openStore({ influxUrl: storeEnv.influxUrl, sqlitePath: storeEnv.sqlitePath });
  const stations = openStationRegistry(storeEnv.stationsPath);
  let vocRoutes = null;
  try {
    // The VOC engineer's plugin; optional so the server runs before it lands.
    const vocPath = './routes/voc.ts';
    vocRoutes = ((await import(vocPath)) as { vocRoutes?: typeof vocRoutes }).vocRoutes ?? null;
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'VOC routes not loaded');
  }
  const server = await buildServer({
    store, stations, logger, config, deadLetters: await deadLetterSource(storeEnv.dataDir, logger), vocRoutes,
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'closing');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await server.close();
      await store.close();
      stations.close();
    } finally {
      clearTimeout(force);
    }
    logger.info('closed');
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await server.start();
  const address = await server.app.listen({ port: config.port, host: config.host });
  logger.info({ address, mqtt: config.mqttUrl ?? 'none', store: store.kind }, 'listening');
}
