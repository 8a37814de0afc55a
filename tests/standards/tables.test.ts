/**
 * HJ 633 Table 1 row by row, both editions, typed here again from REFERENCE.md 1.1 (not imported
 * from the module under test), plus the worked vectors of REFERENCE.md 1.6, rounding edges and
 * the > 800 special cases.
 */
import { describe, it, expect } from 'vitest';
import {
  BREAKPOINTS, iaqi, iaqiExact, columnIaqi, roundTo, roundConcentration, ceilIndex, hourlyAqi, dailyAqi,
  HOURLY_RULES, DAILY_RULES, levelOf, levelInfo, LEVELS, type Column, type Edition,
} from '#common/standards/index.ts';

const STEPS = [0, 50, 100, 150, 200, 300, 400, 500];
// REFERENCE.md 1.1 = HJ 633-2012 Table 1 / HJ 633-2026 Table 1 (null = cell left empty by the standard)
const TABLE: Record<Edition, Record<Column, (number | null)[]>> = {
  '2012': {
    so2_24h: [0, 50, 150, 475, 800, 1600, 2100, 2620],
    so2_1h: [0, 150, 500, 650, 800, null, null, null],
    no2_24h: [0, 40, 80, 180, 280, 565, 750, 940],
    no2_1h: [0, 100, 200, 700, 1200, 2340, 3090, 3840],
    co_24h: [0, 2, 4, 14, 24, 36, 48, 60],
    co_1h: [0, 5, 10, 35, 60, 90, 120, 150],
    o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
    o3_8h: [0, 100, 160, 215, 265, 800, null, null],
    pm10_24h: [0, 50, 150, 250, 350, 420, 500, 600],
    pm25_24h: [0, 35, 75, 115, 150, 250, 350, 500],
  },
  '2026': {
    so2_24h: [0, 50, 150, 475, 800, 1600, 2100, 2620],
    so2_1h: [0, 150, 500, 650, 800, null, null, null],
    no2_24h: [0, 40, 80, 180, 280, 565, 750, 940],
    no2_1h: [0, 100, 200, 700, 1200, 2340, 3090, 3840],
    co_24h: [0, 2, 4, 14, 24, 36, 48, 60],
    co_1h: [0, 5, 10, 35, 60, 90, 120, 150],
    o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
    o3_8h: [0, 100, 160, 215, 265, 800, null, null],
    pm10_24h: [0, 50, 120, 250, 350, 420, 500, 600],
    pm25_24h: [0, 35, 60, 115, 150, 250, 350, 500],
  },
};

const rows: [string, Edition, Column, number, number][] = [];
for (const ed of ['2012', '2026'] as Edition[]) {
  for (const [col, cs] of Object.entries(TABLE[ed]) as [Column, (number | null)[]][]) {
    cs.forEach((c, k) => {
      if (c !== null) rows.push([`HJ 633-${ed} Table 1, ${col}, IAQI ${STEPS[k]} row`, ed, col, c, STEPS[k]]);
    });
  }
}

describe('HJ 633 Table 1: every breakpoint row gives its IAQI', () => {
  it.each(rows)('%s', (_src, ed, col, c, i) => {
    expect(iaqi(c, BREAKPOINTS[ed][col])).toBe(i);
  });
  it('the tables have every row (2 editions x 10 columns, 75 non-empty cells each)', () => {
    expect(rows.length).toBe(150);
  });
});

// Mid-segment values: (IAQI_Hi - IAQI_Lo)/(BP_Hi - BP_Lo)*(C - BP_Lo) + IAQI_Lo, hand-derived, then ceil.
describe('HJ 633 formula (1) between rows, rounded up', () => {
  it.each([
    ['HJ 633-2012 Table 1 PM2.5 75..115: 80 -> 106.25', '2012', 'pm25_24h', 80, 107],
    ['HJ 633-2026 Table 1 PM2.5 60..115: 80 -> 118.18', '2026', 'pm25_24h', 80, 119],
    ['HJ 633-2012 Table 1 PM10 150..250: 151 -> 100.5', '2012', 'pm10_24h', 151, 101],
    ['HJ 633-2026 Table 1 PM10 120..250: 121 -> 100.38', '2026', 'pm10_24h', 121, 101],
    ['HJ 633-2012 Table 1 SO2 24h 475..800: 476 -> 150.15', '2012', 'so2_24h', 476, 151],
    ['HJ 633-2012 Table 1 CO 1h 10..35: 10.1 -> 100.2', '2012', 'co_1h', 10.1, 101],
    ['HJ 633-2012 Table 1 NO2 24h 565..750: 566 -> 300.54', '2012', 'no2_24h', 566, 301],
    ['HJ 633-2012 Table 1 O3 1h 0..160: 1 -> 0.3125', '2012', 'o3_1h', 1, 1],
  ] as const)('%s', (_s, ed, col, c, want) => {
    expect(iaqi(c, BREAKPOINTS[ed][col])).toBe(want);
  });
  it('above the top row of a full column the IAQI is 500 (CNEMC publishes 500: PM2.5 564 -> 500)', () => {
    expect(iaqi(564, BREAKPOINTS['2012'].pm25_24h)).toBe(500);
    expect(iaqi(3841, BREAKPOINTS['2026'].no2_1h)).toBe(500);
  });
  it('columns the standard cuts short have no IAQI above 800 (special cases decide)', () => {
    expect(iaqiExact(801, BREAKPOINTS['2012'].so2_1h)).toBeNull();
    expect(iaqiExact(801, BREAKPOINTS['2026'].o3_8h)).toBeNull();
  });
  it('missing and negative concentrations have no IAQI (never 0)', () => {
    expect(iaqi(null, BREAKPOINTS['2012'].pm25_24h)).toBeNull();
    expect(iaqi(-1, BREAKPOINTS['2012'].pm25_24h)).toBeNull();
    expect(iaqi(NaN, BREAKPOINTS['2012'].pm25_24h)).toBeNull();
  });
});

