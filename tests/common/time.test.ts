/** The Beijing day of an hour end (HJ 663: a day is the hours labelled 01..24). */
import { describe, expect, it } from 'vitest';
import { beijingDayOfHourEnd, beijingToUtc } from '../../common/time.ts';

describe('beijingDayOfHourEnd', () => {
  it('puts the hour ending 00:00 in the previous day, and the hour ending 01:00 in the new one', () => {
    expect(beijingDayOfHourEnd(beijingToUtc(2026, 3, 1, 0))).toBe('2026-02-28');
    expect(beijingDayOfHourEnd(beijingToUtc(2026, 3, 1, 1))).toBe('2026-03-01');
    // 00:00 Beijing is 16:00 UTC the day before.
    expect(beijingDayOfHourEnd(Date.UTC(2026, 0, 1, 16))).toBe('2026-01-01');
    expect(beijingDayOfHourEnd(Date.UTC(2026, 0, 1, 16, 0, 0, 1))).toBe('2026-01-02');
    // Across a year end.
    expect(beijingDayOfHourEnd(beijingToUtc(2027, 1, 1, 0))).toBe('2026-12-31');
  });
});
