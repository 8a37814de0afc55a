/**
 * Server configuration: read from the environment once (system/serve.ts for `airdesk serve`, system/config.ts for `npm start`), validated, frozen.
 * Every variable with its default is listed in ENV_DEFAULTS (and in .env.example / docs/api.md).
 * Tests build the same object with serverConfig({...}) and never touch process.env.
 */
import { DEFAULT_CONSULT, type ConsultConfig } from './services/consult-config.ts';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { keyFromEnv } from '#common/schemas/internal-sig.ts';
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
  /** Consultation rooms (server/services/consult.ts, docs/consultation.md). */
  consult: Readonly<ConsultConfig>;
  /** Live evaluation of measures in force (server/services/measures.ts, common/measures/live.ts). */
  measureEval: MeasureEvalConfig;
  /** Identities (issue 15, docs/security.md). true = the read-only views and API ('read' routes,
   *  the socket's live state) are open to anyone who can reach the server (a public display);
   *  false = every route but /healthz, /readyz, login and the static client needs a session or token. */
  publicRead: boolean;
  /** A session unused this long ends (idle expiry), and every session ends this long after login
   *  whatever happens (absolute expiry). */
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** This many failed logins for one name within lockMinutes locks the name for lockMinutes
   *  (a correct password is refused too until then). */
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Login attempts per client address per minute (rate limit, before the lock-out). */
  loginPerMinute: number;
  /** Writes (non-GET requests) per identity per minute. */
  writesPerMinute: number;
  /** Origins (scheme://host:port) besides the server's own that may open a socket.io connection
   *  or send a cookie-authenticated write; empty = same origin only. */
  allowedOrigins: readonly string[];
  /** Users to create at start when they do not exist (AIRDESK_SEED_USERS: tests, the simulator,
   *  a scripted install); passwords of seeded users need no change at first login. */
  seedUsers: string | null;
  /** Print the first-start admin's one-time password on stdout (the processes in system/ do);
   *  off, it is not shown anywhere (tests and embedding seed their users instead). */
  printFirstPassword: boolean;
  /** Keys the gateway's internal messages must be signed with (common/schemas/internal-sig.ts);
   *  null = no key: what arrives on aq/v1/internal/# is taken unsigned (logged at start). */
  internalKeys: InternalKeys | null;
}

/** The server's key ring as configured; the previous key is accepted `previousHours` after start. */
export interface InternalKeys {
  current: string;
  previous: string | null;
  previousHours: number;
  windowSeconds: number;
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
  AIRDESK_CONSULT_OPEN: '16:30',
  AIRDESK_CONSULT_DEADLINE: '20:00',
  AIRDESK_CONSULT_REMIND_MINUTES: '30',
  AIRDESK_CONSULT_EMERGENCY_MINUTES: '120',
  AIRDESK_CONSULT_EMERGENCY_EVERY_MINUTES: '0',
  AIRDESK_CONSULT_OPEN_ON_START: '0',
  AIRDESK_CONSULT_CHECK_SECONDS: '30',
  AIRDESK_MEASURE_EVAL_MINUTES: '60',
  AIRDESK_MEASURE_HISTORY_DAYS: '365',
  AIRDESK_MEASURE_MIN_HISTORY_DAYS: '30',
  LOG_LEVEL: 'info',
  AIRDESK_OBM_WORKERS: '2',
  AIRDESK_OBM_QUEUE: '4',
  AIRDESK_OBM_GRID_STEP: '0.25',
  AIRDESK_OBM_SPINUP_DAYS: '1',
  AIRDESK_OBM_AUTO: '1',
  AIRDESK_OBM_AUTO_MDA8: '160',
  AIRDESK_OBM_AUTO_AFTER_HOUR: '17',
  AIRDESK_PUBLIC_READ: '0',
  AIRDESK_SESSION_IDLE_MINUTES: '60',
  AIRDESK_SESSION_MAX_HOURS: '12',
  AIRDESK_LOGIN_MAX_FAILURES: '5',
  AIRDESK_LOGIN_LOCK_MINUTES: '15',
  AIRDESK_LOGIN_PER_MINUTE: '10',
  AIRDESK_WRITES_PER_MINUTE: '120',
  AIRDESK_ALLOWED_ORIGINS: '',
  AIRDESK_SEED_USERS: '',
  // Each key may instead be given as NAME_FILE (a file whose first line is the key).
  AIRDESK_INTERNAL_KEY: '',
  AIRDESK_INTERNAL_KEY_PREVIOUS: '',
  AIRDESK_INTERNAL_KEY_PREVIOUS_HOURS: '24',
  AIRDESK_INTERNAL_SIG_WINDOW_S: '300',
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

function flag(env: Record<string, string | undefined>, k: keyof typeof ENV_DEFAULTS): boolean {
  const raw = (env[k]?.trim() || ENV_DEFAULTS[k]).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${k}=${raw}: expected 1 or 0`);
}

/** A comma-separated list of origins, each scheme://host[:port] with nothing after it. */
function origins(raw: string): string[] {
  if (!raw) return [];
  return raw.split(',').map((o) => o.trim()).filter(Boolean).map((o) => {
    let u: URL;
    try {
      u = new URL(o);
    } catch {
      throw new ConfigError(`AIRDESK_ALLOWED_ORIGINS: ${o} is not an origin (scheme://host[:port])`);
    }
    if (!/^https?:$/.test(u.protocol) || u.origin !== o.replace(/\/$/, '')) throw new ConfigError(`AIRDESK_ALLOWED_ORIGINS: ${o} is not an origin (scheme://host[:port])`);
    return u.origin;
  });
}

