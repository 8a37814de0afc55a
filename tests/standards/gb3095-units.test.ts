import { describe, it, expect } from 'vitest';
import { limitFor, limitSetFor, exceedsStandard, molarVolume, ppbToUgm3, ugm3ToPpb } from '#common/standards/index.ts';

describe('GB 3095 limits by date', () => {
  it.each([
    ['2026-02-28', 'gb3095-2012'], ['2026-03-01', 'gb3095-2026-transition'],
    ['2030-12-31', 'gb3095-2026-transition'], ['2031-01-01', 'gb3095-2026-final'],
  ])('%s -> %s', (d, set) => expect(limitSetFor(d)).toBe(set));
  it.each([
    // [pollutant, averaging, grade, 2012, 2026 transition, 2026 final]  REFERENCE 2.1 = GB 3095 Table 1
    ['pm25', '24h', 2, 75, 60, 50], ['pm25', 'annual', 2, 35, 30, 25], ['pm25', '24h', 1, 35, 35, 25],
    ['pm10', '24h', 2, 150, 120, 100], ['pm10', 'annual', 2, 70, 60, 50], ['pm10', 'annual', 1, 40, 40, 20],
    ['so2', '24h', 2, 150, 150, 50], ['so2', '1h', 2, 500, 500, 150], ['so2', 'annual', 2, 60, 60, 20],
    ['no2', '24h', 2, 80, 80, 50], ['no2', 'annual', 2, 40, 40, 30], ['no2', '1h', 2, 200, 200, 200],
    ['co', '24h', 2, 4, 4, 4], ['co', '1h', 2, 10, 10, 10],
    ['o3', '8h', 2, 160, 160, 160], ['o3', '8h', 1, 100, 100, 100], ['o3', '1h', 2, 200, 200, 200],
  ] as const)('GB 3095 Table 1: %s %s grade %s: %s / %s / %s', (p, avg, g, a, b, c) => {
    expect([limitFor(p, avg, '2020-01-01', g), limitFor(p, avg, '2027-01-01', g), limitFor(p, avg, '2031-06-01', g)]).toEqual([a, b, c]);
  });
  it('no annual CO or O3 limit', () => {
    expect(limitFor('co', 'annual', '2020-01-01')).toBeNull();
    expect(limitFor('o3', 'annual', '2020-01-01')).toBeNull();
  });
  it('"exceeds the standard" follows the date: PM2.5 daily 70', () => {
    expect(exceedsStandard('pm25', '24h', 70, '2025-12-01')).toBe(false);
    expect(exceedsStandard('pm25', '24h', 70, '2026-03-01')).toBe(true);
    expect(exceedsStandard('pm25', '24h', 55, '2030-12-31')).toBe(false);
    expect(exceedsStandard('pm25', '24h', 55, '2031-01-01')).toBe(true);
    expect(exceedsStandard('pm25', '24h', 75.4, '2025-12-01')).toBe(false); // rounds to 75, not above
    expect(exceedsStandard('pm25', '24h', null, '2025-12-01')).toBeNull();
  });
});

describe('gas units: Vm = R*T/P', () => {
  it('molar volume 24.465 L/mol at 298.15 K, 22.414 at 273.15 K (1013.25 hPa)', () => {
    expect(molarVolume(298.15, 1013.25)).toBeCloseTo(24.465, 3);
    expect(molarVolume(273.15, 1013.25)).toBeCloseTo(22.414, 3);
  });
  it('1 ppb NO2 = 1.880 ug/m3 at 298.15 K, 2.053 at 273.15 K; 1 ppm CO = 1.145 mg/m3', () => {
    expect(ppbToUgm3(1, 'no2')).toBeCloseTo(1.8804, 3);
    expect(ppbToUgm3(1, 'no2', 'stp-273K')).toBeCloseTo(2.0525, 3);
    expect(ppbToUgm3(1, 'co')).toBeCloseTo(1.1449, 3);
    expect(ppbToUgm3(1, 'o3')).toBeCloseTo(1.9619, 3);
    expect(ppbToUgm3(1, 'so2')).toBeCloseTo(2.6186, 3);
  });
  it('a custom reference state', () => {
    expect(ugm3ToPpb(ppbToUgm3(50, 'o3', { name: 'site', kelvin: 303.15, hPa: 1000 }), 'o3', { name: 'site', kelvin: 303.15, hPa: 1000 })).toBeCloseTo(50, 9);
  });
});
