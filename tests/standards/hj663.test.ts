import { describe, it, expect } from 'vitest';
import {
  dailyMean, windowMean, o3Moving8h, moving24h, mda8, dailyMax1h, percentile, dayCounts, annualValid, hourlyValid,
  dayHourEnds, dailyAqiOfDay, periodStatistics, rolling24hAqi, hourlyAqiAt, cityMean, cityHourlySeries, HOURLY_RULES, type HourPoint,
} from '#common/standards/index.ts';
import { beijingToUtc, HOUR_MS } from '#common/time.ts';

/** Compact series: hours('2017-06-15', 1, '10 20 . 30') = values for the hours labelled 01, 02, 03, 04
 *  of that day ('.' = missing), keyed by hour end. */
function hours(day: string, firstLabel: number, spec: string): HourPoint[] {
  const [y, m, d] = day.split('-').map(Number);
  return spec.trim().split(/\s+/).map((v, k) => ({ time: beijingToUtc(y, m, d, firstLabel + k), value: v === '.' ? null : Number(v) }));
}
const flat = (day: string, v: number) => hours(day, 1, Array(24).fill(String(v)).join(' '));

describe('time convention: a day is the hours labelled 01..24', () => {
  it('day hour ends run from 01:00 to 24:00 Beijing', () => {
    const e = dayHourEnds('2017-06-15');
    expect(e[0]).toBe(beijingToUtc(2017, 6, 15, 1));
    expect(e[23]).toBe(beijingToUtc(2017, 6, 16, 0));
  });
  it('the hour labelled 00 belongs to the previous day', () => {
    const s = [...flat('2017-06-15', 10), { time: beijingToUtc(2017, 6, 15, 0), value: 1000 }];
    expect(dailyMean(s, '2017-06-15').value).toBe(10);
  });
});

describe('validity minimums (GB 3095 Table 4)', () => {
  it('1-h mean needs 45 minutes', () => {
    expect(hourlyValid(45)).toBe(true);
    expect(hourlyValid(44)).toBe(false);
  });
  it('daily mean: 20 hours valid, 19 not', () => {
    const s20 = hours('2017-01-03', 1, '10 20 30 40 . . . . ' + Array(16).fill('50').join(' '));
    expect(dailyMean(s20, '2017-01-03')).toEqual({ value: 45, raw: 45, n: 20 }); // (100 + 800)/20
    const s19 = s20.map((p, k) => (k === 0 ? { ...p, value: null } : p));
    const st = dailyMean(s19, '2017-01-03');
    expect(st.value).toBeNull();
    expect(st.n).toBe(19);
    expect(st.raw).toBeCloseTo(890 / 19, 10);
  });
  it('O3 8-h: 6 of 8 valid, 5 not', () => {
    const s = hours('2017-06-15', 1, '80 . . 100 100 100 100 100');
    const t = beijingToUtc(2017, 6, 15, 8);
    expect(o3Moving8h(s, t).value).toBeCloseTo(580 / 6, 10);
    expect(o3Moving8h(s.slice(1), t).value).toBeNull();
  });
  it('24-h moving mean ends at the hour, lag shifts it earlier', () => {
    const s = [...flat('2017-01-03', 10), ...hours('2017-01-04', 1, '250')];
    const t = beijingToUtc(2017, 1, 4, 1);
    expect(moving24h(s, t).value).toBeCloseTo((23 * 10 + 250) / 24, 10);
    expect(moving24h(s, t, 20, 1).value).toBe(10);
    expect(windowMean(s, t, 24, 24).n).toBe(24);
  });
});

