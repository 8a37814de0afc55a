/**
 * The lead's starting points for the official draft (common/consult/merge.ts): the empty forecast,
 * the average of proposals (each mean computed here from the inputs), a guidance forecast turned
 * into the consultation shape; and the range -> levels rule (common/consult/levels.ts). Every
 * result is checked against the ConsultForecast schema.
 */
import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { averageForecasts, emptyForecast, guidanceToForecast } from '../../../common/consult/merge.ts';
import { levelsForRange } from '../../../common/consult/levels.ts';
import { ConsultFormError } from '../../../common/consult/errors.ts';
import { ConsultForecast, type ProcessOutlook, type WarningAdvice } from '../../../common/schemas/consult.ts';
import type { GuidanceDay } from '../../../common/schemas/forecast.ts';
import { LEVELS, levelOf } from '../../../common/standards/levels.ts';

const ISSUE = '2026-12-02';
const valid = (f: ConsultForecast) => {
  expect(Value.Errors(ConsultForecast, f).First()).toBeUndefined();
  return f;
};
const avg = (fs: ConsultForecast[]) => valid(averageForecasts(fs));
const meanR = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);

function proposal(d1: [number, number] | null, primary: ConsultForecast['days'][0]['primary'] = []): ConsultForecast {
  const f = emptyForecast(ISSUE);
  f.days[0].aqi = d1;
  f.days[0].primary = primary;
  return f;
}

describe('emptyForecast', () => {
  it('targets D+1..D+3 and D+4..D+7, every field empty', () => {
    const f = valid(emptyForecast('2026-12-30'));
    expect(f.days.map((d) => d.target)).toEqual(['2026-12-31', '2027-01-01', '2027-01-02']);
    expect(f.trend.map((d) => d.target)).toEqual(['2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06']);
    for (const d of f.days) {
      expect(d).toEqual({ target: d.target, aqi: null, levels: [], primary: [], pm25: null, o3_8h: null, segments: { night: null, morning: null, afternoon: null } });
    }
    expect(f.trend.every((t) => t.levels.length === 0)).toBe(true);
    expect([f.text, f.process, f.warning]).toEqual(['', null, null]);
  });

  it.each(['', '2026-2-1', '2026-02-30', 'tomorrow', null, 20261202])('refuses the issue day %j', (d) => {
    expect(() => emptyForecast(d as string)).toThrow(/^invalid: issueDay/);
  });
});

