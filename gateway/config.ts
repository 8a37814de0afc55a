/**
 * Gateway configuration: read from the environment once (main.ts), validated, frozen. Every
 * variable with its default is listed in GATEWAY_ENV (and docs/life-of-a-reading.md), so
 * .env.example can be generated from one place.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { HJ212_PW_MODES, type Hj212PwMode } from './hj212-pw.ts';
import { keyFromEnv } from '#common/schemas/internal-sig.ts';
import type { Source } from '#common/schemas/reading.ts';
import { compileProfile, type FlatProfile } from './profiles.ts';
import { redactUrl } from '#common/redact.ts';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** name -> [default, description] */
export const GATEWAY_ENV: Readonly<Record<string, readonly [string, string]>> = {
  MQTT_URL: ['mqtt://127.0.0.1:1883', 'broker URL (mqtt:// or mqtts://)'],
  AIRDESK_MQTT_PROTOCOL: ['5', 'MQTT protocol version: 5 (Mosquitto) or 4 (3.1.1, e.g. the embedded aedes broker)'],
  AIRDESK_MQTT_CLIENT_ID: ['airdesk-gateway', 'stable client id (persistent session); consumers add -0, -1, ...'],
  AIRDESK_GATEWAY_CONSUMERS: ['1', 'consumer connections; > 1 uses MQTT 5 shared subscriptions $share/airdesk/...'],
  AIRDESK_MQTT_SESSION_EXPIRY_S: ['604800', 'MQTT 5 session expiry: how long the broker queues for a stopped gateway (7 days)'],
  INFLUX_URL: ['', 'InfluxDB 1.x URL with database, e.g. http://127.0.0.1:8086/airdesk; empty = embedded SQLite store'],
  AIRDESK_DATA_DIR: ['./.airdesk', 'folder for the SQLite store, station registry and (by default) the spool'],
  AIRDESK_SPOOL_PATH: ['', 'spool file; default $AIRDESK_DATA_DIR/gateway-spool.sqlite'],
  AIRDESK_SPOOL_COMMIT_MS: ['5', 'group commit interval, ms (one fsync per group)'],
  AIRDESK_SPOOL_GROUP_MAX: ['2000', 'commit early when a group holds this many messages'],
  AIRDESK_STORE_BATCH: ['5000', 'readings per store write when draining the spool'],
  AIRDESK_STORE_LINGER_MS: ['500', 'wait up to this long for 5,000 readings before a smaller store write (fewer, fuller InfluxDB writes); 0 writes each group commit at once'],
  AIRDESK_GATEWAY_STORE_THREAD: ['1', 'write to the store from a thread of its own (1) so ingest and store writes each get a core, or on the ingest thread (0)'],
  AIRDESK_GATEWAY_MQTT_TAP: ['1', 'read PUBLISH packets straight off the consumer sockets (1), or leave them to MQTT.js (0: slower; for comparison and as a fallback)'],
  AIRDESK_UNKNOWN_STATION: ['register', 'unknown station policy: register (add to the registry) or reject (dead-letter)'],
  AIRDESK_STATION_REGISTER_MAX: ['10000', 'register policy: no more unknown stations once the registry holds this many (dead letter station.limit); keep well under InfluxDB max-values-per-tag (100,000)'],
  AIRDESK_STATION_REGISTER_PER_MIN: ['2000', 'register policy: at most this many new stations a minute (also the burst); beyond: station.limit'],
  AIRDESK_DEADLETTER_MAX_ROWS: ['100000', 'dead letters kept in the spool; the oldest go first (the newest of each reason stays as a sample, counts by reason are kept)'],
  AIRDESK_DEADLETTER_MAX_MB: ['64', 'MiB of dead letters kept in the spool (raw + detail), oldest first'],
  AIRDESK_DEADLETTER_RAW_MAX_BYTES: ['16384', 'raw payload kept per dead letter; longer ones are cut and their SHA-256 kept'],
  AIRDESK_DISK_MIN_FREE_MB: ['1024', 'below this much free space on the spool disk nothing new is dead-lettered (only counted); said in stats, metrics and /readyz'],
  AIRDESK_MAX_PAYLOAD_BYTES: ['262144', 'larger payloads are dead-lettered as payload.oversized (256 KiB)'],
  AIRDESK_MAX_FUTURE_S: ['600', 'timestamps more than this far ahead are dead-lettered as time.future'],
  AIRDESK_GATEWAY_SOURCE: ['live', 'source tag for messages without an MQTT 5 user property "source": live, sim or import'],
  AIRDESK_HJ212_ENCODING: ['utf8', 'HJ 212 text encoding: utf8 or gbk'],
  AIRDESK_HJ212_MN_MAP: ['', 'JSON file {"<MN>": "<station code>"}; default: station code = MN'],
  AIRDESK_HJ212_FACTORS: ['', 'JSON file {"<factor code>": {"quantity": "o3", "unit": "ug/m3"}} merged over the built-in table'],
  AIRDESK_HJ212_PW: ['checked', 'HJ 212 PW check: checked (a station with a PW set must send it), required (stations without one are refused too) or off (gateway/hj212-pw.ts)'],
  AIRDESK_HJ212_MINUTE_RECORD_MIN: ['1', 'minutes covered by one CN 2051 record (HJ 212 MinInterval)'],
  AIRDESK_FLAT_PROFILES: ['', 'JSON list of third-party flat-JSON profiles, e.g. [{"filter":"aq/+/reading","timeField":"t","flagsField":"flags"}] (gateway/profiles.ts)'],
  AIRDESK_GATEWAY_HTTP: ['127.0.0.1:9465', 'host:port of the gateway\'s own /metrics and /readyz (gateway/health.ts); empty = off'],
  AIRDESK_GATEWAY_READY_MAX_LAG_S: ['30', '/readyz fails while the oldest reading not yet in the store is older than this'],
  AIRDESK_INTERNAL_KEY: ['', 'secret shared with the server: the gateway signs what it publishes on aq/v1/internal/# (HMAC-SHA256, common/schemas/internal-sig.ts); empty = unsigned (npm start makes one per start)'],
  AIRDESK_INTERNAL_KEY_FILE: ['', 'file holding AIRDESK_INTERNAL_KEY (first line), instead of the variable'],
  AIRDESK_ALLOW_OPEN_BROKER: ['0', 'run even when the broker lets anonymous clients publish on aq/v1/internal/# (1: development and the test broker only; gateway/open-broker.ts)'],
  AIRDESK_LOG_LEVEL: ['info', 'pino level: debug logs every message, info lifecycle only'],
  AIRDESK_GATEWAY_STATS_MS: ["0", "when > 0, print a JSON stats line to stderr this often (for supervisors and tests)"],
};