describe('MDA8 (HJ 663): 17 windows ending 08..24, each >= 6 hours, >= 14 windows', () => {
  it('max of the in-day windows', () => {
    // 100 all day except labels 14..21 at 200: the window ending 21 is all 200
    const s = hours('2017-06-15', 1, '100 100 100 100 100 100 100 100 100 100 100 100 100 200 200 200 200 200 200 200 200 100 100 100');
    expect(mda8(s, '2017-06-15')).toEqual({ value: 200, raw: 200, n: 17 });
  });
  it('ignores windows reaching into the previous day (window ending 07 is not one of the 17)', () => {
    const prev = hours('2017-06-14', 18, '900 900 900 900 900 900 900'); // labels 18..24 of the day before
    const s = [...prev, ...flat('2017-06-15', 50)];
    expect(mda8(s, '2017-06-15').value).toBe(50);
  });
  it('13 valid windows: invalid by default; the "valid if above" option keeps an exceeding value', () => {
    // labels 01..12 missing: windows ending 08..17 have < 6 hours except those ending 14..17
    // (ending 14 covers 07..14: 13,14 present = 2 hours) -> valid windows end at labels 18..24 (7) -> invalid
    const s = hours('2017-06-15', 13, '170 180 190 200 210 220 230 240 250 240 230 220');
    const r = mda8(s, '2017-06-15');
    expect(r.value).toBeNull();
    expect(r.n).toBe(7); // windows ending 18 (13..18 = 6 h) .. 24
    // windows: end 18 = 1170/6 = 195, 19 = 200, 20 = 205, 21 = 215, 22 = 222.5, 23 = 227.5, 24 = 1840/8 = 230
    expect(r.raw).toBe(230);
    expect(mda8(s, '2017-06-15', { validIfAbove: 160 }).value).toBe(230);
    expect(mda8(s, '2017-06-15', { validIfAbove: 240 }).value).toBeNull();
    expect(mda8(s, '2017-06-15', { minWindows: 7 }).value).toBe(230);
  });
});

describe('daily max 1-h', () => {
  it('max of the day, with the 20-hour minimum by default', () => {
    const s = flat('2017-06-15', 100).map((p, k) => (k === 15 ? { ...p, value: 260 } : p));
    expect(dailyMax1h(s, '2017-06-15').value).toBe(260);
    expect(dailyMax1h(s.slice(0, 19), '2017-06-15').value).toBeNull();
  });
});

describe('percentiles (HJ 663 Appendix A: k = 1 + (n-1)p/100, = PERCENTILE.INC)', () => {
  it.each([
    ['REFERENCE 2.4 example', [3, 4, 8, 2, 5, 4], 90, 6.5],
    ['p = 50 of 1..5', [5, 1, 4, 2, 3], 50, 3],
    ['p = 95 of 1..21 -> k = 20 -> 20', Array.from({ length: 21 }, (_, k) => k + 1), 95, 20],
    ['p = 100 is the max', [1, 9, 3], 100, 9],
    ['p = 0 is the min', [4, 9, 3], 0, 3],
    ['nulls ignored', [null, 2, null, 4], 50, 3],
  ] as const)('%s', (_n, xs, p, want) => expect(percentile(xs as (number | null)[], p)).toBeCloseTo(want, 10));
  it('empty -> null', () => expect(percentile([], 90)).toBeNull());
});

describe('period statistics (HJ 663: O3 90th of MDA8, CO and PM 95th of daily means)', () => {
  it('mean and the pollutant\'s percentile', () => {
    const days = Array.from({ length: 21 }, (_, k) => k + 1); // 1..21
    const st = periodStatistics({ o3: days, co: days, pm25: [...days, null] });
    expect(st.o3).toEqual({ n: 21, mean: 11, percentile: 19, p: 90 }); // k = 1 + 20*0.9 = 19
    expect(st.co).toEqual({ n: 21, mean: 11, percentile: 20, p: 95 }); // k = 20
    expect(st.pm25?.n).toBe(21);
  });
});

describe('day counts (REFERENCE 2.5)', () => {
  it('good <= 100, exceedance > 100, heavy > 200, severe > 300', () => {
    expect(dayCounts([50, 100, 101, 200, 201, 300, 301, null])).toEqual({
      validDays: 7, goodDays: 2, goodRatio: (100 * 2) / 7, exceedanceDays: 5, heavyDays: 3, severeDays: 1,
    });
    expect(dayCounts([null]).goodRatio).toBeNull();
  });
});

