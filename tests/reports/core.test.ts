/**
 * The pure report core on hand-made day records: periods and their garbage, HJ 663 / GB 3095
 * Table 4 completeness (27 days a month, 25 in February, 324 a year), exceedances judged against
 * the limit set in force on each day, provisional days kept out of the statistics, the evaluation
 * statistic of each pollutant, and the episode report of a running episode.
 */
import { describe, it, expect } from 'vitest';
import {
  completeness, parsePeriod, periodDays, periodFigures, previousYear, yearOnYear, cityEngine, episodeReportOf, periodReport, type Period,
} from '../../common/reports/index.ts';
import type { DayRecord } from '../../common/episodes/city.ts';
import type { HourlyPoint } from '../../common/episodes/types.ts';
import { beijingToUtc, HOUR_MS } from '../../common/time.ts';

const P = (kind: 'month' | 'quarter' | 'year', s: string): Period => {
  const r = parsePeriod(kind, s);
  if (!r.ok) throw new Error(r.error);
  return r.period;
};

const rec = (day: string, x: Partial<DayRecord> = {}): DayRecord => ({
  day, provisional: false, hours: 24, aqi: 80, primary: ['pm25'], pm25: 50, pm10: 70, so2: 10, no2: 30, co: 0.8, o3max1h: 90, mda8: 70, ...x,
});

describe('periods', () => {
  it.each([
    ['month', '2015-02', '2015-02-01', '2015-02-28', 28],
    ['month', '2016-02', '2016-02-01', '2016-02-29', 29],
    ['quarter', '2015-Q1', '2015-01-01', '2015-03-31', 90],
    ['quarter', '2015-q4', '2015-10-01', '2015-12-31', 92],
    ['year', '2015', '2015-01-01', '2015-12-31', 365],
  ] as const)('%s %s = %s..%s (%i days)', (kind, s, from, to, n) => {
    const p = P(kind, s);
    expect([p.from, p.to, periodDays(p).length]).toEqual([from, to, n]);
  });

  it.each([
    ['month', '2015-13'], ['month', '2015-1'], ['month', '15-01'], ['month', ''], ['month', '2015-01-01'], ['month', '20150-01'],
    ['quarter', '2015-Q5'], ['quarter', '2015-Q0'], ['quarter', '2015Q1'], ['year', '15'], ['year', '1850'], ['year', 'abcd'],
  ] as const)('%s %j is refused, saying the form', (kind, s) => {
    const r = parsePeriod(kind, s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/must be/);
  });

  it('the same period a year earlier', () => {
    expect(previousYear(P('month', '2015-01')).key).toBe('2014-01');
    expect(previousYear(P('quarter', '2015-Q3')).key).toBe('2014-Q3');
    expect(previousYear(P('year', '2015')).key).toBe('2014');
  });
});

describe('completeness (GB 3095 Table 4 through common/standards VALIDITY)', () => {
  const days = (p: Period, skip: number) => periodDays(p).slice(skip);
  it('a month needs 27 valid days, February 25', () => {
    const jan = P('month', '2015-01');
    expect(completeness(jan, days(jan, 4), 31).valid).toBe(true); // 27
    expect(completeness(jan, days(jan, 5), 31)).toMatchObject({ valid: false, validDays: 26, required: 27, shortMonths: ['2015-01'] });
    const feb = P('month', '2015-02');
    expect(completeness(feb, days(feb, 3), 28).valid).toBe(true); // 25
    expect(completeness(feb, days(feb, 4), 28).valid).toBe(false);
  });
  it('a quarter needs every month, a year 324 days and every month', () => {
    const q = P('quarter', '2015-Q1');
    const all = periodDays(q);
    expect(completeness(q, all.filter((d) => !d.startsWith('2015-02') || d > '2015-02-04'), 90).valid).toBe(false);
    expect(completeness(q, all.filter((d) => !d.startsWith('2015-02') || d > '2015-02-03'), 90).valid).toBe(true);
    const y = P('year', '2015');
    const yd = periodDays(y);
    // 27 days in every month is 324 in all but not 27 in January when 5 January days are missing
    expect(completeness(y, yd.filter((d) => d > '2015-01-05'), 365).valid).toBe(false);
    expect(completeness(y, yd, 365)).toMatchObject({ valid: true, required: 324 });
  });
});

