/**
 * Concentration quantiles -> AQI range, levels, central value and primary pollutant, with the
 * expected numbers worked from HJ 633-2012 Table 1 (the rule set in force in 2015).
 */
import { describe, it, expect } from 'vitest';
import { levelProbabilities, levelsByMass, levelsOfRange, pointProduct, productOf } from '../../../common/forecast/product.ts';

describe('levelsOfRange', () => {
  it.each([
    // lo, hi, central -> levels, range
    [60, 90, 75, [2], [60, 90]], // inside level 2 (51..100)
    [80, 130, 95, [2, 3], [80, 130]], // two adjacent levels kept as they are
    [90, 160, 120, [2, 3], [90, 150]], // 2..4: overlaps 10 (90..100) vs 9 (151..160) -> 2, 3; cut at 150
    [95, 190, 140, [3, 4], [101, 190]], // 2..4: overlaps 5 vs 39 -> 3, 4; cut at 101
  ])('[%d, %d] central %d -> %j %j', (lo, hi, c, levels, range) => {
    expect(levelsOfRange(lo, hi, c)).toEqual({ levels, aqi: range });
  });
  it('a tie between the two neighbours keeps the lower pair: 40..260 central 120 overlaps level 2 by 49 (51..100) and level 4 by 49 (151..200)', () => {
    expect(levelsOfRange(40, 260, 120)).toEqual({ levels: [2, 3], aqi: [51, 150] });
  });
  it('the central level is always one of the levels', () => {
    for (let lo = 10; lo < 300; lo += 37) for (let w = 0; w < 250; w += 29) for (const f of [0, 0.3, 0.7, 1]) {
      const c = Math.round(lo + f * w);
      const r = levelsOfRange(lo, lo + w, c);
      expect(r.levels.length).toBeLessThanOrEqual(2);
      if (r.levels.length === 2) expect(r.levels[1] - r.levels[0]).toBe(1);
      expect(r.aqi[0]).toBeLessThanOrEqual(c);
      expect(r.aqi[1]).toBeGreaterThanOrEqual(c);
    }
  });
});

describe('productOf (HJ 633-2012 daily rule on 2015-01-10)', () => {
  it('PM2.5 [60, 80, 120]: AQI 82 / 107 / 158 -> levels 2..4 cut to [2, 3], range [82, 150], primary pm25', () => {
    // IAQI(60) = 50 + 50 (60 - 35) / 40 = 81.25 -> 82; IAQI(80) = 100 + 50 * 5 / 40 = 106.25 -> 107;
    // IAQI(120) = 150 + 50 * 5 / 35 = 157.1 -> 158. Other pollutants low.
    const p = productOf({ pm25_24h: [60, 80, 120], pm10_24h: [60, 90, 120], no2_24h: [30, 40, 50], o3_mda8: [40, 50, 60] }, '2015-01-10')!;
    expect(p.central).toBe(107);
    expect(p.levels).toEqual([2, 3]);
    expect(p.aqi).toEqual([82, 150]);
    expect(p.primary).toEqual(['pm25']);
    expect(p.iaqi.pm25).toBe(107);
    expect(p.iaqi.pm10).toBe(70); // PM10 90: 50 + 50 * 40 / 100 = 70
  });
  it('O3 primary in summer: MDA8 [150, 180, 200] -> IAQI 92 / 119 / 137, levels [2, 3]', () => {
    // O3 8-h column: 100..160 -> IAQI 50..100, 160..215 -> 100..150. IAQI(150) = 50 + 50 * 50 / 60 = 91.7 -> 92
    const p = productOf({ pm25_24h: [20, 30, 40], o3_mda8: [150, 180, 200] }, '2015-07-01')!;
    // IAQI(180) = 100 + 50 * 20 / 55 = 118.2 -> 119; IAQI(200) = 100 + 50 * 40 / 55 = 136.4 -> 137
    expect(p.central).toBe(119);
    expect(p.aqi).toEqual([92, 137]);
    expect(p.levels).toEqual([2, 3]);
    expect(p.primary).toEqual(['o3']);
  });
  it('below 50 there is no primary pollutant', () => {
    const p = productOf({ pm25_24h: [10, 15, 20], o3_mda8: [40, 50, 60] }, '2015-01-10')!;
    expect(p.central).toBe(25); // O3 50: 50 * 50 / 100 = 25; PM2.5 15: 50 * 15 / 35 = 21.4 -> 22
    expect(p.primary).toEqual([]);
    expect(p.levels).toEqual([1]);
  });
  it('the 2026 rules apply to a target day from 2026-03-01 (PM2.5 75 -> IAQI 114)', () => {
    expect(pointProduct({ pm25_24h: 75 }, '2026-03-01')!.central).toBe(114);
    expect(pointProduct({ pm25_24h: 75 }, '2026-02-28')!.central).toBe(100);
  });
  it('nothing to index -> null', () => {
    expect(productOf({}, '2015-01-10')).toBeNull();
  });
});

describe('levels from the predicted distribution', () => {
  it('level probabilities of a log-normal AQI sum to 1 and peak at the median level', () => {
    const p = levelProbabilities(110, 125, 140);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(p.indexOf(Math.max(...p))).toBe(2); // level 3 (101..150)
    // quartiles 110 / 140 around 125: sigma = ln(140/110) / 1.349 = 0.179; P(101..150) =
    // Phi((ln 150.5 - ln 125) / 0.1788) - Phi((ln 100.5 - ln 125) / 0.1788) = Phi(1.0385) - Phi(-1.2203)
    // = 0.85048 - 0.11117 (erf-based normal CDF)
    expect(p[2]).toBeCloseTo(0.85048 - 0.11117, 4);
  });
  it('a sure forecast names one level, an unsure one two (the neighbour with more probability)', () => {
    expect(levelsByMass(120, 130, 125, 125, 0.9)).toEqual({ levels: [3], aqi: [120, 130] });
    // 92 / 104 / 118: level 3 holds about 0.6; below (level 2) more than above -> [2, 3]
    const r = levelsByMass(92, 118, 104, 104, 0.9);
    expect(r.levels).toEqual([2, 3]);
    expect(r.aqi).toEqual([92, 118]);
    // a narrow range inside level 3 near its top, unsure: widened to reach level 4 (151)
    const s = levelsByMass(140, 149, 145, 145, 0.999);
    expect(s.levels).toEqual([3, 4]);
    expect(s.aqi).toEqual([140, 151]);
  });
});
