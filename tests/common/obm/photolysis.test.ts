import { describe, expect, it } from 'vitest';
import { jno2ScaleFactor, mcmJ, solarZenithDeg } from '../../../common/obm/photolysis.ts';

describe('solar zenith angle (NOAA / Spencer 1971)', () => {
  it('Wuhan (30.58 N, 114.27 E) at the June solstice: noon SZA = lat - 23.44 deg, at ~12:25 Beijing time', () => {
    const start = Date.UTC(2024, 5, 21, 0, 0);
    let best = { t: 0, z: 180 };
    for (let m = 0; m < 24 * 60; m++) {
      const z = solarZenithDeg(start + m * 60_000, 30.58, 114.27);
      if (z < best.z) best = { t: m, z };
    }
    expect(best.z).toBeCloseTo(30.58 - 23.44, 0);
    // solar noon = 12:00 + 4 min x (120 - 114.27) + ~2 min equation of time = 12:25 UTC+8 = 04:25 UTC
    expect(Math.abs(best.t - (4 * 60 + 25))).toBeLessThanOrEqual(4);
  });
  it('night is beyond 90 deg and the equator at equinox noon is near 0', () => {
    expect(solarZenithDeg(Date.UTC(2024, 5, 21, 16, 0), 30.58, 114.27)).toBeGreaterThan(90);
    expect(solarZenithDeg(Date.UTC(2024, 2, 20, 12, 7), 0, 0)).toBeLessThan(1.5);
  });
});

describe('MCM photolysis J = l cos^m(chi) exp(-n sec chi)', () => {
  it('J(NO2) overhead = 1.165e-2 exp(-0.267) = 8.92e-3 s-1; J(O1D) falls faster with chi (m = 1.743)', () => {
    expect(mcmJ(4, 0)).toBeCloseTo(8.920e-3, 6);
    expect(mcmJ(1, 0)).toBeCloseTo(6.073e-5 * Math.exp(-0.474), 10);
    expect(mcmJ(1, 60) / mcmJ(1, 0)).toBeLessThan(mcmJ(4, 60) / mcmJ(4, 0));
    expect(mcmJ(4, 90)).toBe(0);
    expect(mcmJ(4, 120)).toBe(0);
    expect(() => mcmJ(9, 0)).toThrow(/no MCM photolysis parameters/);
  });
  it('observed JNO2 scales all J; unusable observations leave the model value', () => {
    expect(jno2ScaleFactor(mcmJ(4, 30) * 0.7, 30)).toBeCloseTo(0.7, 12);
    expect(jno2ScaleFactor(null, 30)).toBe(1);
    expect(jno2ScaleFactor(-1, 30)).toBe(1);
    expect(jno2ScaleFactor(Number.NaN, 30)).toBe(1);
    expect(jno2ScaleFactor(0, 95)).toBe(1);
  });
});
