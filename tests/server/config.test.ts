/** Server config: the rule label announced in state:sync names the daily rule of the day the
 *  engine is computing (HJ 633-2026 applies from 2026-03-01; the hour ending 00:00 on 03-01 is the
 *  24th hour of 02-28). The old inline date arithmetic had no -1 ms and said hj633-2026 there. */
import { describe, expect, it } from 'vitest';
import { ruleLabel, serverConfig, readConfig, ConfigError } from '../../server/config.ts';
import { beijingToUtc } from '../../common/time.ts';

describe('ruleLabel', () => {
  it('gives the previous day\'s daily rule at midnight', () => {
    const c = serverConfig();
    expect(ruleLabel(c, beijingToUtc(2026, 2, 28, 23)).daily).toBe('hj633-2012');
    expect(ruleLabel(c, beijingToUtc(2026, 3, 1, 0)).daily).toBe('hj633-2012');
    expect(ruleLabel(c, beijingToUtc(2026, 3, 1, 1)).daily).toBe('hj633-2026');
    expect(ruleLabel(c, beijingToUtc(2026, 3, 1, 1))).toMatchObject({ hourly: 'by date', override: false });
  });
  it('names an override', () => {
    const c = readConfig({ AIRDESK_DAILY_RULE: 'hj633-2012' });
    expect(ruleLabel(c, beijingToUtc(2026, 6, 1, 1))).toMatchObject({ daily: 'hj633-2012', override: true });
  });
  it.each([
    ['AIRDESK_TICK_SECONDS', '0'], ['AIRDESK_MAX_RANGE_DAYS', 'lots'], ['PORT', '1e9'], ['AIRDESK_SOCKET_BATCH_MS', '-5'],
    ['AIRDESK_PUBLIC_READ', 'maybe'], ['AIRDESK_SESSION_IDLE_MINUTES', '0'], ['AIRDESK_SESSION_MAX_HOURS', '9999'],
    ['AIRDESK_LOGIN_MAX_FAILURES', '0'], ['AIRDESK_WRITES_PER_MINUTE', 'x'],
    ['AIRDESK_CONSULT_OPEN', '4pm'], ['AIRDESK_CONSULT_OPEN', '24:00'], ['AIRDESK_CONSULT_DEADLINE', '20:60'],
    ['AIRDESK_CONSULT_REMIND_MINUTES', '-1'], ['AIRDESK_CONSULT_EMERGENCY_MINUTES', '5'], ['AIRDESK_CONSULT_OPEN_ON_START', 'maybe'],
    ['AIRDESK_CONSULT_CHECK_SECONDS', '0'], ['AIRDESK_CONSULT_EMERGENCY_EVERY_MINUTES', '1.5'],
  ])('%s=%s is refused with its name', (k, v) => {
    expect(() => readConfig({ [k]: v })).toThrow(ConfigError);
    expect(() => readConfig({ [k]: v })).toThrow(`${k}=${v}`);
  });
  it('the consultation opens before its deadline (20:00 Beijing by default, HJ 633-2026)', () => {
    expect(readConfig({}).consult).toMatchObject({ open: '16:30', deadline: '20:00', remindMinutes: 30 });
    expect(() => readConfig({ AIRDESK_CONSULT_OPEN: '20:30' })).toThrow(/AIRDESK_CONSULT_OPEN=20:30 must be before AIRDESK_CONSULT_DEADLINE=20:00/);
  });
  it('reads are closed unless AIRDESK_PUBLIC_READ=1; origins must be bare scheme://host[:port]', () => {
    expect(readConfig({}).publicRead).toBe(false);
    expect(readConfig({ AIRDESK_PUBLIC_READ: '1' }).publicRead).toBe(true);
    expect(readConfig({ AIRDESK_ALLOWED_ORIGINS: 'https://a.example, http://b.example:8080' }).allowedOrigins).toEqual(['https://a.example', 'http://b.example:8080']);
    for (const bad of ['a.example', 'https://a.example/path', 'ftp://a.example']) {
      expect(() => readConfig({ AIRDESK_ALLOWED_ORIGINS: bad }), bad).toThrow(/AIRDESK_ALLOWED_ORIGINS: .* is not an origin/);
    }
  });
});