export interface GatewayConfig {
  mqttUrl: string;
  protocolVersion: 4 | 5;
  clientId: string;
  consumers: number;
  sessionExpirySec: number;
  influxUrl: string | undefined;
  dataDir: string;
  spoolPath: string;
  commitIntervalMs: number;
  groupMax: number;
  storeBatch: number;
  storeLingerMs: number;
  /** drainer in a worker thread (gateway/store-worker.ts) */
  storeThread: boolean;
  /** consumer sockets read by gateway/mqtt-tap.ts */
  mqttTap: boolean;
  unknownStation: 'register' | 'reject';
  stationRegisterMax: number;
  deadLetterMaxRows: number;
  deadLetterMaxBytes: number;
  deadLetterRawMaxBytes: number;
  diskMinFreeBytes: number;
  stationRegisterPerMin: number;
  maxPayloadBytes: number;
  maxFutureMs: number;
  source: Source;
  hj212Encoding: 'utf8' | 'gbk';
  hj212MnMapFile: string | undefined;
  hj212FactorsFile: string | undefined;
  hj212MinuteRecordMin: number;
  hj212Pw: Hj212PwMode;
  flatProfiles: FlatProfile[];
  /** health endpoint, or null when off */
  http: { host: string; port: number } | null;
  readyMaxLagMs: number;
  /** Key the live push on aq/v1/internal/# is signed with; null = unsigned (the server then
   *  refuses it if it holds a key). */
  internalKey: string | null;
  /** Start even if the open-broker probe finds anonymous publishing on the internal topics. */
  allowOpenBroker: boolean;
  logLevel: string;
}