describe('averageForecasts: AQI, levels, primary', () => {
  it('AQI range = rounded means of lows and highs; levels from the averaged range', () => {
    const ins: [number, number][] = [[80, 120], [90, 130], [70, 100]];
    const out = avg(ins.map((r) => proposal(r, ['pm25'])));
    const lo = meanR(ins.map((r) => r[0]));
    const hi = meanR(ins.map((r) => r[1]));
    expect(out.days[0].aqi).toEqual([lo, hi]);
    expect([lo, hi]).toEqual([80, 117]); // 240/3, 350/3 = 116.67
    expect(out.days[0].levels).toEqual([levelOf(lo), levelOf(hi)]);
    expect(out.days[0].primary).toEqual(['pm25']);
  });

  it('only proposals that filled the range in count', () => {
    const out = avg([proposal([100, 140], ['pm25']), proposal(null), proposal([121, 160], ['pm25'])]);
    expect(out.days[0].aqi).toEqual([meanR([100, 121]), meanR([140, 160])]);
    expect(out.days[0].aqi).toEqual([111, 150]); // 110.5 rounds up
    expect(out.days[0].levels).toEqual([3]);
  });

  it('the level a proposal chose is not averaged where a range exists', () => {
    const a = proposal([60, 90], ['pm25']);
    a.days[0].levels = [3];
    expect(avg([a]).days[0].levels).toEqual([levelOf(60)]);
  });

  it('primary: the pollutant most proposals name', () => {
    const out = avg([proposal([80, 110], ['pm25']), proposal([80, 110], ['pm25', 'pm10']), proposal([80, 110], ['o3'])]);
    expect(out.days[0].primary).toEqual(['pm25']);
  });

  it('primary ties: all tied kept, in key order, at most 3', () => {
    expect(avg([proposal([80, 110], ['pm10']), proposal([80, 110], ['pm25'])]).days[0].primary).toEqual(['pm25', 'pm10']);
    const four = avg([proposal([80, 110], ['co']), proposal([80, 110], ['no2']), proposal([80, 110], ['o3']), proposal([80, 110], ['pm25'])]);
    expect(four.days[0].primary).toEqual(['pm25', 'o3', 'no2']);
  });

  it('no primary when the averaged high is <= 50, whatever was named', () => {
    const out = avg([proposal([30, 45], ['o3']), proposal([35, 55], ['o3'])]);
    expect(out.days[0].aqi).toEqual([meanR([30, 35]), 50]);
    expect(out.days[0].primary).toEqual([]);
    expect(out.days[0].levels).toEqual([1]);
  });

  it('a wide averaged range gives two adjacent levels around its midpoint', () => {
    const out = avg([proposal([40, 160], ['pm25'])]);
    expect(out.days[0].levels).toEqual([2, 3]);
  });

  it('without any range, the levels are averaged as the trend is', () => {
    const a = proposal(null);
    const b = proposal(null);
    a.days[0].levels = [2, 3];
    b.days[0].levels = [3, 4];
    expect(avg([a, b]).days[0].levels).toEqual([meanR([2, 3]), meanR([3, 4])]);
  });
});

