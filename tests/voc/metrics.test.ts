import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { composition, lohBudget, rankSpecies, speciesMetric } from '#common/voc/metrics.ts';
import { normaliseVocValues } from '#common/voc/quality.ts';
import { SPECIES } from '#common/voc/species.ts';
import { fromPpbv, numberDensityPerPpbv, parseVocUnit, ppbvToUgm3, toPpbv, ugm3ToPpbv, vm } from '#common/voc/units.ts';

// Hand derivations (REFERENCE 5.2 table, 5.3 formulas):
// Vm = R T / P = 8.314462618 x 298.15 / 101325 m3/mol = 24.4654 L/mol
// n/V per ppbv = 1e-9 x 101325 / (1.380649e-23 x 298.15) / 1e6 = 2.46149e10 molecule cm-3
describe('unit conversions at 298.15 K, 1013.25 hPa', () => {
  it('molar volume and number density', () => {
    expect(vm()).toBeCloseTo(24.4654, 4);
    expect(numberDensityPerPpbv() / 1e10).toBeCloseTo(2.46149, 4);
  });
  it.each([
    // id, ppbv, ug/m3 = ppbv x MW / 24.4654
    ['toluene', 1, 92.14 / 24.46540],          // 3.76613
    ['benzene', 3.13217, 10],                   // 10 ug/m3 -> 10 x 24.4654 / 78.11 = 3.13217 ppbv
    ['mp-xylene', 2, 2 * 106.17 / 24.46540],    // 8.67919 (co-eluting pair: MW 106.17)
    ['ethylene', 5, 5 * 28.05 / 24.46540],      // 5.73258
  ] as const)('%s: %d ppbv = %d ug/m3', (id, ppbv, ugm3) => {
    const s = SPECIES.find((x) => x.id === id)!;
    expect(ppbvToUgm3(ppbv, s)).toBeCloseTo(ugm3, 3);
    expect(ugm3ToPpbv(ugm3, s)).toBeCloseTo(ppbv, 4);
  });
  it('ppbC -> ppbv divides by the carbon number', () => {
    const eth = SPECIES.find((x) => x.id === 'ethylene')!, mpx = SPECIES.find((x) => x.id === 'mp-xylene')!;
    expect(toPpbv(10, 'ppbC', eth)).toBe(5);
    expect(toPpbv(16, 'ppbC', mpx)).toBe(2);
    expect(fromPpbv(2, 'ppbC', mpx)).toBe(16);
  });
  it('parses unit spellings', () => {
    expect(parseVocUnit('ppb')).toBe('ppbv');
    expect(parseVocUnit('ppbC')).toBe('ppbC');
    expect(parseVocUnit('µg/m³')).toBe('ugm3');
    expect(parseVocUnit('mg/L')).toBeNull();
  });
  it('property: ppbv -> ug/m3 -> ppbv and ppbv -> ppbC -> ppbv round-trip for every species', () => {
    fc.assert(fc.property(fc.constantFrom(...SPECIES), fc.double({ min: 0, max: 1e4, noNaN: true }), (s, x) => {
      expect(ugm3ToPpbv(ppbvToUgm3(x, s), s)).toBeCloseTo(x, 6);
      expect(toPpbv(fromPpbv(x, 'ppbC', s), 'ppbC', s)).toBeCloseTo(x, 6);
    }), { numRuns: 300 });
  });
});

