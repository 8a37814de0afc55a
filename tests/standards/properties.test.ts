import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  BREAKPOINTS, iaqi, columnIaqi, hourlyAqi, HOURLY_RULES, RULE_NAMES, dailyStatistics, dailyAqiOfDay,
  ppbToUgm3, ugm3ToPpb, MOLAR_MASS, type Column, type Edition, type Gas,
} from '#common/standards/index.ts';
import { POLLUTANTS } from '#common/pollutants.ts';
import { beijingToUtc, HOUR_MS } from '#common/time.ts';

const COLUMNS = Object.keys(BREAKPOINTS['2012']) as Column[];
const conc = fc.double({ min: 0, max: 4000, noNaN: true });

describe('properties', () => {
  it('IAQI never decreases as concentration rises (every column, both editions, with rounding)', () => {
    fc.assert(
      fc.property(fc.constantFrom<Edition>('2012', '2026'), fc.constantFrom(...COLUMNS), conc, conc, (ed, col, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = columnIaqi(ed, col, lo);
        const y = columnIaqi(ed, col, hi);
        if (x === null || y === null) return y === null; // only the cut-short columns stop, and then stay stopped
        return x <= y;
      }),
      { numRuns: 3000 },
    );
  });
  it('IAQI is an integer in 0..500', () => {
    fc.assert(fc.property(fc.constantFrom<Edition>('2012', '2026'), fc.constantFrom(...COLUMNS), conc, (ed, col, c) => {
      const v = iaqi(c, BREAKPOINTS[ed][col]);
      return v === null || (Number.isInteger(v) && v >= 0 && v <= 500);
    }), { numRuns: 2000 });
  });
  it('AQI = max of the IAQIs; primary pollutants are exactly those reaching it when > 50', () => {
    const v = fc.option(fc.double({ min: 0, max: 900, noNaN: true }), { nil: null });
    fc.assert(
      fc.property(fc.constantFrom(...RULE_NAMES), fc.record({
        so2_1h: v, no2_1h: v, co_1h: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }), o3_1h: v,
        pm25_1h: v, pm10_1h: v, o3_8h: v, pm25_24h: v, pm10_24h: v, so2_24h: v,
      }), (name, inp) => {
        const r = hourlyAqi(inp, HOURLY_RULES[name]);
        const vals = Object.values(r.iaqi).filter((x): x is number => x !== null);
        expect(r.aqi).toBe(vals.length ? Math.max(...vals) : null);
        const expectedPrimary = r.aqi !== null && r.aqi > 50 ? POLLUTANTS.filter((p) => r.pollutantIaqi[p] === r.aqi) : [];
        expect(r.primary).toEqual(expectedPrimary);
      }),
      { numRuns: 1500 },
    );
  });
  it('daily statistics do not depend on the order of the input rows', () => {
    const day = '2017-06-15';
    const start = beijingToUtc(2017, 6, 15, 1) - 6 * HOUR_MS; // a few hours of the day before too
    const hourVals = fc.array(fc.option(fc.integer({ min: 0, max: 400 }), { nil: null, freq: 5 }), { minLength: 30, maxLength: 30 });
    fc.assert(
      fc.property(hourVals, hourVals, fc.integer(), (o3, pm, seed) => {
        const mk = (vs: (number | null)[]) => vs.map((value, k) => ({ time: start + k * HOUR_MS, value }));
        const s1 = { o3: mk(o3), pm25: mk(pm) };
        const shuffle = <T,>(a: T[]) => {
          const b = [...a];
          let x = seed >>> 0;
          for (let i = b.length - 1; i > 0; i--) {
            x = (x * 1664525 + 1013904223) >>> 0;
            const j = x % (i + 1);
            [b[i], b[j]] = [b[j], b[i]];
          }
          return b;
        };
        const s2 = { o3: shuffle(s1.o3), pm25: shuffle(s1.pm25) };
        expect(dailyStatistics(s2, day)).toEqual(dailyStatistics(s1, day));
        expect(dailyAqiOfDay(s2, day).aqi).toBe(dailyAqiOfDay(s1, day).aqi);
      }),
      { numRuns: 300 },
    );
  });
  it('ppb -> ug/m3 -> ppb round-trips (both reference states)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(MOLAR_MASS) as Gas[])), fc.constantFrom('gb3095-298K', 'stp-273K' as const),
        fc.double({ min: 0, max: 1e5, noNaN: true }), (gas, ref, ppb) => {
          const back = ugm3ToPpb(ppbToUgm3(ppb, gas, ref), gas, ref);
          return Math.abs(back - ppb) <= 1e-9 * Math.max(1, ppb);
        }),
      { numRuns: 2000 },
    );
  });
});
