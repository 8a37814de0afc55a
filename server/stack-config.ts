/**
 * Environment of `airdesk start`, read once into a frozen object. Every variable is in
 * .env.example with its default. A bad value stops start-up with a one-line reason.
 */
import { SCENARIO_DEFS, type ScenarioName } from '../simulators/scenarios.ts';

export interface StartConfig {
  port: number;
  host: string;
  dataDir: string;
  mqttUrl?: string;
  mqttPort: number;
  influxUrl?: string;
  simulate: boolean;
  scenario: ScenarioName;
  seed: string;
  speed: number;
  clientDir: string;
  logLevel: string;
}

export class StartConfigError extends Error {}

function int(env: Record<string, string | undefined>, key: string, def: number, min: number, max: number): number {
  const raw = env[key]?.trim();
  if (!raw) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new StartConfigError(`${key}=${raw}: expected an integer ${min}..${max}`);
  return n;
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
  return Object.freeze({
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: env.AIRDESK_DATA_DIR?.trim() || './.airdesk',
    mqttUrl: env.MQTT_URL?.trim() || undefined,
    mqttPort: int(env, 'AIRDESK_MQTT_PORT', 0, 0, 65535),
    influxUrl: env.INFLUX_URL?.trim() || undefined,
    simulate: sim === '1',
    scenario,
    seed: env.AIRDESK_SIM_SEED?.trim() || '1',
    speed,
    clientDir: env.AIRDESK_CLIENT_DIR?.trim() || 'dist/client',
    logLevel: env.LOG_LEVEL?.trim() || 'info',
  });
}
