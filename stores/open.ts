/**
 * Pick and open the time-series store: InfluxDB when a URL is configured, else the embedded
 * SQLite store. Env names (read by each process's config, see storeConfigFromEnv):
 *   INFLUX_URL        e.g. http://127.0.0.1:8086/airdesk  (database in the path; default 'airdesk')
 *   AIRDESK_DATA_DIR  folder for SQLite files (default ./.airdesk): airdesk.sqlite, stations.sqlite
 */
import path from 'node:path';
import { redactUrl } from '../common/redact.ts';
import { StoreError } from './errors.ts';
import { openInfluxStore } from './influx.ts';
import { openSqliteStore } from './sqlite.ts';
import type { TimeSeriesStore } from './types.ts';

export interface StoreConfig {
  /** InfluxDB URL; the first path segment, if any, names the database. */
  influxUrl?: string;
  /** Database name; overrides the one in the URL path. */
  influxDb?: string;
  /** SQLite file (':memory:' for tests); used when influxUrl is not set. */
  sqlitePath?: string;
}

export const DEFAULT_INFLUX_DB = 'airdesk';
export const DEFAULT_DATA_DIR = './.airdesk';

/** Split an INFLUX_URL into server base URL and database name. */
export function parseInfluxUrl(raw: string, dbOverride?: string): { url: string; database: string } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new StoreError('STORE_BAD_CONFIG', `INFLUX_URL ${JSON.stringify(redactUrl(raw))} is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new StoreError('STORE_BAD_CONFIG', `INFLUX_URL must be http(s), got ${u.protocol}`);
  }
  const fromPath = decodeURIComponent(u.pathname.replace(/^\/+|\/+$/g, ''));
  const database = dbOverride || fromPath || DEFAULT_INFLUX_DB;
  const auth = u.username ? `${u.username}:${u.password}@` : '';
  return { url: `${u.protocol}//${auth}${u.host}`, database };
}

export async function openStore(config: StoreConfig): Promise<TimeSeriesStore> {
  if (config.influxUrl) {
    const { url, database } = parseInfluxUrl(config.influxUrl, config.influxDb);
    return openInfluxStore({ url, database });
  }
  return openSqliteStore(config.sqlitePath ?? path.join(DEFAULT_DATA_DIR, 'airdesk.sqlite'));
}

export interface StoreEnv {
  influxUrl?: string;
  dataDir: string;
  sqlitePath: string;
  stationsPath: string;
}

/** The store part of a process's config, from the environment (call once, in main). */
export function storeConfigFromEnv(env: Readonly<Record<string, string | undefined>>): Readonly<StoreEnv> {
  const dataDir = env.AIRDESK_DATA_DIR?.trim() || DEFAULT_DATA_DIR;
  const influxUrl = env.INFLUX_URL?.trim() || undefined;
  if (influxUrl) parseInfluxUrl(influxUrl); // fail at start-up, not at the first write
  return Object.freeze({
    influxUrl,
    dataDir,
    sqlitePath: path.join(dataDir, 'airdesk.sqlite'),
    stationsPath: path.join(dataDir, 'stations.sqlite'),
  });
}