/** 'HH:MM' (24-hour clock, Beijing time). */
function clockTime(env: Record<string, string | undefined>, k: keyof typeof ENV_DEFAULTS): string {
  const raw = env[k]?.trim() || ENV_DEFAULTS[k];
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(raw);
  if (!m) throw new ConfigError(`${k}=${raw}: expected a time HH:MM (00:00..23:59, Beijing)`);
  return raw;
}

function consultConfig(env: Record<string, string | undefined>): Readonly<ConsultConfig> {
  const c: ConsultConfig = {
    open: clockTime(env, 'AIRDESK_CONSULT_OPEN'),
    deadline: clockTime(env, 'AIRDESK_CONSULT_DEADLINE'),
    remindMinutes: int(env, 'AIRDESK_CONSULT_REMIND_MINUTES', 0, 600),
    emergencyMinutes: int(env, 'AIRDESK_CONSULT_EMERGENCY_MINUTES', 15, 720),
    emergencyEveryMinutes: int(env, 'AIRDESK_CONSULT_EMERGENCY_EVERY_MINUTES', 0, 1_440),
    openOnStart: flag(env, 'AIRDESK_CONSULT_OPEN_ON_START'),
    checkSeconds: num(env, 'AIRDESK_CONSULT_CHECK_SECONDS', 1, 3_600),
  };
  if (c.open >= c.deadline) throw new ConfigError(`AIRDESK_CONSULT_OPEN=${c.open} must be before AIRDESK_CONSULT_DEADLINE=${c.deadline}`);
  return Object.freeze(c);
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
    consult: consultConfig(env),
    obm: Object.freeze({
      ...DEFAULT_OBM_CONFIG,
      workers: int(env, 'AIRDESK_OBM_WORKERS', 1, 16),
      maxQueued: int(env, 'AIRDESK_OBM_QUEUE', 0, 100),
      gridStep: num(env, 'AIRDESK_OBM_GRID_STEP', 0.15, 0.75),
      spinupDays: int(env, 'AIRDESK_OBM_SPINUP_DAYS', 0, 3),
      autoMda8: flag(env, 'AIRDESK_OBM_AUTO') ? num(env, 'AIRDESK_OBM_AUTO_MDA8', 0, 1000) : null,
      autoAfterHour: int(env, 'AIRDESK_OBM_AUTO_AFTER_HOUR', 1, 24),
    }),
    measureEval: {
      ...DEFAULT_MEASURE_EVAL, everyMinutes: num(env, 'AIRDESK_MEASURE_EVAL_MINUTES', 0, 1440),
      historyDays: num(env, 'AIRDESK_MEASURE_HISTORY_DAYS', 7, 3660), minHistoryDays: num(env, 'AIRDESK_MEASURE_MIN_HISTORY_DAYS', 1, 3660),
    },
    publicRead: flag(env, 'AIRDESK_PUBLIC_READ'),
    sessionIdleMinutes: num(env, 'AIRDESK_SESSION_IDLE_MINUTES', 1, 10_080),
    sessionMaxHours: num(env, 'AIRDESK_SESSION_MAX_HOURS', 1, 720),
    loginMaxFailures: num(env, 'AIRDESK_LOGIN_MAX_FAILURES', 1, 100),
    loginLockMinutes: num(env, 'AIRDESK_LOGIN_LOCK_MINUTES', 1, 1_440),
    loginPerMinute: num(env, 'AIRDESK_LOGIN_PER_MINUTE', 1, 1_000),
    writesPerMinute: num(env, 'AIRDESK_WRITES_PER_MINUTE', 1, 100_000),
    allowedOrigins: origins(get('AIRDESK_ALLOWED_ORIGINS')),
    seedUsers: env.AIRDESK_SEED_USERS?.trim() || null,
    // A process reading its environment (airdesk serve, npm start) prints the first admin's password.
    printFirstPassword: true,
    internalKeys: internalKeys(env),
  });
}

function secret(env: Record<string, string | undefined>, name: string): string | null {
  const k = keyFromEnv(env, name, (f) => readFileSync(f, 'utf8'));
  if ('error' in k) throw new ConfigError(k.error);
  return k.key;
}

function internalKeys(env: Record<string, string | undefined>): InternalKeys | null {
  const current = secret(env, 'AIRDESK_INTERNAL_KEY');
  const previous = secret(env, 'AIRDESK_INTERNAL_KEY_PREVIOUS');
  if (!current) {
    if (previous) throw new ConfigError('AIRDESK_INTERNAL_KEY_PREVIOUS without AIRDESK_INTERNAL_KEY: set the new key too');
    return null;
  }
  if (previous === current) throw new ConfigError('AIRDESK_INTERNAL_KEY_PREVIOUS is the same as AIRDESK_INTERNAL_KEY');
  return {
    current, previous,
    previousHours: num(env, 'AIRDESK_INTERNAL_KEY_PREVIOUS_HOURS', 0, 8_760),
    windowSeconds: num(env, 'AIRDESK_INTERNAL_SIG_WINDOW_S', 5, 86_400),
  };
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
    consult: DEFAULT_CONSULT,
    rebuildFrom: 'aggregates',
    measureEval: DEFAULT_MEASURE_EVAL,
    publicRead: false, sessionIdleMinutes: 60, sessionMaxHours: 12, loginMaxFailures: 5, loginLockMinutes: 15,
    loginPerMinute: 10, writesPerMinute: 120, allowedOrigins: [], seedUsers: null, printFirstPassword: false,
    internalKeys: null,
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
