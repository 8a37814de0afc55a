/**
 * Server configuration: read from the environment once (system/serve.ts for `airdesk serve`, system/config.ts for `npm start`), validated, frozen.
 * Every variable with its default is listed in ENV_DEFAULTS (and in .env.example / docs/api.md).
 * Tests build the same object with serverConfig({...}) and never touch process.env.
 */
import path from 'node:path';
import { DEFAULT_LIFT_RULE, type LiftRule } from '#common/episodes/warning-state.ts';
import { beijingDayOfHourEnd } from '#common/time.ts';
import { dailyRuleFor, DAILY_RULES, hourlyRuleByName, type DailyRuleSet, type HourlyRuleSet } from '#common/standards/index.ts';

export interface ServerConfig {
  port: number;
  host: string;
  /** MQTT broker carrying the internal accepted-readings topic; null = no live subscription. */
  mqttUrl: string | null;
  influxUrl: string | null;
  dataDir: string;
  /** A station with no data for this many minutes is stale. */
  staleMinutes: number;
  /** Minutes after an hour ends before a sub-hourly-only hour is resolved by the clock. */
  graceMinutes: number;
  /** Days of readings replayed from the store at start (rolling windows + open episodes). */
  rebuildDays: number;
  /** Hourly / daily AQI rule set override; null = by date (HJ 633-2012 / CNEMC 1-h / HJ 633-2026). */
  hourlyRule: HourlyRuleSet | null;
  dailyRule: DailyRuleSet | null;
  /** Live readings are batched per city room for this many ms before a `reading:batch`. */
  socketBatchMs: number;
  /** Built client (index.html + assets); served when the folder exists. */
  clientDir: string;
  /** Engine state file (episode engine snapshot and timelines); null = none (rebuild by replay). */
  statePath: string | null;
  /** Longest range a series/AQI query may ask for, in days. */
  maxRangeDays: number;
  tickSeconds: number;
  logLevel: string;
  /** Warning lift rule (docs/episode-rules.md 5): 'auto' = the system downgrades/lifts an issued
   *  warning once the forecast no longer meets its level for `holdHours`; 'manual' = it says so
   *  and a person lifts. */
  warningLift: LiftRule;
  /** Live evaluation of measures in force (server/services/measures.ts, common/measures/live.ts). */
  measureEval: MeasureEvalConfig;
}

export interface MeasureEvalConfig {
  /** Re-evaluate every measure in force this often (minutes; 0 = never by itself). */
  everyMinutes: number;
  /** Days of the store's history read for training (the model is trained on the days without measures). */
  historyDays: number;
  /** Fewest days without measures to train on; fewer = "not enough history: N days, need M". */
  minHistoryDays: number;
  /** Model and honesty-check sizes (common/measures/evaluate.ts; smaller in tests). */
  rounds: number;
  placebos: number;
  reps: number;
}

export const ENV_DEFAULTS = {
  PORT: '8080',
  HOST: '127.0.0.1',
  MQTT_URL: '',
  INFLUX_URL: '',
  AIRDESK_DATA_DIR: './.airdesk',
  AIRDESK_STALE_MINUTES: '90',
  AIRDESK_HOUR_GRACE_MINUTES: '10',
  AIRDESK_REBUILD_DAYS: '3',
  AIRDESK_AQI_RULE: '',
  AIRDESK_DAILY_RULE: '',
  AIRDESK_SOCKET_BATCH_MS: '50',
  AIRDESK_CLIENT_DIR: 'dist/client',
  AIRDESK_MAX_RANGE_DAYS: '93',
  AIRDESK_TICK_SECONDS: '15',
  AIRDESK_WARNING_LIFT: 'auto',
  AIRDESK_WARNING_LIFT_HOLD_HOURS: '0',
  AIRDESK_MEASURE_EVAL_MINUTES: '60',
  AIRDESK_MEASURE_HISTORY_DAYS: '365',
  AIRDESK_MEASURE_MIN_HISTORY_DAYS: '30',
  LOG_LEVEL: 'info',
} as const;

export class ConfigError extends Error {}

/** Where a server keeps its engine state in a data folder: `airdesk serve` and `npm start` alike. */
export const statePathIn = (dataDir: string): string => path.join(dataDir, 'server-state.json');

function num(env: Record<string, string | undefined>, k: keyof typeof ENV_DEFAULTS, min: number, max: number): number {
  const raw = env[k]?.trim() || ENV_DEFAULTS[k];
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) throw new ConfigError(`${k}=${raw}: expected a number in ${min}..${max}`);
  return v;
}