describe('period figures', () => {
  it('exceedances against the limits in force that day (GB 3095-2026 transition from 2026-03-01)', () => {
    // PM2.5 daily 70: under the 2012 limit 75 (February), over the 2026 transition limit 60 (March)
    const q = P('quarter', '2026-Q1');
    const recs = periodDays(q).map((d) => rec(d, { pm25: d === '2026-02-10' || d === '2026-03-10' ? 70 : 50 }));
    const f = periodFigures(q, recs);
    expect(f.pollutants.pm25.exceedanceDays).toBe(1);
  });

  it('the evaluation statistic: means for PM, SO2, NO2; CO 95th and O3 90th percentile (HJ 663 Appendix A)', () => {
    const m = P('month', '2015-06');
    // MDA8 = 100 + day (101..130), CO = day / 10
    const recs = periodDays(m).map((d, i) => rec(d, { mda8: 101 + i, co: (i + 1) / 10, pm25: i % 2 ? 40 : 60 }));
    const f = periodFigures(m, recs);
    expect(f.pollutants.pm25.value).toBe(50);
    // k = 1 + 29 * 0.9 = 27.1 -> 127 + 0.1 * 1
    expect(f.pollutants.o3.value).toBeCloseTo(127.1, 9);
    // k = 1 + 29 * 0.95 = 28.55 -> 2.8 + 0.55 * 0.1
    expect(f.pollutants.co.value).toBeCloseTo(2.855, 9);
    expect(f.pollutants.o3.kind).toBe('percentile');
    expect(f.pollutants.o3.index).toBeCloseTo(127.1 / 160, 9);
  });

  it('days with no record count as missing, a provisional day is listed but not counted', () => {
    const m = P('month', '2015-01');
    const recs = periodDays(m).slice(0, 20).map((d, i) => rec(d, { aqi: i < 5 ? 250 : 60, provisional: i === 19 }));
    const f = periodFigures(m, recs);
    expect(f.daily.length).toBe(31);
    expect(f.days).toMatchObject({ validDays: 19, provisionalDays: 1, missingDays: 11, heavyDays: 5, goodDays: 14 });
    expect(f.days.heavyRatio).toBeCloseTo((100 * 5) / 19, 9);
    expect(f.pollutants.pm25.completeness.valid).toBe(false);
  });

  it('year on year: relative for statistics, points for ratios', () => {
    const m = P('month', '2015-01');
    const cur = periodFigures(m, periodDays(m).map((d) => rec(d, { pm25: 80 })));
    const prev = periodFigures(previousYear(m), periodDays(previousYear(m)).map((d, i) => rec(d, { pm25: 100, aqi: i < 10 ? 150 : 80 })));
    const y = yearOnYear(cur, prev, '2014-01');
    expect(y.pollutants.pm25.pct).toBeCloseTo(-20, 9);
    expect(y.goodRatio.delta).toBeCloseTo(100 - (100 * 21) / 31, 9);
    expect(y.goodRatio.pct).toBeNull();
  });
});

describe('reports from station-hours', () => {
  // One station, PM2.5 60 for 20 days then a build-up to 260 still going at the last hour.
  const pts: HourlyPoint[] = [];
  for (let d = 0; d < 24; d++) for (let h = 1; h <= 24; h++) {
    const t = beijingToUtc(2017, 1, 1 + d, h);
    if (d === 23 && h > 12) continue; // data end at noon of the last day: the episode is running
    const pm25 = d < 20 ? 60 : 260;
    pts.push({ city: 'beijing', station: '1001A', time: t, values: { pm25, pm10: pm25 * 1.2, so2: 10, no2: 40, co: 1, o3: 40 } });
  }
  const ce = cityEngine(pts, 'beijing', 1);

  it('a month with no data is an error naming what the files cover', () => {
    const r = periodReport(ce, P('month', '2016-06'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r).toMatchObject({ code: 'report.no-data', message: expect.stringMatching(/2017-01-01\.\.2017-01-24/) });
  });

  it('the episode report of a running episode says so, with its peak hours and data hour', () => {
    const r = episodeReportOf(ce, { within: { from: '2017-01-01', to: '2017-01-31' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report.running).toBe(true);
    expect(r.report.dataUpTo).toBe('2017-01-24 12:00');
    expect(r.report.episode.kind).not.toBe('o3');
    expect(r.report.peakHours.length).toBe(6);
    expect(r.report.peakHours.every((h) => h.value === 260)).toBe(true);
    expect(r.report.timeline.at(-1)!.time).toBe(beijingToUtc(2017, 1, 24, 12));
    expect(r.report.timeline.every((h, i, a) => i === 0 || h.time - a[i - 1].time === HOUR_MS)).toBe(true);
  });

  it('an unknown episode id is an error listing the episodes', () => {
    const r = episodeReportOf(ce, { id: 'heavy:beijing:1999-01-01' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('report.no-episode');
  });
});
