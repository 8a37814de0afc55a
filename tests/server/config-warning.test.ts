/** AIRDESK_WARNING_LIFT / AIRDESK_WARNING_LIFT_HOLD_HOURS: defaults, values, garbage refused in one line. */
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../server/config.ts';

describe('warning lift config', () => {
  it('defaults to auto, hold 0', () => {
    expect(readConfig({}).warningLift).toEqual({ mode: 'auto', holdHours: 0 });
  });
  it('reads manual and a hold', () => {
    expect(readConfig({ AIRDESK_WARNING_LIFT: 'manual', AIRDESK_WARNING_LIFT_HOLD_HOURS: '36' }).warningLift).toEqual({ mode: 'manual', holdHours: 36 });
  });
  it.each([
    [{ AIRDESK_WARNING_LIFT: 'sometimes' }, /AIRDESK_WARNING_LIFT=sometimes: expected auto or manual/],
    [{ AIRDESK_WARNING_LIFT_HOLD_HOURS: 'x' }, /AIRDESK_WARNING_LIFT_HOLD_HOURS=x/],
    [{ AIRDESK_WARNING_LIFT_HOLD_HOURS: '-1' }, /AIRDESK_WARNING_LIFT_HOLD_HOURS=-1/],
    [{ AIRDESK_WARNING_LIFT_HOLD_HOURS: '1000' }, /0\.\.168/],
  ])('%j is refused', (env, msg) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(msg);
  });
});
