/**
 * Every verification metric against a hand-worked example (five days, worked in the comments from
 * the definitions in docs/verification.md; levels by HJ 633 Table 2).
 */
import { describe, it, expect } from 'vitest';
import {
  centralLevelAccuracy, continuous, contingency, halfLevelOf, halfLevelScore, levelAccuracy, offByTwo,
  primaryAccuracy, rangeHit, skillScore, withinOneLevel, type Pair,
} from '../../../common/verification/metrics.ts';
import { seasonOf, skillAgainst, verify, verifySources } from '../../../common/verification/verify.ts';

const f = (aqi: [number, number], central: number, levels: number[], primary: string[], pm25?: number) =>
  ({ aqi, central, levels, primary, conc: pm25 === undefined ? undefined : { pm25 } }) as Pair['forecast'];
const o = (aqi: number | null, primary: string[], pm25?: number) =>
  ({ aqi, primary, conc: pm25 === undefined ? undefined : { pm25 } }) as Pair['observed'];

//        forecast range, central, levels, primary        observed AQI (level), primary
const DAYS: Pair[] = [
  { target: '2015-01-01', forecast: f([60, 90], 75, [2], ['pm25'], 50), observed: o(80, ['pm25'], 55) }, // A: obs level 2
  { target: '2015-01-02', forecast: f([90, 130], 95, [2, 3], ['pm25'], 70), observed: o(140, ['pm10'], 90) }, // B: obs level 3
  { target: '2015-01-03', forecast: f([40, 60], 45, [1, 2], [], 30), observed: o(30, [], 20) }, // C: obs level 1
  { target: '2015-01-04', forecast: f([180, 240], 210, [4, 5], ['pm25'], 160), observed: o(260, ['pm25'], 200) }, // D: obs level 5
  { target: '2015-01-05', forecast: f([150, 190], 170, [4], ['pm25'], 130), observed: o(320, ['pm25', 'pm10'], 270) }, // E: obs level 6, tie
];

describe('AQI metrics, hand-worked on five days', () => {
  it('level accuracy: A 2 in [2], B 3 in [2,3], C 1 in [1,2], D 5 in [4,5] hit; E 6 not in [4] -> 4/5', () => {
    expect(levelAccuracy(DAYS)).toEqual({ n: 5, hits: 4, rate: 0.8 });
  });
  it('central level: A 75->2 ok, B 95->2 vs 3, C 45->1 ok, D 210->5 ok, E 170->4 vs 6 -> 3/5', () => {
    expect(centralLevelAccuracy(DAYS)).toEqual({ n: 5, hits: 3, rate: 0.6 });
  });
  it('+-1 level: only E is two levels off -> 4/5; off-by-two count 1', () => {
    expect(withinOneLevel(DAYS).rate).toBe(0.8);
    expect(offByTwo(DAYS)).toEqual({ n: 5, hits: 1, rate: 0.2 });
  });
  it('range hit: only A (80 in 60..90) -> 1/5; widths 30+40+20+60+40 = 190 -> mean 38', () => {
    expect(rangeHit(DAYS)).toEqual({ n: 5, hits: 1, rate: 0.2, meanWidth: 38 });
  });
  it('primary pollutant: C (AQI 30) excluded; A ok, B pm25 vs pm10 wrong, D ok, E tie pm25/pm10 counts -> 3/4', () => {
    expect(primaryAccuracy(DAYS)).toEqual({ n: 4, hits: 3, rate: 0.75 });
  });
  it('AQI > 200: D hit, E miss (170 vs 320), no false alarm -> POD 0.5, FAR 0, CSI 0.5', () => {
    expect(contingency(DAYS, 200)).toEqual({ threshold: 200, hits: 1, misses: 1, falseAlarms: 0, correctNegatives: 3, pod: 0.5, far: 0, csi: 0.5 });
  });
  it('AQI > 100: B miss (95 vs 140), D and E hits -> POD 2/3, CSI 2/3', () => {
    const c = contingency(DAYS, 100);
    expect([c.hits, c.misses, c.falseAlarms, c.correctNegatives]).toEqual([2, 1, 0, 2]);
    expect(c.pod).toBeCloseTo(2 / 3, 12);
    expect(c.csi).toBeCloseTo(2 / 3, 12);
  });
  it('a false alarm alone: FAR 1, CSI 0, POD undefined (null)', () => {
    const c = contingency([{ forecast: f([110, 130], 120, [3], ['pm25']), observed: o(90, ['pm25']) }], 100);
    expect(c).toMatchObject({ falseAlarms: 1, pod: null, far: 1, csi: 0 });
  });
  it('half-levels: boundaries at the midpoints of the six levels', () => {
    expect([0, 25, 26, 50, 51, 75, 76, 100, 101, 150, 151, 200, 201, 250, 251, 300, 301, 400, 401, 500].map(halfLevelOf))
      .toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 8, 9, 9, 10, 10, 11, 11]);
  });
  it('half-level score: A 2 vs 3, C 1 vs 1, D 8 vs 9 within one; B 3 vs 5, E 6 vs 10 not -> 3/5, exact 1/5', () => {
    expect(halfLevelScore(DAYS)).toEqual({ n: 5, hits: 3, rate: 0.6, exact: 0.2 });
  });
  it('a missing observation is left out of every metric', () => {
    const withGap = [...DAYS, { forecast: f([60, 90], 75, [2], ['pm25']), observed: o(null, []) }];
    expect(levelAccuracy(withGap)).toEqual(levelAccuracy(DAYS));
    expect(rangeHit(withGap)).toEqual(rangeHit(DAYS));
    expect(verify(withGap).n).toBe(5);
    expect(levelAccuracy([]).rate).toBeNull();
    expect(rangeHit([]).meanWidth).toBeNull();
  });
});