/** Validated config from an environment (process.env in main, a plain object in tests). */
export function readConfig(env: Record<string, string | undefined>): Readonly<ServerConfig> {
  const get = (k: keyof typeof ENV_DEFAULTS) => env[k]?.trim() || ENV_DEFAULTS[k];
  const hourlyName = get('AIRDESK_AQI_RULE');
  const hourlyRule = hourlyName ? hourlyRuleByName(hourlyName) : null;
  if (hourlyName && !hourlyRule) throw new ConfigError(`AIRDESK_AQI_RULE=${hourlyName}: unknown rule set`);
  const dailyName = get('AIRDESK_DAILY_RULE');
  const dailyRule = dailyName ? (DAILY_RULES as Record<string, DailyRuleSet>)[dailyName] ?? null : null;
  if (dailyName && !dailyRule) throw new ConfigError(`AIRDESK_DAILY_RULE=${dailyName}: unknown rule set`);
  const dataDir = get('AIRDESK_DATA_DIR');
  const liftMode = get('AIRDESK_WARNING_LIFT');
  if (liftMode !== 'auto' && liftMode !== 'manual') throw new ConfigError(`AIRDESK_WARNING_LIFT=${liftMode}: expected auto or manual`);
  return serverConfig({
    port: num(env, 'PORT', 0, 65535),
    host: get('HOST'),
    mqttUrl: get('MQTT_URL') || null,
    influxUrl: get('INFLUX_URL') || null,
    dataDir,
    staleMinutes: num(env, 'AIRDESK_STALE_MINUTES', 1, 10_080),
    graceMinutes: num(env, 'AIRDESK_HOUR_GRACE_MINUTES', 0, 120),
    rebuildDays: num(env, 'AIRDESK_REBUILD_DAYS', 1, 60),
    hourlyRule,
    dailyRule,
    socketBatchMs: num(env, 'AIRDESK_SOCKET_BATCH_MS', 0, 5_000),
    clientDir: get('AIRDESK_CLIENT_DIR'),
    statePath: statePathIn(dataDir),
    maxRangeDays: num(env, 'AIRDESK_MAX_RANGE_DAYS', 1, 3_660),
    tickSeconds: num(env, 'AIRDESK_TICK_SECONDS', 1, 3_600),
    logLevel: get('LOG_LEVEL'),
    warningLift: { mode: liftMode, holdHours: num(env, 'AIRDESK_WARNING_LIFT_HOLD_HOURS', 0, 168) },
    measureEval: {
      ...DEFAULT_MEASURE_EVAL, everyMinutes: num(env, 'AIRDESK_MEASURE_EVAL_MINUTES', 0, 1440),
      historyDays: num(env, 'AIRDESK_MEASURE_HISTORY_DAYS', 7, 3660), minHistoryDays: num(env, 'AIRDESK_MEASURE_MIN_HISTORY_DAYS', 1, 3660),
    },
  });
}

export const DEFAULT_MEASURE_EVAL: Readonly<MeasureEvalConfig> = Object.freeze({
  everyMinutes: 60, historyDays: 365, minHistoryDays: 30, rounds: 200, placebos: 100, reps: 1000,
});

/** Defaults for anything not given (tests). */
export function serverConfig(over: Partial<ServerConfig> = {}): Readonly<ServerConfig> {
  return Object.freeze({
    port: 8080, host: '127.0.0.1', mqttUrl: null, influxUrl: null, dataDir: './.airdesk', staleMinutes: 90,
    graceMinutes: 10, rebuildDays: 3, hourlyRule: null, dailyRule: null, socketBatchMs: 50,
    clientDir: 'dist/client', statePath: null, maxRangeDays: 93, tickSeconds: 15, logLevel: 'info',
    warningLift: DEFAULT_LIFT_RULE,
    measureEval: DEFAULT_MEASURE_EVAL,
    ...over,
  });
}

/** The rule sets in force at `now`; the daily one is that of the day the hour ending at `now` belongs
 *  to (HJ 663: the hour ending 00:00 is the previous day's 24th), as the engine computes it. */
export const ruleLabel = (c: ServerConfig, now: number) => ({
  hourly: c.hourlyRule?.name ?? 'by date',
  daily: c.dailyRule?.name ?? dailyRuleFor(beijingDayOfHourEnd(now)).name,
  override: c.hourlyRule !== null || c.dailyRule !== null,
});
