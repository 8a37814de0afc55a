/**
 * The aggregation core: day record, rolling 24 h, and the rule-set choice. Hand-worked from HJ 633
 * Table 1: O3 1-h column 400 -> 200, 800 -> 300 (600 -> 250); O3 8-h column 160 -> 100, 215 -> 150
 * (180 -> 118.2, rounded up 119). PM2.5 24-h: 2012 75 -> 100, 115 -> 150 (80 -> 106.25 -> 107);
 * 2026 60 -> 100, 115 -> 150 (80 -> 118.2 -> 119).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DAY_RULES, dayRecord, rolling24h, type PollutantSeries } from '#common/aggregate/index.ts';
import { DAILY_RULES } from '#common/standards/index.ts';
import { POLLUTANTS } from '#common/pollutants.ts';
import { HOUR_MS, endOfBeijingDay } from '#common/time.ts';

function series(day: string, values: Partial<Record<string, (k: number) => number | null>>): PollutantSeries {
  const end = endOfBeijingDay(day);
  const out = Object.fromEntries(POLLUTANTS.map((p) => [p, new Map<number, number>()])) as Record<string, Map<number, number>>;
  for (const [p, f] of Object.entries(values)) for (let k = 1; k <= 24; k++) {
    const v = f!(k);
    if (v !== null) out[p].set(end - DAY + k * HOUR_MS, v);
  }
  return out as unknown as PollutantSeries;
}
const DAY = 24 * HOUR_MS;
// O3 40 all day except labels 13 and 14 at 600: max 1-h 600 (IAQI 250), MDA8 (2*600 + 6*40)/8 = 180 (IAQI 119).
const spike = (k: number) => (k === 13 || k === 14 ? 600 : 40);

describe('dayRecord', () => {
  it('the daily rule set decides the AQI: hj633-2012 indexes the O3 max 1-h, hj633-2026 does not', () => {
    const s = series('2016-12-01', { o3: spike });
    const byDate = dayRecord(s, '2016-12-01', DEFAULT_DAY_RULES);
    expect(byDate.input).toMatchObject({ o3_max1h: 600, o3_mda8: 180 });
    expect(byDate.aqi).toMatchObject({ rule: 'hj633-2012', aqi: 250 });
    const fixed = dayRecord(s, '2016-12-01', { ...DEFAULT_DAY_RULES, daily: DAILY_RULES['hj633-2026'] });
    expect(fixed.aqi).toMatchObject({ rule: 'hj633-2026', aqi: 119 });
  });

  it('PM2.5 80 all day: AQI 107 (2012 breakpoints) and 119 (2026)', () => {
    const s = series('2016-12-01', { pm25: () => 80 });
    expect(dayRecord(s, '2016-12-01', DEFAULT_DAY_RULES).aqi.aqi).toBe(107);
    expect(dayRecord(s, '2016-12-01', { ...DEFAULT_DAY_RULES, daily: DAILY_RULES['hj633-2026'] }).aqi.aqi).toBe(119);
  });

  it('validity is configured: 19 hours is no daily mean at 20, is one at 19; MDA8 needs its windows', () => {
    const s = series('2016-12-01', { pm25: (k) => (k <= 19 ? 80 : null), o3: (k) => (k <= 12 ? 100 : null) });
    expect(dayRecord(s, '2016-12-01', DEFAULT_DAY_RULES).input.pm25_24h).toBeNull();
    expect(dayRecord(s, '2016-12-01', { ...DEFAULT_DAY_RULES, minHoursPerDay: 19 }).input.pm25_24h).toBe(80);
    // O3 hours 01..12 only: windows ending 08..14 have >= 6 hours (7 windows) < 14 -> no MDA8; 7 suffice at 7.
    expect(dayRecord(s, '2016-12-01', DEFAULT_DAY_RULES).input.o3_mda8).toBeNull();
    expect(dayRecord(s, '2016-12-01', { ...DEFAULT_DAY_RULES, mda8MinWindows: 7 }).input.o3_mda8).toBe(100);
    // A day in progress: the partial values ("on track").
    expect(dayRecord(s, '2016-12-01', DEFAULT_DAY_RULES, { minHours: 6 }).input).toMatchObject({ pm25_24h: 80, o3_mda8: 100 });
  });
});

describe('rolling24h', () => {
  it('is the daily formula over the 24 h ending at t, with the same rule choice', () => {
    const s = series('2016-12-01', { o3: spike, pm25: () => 80 });
    const t = endOfBeijingDay('2016-12-01');
    expect(rolling24h(s, t, '2016-12-01', DEFAULT_DAY_RULES).aqi.aqi).toBe(250);
    expect(rolling24h(s, t, '2016-12-01', { ...DEFAULT_DAY_RULES, daily: DAILY_RULES['hj633-2026'] }).aqi.aqi).toBe(119);
  });
});
