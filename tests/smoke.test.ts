import { describe, it, expect } from 'vitest';
import { quantityKey } from '#common/pollutants.ts';
import { beijingDayOfHourEnd, beijingToUtc } from '#common/time.ts';

describe('common basics', () => {
  it('maps file names of pollutants to canonical keys', () => {
    expect(quantityKey('PM2.5')).toBe('pm25');
    expect(quantityKey('WSPM')).toBe('ws');
    expect(quantityKey('benzene')).toBeNull();
  });
  it('puts the hour labelled 24 (00:00 next day) in the previous Beijing day (HJ 663)', () => {
    expect(beijingDayOfHourEnd(beijingToUtc(2017, 1, 2, 0))).toBe('2017-01-01');
    expect(beijingDayOfHourEnd(beijingToUtc(2017, 1, 2, 1))).toBe('2017-01-02');
  });
});
