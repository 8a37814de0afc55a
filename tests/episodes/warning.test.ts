/** Warning levels, rows of REF 3.1 (2018 four-level) and REF 3.2 (2024 three-level). */
import { describe, expect, it } from 'vitest';
import { recommendWarning, createEngine, type WarningDay } from '#common/episodes/index.ts';
import { daily, hours, points } from './series.ts';

function days(text: string, primary: WarningDay['primary'] = ['pm25']): WarningDay[] {
  return text.trim().split(/\s+/).map((t, k) => ({ day: `2024-01-${String(k + 1).padStart(2, '0')}`, aqi: t === '.' ? null : Number(t), primary }));
}

describe('recommendWarning', () => {
  it.each([
    // [daily AQI series, 2018 level, 2018 rule, 2024 level, 2024 rule]
    ['120 140 130', 'none', null, 'none', null],
    ['160 170 120', 'none', null, 'yellow', '2024-yellow-b'], // > 150 for 48 h
    ['210 120', 'blue', '2018-blue', 'yellow', '2024-yellow-a'], // one day > 200
    ['160 170 180 120', 'none', null, 'orange', '2024-orange-b'], // > 150 for 72 h
    ['210 220 120', 'yellow', '2018-yellow', 'orange', '2024-orange-a'], // > 200 for 48 h
    ['210 180 220 120', 'yellow', '2018-yellow', 'orange', '2024-orange-b'], // 2018 merge over a day > 150
    ['210 220 310 120', 'orange', '2018-orange', 'red', '2024-red'], // 3 days > 200, one > 300
    ['210 220 230 240 120', 'yellow', '2018-yellow', 'orange', '2024-orange-a'], // no day > 300
    ['210 310 320 230 120', 'red', '2018-red-a', 'red', '2024-red'], // 4 days > 200, 2 consecutive > 300
    ['210 310 220 320 120', 'orange', '2018-orange', 'red', '2024-red'], // > 300 not lasting 48 h
    ['500 120', 'red', '2018-red-b', 'yellow', '2024-yellow-a'], // AQI reaching 500
  ])('%s -> 2018 %s (%s), 2024 %s (%s)', (s, l18, r18, l24, r24) => {
    const a = recommendWarning(days(s), '2018');
    const b = recommendWarning(days(s), '2024');
    expect([a.level, a.rule?.id ?? null, b.level, b.rule?.id ?? null]).toEqual([l18, r18, l24, r24]);
    if (a.rule) expect(a.rule.zh).toMatch(/AQI/);
  });

  it('names the driving pollutant and the 2024 differentiated response', () => {
    const r = recommendWarning(days('210 220', ['pm10']), '2024');
    expect(r.driving).toBe('dust');
    expect(r.response?.en).toMatch(/health advisory only/);
    expect(recommendWarning(days('210 220', ['o3']), '2024').driving).toBe('o3');
  });

  it('engine.recommend: today = the rolling 24 h so far (or today\'s forecast, the larger), then the forecast days', () => {
    const e = createEngine();
    // 12-01 all day 100, 12-02 hours 01..23 at 160: the 24 h ending 12-02 23:00 = (100 + 23*160)/24
    // = 157.5 -> AQI 210 (HJ 633-2012 PM2.5 150 -> 200, 250 -> 300).
    e.ingest([...daily('bj', 'pm25', '2016-12-01', '100'), ...points('bj', 'pm25', hours('2016-12-02T01', Array(23).fill('160').join(' ')))]);
    const fc = [{ day: '2016-12-03', aqi: 320, primary: ['pm25' as const] }, { day: '2016-12-04', aqi: 330, primary: ['pm25' as const] }, { day: '2016-12-05', aqi: 250, primary: ['pm25' as const] }];
    const r = e.recommend('bj', fc, '2016-12-02');
    expect(r['2018']).toMatchObject({ level: 'red', from: '2016-12-02', to: '2016-12-05', daysOver200: 4, daysOver300: 2, driving: 'pm25' });
    expect(r['2024'].level).toBe('red');
  });

  it('observed past days do not count (behaviour changed on purpose: the schemes are about the forecast)', () => {
    const e = createEngine();
    // 12-01 and 12-02 heavy (PM2.5 260 -> AQI 310), 12-03 clean so far: nothing ahead, nothing now.
    e.ingest([...daily('bj', 'pm25', '2016-12-01', '260 260'), ...points('bj', 'pm25', hours('2016-12-03T01', Array(20).fill('20').join(' ')))]);
    const r = e.recommend('bj', [], '2016-12-03');
    expect([r['2018'].level, r['2024'].level]).toEqual(['none', 'none']);
  });
});
