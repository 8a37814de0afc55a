import { describe, expect, it } from 'vitest';
import { po3Curve } from '../../../common/obm/po3-curve.ts';
import { analyseDay } from '../../../common/obm/analysis.ts';
import { CB05_DIAGNOSTICS } from '../../../common/obm/box.ts';
import { checkObmInput, prepareInput, type ObmInput } from '../../../common/obm/input.ts';
import { CB05_TEXT, fixture, kineticsOf } from './helpers.ts';

describe('po3Curve', () => {
  it('the example of its doc comment', () => {
    const c = po3Curve([0, 10, 20, 5].map((p, i) => ({ hour: i, pO3: p, lO3: [1, 2, 4, 6][i]! })));
    expect(c.points.map((x) => x.net)).toEqual([-1, 8, 16, -1]);
    expect(c.peak).toEqual({ hour: 2, p: 20 });
    expect(c.netPositive).toEqual({ from: 1, to: 2 });
    expect(c.netDay).toBe(22);
    expect(c.max).toBe(20);
  });
  it.each([
    ['no hours', []],
    ['nothing produced', [{ hour: 0, pO3: 0, lO3: 3 }]],
    ['garbage rates', [{ hour: 0, pO3: NaN, lO3: Infinity }, { hour: 1, pO3: -Infinity, lO3: NaN }]],
  ])('%s: no peak, no positive hours', (_n, hours) => {
    const c = po3Curve(hours);
    expect(c.peak).toBeNull();
    expect(c.netPositive).toBeNull();
    expect(c.netDay).toBeLessThanOrEqual(0);
    expect(Number.isFinite(c.netDay)).toBe(true);
  });
});

describe('the P(O3) curve of the urban fixture day on CB05', () => {
  const kin = kineticsOf(CB05_TEXT);
  const c0 = checkObmInput(fixture('urban-summer-day.json'));
  if (!c0.ok) throw new Error(JSON.stringify(c0.errors));
  const p = prepareInput({ ...c0.value, settings: { ...c0.value.settings, spinupDays: 0 } } as ObmInput, kin);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  const a = analyseDay(kin, CB05_DIAGNOSTICS, p.value, { keySpecies: 0 });
  const c = po3Curve(a.hours);

  it('P(O3) is the mechanism\'s HO2+NO plus RO2+NO terms, and only those; L(O3) its loss terms', () => {
    const ro2 = new Set(['HO2', ...CB05_DIAGNOSTICS.ro2]);
    for (const h of a.hours) {
      for (const name of Object.keys(h.pTerms)) { const [x, no] = name.split('+'); expect(no).toBe('NO'); expect(ro2.has(x!)).toBe(true); }
      expect(h.pO3).toBeCloseTo(Object.values(h.pTerms).reduce((s, v) => s + v, 0), 9);
      expect(h.lO3).toBeCloseTo(Object.values(h.lTerms).reduce((s, v) => s + v, 0), 9);
    }
    expect(Object.keys(a.hours[12]!.pTerms)).toContain('HO2+NO');
  });
  it('net P(O3) of the day is the model\'s; production peaks in daylight and is positive only by day', () => {
    expect(c.netDay).toBeCloseTo(a.netPO3Day, 6);
    expect(c.peak!.hour).toBeGreaterThanOrEqual(8);
    expect(c.peak!.hour).toBeLessThanOrEqual(15);
    expect(c.netPositive!.from).toBeGreaterThanOrEqual(5);
    expect(c.netPositive!.to).toBeLessThanOrEqual(19);
    // At night there is no photolysis: nothing worth the name is produced.
    for (const x of c.points.filter((x) => x.hour <= 3 || x.hour >= 22)) expect(x.p).toBeLessThan(0.05 * c.peak!.p);
  });
});