// REFERENCE.md 1.6 worked vectors (independent implementation cross-checked with caiyunapp/aqi-hub).
describe('REFERENCE.md 1.6 worked vectors', () => {
  it.each([
    ['PM2.5 24h', 'pm25_24h', 35, 50, 50],
    ['PM2.5 24h', 'pm25_24h', 36, 52, 52],
    ['PM2.5 24h', 'pm25_24h', 60, 82, 100],
    ['PM2.5 24h', 'pm25_24h', 75, 100, 114],
    ['PM2.5 24h', 'pm25_24h', 80, 107, 119],
    ['PM2.5 24h', 'pm25_24h', 151, 201, 201],
    ['PM10 24h', 'pm10_24h', 120, 85, 100],
    ['PM10 24h', 'pm10_24h', 150, 100, 112],
    ['O3 8h', 'o3_8h', 161, 101, 101],
    ['O3 8h', 'o3_8h', 200, 137, 137],
    ['O3 8h', 'o3_8h', 215, 150, 150],
    ['O3 1h', 'o3_1h', 250, 125, 125],
    ['CO 24h (mg/m3)', 'co_24h', 1.2, 30, 30],
    ['CO 1h (mg/m3)', 'co_1h', 12.3, 105, 105],
    ['NO2 1h', 'no2_1h', 250, 105, 105],
    ['NO2 24h', 'no2_24h', 85, 103, 103],
    ['SO2 24h (aqi-hub bug row)', 'so2_24h', 100, 75, 75],
  ] as const)('%s %s = %s -> 2012 %s, 2026 %s', (_n, col, c, i12, i26) => {
    expect(columnIaqi('2012', col, c)).toBe(i12);
    expect(columnIaqi('2026', col, c)).toBe(i26);
  });
  it('SO2 1h 900: 2012 uses the SO2 24-h IAQI, 2026 gives 200', () => {
    const r12 = hourlyAqi({ so2_1h: 900, so2_24h: 100, pm25_24h: 10 }, HOURLY_RULES['hj633-2012']);
    expect(r12.iaqi.so2_1h).toBe(75); // SO2 24h 100 -> 75 (HJ 633-2012 Table 1 note 2)
    const r26 = hourlyAqi({ so2_1h: 900, pm25_1h: 10 }, HOURLY_RULES['hj633-2026']);
    expect(r26.iaqi.so2_1h).toBe(200); // HJ 633-2026 Table 1 note
    expect(r26.aqi).toBe(200);
  });
  it('O3 8h 850: 2012 drops the 8-h IAQI and uses the 1-h one, 2026 gives 300', () => {
    const d12 = dailyAqi({ o3_mda8: 850, o3_max1h: 900 }, DAILY_RULES['hj633-2012']);
    expect(d12.iaqi.o3_mda8).toBeNull();
    expect(d12.iaqi.o3_max1h).toBe(350); // O3 1h 800..1000 -> 300..400: 900 -> 350
    expect(d12.aqi).toBe(350);
    const d26 = dailyAqi({ o3_mda8: 850 }, DAILY_RULES['hj633-2026']);
    expect(d26.aqi).toBe(300);
    const h12 = hourlyAqi({ o3_8h: 850, o3_1h: 420 }, HOURLY_RULES['hj633-2012']);
    expect(h12.iaqi.o3_8h).toBeNull();
    expect(h12.aqi).toBe(205); // O3 1h 400..800 -> 200..300: 420 -> 205
  });
  it('exactly 800 is still on the table (the special cases are "above 800")', () => {
    expect(hourlyAqi({ so2_1h: 800 }, HOURLY_RULES['hj633-2026']).aqi).toBe(200);
    expect(dailyAqi({ o3_mda8: 800 }, DAILY_RULES['hj633-2026']).aqi).toBe(300);
  });
  it('CNEMC 1-h practice: SO2 1-h above 800 gets no IAQI (national file 2017-01-01, stations 1734A/1737A)', () => {
    // 1737A hour 00: SO2 801, CO 7.0 -> published AQI 70 = CO's IAQI.
    const r = hourlyAqi({ so2_1h: 801, no2_1h: 83, co_1h: 7, o3_1h: 6, so2_24h: 785 }, HOURLY_RULES['hj633-2012-cnemc1h']);
    expect(r.aqi).toBe(70);
    expect(r.primary).toEqual(['co']);
  });
});