describe('averageForecasts: other fields', () => {
  it('PM2.5 and O3-8h ranges averaged over those given', () => {
    const a = proposal([80, 120], ['pm25']);
    const b = proposal([80, 120], ['pm25']);
    const c = proposal([80, 120], ['pm25']);
    a.days[1].pm25 = [55, 75];
    b.days[1].pm25 = [60, 88];
    c.days[1].o3_8h = [120.4, 160.6];
    const out = avg([a, b, c]);
    expect(out.days[1].pm25).toEqual([meanR([55, 60]), meanR([75, 88])]);
    expect(out.days[1].o3_8h).toEqual([120, 161]);
    expect(out.days[2].pm25).toBeNull();
  });

  it('segments averaged over the proposals that have them', () => {
    const a = proposal([80, 120], ['pm25']);
    const b = proposal([80, 120], ['pm25']);
    a.days[0].segments.night = { aqi: [90, 110], primary: ['pm25'] };
    b.days[0].segments.night = { aqi: [101, 131], primary: ['pm25'] };
    b.days[0].segments.morning = { aqi: [30, 48], primary: ['pm25'] };
    const out = avg([a, b]);
    expect(out.days[0].segments.night).toEqual({ aqi: [meanR([90, 101]), meanR([110, 131])], primary: ['pm25'] });
    expect(out.days[0].segments.morning).toEqual({ aqi: [30, 48], primary: [] });
    expect(out.days[0].segments.afternoon).toBeNull();
  });

  it('trend: rounded means of the lowest and highest levels, [] where nobody gave one', () => {
    const fs = [proposal(null), proposal(null), proposal(null)];
    fs[0].trend[0].levels = [2];
    fs[1].trend[0].levels = [2, 3];
    fs[2].trend[0].levels = [3];
    fs[0].trend[1].levels = [4, 5];
    const out = avg(fs);
    expect(out.trend[0].levels).toEqual([meanR([2, 2, 3]), meanR([2, 3, 3])]);
    expect(out.trend[0].levels).toEqual([2, 3]);
    expect(out.trend[1].levels).toEqual([4, 5]);
    expect(out.trend[2].levels).toEqual([]);
    expect(out.trend.map((t) => t.target)).toEqual(fs[0].trend.map((t) => t.target));
  });

  it('text: the non-empty texts joined by a blank line, cut at 4000 characters', () => {
    const fs = [proposal(null), proposal(null), proposal(null)];
    fs[0].text = 'cold air on D+3';
    fs[1].text = '   ';
    fs[2].text = '静稳，D+2转差';
    expect(avg(fs).text).toBe('cold air on D+3\n\n静稳，D+2转差');
    fs[0].text = 'a'.repeat(3000);
    fs[2].text = 'b'.repeat(3000);
    expect(avg(fs).text).toHaveLength(4000);
  });

  it('process: the commonest driver; a tie goes to the driver named first', () => {
    const p = (driver: ProcessOutlook['driver'], start: string): ProcessOutlook => ({ start, end: '2026-12-08', area: 'A', driver, pollutant: 'pm25' });
    const fs = [proposal(null), proposal(null), proposal(null), proposal(null)];
    fs[0].process = p('cold_front', '2026-12-04');
    fs[1].process = p('stagnation', '2026-12-05');
    fs[2].process = p('stagnation', '2026-12-06');
    expect(avg(fs).process).toEqual(p('stagnation', '2026-12-05'));
    fs[2].process = null;
    expect(avg(fs).process).toEqual(p('cold_front', '2026-12-04'));
    expect(avg([proposal(null)]).process).toBeNull();
  });

  it.each([
    [['yellow', null, 'red'], 'yellow'],
    [[null, null, 'orange'], null],
    [[null, 'orange'], 'orange'], // even count: the upper middle
    [['red', 'red', 'yellow', null, null], 'yellow'],
    [[null], null],
  ] as const)('warning: the median of %j is %s', (levels, want) => {
    const fs = levels.map((l) => {
      const f = proposal(null);
      f.warning = l ? { level: l, rule: `rule-${l}` } : null;
      return f;
    });
    const w: WarningAdvice | null = avg(fs).warning;
    expect(w).toEqual(want ? { level: want, rule: `rule-${want}` } : null);
  });

  it('all empty: the empty forecast', () => {
    expect(avg([emptyForecast(ISSUE), emptyForecast(ISSUE)])).toEqual(emptyForecast(ISSUE));
  });

  it('does not change its inputs', () => {
    const fs = [proposal([80, 120], ['pm25']), proposal([90, 130], ['pm10'])];
    const copy = structuredClone(fs);
    avg(fs);
    expect(fs).toEqual(copy);
  });

  it('refuses nothing to average, garbage and proposals for other days', () => {
    expect(() => averageForecasts([])).toThrow(ConsultFormError);
    expect(() => averageForecasts(null as unknown as ConsultForecast[])).toThrow(/^invalid: proposals/);
    expect(() => averageForecasts([{} as ConsultForecast])).toThrow(/^invalid: proposals\.0/);
    const bad = proposal([80, 120]);
    (bad.days[0] as { aqi: unknown }).aqi = [80, 'x'];
    expect(() => averageForecasts([proposal(null), bad])).toThrow(/^invalid: proposals\.1\.days\.0\.aqi/);
    const other = emptyForecast('2026-12-03');
    expect(() => averageForecasts([proposal(null), other])).toThrow(/^invalid: proposals\.1: targets/);
  });
});

