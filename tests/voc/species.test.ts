import { describe, expect, it } from 'vitest';
import {
  carbonCount, HJ212_2017_VOC_CODES, resolveSpecies, SPECIES, SPECIES_BY_ID, VENDOR_T_BAS_FACTOR_2018_CODES,
} from '#common/voc/species.ts';

// IUPAC standard atomic weights (abridged): an independent check of the MW column.
const AW: Record<string, number> = { C: 12.011, H: 1.008, O: 15.999, Cl: 35.45, S: 32.06 };
function mwOf(formula: string): number {
  let m = 0;
  for (const [, el, n] of formula.matchAll(/([A-Z][a-z]?)(\d*)/g)) m += AW[el] * (n === '' ? 1 : Number(n));
  return m;
}

describe('species table', () => {
  it('holds the 57 PAMS species, the co-eluted m/p-xylene peak, 42 others (REFERENCE 5.2 rows 1-99) and 5 added for issue 20', () => {
    expect(SPECIES.filter((s) => s.pams && s.id !== 'mp-xylene')).toHaveLength(57);
    expect(SPECIES).toHaveLength(105);
    expect(new Set(SPECIES.map((s) => s.id)).size).toBe(105);
    expect(new Set(SPECIES.map((s) => s.cas)).size).toBe(105);
  });

  it.each(SPECIES.map((s) => [s.id, s.formula, s.mw] as const))('%s: MW %s matches the formula within 0.05 g/mol', (_id, formula, mw) => {
    expect(Math.abs(mwOf(formula) - mw)).toBeLessThan(0.05);
  });

  it('derives carbon numbers from formulas', () => {
    expect(carbonCount('CH2O')).toBe(1);
    expect(carbonCount('CCl4')).toBe(1);
    expect(carbonCount('C2H4Cl2')).toBe(2);
    expect(SPECIES_BY_ID.get('n-dodecane')!.carbon).toBe(12);
    expect(SPECIES_BY_ID.get('mp-xylene')!.carbon).toBe(8);
  });

  it('m/p-xylene: MIR 7.80 and kOH 18.7 = the means of m- and p-xylene (REFERENCE 5.2)', () => {
    const m = SPECIES_BY_ID.get('m-xylene')!, p = SPECIES_BY_ID.get('p-xylene')!, mp = SPECIES_BY_ID.get('mp-xylene')!;
    expect(mp.mir.carter2010).toBe(7.8);
    expect((m.mir.carter2010 + p.mir.carter2010) / 2).toBeCloseTo(7.8, 2);
    expect(mp.koh.value).toBe(18.7);
    expect((m.koh.atkinson! + p.koh.atkinson!) / 2).toBeCloseTo(18.7, 6);
    expect(mp.koh.aeroviz).toBe(18.95);
    expect(mp.coelutes).toEqual(['m-xylene', 'p-xylene']);
  });

  it('kOH rule: Atkinson when measured, else AOPWIN flagged as an estimate; AeroViz never chosen', () => {
    const t2b = SPECIES_BY_ID.get('trans-2-butene')!;
    expect(t2b.koh).toMatchObject({ value: 64, source: 'atkinson', estimate: false, aeroviz: 56.4 }); // AeroViz swap not copied
    const mcp = SPECIES_BY_ID.get('methylcyclopentane')!;
    expect(mcp.koh).toMatchObject({ value: 5.66, source: 'aopwin', estimate: true });
    expect(SPECIES_BY_ID.get('methylcyclohexane')!.koh.value).toBe(9.64); // not AeroViz 4.97
    expect(SPECIES_BY_ID.get('acetylene')!.koh.value).toBe(0.815);
    for (const s of SPECIES) expect(s.koh.source).not.toBe('aeroviz');
  });

  it('both MIR transcriptions agree wherever AeroViz has a value (REFERENCE: X-CHECKED)', () => {
    for (const s of SPECIES) if (s.mir.aeroviz !== null) expect(Math.abs(s.mir.aeroviz - s.mir.carter2010)).toBeLessThanOrEqual(0.005);
  });
});

describe('resolveSpecies', () => {
  // The Baton Rouge PAMS header (../shared/data/voc-pams-batonrouge), typed here.
  it.each([
    ['124-Trimethylbenzene', '124-trimethylbenzene'], ['224-Trimethylpentane', '224-trimethylpentane'],
    ['M_P Xylene', 'mp-xylene'], ['N-Butane', 'n-butane'], ['Cis-2-Butene', 'cis-2-butene'], ['Isoprene', 'isoprene'],
    ['23-Dimethylbutane', '23-dimethylbutane'], ['M-Ethyltoluene', 'm-ethyltoluene'], ['O-Xylene', 'o-xylene'],
    ['1,2,4-Trimethylbenzene', '124-trimethylbenzene'], ['m,p-xylene', 'mp-xylene'], ['m/p-Xylene', 'mp-xylene'],
    ['ethene', 'ethylene'], ['propene', 'propylene'], ['2-methylbutane', 'isopentane'], ['i-pentane', 'isopentane'],
    ['  Toluene ', 'toluene'], ['toluene', 'toluene'], ['mp-xylene', 'mp-xylene'],
    ['甲苯', 'toluene'], ['间/对二甲苯', 'mp-xylene'], ['间,对-二甲苯', 'mp-xylene'], ['反式-2-丁烯', 'trans-2-butene'],
    ['反-2-丁烯', 'trans-2-butene'], ['1,2,4-三甲苯', '124-trimethylbenzene'], ['异戊二烯', 'isoprene'],
    ['108-88-3', 'toluene'], ['106-42-3', 'p-xylene'], ['a25003', 'toluene'], ['A25003', 'toluene'],
    ['a25003-Rtd', 'toluene'], ['a24053', 'propylene'], ['a24042', 'n-hexane'],
  ])('%s -> %s', (name, id) => {
    expect(resolveSpecies(name)?.id).toBe(id);
  });

  it.each(['Unidentified', 'TNMOC', 'xylene', 'butene', '', 'a25005', 'neopentane', 'a99999'])('%s -> null', (name) => {
    expect(resolveSpecies(name)).toBeNull();
  });

  it('takes the code map per analyzer: a24042 is n-hexane in HJ 212-2017, neopentane (unknown) for the 2018 vendor table', () => {
    expect(HJ212_2017_VOC_CODES.a24042).toBe('n-hexane');
    expect(resolveSpecies('a24042', VENDOR_T_BAS_FACTOR_2018_CODES)).toBeNull();
    expect(resolveSpecies('a24045', VENDOR_T_BAS_FACTOR_2018_CODES)?.id).toBe('ethylene');
    expect(resolveSpecies('a24045')).toBeNull();
    expect(resolveSpecies('a25098', VENDOR_T_BAS_FACTOR_2018_CODES)?.id).toBe('mp-xylene');
    // a custom map may name the species in any spelling resolveSpecies understands
    expect(resolveSpecies('a90001', { a90001: 'M_P Xylene' })?.id).toBe('mp-xylene');
  });

  it('every code in both maps points at a species in the table', () => {
    for (const m of [HJ212_2017_VOC_CODES, VENDOR_T_BAS_FACTOR_2018_CODES]) for (const id of Object.values(m)) expect(SPECIES_BY_ID.has(id)).toBe(true);
  });
});