describe('annual validity (GB 3095 Table 4): >= 324 days, >= 27 per month, >= 25 in February', () => {
  const year = (drop: (d: string) => boolean) => {
    const out: string[] = [];
    for (let t = Date.UTC(2019, 0, 1); t < Date.UTC(2020, 0, 1); t += 86_400_000) {
      const d = new Date(t).toISOString().slice(0, 10);
      if (!drop(d)) out.push(d);
    }
    return out;
  };
  it('a full year is valid', () => expect(annualValid(year(() => false))).toBe(true));
  it('February with 25 days is enough, 24 is not', () => {
    expect(annualValid(year((d) => d >= '2019-02-26' && d <= '2019-02-28'))).toBe(true);
    expect(annualValid(year((d) => d >= '2019-02-25' && d <= '2019-02-28'))).toBe(false);
  });
  it('a month with 26 days fails even with >= 324 days', () => {
    expect(annualValid(year((d) => d >= '2019-03-27'  && d <= '2019-03-31'))).toBe(false);
  });
  it('323 days fail', () => {
    const y = year(() => false);
    // drop 42 days spread over months, 3-4 per month, keeping every month >= 27
    const drop = new Set(y.filter((d) => Number(d.slice(8)) <= 3 || (Number(d.slice(8)) === 4 && Number(d.slice(5, 7)) <= 6)));
    const kept = y.filter((d) => !drop.has(d));
    expect(kept.length).toBe(323);
    expect(annualValid(kept)).toBe(false);
  });
});

describe('AQI from series', () => {
  it('daily AQI of a day of PM2.5 = 80 is 107 (2012) / 119 (2026 rules, forced)', () => {
    const s = { pm25: flat('2016-12-20', 80) };
    const r = dailyAqiOfDay(s, '2016-12-20');
    expect(r.aqi).toBe(107);
    expect(r.primary).toEqual(['pm25']);
    expect(r.stats.stats.pm25_24h?.n).toBe(24);
  });
  it('hourly AQI at t computes the 2012 moving means from the series', () => {
    const t = beijingToUtc(2016, 12, 21, 0);
    const s = { pm25: flat('2016-12-20', 80), o3: hours('2016-12-20', 17, '10 10 10 10 10 10 10 10') };
    const r = hourlyAqiAt(s, t, HOURLY_RULES['hj633-2012']);
    expect(r.iaqi.pm25_24h).toBe(107);
    expect(r.iaqi.o3_8h).toBe(5); // 8-h O3 10 -> 5
    expect(hourlyAqiAt(s, t).rule).toBe('hj633-2012'); // by date
  });
  it('rolling 24-h AQI at the end of a day equals that day\'s daily AQI', () => {
    const s = { pm25: flat('2016-12-20', 80), o3: flat('2016-12-20', 120) };
    const t = beijingToUtc(2016, 12, 21, 0);
    expect(rolling24hAqi(s, t).aqi).toBe(dailyAqiOfDay(s, '2016-12-20').aqi);
    expect(rolling24hAqi(s, t).iaqi.o3_mda8).toBe(dailyAqiOfDay(s, '2016-12-20').iaqi.o3_mda8);
    // 5 hours earlier the window holds 19 hours: no PM2.5 24-h mean (< 20), no O3 max 1-h (< 20),
    // but 14 valid 8-h windows (ending labels 06..19): O3 8-h 120 -> 50 + 20*50/60 = 66.7 -> 67
    const early = rolling24hAqi(s, t - 5 * HOUR_MS);
    expect(early.iaqi.pm25_24h).toBeNull();
    expect(early.iaqi.o3_max1h).toBeNull();
    expect(early.aqi).toBe(67);
    expect(rolling24hAqi(s, t - 6 * HOUR_MS).aqi).toBeNull(); // 13 windows
  });
});

describe('city values: mean of the stations', () => {
  it('mean of present stations, minimum count', () => {
    expect(cityMean([10, null, 20])).toBe(15);
    expect(cityMean([10, null, 20], 3)).toBeNull();
    expect(cityMean([])).toBeNull();
  });
  it('city hourly series', () => {
    const a = hours('2017-01-03', 1, '10 20');
    const b = hours('2017-01-03', 1, '30 .');
    expect(cityHourlySeries([a, b]).map((p) => p.value)).toEqual([20, 20]);
    expect(cityHourlySeries([a, b], 2).map((p) => p.value)).toEqual([20, null]);
  });
});

