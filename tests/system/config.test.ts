/**
 * `airdesk start` configuration: defaults, a one-line reason for every bad value, and the
 * composition: the server's and the gateway's variables mean under `npm start` exactly what they
 * mean under `airdesk serve` / `airdesk gateway` (before, `npm start` ignored AIRDESK_AQI_RULE,
 * AIRDESK_STALE_MINUTES, AIRDESK_REBUILD_DAYS and kept no state file).
 */
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { readStartConfig, StartConfigError } from '../../system/config.ts';
import { readConfig, ENV_DEFAULTS } from '../../server/config.ts';
import { loadGatewayConfig } from '../../gateway/config.ts';

describe('airdesk start config', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const c = readStartConfig({});
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: './.airdesk', mqttPort: 0, simulate: true, scenario: 'normal', speed: 1, backfillHours: 72, clientDir: 'dist/client' });
    expect(c.mqttUrl).toBeUndefined();
    expect(c.influxUrl).toBeUndefined();
    expect(c.simStart).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
    // Restart-safe by default: the engine state lives in the data folder, as under `airdesk serve`.
    expect(c.server.statePath).toBe(path.join('./.airdesk', 'server-state.json'));
    expect(c.server.rebuildDays).toBe(3);
    expect(c.gateway.spoolPath).toBe(path.join('./.airdesk', 'gateway-spool.sqlite'));
  });
  it('takes a real broker and InfluxDB when given', () => {
    const c = readStartConfig({ MQTT_URL: 'mqtt://10.0.0.5:1883', INFLUX_URL: 'http://db:8086/aq', AIRDESK_SIMULATE: '0', AIRDESK_SCENARIO: 'pm', AIRDESK_SIM_SPEED: '600', PORT: '0' });
    expect(c).toMatchObject({ mqttUrl: 'mqtt://10.0.0.5:1883', influxUrl: 'http://db:8086/aq', simulate: false, scenario: 'pm', speed: 600, port: 0 });
  });
  it('reads the simulated history and scenario start', () => {
    expect(readStartConfig({ AIRDESK_SIM_BACKFILL_HOURS: '0', AIRDESK_SIM_START: '2026-07-01T00:00:00+08:00' })).toMatchObject({
      backfillHours: 0, simStart: Date.UTC(2026, 5, 30, 16),
    });
    expect(readStartConfig({ AIRDESK_SIM_START: '1782835200000' }).simStart).toBe(1782835200000);
  });

  it('gives every server variable the meaning `airdesk serve` gives it', () => {
    const env = {
      PORT: '9090', HOST: '0.0.0.0', MQTT_URL: 'mqtt://10.0.0.5:1883', INFLUX_URL: 'http://db:8086/aq',
      AIRDESK_DATA_DIR: '/var/lib/airdesk', AIRDESK_STALE_MINUTES: '45', AIRDESK_HOUR_GRACE_MINUTES: '20',
      AIRDESK_REBUILD_DAYS: '10', AIRDESK_AQI_RULE: 'hj633-2012-cnemc1h', AIRDESK_DAILY_RULE: 'hj633-2012',
      AIRDESK_SOCKET_BATCH_MS: '200', AIRDESK_CLIENT_DIR: '/srv/client', AIRDESK_MAX_RANGE_DAYS: '31',
      AIRDESK_TICK_SECONDS: '5', LOG_LEVEL: 'debug', AIRDESK_WARNING_LIFT: 'manual', AIRDESK_WARNING_LIFT_HOLD_HOURS: '12',
      AIRDESK_ISSUE_HOUR: '17', AIRDESK_GUIDANCE_TRAIN_DAYS: '365', AIRDESK_GUIDANCE_ROUNDS: '80', AIRDESK_GUIDANCE_CHECK_SECONDS: '30',
      AIRDESK_REBUILD_FROM: 'raw',
      AIRDESK_OBM_WORKERS: '1', AIRDESK_OBM_QUEUE: '2', AIRDESK_OBM_GRID_STEP: '0.5', AIRDESK_OBM_SPINUP_DAYS: '0',
      AIRDESK_OBM_AUTO: '0', AIRDESK_OBM_AUTO_MDA8: '200', AIRDESK_OBM_AUTO_AFTER_HOUR: '18',
      AIRDESK_MEASURE_EVAL_MINUTES: '15', AIRDESK_MEASURE_HISTORY_DAYS: '90', AIRDESK_MEASURE_MIN_HISTORY_DAYS: '20',
      AIRDESK_PUBLIC_READ: '1', AIRDESK_SESSION_IDLE_MINUTES: '30', AIRDESK_SESSION_MAX_HOURS: '8', AIRDESK_LOGIN_MAX_FAILURES: '3',
      AIRDESK_LOGIN_LOCK_MINUTES: '30', AIRDESK_LOGIN_PER_MINUTE: '5', AIRDESK_WRITES_PER_MINUTE: '60',
      AIRDESK_ALLOWED_ORIGINS: 'https://wall.example.gov.cn', AIRDESK_SEED_USERS: 'ops:admin:a-long-passphrase',
      AIRDESK_CONSULT_OPEN: '15:00', AIRDESK_CONSULT_DEADLINE: '19:30', AIRDESK_CONSULT_REMIND_MINUTES: '45',
      AIRDESK_CONSULT_EMERGENCY_MINUTES: '90', AIRDESK_CONSULT_EMERGENCY_EVERY_MINUTES: '240', AIRDESK_CONSULT_OPEN_ON_START: '1',
      AIRDESK_CONSULT_CHECK_SECONDS: '10',
      AIRDESK_INTERNAL_KEY: 'n'.repeat(64), AIRDESK_INTERNAL_KEY_PREVIOUS: 'o'.repeat(64),
      AIRDESK_INTERNAL_KEY_PREVIOUS_HOURS: '6', AIRDESK_INTERNAL_SIG_WINDOW_S: '60',
    };
    // Every variable of the server's table is in this test, each away from its default.
    expect(Object.keys(env).sort()).toEqual(Object.keys(ENV_DEFAULTS).sort());
    for (const [k, v] of Object.entries(env)) expect(v, k).not.toBe(ENV_DEFAULTS[k as keyof typeof ENV_DEFAULTS]);
    const c = readStartConfig(env);
    expect(c.server).toEqual(readConfig(env));
    expect(c.server).toMatchObject({
      staleMinutes: 45, rebuildDays: 10, statePath: path.join('/var/lib/airdesk', 'server-state.json'), maxRangeDays: 31,
    });
    expect(c.server.hourlyRule?.name).toBe('hj633-2012-cnemc1h');
    expect(c.server.dailyRule?.name).toBe('hj633-2012');
    expect(c.server.warningLift).toEqual({ mode: 'manual', holdHours: 12 });
    expect(c.server).toMatchObject({ issueHour: 17, guidanceTrainDays: 365, guidanceRounds: 80, guidanceCheckSeconds: 30 });
    expect(c.server.measureEval).toMatchObject({ everyMinutes: 15, historyDays: 90, minHistoryDays: 20 });
    expect(c.server.obm).toMatchObject({ autoMda8: null, autoAfterHour: 18 });
    expect(c.server.consult).toEqual({ open: '15:00', deadline: '19:30', remindMinutes: 45, emergencyMinutes: 90, emergencyEveryMinutes: 240, openOnStart: true, checkSeconds: 10 });
    expect(c.server).toMatchObject({
      publicRead: true, sessionIdleMinutes: 30, sessionMaxHours: 8, loginMaxFailures: 3, loginLockMinutes: 30, loginPerMinute: 5,
      writesPerMinute: 60, allowedOrigins: ['https://wall.example.gov.cn'], seedUsers: 'ops:admin:a-long-passphrase', printFirstPassword: true,
    });
    expect(c).toMatchObject({ port: 9090, host: '0.0.0.0', dataDir: '/var/lib/airdesk', clientDir: '/srv/client', logLevel: 'debug' });
    expect(c.server.internalKeys).toEqual({ current: 'n'.repeat(64), previous: 'o'.repeat(64), previousHours: 6, windowSeconds: 60 });
    // The gateway reads the same variable: it signs with the key the server checks.
    expect(c.gateway.internalKey).toBe('n'.repeat(64));
  });

  it('refuses internal keys that are short, the same twice, or a previous key alone', () => {
    expect(() => readStartConfig({ AIRDESK_INTERNAL_KEY: 'short' })).toThrow(/AIRDESK_INTERNAL_KEY: a key needs at least 32 characters/);
    expect(() => readStartConfig({ AIRDESK_INTERNAL_KEY: 'n'.repeat(40), AIRDESK_INTERNAL_KEY_PREVIOUS: 'n'.repeat(40) })).toThrow(/same as AIRDESK_INTERNAL_KEY/);
    expect(() => readStartConfig({ AIRDESK_INTERNAL_KEY_PREVIOUS: 'n'.repeat(40) })).toThrow(/without AIRDESK_INTERNAL_KEY/);
    expect(() => readStartConfig({ AIRDESK_INTERNAL_KEY_FILE: '/nonexistent/airdesk.key' })).toThrow(/AIRDESK_INTERNAL_KEY_FILE=\/nonexistent\/airdesk.key: cannot read \(ENOENT\)/);
    expect(readStartConfig({}).server.internalKeys).toBeNull();
  });

  it('gives the gateway variables the meaning `airdesk gateway` gives them', () => {
    const env = {
      AIRDESK_DATA_DIR: '/d', AIRDESK_SPOOL_COMMIT_MS: '20', AIRDESK_SPOOL_GROUP_MAX: '500', AIRDESK_STORE_BATCH: '1000',
      AIRDESK_STORE_LINGER_MS: '0', AIRDESK_UNKNOWN_STATION: 'reject', AIRDESK_MAX_PAYLOAD_BYTES: '4096',
      AIRDESK_MAX_FUTURE_S: '60', AIRDESK_HJ212_ENCODING: 'gbk', AIRDESK_SPOOL_PATH: '/spool/x.sqlite',
    };
    const c = readStartConfig(env);
    expect(c.gateway).toEqual(loadGatewayConfig(env));
    expect(c.gateway).toMatchObject({ commitIntervalMs: 20, unknownStation: 'reject', maxFutureMs: 60_000, spoolPath: '/spool/x.sqlite' });
  });

  it.each([
    ['PORT', '80a', /PORT=80a: expected an integer 0..65535/],
    ['PORT', '70000', /PORT=70000/],
    ['PORT', '-1', /PORT=-1/],
    ['AIRDESK_MQTT_PORT', '1.5', /AIRDESK_MQTT_PORT=1.5/],
    ['AIRDESK_SCENARIO', 'tornado', /AIRDESK_SCENARIO=tornado: expected one of normal, o3, pm, dust/],
    ['AIRDESK_SIM_SPEED', '0', /AIRDESK_SIM_SPEED=0/],
    ['AIRDESK_SIM_SPEED', 'fast', /AIRDESK_SIM_SPEED=fast/],
    ['AIRDESK_SIM_SPEED', 'NaN', /AIRDESK_SIM_SPEED=NaN/],
    ['AIRDESK_SIMULATE', 'yes', /AIRDESK_SIMULATE=yes: expected 0 or 1/],
    ['AIRDESK_SIM_BACKFILL_HOURS', '-3', /AIRDESK_SIM_BACKFILL_HOURS=-3: expected an integer 0..1440/],
    ['AIRDESK_SIM_START', 'yesterday', /AIRDESK_SIM_START=yesterday: expected ISO 8601/],
    ['AIRDESK_SIM_START', '2026-07-01', /AIRDESK_SIM_START=2026-07-01: expected ISO 8601 with a time/],
    ['AIRDESK_SIM_START', '2026-13-45T99:00Z', /AIRDESK_SIM_START=2026-13-45T99:00Z/],
    ['MQTT_URL', 'not a url', /MQTT_URL=not a url: not a URL/],
    ['INFLUX_URL', '::::', /INFLUX_URL=::::: not a URL/],
    // The server's reader, composed:
    ['AIRDESK_STALE_MINUTES', 'ninety', /AIRDESK_STALE_MINUTES=ninety: expected a number in 1..10080/],
    ['AIRDESK_REBUILD_DAYS', '0', /AIRDESK_REBUILD_DAYS=0/],
    ['AIRDESK_AQI_RULE', 'hj633-1999', /AIRDESK_AQI_RULE=hj633-1999: unknown rule set/],
    ['AIRDESK_DAILY_RULE', 'x', /AIRDESK_DAILY_RULE=x: unknown rule set/],
    // The gateway's reader, composed:
    ['AIRDESK_SPOOL_COMMIT_MS', '0', /AIRDESK_SPOOL_COMMIT_MS=0: expected an integer 1..1000/],
    ['AIRDESK_UNKNOWN_STATION', 'drop', /AIRDESK_UNKNOWN_STATION=drop: expected one of register, reject/],
    ['AIRDESK_FLAT_PROFILES', '{', /AIRDESK_FLAT_PROFILES: not JSON/],
  ])('%s=%s is refused with its reason', (key, value, message) => {
    expect(() => readStartConfig({ [key]: value })).toThrow(StartConfigError);
    expect(() => readStartConfig({ [key]: value })).toThrow(message);
  });
});