const PROFILE_KEYS = new Set(['filter', 'stationField', 'stationSegment', 'timeField', 'flagsField', 'interval']);

function parseProfiles(raw: string): FlatProfile[] {
  if (!raw) return [];
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError(`AIRDESK_FLAT_PROFILES: not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(v)) throw new ConfigError('AIRDESK_FLAT_PROFILES: expected a JSON list of profiles');
  return v.map((p, i) => {
    if (!p || typeof p !== 'object' || Array.isArray(p)) throw new ConfigError(`AIRDESK_FLAT_PROFILES[${i}]: expected an object, got ${JSON.stringify(p)}`);
    const bad = Object.keys(p).find((k) => !PROFILE_KEYS.has(k));
    if (bad || typeof p.filter !== 'string') throw new ConfigError(`AIRDESK_FLAT_PROFILES[${i}]: ${bad ? `unknown key ${bad}` : 'filter is required'}`);
    for (const k of ['stationField', 'timeField', 'flagsField']) {
      if (p[k] !== undefined && (typeof p[k] !== 'string' || p[k] === '')) throw new ConfigError(`AIRDESK_FLAT_PROFILES[${i}]: ${k} must be a non-empty string`);
    }
    if (p.stationSegment !== undefined && (!Number.isInteger(p.stationSegment) || p.stationSegment < 0)) {
      throw new ConfigError(`AIRDESK_FLAT_PROFILES[${i}]: stationSegment must be an integer >= 0 (a topic level)`);
    }
    if (p.interval !== undefined && !['rt', 'min', 'hour', 'day'].includes(p.interval)) throw new ConfigError(`AIRDESK_FLAT_PROFILES[${i}]: interval must be rt, min, hour or day`);
    try {
      compileProfile(p as FlatProfile);
    } catch (err) {
      throw new ConfigError(`AIRDESK_FLAT_PROFILES[${i}]: ${(err as Error).message}`);
    }
    return p as FlatProfile;
  });
}

function parseHostPort(s: string): { host: string; port: number } | null {
  if (s === '') return null;
  const m = /^([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(s);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new ConfigError(`AIRDESK_GATEWAY_HTTP=${s}: expected host:port (e.g. 127.0.0.1:9465) or empty`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

function readKey(env: Readonly<Record<string, string | undefined>>, name: string): string | null {
  const k = keyFromEnv(env, name, (f) => readFileSync(f, 'utf8'));
  if ('error' in k) throw new ConfigError(k.error);
  return k.key;
}

export function loadGatewayConfig(env: Readonly<Record<string, string | undefined>>): Readonly<GatewayConfig> {
  const get = (k: string): string => {
    const v = env[k]?.trim();
    return v === undefined || v === '' ? GATEWAY_ENV[k][0] : v;
  };
  const int = (k: string, min: number, max: number): number => {
    const s = get(k);
    const n = Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${k}=${s}: expected an integer ${min}..${max}`);
    return n;
  };
  const oneOf = <T extends string>(k: string, allowed: readonly T[]): T => {
    const s = get(k);
    if (!allowed.includes(s as T)) throw new ConfigError(`${k}=${s}: expected one of ${allowed.join(', ')}`);
    return s as T;
  };
  const mqttUrl = get('MQTT_URL');
  if (!/^(mqtts?|wss?|tcp):\/\//.test(mqttUrl)) throw new ConfigError(`MQTT_URL=${redactUrl(mqttUrl)}: expected mqtt://host:port`);
  const protocolVersion = Number(oneOf('AIRDESK_MQTT_PROTOCOL', ['4', '5'])) as 4 | 5;
  const consumers = int('AIRDESK_GATEWAY_CONSUMERS', 1, 64);
  if (consumers > 1 && protocolVersion !== 5) {
    throw new ConfigError('AIRDESK_GATEWAY_CONSUMERS > 1 needs AIRDESK_MQTT_PROTOCOL=5 (shared subscriptions)');
  }
  const dataDir = get('AIRDESK_DATA_DIR');
  const file = (k: string) => get(k) || undefined;
  return Object.freeze({
    mqttUrl,
    protocolVersion,
    clientId: get('AIRDESK_MQTT_CLIENT_ID'),
    consumers,
    sessionExpirySec: int('AIRDESK_MQTT_SESSION_EXPIRY_S', 60, 0xffffffff),
    influxUrl: get('INFLUX_URL') || undefined,
    dataDir,
    spoolPath: get('AIRDESK_SPOOL_PATH') || path.join(dataDir, 'gateway-spool.sqlite'),
    commitIntervalMs: int('AIRDESK_SPOOL_COMMIT_MS', 1, 1000),
    groupMax: int('AIRDESK_SPOOL_GROUP_MAX', 1, 100_000),
    storeBatch: int('AIRDESK_STORE_BATCH', 1, 100_000),
    storeLingerMs: int('AIRDESK_STORE_LINGER_MS', 0, 60_000),
    storeThread: oneOf('AIRDESK_GATEWAY_STORE_THREAD', ['0', '1']) === '1',
    mqttTap: oneOf('AIRDESK_GATEWAY_MQTT_TAP', ['0', '1']) === '1',
    unknownStation: oneOf('AIRDESK_UNKNOWN_STATION', ['register', 'reject'] as const),
    stationRegisterMax: int('AIRDESK_STATION_REGISTER_MAX', 0, 1_000_000),
    deadLetterMaxRows: int('AIRDESK_DEADLETTER_MAX_ROWS', 10, 100_000_000),
    deadLetterMaxBytes: int('AIRDESK_DEADLETTER_MAX_MB', 1, 1_000_000) * 1048576,
    deadLetterRawMaxBytes: int('AIRDESK_DEADLETTER_RAW_MAX_BYTES', 64, 256 * 1024 * 1024),
    diskMinFreeBytes: int('AIRDESK_DISK_MIN_FREE_MB', 0, 100_000_000) * 1048576,
    stationRegisterPerMin: int('AIRDESK_STATION_REGISTER_PER_MIN', 1, 1_000_000),
    maxPayloadBytes: int('AIRDESK_MAX_PAYLOAD_BYTES', 64, 256 * 1024 * 1024),
    maxFutureMs: int('AIRDESK_MAX_FUTURE_S', 0, 365 * 86400) * 1000,
    source: oneOf('AIRDESK_GATEWAY_SOURCE', ['live', 'sim', 'import'] as const),
    hj212Encoding: oneOf('AIRDESK_HJ212_ENCODING', ['utf8', 'gbk'] as const),
    hj212MnMapFile: file('AIRDESK_HJ212_MN_MAP'),
    hj212FactorsFile: file('AIRDESK_HJ212_FACTORS'),
    hj212MinuteRecordMin: int('AIRDESK_HJ212_MINUTE_RECORD_MIN', 1, 60),
    hj212Pw: oneOf('AIRDESK_HJ212_PW', HJ212_PW_MODES),
    flatProfiles: parseProfiles(get('AIRDESK_FLAT_PROFILES')),
    http: parseHostPort(env.AIRDESK_GATEWAY_HTTP === undefined ? GATEWAY_ENV.AIRDESK_GATEWAY_HTTP[0] : env.AIRDESK_GATEWAY_HTTP.trim()),
    readyMaxLagMs: int('AIRDESK_GATEWAY_READY_MAX_LAG_S', 1, 86_400) * 1000,
    internalKey: readKey(env, 'AIRDESK_INTERNAL_KEY'),
    allowOpenBroker: oneOf('AIRDESK_ALLOW_OPEN_BROKER', ['0', '1']) === '1',
    logLevel: oneOf('AIRDESK_LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const),
  });
}