describe('guidanceToForecast', () => {
  const g = (lead: number, aqi: [number, number], levels: number[], primary: string[], conc: GuidanceDay['conc'] = {}): GuidanceDay => ({
    target: `2026-12-0${2 + lead}`, lead, aqi, central: Math.round((aqi[0] + aqi[1]) / 2), levels, primary, conc,
  });

  it('a guidance day converted: range, levels, primary (O3 as O3-8h), [low, high] of the concentrations', () => {
    const f = valid(guidanceToForecast([
      g(1, [95, 125], [2, 3], ['pm25'], { pm25_24h: [70, 80, 95], o3_mda8: [40, 52.5, 61], pm10_24h: [100, 120, 140] }),
      g(2, [110, 140], [3], ['o3'], { pm25_24h: null }),
    ], ISSUE));
    expect(f.days[0]).toEqual({
      target: '2026-12-03', aqi: [95, 125], levels: [2, 3], primary: ['pm25'], pm25: [70, 95], o3_8h: [40, 61],
      segments: { night: null, morning: null, afternoon: null },
    });
    expect(f.days[1]).toMatchObject({ target: '2026-12-04', aqi: [110, 140], levels: [3], primary: ['o3'], pm25: null, o3_8h: null });
    // D+3 missing from the guidance: left empty
    expect(f.days[2]).toEqual(emptyForecast(ISSUE).days[2]);
  });

  it('trend D+4..D+7 from what the guidance has (levels two apart re-derived), empty levels where it has none', () => {
    const f = valid(guidanceToForecast([g(4, [60, 90], [2], ['pm25']), g(6, [140, 180], [3, 4], ['pm25']), g(7, [90, 130], [2, 4], ['pm25'])], ISSUE));
    expect(f.trend.map((t) => [t.target, t.levels])).toEqual([
      ['2026-12-06', [2]], ['2026-12-07', []], ['2026-12-08', [3, 4]], ['2026-12-09', levelsForRange([90, 130])],
    ]);
    expect(f.text).toBe('');
    expect([f.process, f.warning]).toEqual([null, null]);
  });

  it('AQI <= 50 has no primary; an AQI past 500 is clamped; unusable levels are re-derived', () => {
    const f = valid(guidanceToForecast([g(1, [20, 45], [1], ['o3']), g(2, [420, 560], [6], ['pm10']), g(3, [60, 170], [2, 4], ['pm25', 'nox'])], ISSUE));
    expect(f.days[0].primary).toEqual([]);
    expect(f.days[1].aqi).toEqual([420, 500]);
    expect(f.days[2].levels).toEqual(levelsForRange([60, 170]));
    expect(f.days[2].primary).toEqual(['pm25']);
  });

  it('refuses a malformed day and two days for one target', () => {
    expect(() => guidanceToForecast([{ target: '2026-12-03' } as GuidanceDay], ISSUE)).toThrow(/^invalid: guidance\.0/);
    expect(() => guidanceToForecast([g(1, [1, 2], [1], []), g(1, [3, 4], [1], [])], ISSUE)).toThrow(/^invalid: 2026-12-03 guidance\.1\.target/);
    expect(() => guidanceToForecast('x' as unknown as GuidanceDay[], ISSUE)).toThrow(/^invalid: guidance/);
    expect(() => guidanceToForecast([], 'x')).toThrow(/^invalid: issueDay/);
  });
});

describe('levelsForRange', () => {
  it.each([
    [[0, 50], [1]], [[50, 51], [1, 2]], [[80, 120], [2, 3]], [[101, 150], [3]], [[290, 320], [5, 6]], [[400, 500], [6]],
  ] as const)('%j -> %j (ends in the same or adjacent levels)', (r, want) => {
    expect(levelsForRange(r as [number, number])).toEqual(want);
    expect(want.map((l) => LEVELS[l - 1].min <= r[1] && r[0] <= LEVELS[l - 1].max)).not.toContain(false);
  });

  it.each([
    // midpoint 100 (level 2): 11 below 51, 60 above 100 -> the upper neighbour
    [[40, 160], [2, 3]],
    // midpoint 155 (level 4): 151 below 151, 110 above 200 -> the lower neighbour
    [[0, 310], [3, 4]],
    // midpoint 126 (level 3): 51 below 101, 51 above 150 -> a tie goes up
    [[50, 201], [3, 4]],
    // midpoint 250 (level 5) in the top levels: 101 below, 100 above -> down
    [[100, 400], [4, 5]],
  ] as const)('a range over three or more levels %j -> %j', (r, want) => {
    expect(levelsForRange(r as [number, number])).toEqual(want);
  });
});