describe('rounding: GB/T 8170 concentrations, IAQI up', () => {
  it.each([
    ['half-even', 2.5, 0, 2], ['half-even', 3.5, 0, 4], ['half-even', 74.5, 0, 74], ['half-even', 75.5, 0, 76],
    ['half-even', 1.25, 1, 1.2], ['half-even', 1.35, 1, 1.4], ['half-even', 1.251, 1, 1.3], ['half-even', 2.4999, 0, 2],
    ['half-up', 2.5, 0, 3], ['half-up', 74.5, 0, 75], ['half-up', 1.25, 1, 1.3], ['half-up', 1.35, 1, 1.4],
    ['none', 74.5, 0, 74.5],
  ] as const)('%s: %s to %s decimals -> %s', (mode, x, d, want) => {
    expect(roundTo(x, d, mode)).toBe(want);
  });
  it('concentration is rounded before indexing (2012 PM2.5 column, 75..115 -> 100..150)', () => {
    expect(columnIaqi('2012', 'pm25_24h', 75.5)).toBe(102); // 76 -> 101.25 -> 102
    expect(columnIaqi('2012', 'pm25_24h', 75.4)).toBe(100); // 75 -> 100
    expect(columnIaqi('2012', 'pm25_24h', 74.5)).toBe(99); // half-even 74 -> 98.75 -> 99
    expect(columnIaqi('2012', 'pm25_24h', 74.5, 'half-up')).toBe(100); // 75 -> 100
    expect(columnIaqi('2012', 'pm25_24h', 74.5, 'none')).toBe(100); // 99.375 -> 100
  });
  it('CO rounds to 0.1 mg/m3 (HJ 633-2026 4.2.2): 2.05 -> 2.0 (half-even) -> IAQI 50', () => {
    expect(roundConcentration('co', 2.05)).toBe(2);
    expect(roundConcentration('co', 2.05, 'half-up')).toBe(2.1);
    expect(columnIaqi('2012', 'co_24h', 2.05)).toBe(50);
  });
  it('an exact integer IAQI is not pushed up by floating error', () => {
    expect(ceilIndex(100.00000000000001)).toBe(100);
    expect(ceilIndex(100.0001)).toBe(101);
    expect(iaqi(75, BREAKPOINTS['2012'].pm25_24h)).toBe(100);
    expect(iaqi(115, BREAKPOINTS['2026'].pm25_24h)).toBe(150);
  });
});

describe('levels (HJ 633 Table 2, colours Appendix A)', () => {
  it.each([
    [0, 1], [50, 1], [51, 2], [100, 2], [101, 3], [150, 3], [151, 4], [200, 4], [201, 5], [300, 5], [301, 6], [500, 6],
  ])('AQI %s -> level %s', (a, l) => expect(levelOf(a)).toBe(l));
  it.each([
    [1, '优', 'Excellent', '#00E400', [0, 228, 0]],
    [2, '良', 'Good', '#FFFF00', [255, 255, 0]],
    [3, '轻度污染', 'Lightly polluted', '#FF7E00', [255, 126, 0]],
    [4, '中度污染', 'Moderately polluted', '#FF0000', [255, 0, 0]],
    [5, '重度污染', 'Heavily polluted', '#99004C', [153, 0, 76]],
    [6, '严重污染', 'Severely polluted', '#7E0023', [126, 0, 35]],
  ] as const)('level %s: %s / %s / %s', (l, zh, en, hex, rgb) => {
    const info = LEVELS[l - 1];
    expect([info.level, info.zh, info.en, info.hex, info.rgb]).toEqual([l, zh, en, hex, rgb]);
  });
  it('a missing AQI has no level', () => {
    expect(levelOf(null)).toBeNull();
    expect(levelInfo(null)).toBeNull();
    expect(levelInfo(107)?.zh).toBe('轻度污染');
  });
});
