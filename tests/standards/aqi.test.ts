import { describe, it, expect } from 'vitest';
import {
  hourlyAqi, dailyAqi, HOURLY_RULES, DAILY_RULES, hourlyRuleFor, dailyRuleFor, hourlyRuleByName, RULE_NAMES,
} from '#common/standards/index.ts';
import { beijingToUtc } from '#common/time.ts';

const R = HOURLY_RULES;

describe('rule sets by date (publication hour, Beijing time)', () => {
  it.each([
    ['2016-12-31 23:00 (label 23)', beijingToUtc(2016, 12, 31, 23), 'hj633-2012'],
    ['2017-01-01 00:00 (label 00, published the new way)', beijingToUtc(2017, 1, 1, 0), 'hj633-2012-cnemc1h'],
    ['2020-06-01 12:00', beijingToUtc(2020, 6, 1, 12), 'hj633-2012-cnemc1h'],
    ['2026-02-28 23:00', beijingToUtc(2026, 2, 28, 23), 'hj633-2012-cnemc1h'],
    ['2026-03-01 00:00 (HJ 633-2026 in force)', beijingToUtc(2026, 3, 1, 0), 'hj633-2026'],
  ])('%s -> %s', (_d, t, name) => expect(hourlyRuleFor(t).name).toBe(name));
  it('daily rule by day: 2012 until 2026-02-28, 2026 from 2026-03-01', () => {
    expect(dailyRuleFor('2026-02-28').name).toBe('hj633-2012');
    expect(dailyRuleFor('2026-03-01').name).toBe('hj633-2026');
  });
  it('names resolve, unknown names do not', () => {
    for (const n of RULE_NAMES) expect(hourlyRuleByName(n)?.name).toBe(n);
    expect(hourlyRuleByName('hj633-2013')).toBeNull();
  });
});

describe('indicator sets (HJ 633-2012 5.2 / HJ 633-2026 5.2)', () => {
  const hour = { so2_1h: 10, no2_1h: 40, co_1h: 0.8, o3_1h: 60, pm25_1h: 180, pm10_1h: 200, o3_8h: 50, pm25_24h: 80, pm10_24h: 120 };
  it('2012 text: PM from the 24-h moving means, 1-h PM ignored', () => {
    const r = hourlyAqi(hour, R['hj633-2012']);
    expect(r.aqi).toBe(107); // PM2.5 24h 80 -> 106.25
    expect(r.iaqi).not.toHaveProperty('pm25_1h');
  });
  it('CNEMC 1-h practice: 1-h PM on the 2012 24-h PM columns', () => {
    expect(hourlyAqi(hour, R['hj633-2012-cnemc1h']).aqi).toBe(230); // PM2.5 180: 150..250 -> 200..300: 200 + 30
  });
  it('2026: 1-h PM on the 2026 columns; PM10 200 -> 2026 IAQI 131 (120..250 -> 100..150)', () => {
    const r = hourlyAqi({ ...hour, pm25_1h: 50 }, R['hj633-2026']);
    expect(r.iaqi.pm10_1h).toBe(131); // 100 + 80*50/130 = 130.77
    expect(r.iaqi.pm25_1h).toBe(80); // 2026 35..60 -> 50..100: 50 + 15*50/25
  });
  it('2012 daily has O3 max 1-h, 2026 daily does not', () => {
    const d = { so2_24h: 10, no2_24h: 30, co_24h: 0.5, pm25_24h: 20, pm10_24h: 40, o3_max1h: 300, o3_mda8: 90 };
    expect(dailyAqi(d, DAILY_RULES['hj633-2012']).aqi).toBe(150); // O3 1h 300 -> 150
    expect(dailyAqi(d, DAILY_RULES['hj633-2026']).aqi).toBe(45); // MDA8 90 -> 45
  });
});