describe('continuous metrics', () => {
  it('the doc example: F = [2, 4], O = [1, 3] -> NMB 0.5, NME 0.5, RMSE 1, r 1', () => {
    expect(continuous([2, 4], [1, 3])).toMatchObject({ n: 2, nmb: 0.5, nme: 0.5, rmse: 1, r: 1 });
  });
  it('AQI of the five days: sum O 830, sum(F-O) -235, sum|F-O| 265, sum sq 27275', () => {
    const c = verify(DAYS).aqi;
    expect(c.nmb).toBeCloseTo(-235 / 830, 12);
    expect(c.nme).toBeCloseTo(265 / 830, 12);
    expect(c.rmse).toBeCloseTo(Math.sqrt(27275 / 5), 12);
    expect(c.r).toBeCloseTo(0.9245366435622644, 10); // numpy.corrcoef of the same numbers
  });
  it('pairs with a missing side are dropped; no variance -> r null', () => {
    expect(continuous([1, null, 3], [2, 5, null]).n).toBe(1);
    expect(continuous([1, 1, 1], [1, 2, 3]).r).toBeNull();
    expect(verify(DAYS).conc.pm25.nmb).toBeCloseTo((440 - 635) / 635, 12); // F 50+70+30+160+130, O 55+90+20+200+270
  });
});

describe('skill', () => {
  it('(S - S_ref) / (S_perfect - S_ref): accuracy 0.6 vs 0.2 -> 0.5; RMSE 10 vs 20 -> 0.5', () => {
    expect(skillScore(0.6, 0.2, 1)).toBeCloseTo(0.5, 12);
    expect(skillScore(10, 20, 0)).toBeCloseTo(0.5, 12);
    expect(skillScore(0.5, 1, 1)).toBeNull(); // a perfect reference leaves nothing to gain
  });
  it('against persistence on the same days only', () => {
    // persistence: yesterday's observation (A has none), central levels B 2 vs 3, C 3 vs 1, D 1 vs 5, E 5 vs 6 -> 0/4
    const pers: Pair[] = DAYS.slice(1).map((p, i) => ({ target: p.target, forecast: f([DAYS[i].observed.aqi!, DAYS[i].observed.aqi!], DAYS[i].observed.aqi!, [], []), observed: p.observed }));
    const s = skillAgainst(DAYS, pers, 'persistence');
    expect(s.n).toBe(4);
    // AirDesk on B..E: central hits C, D -> 2/4 = 0.5; persistence 0/4 -> skill 0.5
    expect(s.centralLevel).toBeCloseTo(0.5, 12);
    const all = verifySources({ airdesk: DAYS, persistence: pers });
    expect(all.airdesk.skill.map((x) => x.reference)).toEqual(['persistence']);
    expect(all.persistence.skill).toEqual([]);
  });
  it('seasons', () => {
    expect(['2015-01-10', '2015-03-01', '2015-06-30', '2015-09-01', '2015-12-31'].map(seasonOf)).toEqual(['DJF', 'MAM', 'JJA', 'SON', 'DJF']);
  });
});
