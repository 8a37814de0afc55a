/**
 * Environment of `airdesk start` (what `npm start` runs), read once into a frozen object. It is
 * the server's own reader (server/config.ts readConfig, as `airdesk serve` uses it) and the
 * gateway's own reader (gateway/config.ts loadGatewayConfig, as `airdesk gateway` uses it),
 * composed, plus the few variables only the whole system has (embedded broker, simulated city).
 * So every variable documented for the server or the gateway means the same here; a bad value
 * stops start-up with a one-line reason naming it.
 */
import { ConfigError as ServerConfigError, readConfig, type ServerConfig } from '../server/config.ts';
import { ConfigError as GatewayConfigError, loadGatewayConfig, type GatewayConfig } from '../gateway/config.ts';
import { SCENARIO_DEFS, type ScenarioName } from '../simulators/scenarios.ts';
import { recordsConfigFromEnv } from '../records/open.ts';
import { RecordsError } from '../records/errors.ts';

export interface StartConfig {
  port: number;
  host: string;
  dataDir: string;
  /** External broker; unset = the embedded aedes broker. */
  mqttUrl?: string;
  mqttPort: number;
  /** Embedded broker: let clients without an account connect (stations' own topics only with one). */
  brokerAnonymous: boolean;
  influxUrl?: string;
  /** The system of record on PostgreSQL; unset = the SQLite file in the data folder. */
  databaseUrl?: string;
  simulate: boolean;
  scenario: ScenarioName;
  seed: string;
  speed: number;
  /** Hours of simulated history published at start. */
  backfillHours: number;
  /** Scenario start (UTC ms), so a fast run can end in the middle of its episode; unset = the simulator's default. */
  simStart?: number;
  clientDir: string;
  logLevel: string;
  /** The server's config, exactly as `airdesk serve` reads it from the same environment. */
  server: Readonly<ServerConfig>;
  /** The gateway's config, exactly as `airdesk gateway` reads it (MQTT_URL unset: the embedded broker's URL is used instead). */
  gateway: Readonly<GatewayConfig>;
}

/** Variables only `airdesk start` reads (the server's and the gateway's are in their own tables). */
export const START_ENV: Readonly<Record<string, readonly [string, string]>> = {
  AIRDESK_MQTT_PORT: ['0', 'embedded broker port when MQTT_URL is unset (0 = any free port)'],
  AIRDESK_BROKER_ANONYMOUS: ['1', 'embedded broker: let clients without an account connect (1; the simulator does) or only station accounts (0; airdesk stations credentials issue)'],
  AIRDESK_SIMULATE: ['1', 'run the simulated city (1) or not (0)'],
  AIRDESK_SCENARIO: ['normal', 'simulated scenario: normal, o3, pm or dust'],
  AIRDESK_SIM_SEED: ['1', 'simulator seed'],
  AIRDESK_SIM_SPEED: ['1', 'simulated seconds per wall second'],
  AIRDESK_SIM_BACKFILL_HOURS: ['72', 'hours of simulated history published at start'],
  AIRDESK_SIM_START: ['', 'scenario start, ISO 8601 or epoch ms (default: the simulator\'s own)'],
};

export class StartConfigError extends Error {}

function int(env: Record<string, string | undefined>, key: string, def: number, min: number, max: number): number {
  const raw = env[key]?.trim();
  if (!raw) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new StartConfigError(`${key}=${raw}: expected an integer ${min}..${max}`);
  return n;
}

function time(env: Record<string, string | undefined>, key: string): number | undefined {
  const raw = env[key]?.trim();
  if (!raw) return undefined;
  const t = /^\d+$/.test(raw) ? Number(raw) : /^\d{4}-\d{2}-\d{2}T/.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(t)) throw new StartConfigError(`${key}=${raw}: expected ISO 8601 with a time (e.g. 2026-07-01T00:00+08:00) or epoch ms`);
  return t;
}

/** The other readers' one-line errors become ours, so `airdesk start` reports them the same way. */
function composed<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ServerConfigError || err instanceof GatewayConfigError || err instanceof RecordsError) throw new StartConfigError(err.message);
    throw err;
  }
}

export function readStartConfig(env: Record<string, string | undefined>): Readonly<StartConfig> {
  const scenario = (env.AIRDESK_SCENARIO?.trim() || 'normal') as ScenarioName;
  if (!(scenario in SCENARIO_DEFS)) {
    throw new StartConfigError(`AIRDESK_SCENARIO=${scenario}: expected one of ${Object.keys(SCENARIO_DEFS).join(', ')}`);
  }
  const speedRaw = env.AIRDESK_SIM_SPEED?.trim() || '1';
  const speed = Number(speedRaw);
  if (!Number.isFinite(speed) || speed <= 0 || speed > 100_000) throw new StartConfigError(`AIRDESK_SIM_SPEED=${speedRaw}: expected a number > 0`);
  const sim = env.AIRDESK_SIMULATE?.trim() || '1';
  if (sim !== '0' && sim !== '1') throw new StartConfigError(`AIRDESK_SIMULATE=${sim}: expected 0 or 1`);
  for (const k of ['MQTT_URL', 'INFLUX_URL'] as const) {
    const v = env[k]?.trim();
    if (v) {
      try {
        new URL(v);
      } catch {
        throw new StartConfigError(`${k}=${v}: not a URL`);
      }
    }
  }
  const port = int(env, 'PORT', 8080, 0, 65535);
  const mqttPort = int(env, 'AIRDESK_MQTT_PORT', 0, 0, 65535);
  const backfillHours = int(env, 'AIRDESK_SIM_BACKFILL_HOURS', 72, 0, 24 * 60);
  const simStart = time(env, 'AIRDESK_SIM_START');
  const server = composed(() => readConfig(env));
  // Without MQTT_URL the gateway reads the embedded broker, whose URL is known only once it listens.
  const gateway = composed(() => loadGatewayConfig(env));
  const records = composed(() => recordsConfigFromEnv(env));
  return Object.freeze({
    port,
    host: server.host,
    dataDir: server.dataDir,
    mqttUrl: env.MQTT_URL?.trim() || undefined,
    mqttPort,
    brokerAnonymous: int(env, 'AIRDESK_BROKER_ANONYMOUS', 1, 0, 1) === 1,
    influxUrl: env.INFLUX_URL?.trim() || undefined,
    ...(records.databaseUrl ? { databaseUrl: records.databaseUrl } : {}),
    simulate: sim === '1',
    scenario,
    seed: env.AIRDESK_SIM_SEED?.trim() || '1',
    speed,
    backfillHours,
    ...(simStart !== undefined ? { simStart } : {}),
    clientDir: server.clientDir,
    logLevel: server.logLevel,
    server,
    gateway,
  });
}