describe('OFP and L_OH of single species (hand-derived)', () => {
  it('toluene 1 ppbv: OFP = 3.76613 x MIR 4.00 = 15.0645 ug/m3; L_OH = 5.63e-12 x 2.46149e10 = 0.138582 s-1', () => {
    const m = speciesMetric('toluene', 1);
    expect(m.ofp).toBeCloseTo(15.0645, 3);
    expect(m.loh).toBeCloseTo(0.138582, 5);
  });
  it('m/p-xylene 2 ppbv (co-eluting pair): OFP = 8.67919 x 7.80 = 67.6977; L_OH = 18.7e-12 x 2 x 2.46149e10 = 0.920598', () => {
    const m = speciesMetric('mp-xylene', 2);
    expect(m.ofp).toBeCloseTo(67.6977, 3);
    expect(m.loh).toBeCloseTo(0.920598, 5);
  });
  it('isoprene 1 ppbv: L_OH = 1.0e-10 x 2.46149e10 = 2.46 s-1 (REFERENCE 5.3 example)', () => {
    expect(speciesMetric('isoprene', 1).loh).toBeCloseTo(2.4615, 3);
  });
  it('ethylene 10 ppbC = 5 ppbv: OFP = 5.73258 x 9.00 = 51.5933', () => {
    const n = normaliseVocValues({ Ethylene: 10 }, { unit: 'ppbC' });
    expect(speciesMetric('ethylene', n.species.ethylene!).ofp).toBeCloseTo(51.5933, 3);
  });
  it('China MIR scale: toluene 2.12 -> OFP 3.76613 x 2.12 = 7.9842; species without MIR-CN get null and are listed', () => {
    const c = composition({ toluene: 1, cyclopentane: 1 }, { mirScale: 'cn2021' });
    expect(c.species.find((s) => s.id === 'toluene')!.ofp).toBeCloseTo(7.9842, 3);
    expect(c.ofpMissing).toEqual(['cyclopentane']);
    expect(c.ofpTotal).toBeCloseTo(7.9842, 3);
    expect(c.mirScaleLabel).toMatch(/Zhang/);
  });
  it('L_OH budget with NO2 (kOH 1.1e-11): 20 ppbv NO2 -> 1.1e-11 x 20 x 2.46149e10 = 5.41528 s-1', () => {
    const b = lohBudget(5.41528, 20, null);
    expect(b.no2).toBeCloseTo(5.41528, 4);
    expect(b.shares.voc).toBeCloseTo(0.5, 5);
    expect(b.co).toBeNull();
  });
});

describe('composition and rankings', () => {
  const conc = { toluene: 1, 'mp-xylene': 2, ethylene: 5, ethane: 10 };
  it('totals and group shares', () => {
    const c = composition(conc);
    // ethane: 10 x 30.07/24.4654 x 0.28 = 3.44161; total = 15.0645 + 67.6977 + 51.5933 + 3.44161
    expect(c.ofpTotal).toBeCloseTo(137.7971, 2);
    expect(c.tvoc.ppbv).toBe(18);
    expect(c.tvoc.ppbC).toBe(7 + 16 + 10 + 20);
    const arom = c.groups.find((g) => g.group === 'aromatic')!;
    expect(arom.ofpShare).toBeCloseTo((15.0645 + 67.6977) / 137.7971, 3);
  });
  it('ranks by OFP and L_OH', () => {
    const c = composition(conc);
    expect(rankSpecies(c, 'ofp').map((r) => r.id)).toEqual(['mp-xylene', 'ethylene', 'toluene', 'ethane']);
    expect(rankSpecies(c, 'loh', 2).map((r) => r.id)).toEqual(['ethylene', 'mp-xylene']);
  });

  const concArb = fc.dictionary(fc.constantFrom(...SPECIES.map((s) => s.id)), fc.double({ min: 0, max: 100, noNaN: true }), { maxKeys: 20 });
  it('property: OFP and L_OH are additive over species', () => {
    fc.assert(fc.property(concArb, concArb, (a, b) => {
      const bOnly = Object.fromEntries(Object.entries(b).filter(([k]) => !(k in a)));
      const whole = composition({ ...a, ...bOnly });
      const sum = composition(a).ofpTotal + composition(bOnly).ofpTotal;
      expect(whole.ofpTotal).toBeCloseTo(sum, 6);
      expect(whole.lohTotal).toBeCloseTo(composition(a).lohTotal + composition(bOnly).lohTotal, 9);
    }), { numRuns: 200 });
  });
  it('property: the ranking is the same whether values arrive in ppbv, ppbC or ug/m3', () => {
    fc.assert(fc.property(concArb, fc.constantFrom('ppbC' as const, 'ugm3' as const), (ppbv, unit) => {
      // Distinct values only: exact ties may legitimately reorder by float rounding.
      const vals = Object.values(ppbv);
      fc.pre(new Set(vals.map((v) => v.toPrecision(8))).size === vals.length);
      const named = Object.fromEntries(Object.entries(ppbv).map(([id, v]) => [SPECIES.find((s) => s.id === id)!.name, fromPpbv(v, unit, SPECIES.find((s) => s.id === id)!)]));
      const back = normaliseVocValues(named, { unit }).species as Record<string, number>;
      const r1 = rankSpecies(composition(ppbv), 'ofp', 50).map((r) => r.id);
      const r2 = rankSpecies(composition(back), 'ofp', 50).map((r) => r.id);
      const ofps = rankSpecies(composition(ppbv), 'ofp', 50).map((r) => r.value);
      // Skip near-ties (relative gap < 1e-9), where float rounding may swap neighbours.
      fc.pre(ofps.every((v, i) => i === 0 || Math.abs(ofps[i - 1] - v) > 1e-9 * Math.max(v, 1e-12)));
      expect(r2).toEqual(r1);
    }), { numRuns: 200 });
  });
});