describe('primary and exceeding pollutants (HJ 633 6.1, 2012 6.2)', () => {
  it('no primary pollutant at AQI <= 50', () => {
    const r = hourlyAqi({ pm25_1h: 35, pm10_1h: 50 }, R['hj633-2012-cnemc1h']);
    expect(r.aqi).toBe(50);
    expect(r.primary).toEqual([]);
  });
  it('ties are all listed (PM2.5 75 and PM10 150 both IAQI 100 under 2012)', () => {
    const r = hourlyAqi({ pm25_1h: 75, pm10_1h: 150, no2_1h: 20 }, R['hj633-2012-cnemc1h']);
    expect(r.aqi).toBe(100);
    expect(r.primary).toEqual(['pm25', 'pm10']);
  });
  it('exceeding pollutants: IAQI > 100 under 2012; the term does not exist in 2026', () => {
    const r = hourlyAqi({ pm25_1h: 80, no2_1h: 250, o3_1h: 100 }, R['hj633-2012-cnemc1h']);
    expect(r.exceeding).toEqual(['pm25', 'no2']);
    expect(hourlyAqi({ pm25_1h: 80 }, R['hj633-2026']).exceeding).toBeNull();
  });
  it('O3 primary via its 8-h indicator is reported by indicator', () => {
    const r = hourlyAqi({ o3_1h: 180, o3_8h: 200, pm25_24h: 20 }, R['hj633-2012']);
    expect(r.primary).toEqual(['o3']);
    expect(r.primaryIndicators).toEqual(['o3_8h']);
  });
});

describe('HJ 633-2026 5.3 missing data: publish the AQI only if > 100', () => {
  const full = { so2_1h: 5, no2_1h: 30, co_1h: 0.5, o3_1h: 50, pm25_1h: 40, pm10_1h: 60 };
  it('all six present: published', () => {
    expect(hourlyAqi(full, R['hj633-2026']).published).toBe(60); // PM2.5 40, 2026 35..60 -> 50..100: 50 + 5*50/25
  });
  it('one missing and AQI <= 100: NA, IAQIs still given', () => {
    const r = hourlyAqi({ ...full, co_1h: null }, R['hj633-2026']);
    expect(r.published).toBe('NA');
    expect(r.aqi).toBe(60);
    expect(r.missing).toEqual(['co']);
    expect(r.iaqi.pm25_1h).toBe(60);
  });
  it('one missing and AQI > 100: published', () => {
    expect(hourlyAqi({ ...full, co_1h: null, pm25_1h: 80 }, R['hj633-2026']).published).toBe(119);
  });
  it('a pollutant not in the monitoring plan does not block', () => {
    expect(hourlyAqi({ ...full, co_1h: null }, R['hj633-2026'], { notMonitored: ['co'] }).published).toBe(60);
  });
  it('2012 rule sets publish what they can compute; nothing at all is NA', () => {
    expect(hourlyAqi({ pm25_1h: 40 }, R['hj633-2012-cnemc1h']).published).toBe(57); // 2012 35..75: 50 + 5*50/40 = 56.25
    expect(hourlyAqi({}, R['hj633-2012-cnemc1h']).published).toBe('NA');
  });
});

describe('variant hj633-2012-raw24h: PM 24-h moving means indexed unrounded', () => {
  it('74.4 stays 74.4 (IAQI 99.25 -> 100) where the text rule rounds it to 74 (98.75 -> 99)', () => {
    expect(hourlyAqi({ pm25_24h: 74.4 }, R['hj633-2012-raw24h']).aqi).toBe(100); // 99.25 -> 100
    expect(hourlyAqi({ pm25_24h: 74.4 }, R['hj633-2012']).aqi).toBe(99); // 74 -> 98.75 -> 99
    expect(hourlyAqi({ pm25_24h: 80.2 }, R['hj633-2012-raw24h']).aqi).toBe(107); // 106.5 -> 107
    expect(hourlyAqi({ pm25_24h: 80.9 }, R['hj633-2012-raw24h']).aqi).toBe(108); // 107.375 -> 108
    expect(hourlyAqi({ pm25_24h: 80.9 }, R['hj633-2012']).aqi).toBe(108); // 81 -> 107.5 -> 108
  });
});
