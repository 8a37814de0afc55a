/**
 * The server process (`airdesk serve`): read the environment once, build a pino logger, open the
 * store and station registry and the gateway's dead-letter reader, build the server, listen, and
 * close gracefully on SIGTERM/SIGINT. It lives in system/ because it wires the server to the
 * gateway's spool (the server itself never imports gateway/).
 * Environment (defaults in server/config.ts ENV_DEFAULTS; listed in docs/api.md):
 *   PORT HOST MQTT_URL INFLUX_URL AIRDESK_DATA_DIR AIRDESK_STALE_MINUTES AIRDESK_HOUR_GRACE_MINUTES
 *   AIRDESK_REBUILD_DAYS AIRDESK_AQI_RULE AIRDESK_DAILY_RULE AIRDESK_SOCKET_BATCH_MS AIRDESK_CLIENT_DIR
 *   AIRDESK_MAX_RANGE_DAYS AIRDESK_TICK_SECONDS LOG_LEVEL DATABASE_URL (records/open.ts)
 */
import pino from 'pino';
import { redactUrl } from '#common/redact.ts';
import { openStore, storeConfigFromEnv } from '../stores/open.ts';
import { openRecords, recordsConfigFromEnv } from '../records/open.ts';
import { openStationRegistry } from '../stores/stations.ts';
import { loadGatewayConfig } from '../gateway/config.ts';
import { openDeadLetterReader } from '../gateway/dead-letters.ts';
import { buildServer } from '../server/app.ts';
import { readConfig } from '../server/config.ts';

export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = readConfig(env);
  const storeEnv = storeConfigFromEnv(env);
  const logger = pino({ level: config.logLevel, base: { app: 'airdesk-server' } });
  const store = await openStore({ influxUrl: storeEnv.influxUrl, sqlitePath: storeEnv.sqlitePath });
  const stations = openStationRegistry(storeEnv.stationsPath);
  // The gateway's spool, where `airdesk gateway` (or `npm start`) keeps what it rejected; read-only.
  const deadLetters = openDeadLetterReader(loadGatewayConfig(env).spoolPath);
  const records = await openRecords({ ...recordsConfigFromEnv(env), logger });
  const server = await buildServer({ store, stations, logger, config, deadLetters, records });
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
      await records.close();
      stations.close();
      deadLetters.close();
    } finally {
      clearTimeout(force);
    }
    logger.info('closed');
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await server.start();
  const address = await server.app.listen({ port: config.port, host: config.host });
  logger.info({ address, mqtt: config.mqttUrl ? redactUrl(config.mqttUrl) : 'none', store: store.kind }, 'listening');
}
