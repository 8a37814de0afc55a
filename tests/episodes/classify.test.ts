/** Classifiers on hand-made signatures: each label's evidence is shown and ranks where the REF 4.2
 *  indicators say it should. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, classifyPm, classifyO3, fireworksDay } from '#common/episodes/index.ts';
import { drivingBySeverity, dayDrivers, rank, shownValue, topClass } from '#common/episodes/classify.ts';
import type { ClassLabel } from '#common/episodes/types.ts';
import { HOUR_MS } from '#common/time.ts';
import { at } from './series.ts';

const hoursOf = (start: string, n: number, f: (k: number) => Record<string, number>) =>
  Array.from({ length: n }, (_, k) => ({ time: at(start) + k * HOUR_MS, values: f(k) }));

describe('PM2.5 classifier', () => {
  it('a dust front (PM2.5/PM10 0.2, PM10 +600 in 3 h, wind 8 m/s, RH 20 %) ranks sand-dust first', () => {
    const h = hoursOf('2021-03-15T01', 24, (k) => {
      const pm10 = k < 6 ? 100 : 900;
      return { pm10, pm25: pm10 * 0.2, co: 0.5, ws: k < 6 ? 3 : 8, rh: 20, wd: 315 };
    });
    const r = classifyPm({ hours: h, days: ['2021-03-15'], concurrentCities: null }, DEFAULT_CONFIG.classify);
    expect(r[0].label).toBe('sand-dust');
    // daily PM10 700 -> PM10 the primary pollutant (dust driving): the 5th check passes too
    expect(r[0]).toMatchObject({ passed: 5, evaluated: 5, score: 1 });
    expect(r[0].indicators.find((i) => i.id === 'pm25_pm10')).toMatchObject({ value: 0.2, pass: true, rule: '< 0.35' });
  });

  it('missing meteorology makes indicators n/a (pass null), never failed', () => {
    const h = hoursOf('2021-03-15T01', 24, () => ({ pm25: 200, pm10: 250 }));
    const r = classifyPm({ hours: h, days: ['2021-03-15'], concurrentCities: null }, DEFAULT_CONFIG.classify);
    const stag = r.find((c) => c.label === 'stagnant accumulation')!;
    expect(stag.indicators.find((i) => i.id === 'ws_mean')!.pass).toBeNull();
    expect(stag.indicators.find((i) => i.id === 'rh_mean')!.pass).toBeNull();
  });
});

describe('O3 classifier', () => {
  it('a sharp afternoon peak with clean nights ranks local photochemical first', () => {
    // O3 by start hour: 40 at night, 250 at 14:00; hot, dry, calm.
    const h = hoursOf('2017-06-15T01', 48, (k) => {
      const sh = k % 24; // label 01 = start hour 0
      const o3 = sh >= 13 && sh <= 15 ? 250 : sh >= 9 && sh <= 18 ? 150 : 40;
      return { o3, temp: sh === 14 ? 34 : 25, rh: 40, ws: 1.5 };
    });
    const r = classifyO3({ hours: h, days: ['2017-06-15', '2017-06-16'], concurrentCities: 0 }, DEFAULT_CONFIG.classify);
    expect(r[0].label).toBe('local photochemical');
    expect(r[0].score).toBe(1);
    const tr = r.find((c) => c.label === 'regional transport')!;
    expect(tr.indicators.find((i) => i.id === 'night_o3')).toMatchObject({ value: 40, pass: false });
  });
});

const lab = (label: string, passed: number, evaluated: number, checks: number): ClassLabel => ({
  label, zh: '', score: evaluated ? passed / evaluated : null, passed, evaluated,
  indicators: Array.from({ length: checks }, (_, k) => ({ id: `i${k}`, label: '', value: null, rule: '', threshold: 0, unit: '', pass: k < evaluated ? k < passed : null, source: '' })),
});

describe('ranking by evidence that exists (issue 20)', () => {
  it('"fireworks 1/1" (3 of 4 checks n/a) ranks below "stagnant accumulation 2/4" of 5 checks', () => {
    const r = rank([lab('fireworks', 1, 1, 4), lab('stagnant accumulation', 2, 4, 5)]);
    expect(r.map((l) => l.label)).toEqual(['stagnant accumulation', 'fireworks']);
  });
  it('a label that passed 0 of its checks is never the top class', () => {
    const r = rank([lab('o3 fireworks', 0, 4, 4), lab('b', 1, 5, 5)]);
    expect(r[0].label).toBe('b');
    expect(topClass([lab('a', 0, 4, 4), lab('c', 0, 0, 3)])).toBeNull();
  });
  it('the Spring Festival table covers 2014: 除夕 2014-01-30 (初一 2014-01-31, HKO)', () => {
    expect(fireworksDay('2014-01-30')).toMatchObject({ name: 'eve' });
    expect(fireworksDay('2014-02-14')).toMatchObject({ name: 'lantern' });
  });
});

describe('driving pollutant first (issue 20)', () => {
  it('an O3-driven heavy day (PM2.5 36, O3 8-h ~ 400) gets the O3 labels, not particle ones', () => {
    // O3 400 ug/m3 over 10:00-19:00 -> MDA8 400 -> IAQI 200 + (400-265)/(800-265)*100 = 225 > 200
    const h = hoursOf('2017-06-15T01', 24, (k) => ({ pm25: 36, pm10: 60, o3: k >= 10 && k <= 19 ? 400 : 60, co: 0.5 }));
    const d = dayDrivers(h, ['2017-06-15']);
    expect(d[0]).toMatchObject({ driving: 'o3', primary: ['o3'] });
    expect(d[0].aqi).toBeGreaterThan(200);
    const r = classifyPm({ hours: h, days: ['2017-06-15'], concurrentCities: null }, DEFAULT_CONFIG.classify);
    expect(r.map((l) => l.label).sort()).toEqual(['local photochemical', 'regional transport', 'stagnation']);
  });
  it('a tie between one PM2.5 day and one PM10 day goes to the more severe (AQI 500 dust)', () => {
    expect(drivingBySeverity([{ aqi: 210, primary: ['pm25'] }, { aqi: 500, primary: ['pm10'] }])).toBe('dust');
    expect(drivingBySeverity([{ aqi: 320, primary: ['pm25'] }, { aqi: 250, primary: ['pm10'] }])).toBe('pm25');
    expect(drivingBySeverity([{ aqi: 210, primary: ['pm10'] }, { aqi: 220, primary: ['pm25'] }, { aqi: 230, primary: ['pm25'] }])).toBe('pm25');
  });
  it('a PM10-driven day with PM2.5/PM10 0.43 (2017-05-04 like) has sand-dust first, not regional transport', () => {
    const h = hoursOf('2017-05-04T01', 24, (k) => ({ pm10: k < 4 ? 150 : 792, pm25: k < 4 ? 60 : 340, co: 0.4 }));
    const r = classifyPm({ hours: h, days: ['2017-05-04'], concurrentCities: null }, DEFAULT_CONFIG.classify);
    expect(r[0].label).toBe('sand-dust');
    expect(r[0].indicators.find((i) => i.id === 'pm10_driving')!.pass).toBe(true);
    expect(r[0].indicators.find((i) => i.id === 'pm25_pm10')).toMatchObject({ pass: false });
  });
});

describe('values shown with the precision the comparison used (issue 20)', () => {
  it.each([
    [1.104, '>', 1.1, 1.104], [1.096, '>', 1.1, 1.096], [1.1, '>', 1.1, 1.1], [1.234, '>', 1.1, 1.23], [0.34999, '<', 0.35, 0.34999],
  ] as const)('%d %s %d is shown as %d', (v, op, t, shown) => {
    expect(shownValue(v, { op, t })).toBe(shown);
  });
});
