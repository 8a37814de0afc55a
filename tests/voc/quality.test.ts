import { describe, expect, it } from 'vitest';
import { normaliseVocValues, usableCycleValues } from '#common/voc/quality.ts';

describe('normaliseVocValues: nothing unusable is used silently', () => {
  it('flags unknown names and non-species totals, keeps the rest in ppbv', () => {
    const n = normaliseVocValues({ Toluene: 7, 'M_P Xylene': 16, Unidentified: 30, TNMOC: 200, Foo: 1 }, { unit: 'ppbC' });
    expect(n.species).toEqual({ toluene: 1, 'mp-xylene': 2 });
    expect(n.issues.map((i) => [i.code, i.name])).toEqual([
      ['column.non_voc', 'Unidentified'], ['column.non_voc', 'TNMOC'], ['species.unknown', 'Foo'],
    ]);
  });
  it('negative and non-finite values become null with a reason', () => {
    const n = normaliseVocValues({ benzene: -0.2, toluene: Number.NaN, ethane: null }, { unit: 'ppbv' });
    expect(n.species).toEqual({ benzene: null, toluene: null, ethane: null });
    expect(n.flags.benzene).toEqual(['negative']);
    expect(n.issues.map((i) => i.code).sort()).toEqual(['value.negative', 'value.nonfinite']);
  });
  it('below detection: DL/2 when a limit is known; 0 kept and flagged when not', () => {
    const n = normaliseVocValues({ benzene: 0.01, toluene: 0.5, ethane: 0 }, { unit: 'ppbv', detectionLimits: { benzene: 0.04, toluene: 0.04 } });
    expect(n.species).toEqual({ benzene: 0.02, toluene: 0.5, ethane: 0 });
    expect(n.flags).toEqual({ benzene: ['bdl'], ethane: ['bdl'] });
    expect(n.issues.filter((i) => i.code === 'value.below_dl')).toHaveLength(2);
  });
  it('co-eluting pair: separate m-/p-xylene beside m/p-xylene are not counted twice', () => {
    const n = normaliseVocValues({ 'm/p-xylene': 2, 'm-xylene': 1.2, 'p-xylene': 0.8 }, { unit: 'ppbv' });
    expect(n.species).toEqual({ 'mp-xylene': 2 });
    expect(n.issues.map((i) => i.code)).toEqual(['species.coelution_overlap', 'species.coelution_overlap']);
    // without the peak, separate values are kept
    expect(normaliseVocValues({ 'm-xylene': 1.2, 'p-xylene': 0.8 }, { unit: 'ppbv' }).species).toEqual({ 'm-xylene': 1.2, 'p-xylene': 0.8 });
  });
  it('duplicate columns and unknown units', () => {
    const d = normaliseVocValues({ Toluene: 1, 甲苯: 2 }, { unit: 'ppbv' });
    expect(d.species).toEqual({ toluene: 1 });
    expect(d.issues[0].code).toBe('species.duplicate');
    const u = normaliseVocValues({ Toluene: 1 }, { unit: 'mg/L' });
    expect(u.species).toEqual({});
    expect(u.issues[0].code).toBe('unit.unknown');
  });
  it('ug/m3 input: 10 ug/m3 benzene = 3.13217 ppbv', () => {
    expect(normaliseVocValues({ Benzene: 10 }, { unit: 'ugm3' }).species.benzene).toBeCloseTo(3.13217, 4);
  });
});

describe('usableCycleValues (stored cycles)', () => {
  it('leaves out unknown ids, negatives and invalid-flagged values; keeps bdl', () => {
    const u = usableCycleValues({ toluene: 1, benzene: -1, bogus: 3, ethane: 2, propane: 0.02 }, { ethane: ['C'], propane: ['bdl'] });
    expect([...u.values.entries()]).toEqual([['toluene', 1], ['propane', 0.02]]);
    expect(u.issues.map((i) => i.code).sort()).toEqual(['species.unknown', 'value.flagged', 'value.negative']);
  });
});
