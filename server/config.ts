/**
 * Server configuration: read from the environment once (system/serve.ts for `airdesk serve`, system/config.ts for `npm start`), validated, frozen.
 * Every variable with its default is listed in ENV_DEFAULTS (and in .env.example / docs/api.md).
 * Tests build the same object with serverConfig({...}) and never touch process.env.
 */
import path from 'node:path';
import { DEFAULT_OBM_CONFIG, type ObmConfig } from './obm/config.ts';
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
  /** What the rebuild reads for hours whose station-hour aggregates are sealed: 'aggregates'
   *  (default; raw readings only for the other hours), or 'raw' (every hour from raw readings, and
   *  the aggregates re-derived from them). server/services/rebuild.ts. */
  rebuildFrom: 'aggregates' | 'raw';
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
  /** Guidance forecast (server/services/guidance.ts): hour label of the daily issue, Beijing
   *  (16 = from data up to 16:00; duty forecasters publish before 20:00). */
  issueHour: number;
  /** Days of the store's history the guidance models are trained on (at least 30 are needed). */
  guidanceTrainDays: number;
  /** Boosting rounds of every guidance model (common/ml; fewer = faster, coarser). */
  guidanceRounds: number;
  /** How often the guidance service looks for a due issue and for days to verify. */
  guidanceCheckSeconds: number;
  /** Box-model service (server/obm/config.ts). */
  obm: Readonly<ObmConfig>;
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
  AIRDESK_REBUILD_FROM: 'aggregates',
  AIRDESK_AQI_RULE: '',
  AIRDESK_DAILY_RULE: '',
  AIRDESK_SOCKET_BATCH_MS: '50',
  AIRDESK_CLIENT_DIR: 'dist/client',
  AIRDESK_MAX_RANGE_DAYS: '93',
  AIRDESK_TICK_SECONDS: '15',
  AIRDESK_WARNING_LIFT: 'auto',
  AIRDESK_WARNING_LIFT_HOLD_HOURS: '0',
  AIRDESK_ISSUE_HOUR: '16',
  AIRDESK_GUIDANCE_TRAIN_DAYS: '730',
  AIRDESK_GUIDANCE_ROUNDS: '150',
  AIRDESK_GUIDANCE_CHECK_SECONDS: '60',
  AIRDESK_MEASURE_EVAL_MINUTES: '60',
  AIRDESK_MEASURE_HISTORY_DAYS: '365',
  AIRDESK_MEASURE_MIN_HISTORY_DAYS: '30',
  LOG_LEVEL: 'info',
  AIRDESK_OBM_WORKERS: '2',
  AIRDESK_OBM_QUEUE: '4',
  AIRDESK_OBM_GRID_STEP: '0.25',
  AIRDESK_OBM_SPINUP_DAYS: '1',
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

function int(env: Record<string, string | undefined>, k: keyof typeof ENV_DEFAULTS, min: number, max: number): number {
  const v = num(env, k, min, max);
  if (!Number.isInteger(v)) throw new ConfigError(`${k}=${v}: expected a whole number in ${min}..${max}`);
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
  const rebuildFrom = get('AIRDESK_REBUILD_FROM');
  if (rebuildFrom !== 'aggregates' && rebuildFrom !== 'raw') throw new ConfigError(`AIRDESK_REBUILD_FROM=${rebuildFrom}: expected aggregates or raw`);
  return serverConfig({
    port: num(env, 'PORT', 0, 65535),
    host: get('HOST'),
    mqttUrl: get('MQTT_URL') || null,
    influxUrl: get('INFLUX_URL') || null,
    dataDir,
    staleMinutes: num(env, 'AIRDESK_STALE_MINUTES', 1, 10_080),
    graceMinutes: num(env, 'AIRDESK_HOUR_GRACE_MINUTES', 0, 120),
    rebuildDays: num(env, 'AIRDESK_REBUILD_DAYS', 1, 60),
    rebuildFrom,
    hourlyRule,
    dailyRule,
    socketBatchMs: num(env, 'AIRDESK_SOCKET_BATCH_MS', 0, 5_000),
    clientDir: get('AIRDESK_CLIENT_DIR'),
    statePath: statePathIn(dataDir),
    maxRangeDays: num(env, 'AIRDESK_MAX_RANGE_DAYS', 1, 3_660),
    tickSeconds: num(env, 'AIRDESK_TICK_SECONDS', 1, 3_600),
    logLevel: get('LOG_LEVEL'),
    warningLift: { mode: liftMode, holdHours: num(env, 'AIRDESK_WARNING_LIFT_HOLD_HOURS', 0, 168) },
    issueHour: int(env, 'AIRDESK_ISSUE_HOUR', 1, 24),
    guidanceTrainDays: int(env, 'AIRDESK_GUIDANCE_TRAIN_DAYS', 35, 3_660),
    guidanceRounds: int(env, 'AIRDESK_GUIDANCE_ROUNDS', 1, 2_000),
    guidanceCheckSeconds: num(env, 'AIRDESK_GUIDANCE_CHECK_SECONDS', 1, 3_600),
    obm: Object.freeze({
      ...DEFAULT_OBM_CONFIG,
      workers: int(env, 'AIRDESK_OBM_WORKERS', 1, 16),
      maxQueued: int(env, 'AIRDESK_OBM_QUEUE', 0, 100),
      gridStep: num(env, 'AIRDESK_OBM_GRID_STEP', 0.15, 0.75),
      spinupDays: int(env, 'AIRDESK_OBM_SPINUP_DAYS', 0, 3),
    }),
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
    issueHour: 16, guidanceTrainDays: 730, guidanceRounds: 150, guidanceCheckSeconds: 60,
    obm: DEFAULT_OBM_CONFIG,
    rebuildFrom: 'aggregates',
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
