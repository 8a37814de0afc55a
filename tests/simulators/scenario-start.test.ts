/**
 * Where an accelerated scenario sits in time (issue 12: `--speed 600` stamped readings up to 8 days
 * behind the clock and the scenario ended before the present). The simulated clock runs S times
 * faster from the start and meets the wall clock D = (now - start) / (S - 1) later; the scenario's
 * last hour must be that meeting point, so the episode ends at the present and live hours follow.
 */
import { describe, expect, it } from 'vitest';
import { scenarioStartFor } from '../../simulators/publish.ts';
import { SCENARIO_DEFS, type ScenarioName } from '../../simulators/scenarios.ts';
import { DAY_MS, HOUR_MS } from '#common/time.ts';

const NOW = Date.parse('2026-12-02T06:37:00Z');

describe('scenarioStartFor', () => {
  it.each([
    ['pm', 600], ['o3', 600], ['dust', 3600], ['normal', 60],
  ] as [ScenarioName, number][])('%s at speed %d ends where the simulated clock meets the present', (name, S) => {
    const start = scenarioStartFor(name, NOW, false, S);
    const L = SCENARIO_DEFS[name].lengthDays * DAY_MS;
    const meet = NOW + (NOW - start) / (S - 1);
    // hour-aligned start, so the end is within the hour it was floored by (at most S hours of sim time)
    expect(start % HOUR_MS).toBe(0);
    expect(Math.abs(start + L - meet)).toBeLessThanOrEqual(HOUR_MS * (S / (S - 1)) + 1);
    // and the catch-up lasts L/S of wall time: 8 days at 600x = 19.2 min
    expect((meet - NOW) / 60_000).toBeCloseTo(L / S / 60_000, 0);
  });

  it('pm at 600x: the scenario ends within an hour of the catch-up, not a day before it (old start: midnight - 8 d)', () => {
    const start = scenarioStartFor('pm', NOW, false, 600);
    const meet = NOW + (NOW - start) / 599;
    const oldStart = Date.parse('2026-12-01T16:00:00Z') - 8 * DAY_MS; // Beijing midnight of 12-02 minus 8 days
    const oldEnd = oldStart + 8 * DAY_MS;
    expect(meet - (start + 8 * DAY_MS)).toBeLessThan(HOUR_MS);
    expect(meet - oldEnd).toBeGreaterThan(6 * HOUR_MS); // the old placement ended 6.6 h before its catch-up
  });

  it('live (speed 1): first episode day is today, as before', () => {
    const start = scenarioStartFor('pm', NOW, true);
    expect(start).toBe(Date.parse('2026-12-01T16:00:00Z') - 2 * DAY_MS);
  });
});
