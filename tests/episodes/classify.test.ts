/** Classifiers on hand-made signatures: each label's evidence is shown and ranks where the REF 4.2
 *  indicators say it should. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, classifyPm, classifyO3 } from '#common/episodes/index.ts';
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
    expect(r[0]).toMatchObject({ passed: 4, evaluated: 4, score: 1 });
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
