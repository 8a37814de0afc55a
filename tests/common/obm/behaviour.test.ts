/**
 * What published OBM studies show, checked on the shipped CB05 mechanism and two hand-made
 * station-days (tests/fixtures/obm, synthetic but with urban/suburban magnitudes of published
 * Chinese summer campaigns): an urban core with high NOx and modest VOC is VOC-limited
 * (RIR_NOx < 0 < RIR_AVOC), a low-NOx suburb is NOx-limited (the reverse), the isopleths have a
 * ridge that moves to higher NOx as VOC grows, and cutting along the recommended path lowers O3
 * at every step (e.g. Xue et al. 2014 ACP 14 13175; Tan et al. 2018 Sci. Total Environ.).
 * Spin-up is shortened to keep the suite fast; the regime does not depend on it.
 */
import { describe, expect, it } from 'vitest';
import { analyseDay, ekmaCell, obmRunner } from '../../../common/obm/analysis.ts';
import { boxModel, CB05_DIAGNOSTICS } from '../../../common/obm/box.ts';
import { ekmaRatio, ridgeLine, type EkmaGrid } from '../../../common/obm/ekma.ts';
import { checkObmInput, prepareInput, type ObmInput } from '../../../common/obm/input.ts';
import { lumpVoc } from '../../../common/obm/lumping.ts';
import { CB05_TEXT, fixture, kineticsOf } from './helpers.ts';

const kin = kineticsOf(CB05_TEXT);

function prepared(name: string, settings: Record<string, number> = { spinupDays: 1 }) {
  const c = checkObmInput(fixture(name));
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  const p = prepareInput({ ...c.value, settings: { ...c.value.settings, ...settings } } as ObmInput, kin);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.value;
}

describe('urban core (high NOx, modest VOC): VOC-limited', () => {
  const p = prepared('urban-summer-day.json');
  const a = analyseDay(kin, CB05_DIAGNOSTICS, p, { keySpecies: 3 });
  const rir = (g: string) => a.rirGroups.find((r) => r.name === g)!.rir!;

  it('RIR_NOx < 0 and RIR_AVOC > 0; regime and the linearised ratio bound follow', () => {
    expect(rir('NOx')).toBeLessThan(0);
    expect(rir('AVOC')).toBeGreaterThan(0);
    expect(a.regime).toBe('VOC-limited');
    expect(a.rirRatio.value).toBeCloseTo(-rir('NOx') / rir('AVOC'), 12);
    // reactive classes matter more than the slow ones per unit cut
    expect(rir('alkene')).toBeGreaterThan(rir('alkyne'));
    expect(rir('aromatic')).toBeGreaterThan(0);
  });

  it('O3 production is daytime, OH peaks around noon at published urban levels (1e6-3e7 cm-3)', () => {
    const night = a.hours.filter((h) => h.szaDeg > 95);
    expect(night.length).toBeGreaterThan(6);
    for (const h of night) expect(h.pO3).toBeLessThan(0.5);
    const peakP = a.hours.reduce((b, h) => (h.pO3 > b.pO3 ? h : b));
    expect(peakP.hour).toBeGreaterThanOrEqual(10);
    expect(peakP.hour).toBeLessThanOrEqual(15);
    const noon = a.hours[12]!;
    expect(noon.ohPerCm3).toBeGreaterThan(1e6);
    expect(noon.ohPerCm3).toBeLessThan(3e7);
    expect(noon.pTerms['HO2+NO']).toBeGreaterThan(noon.pTerms['XO2+NO'] ?? 0);
    expect(noon.lTerms['OH+NO2']).toBeGreaterThan(0);
    expect(a.o3Agreement.n).toBe(24);
  });

  it('holds the observations: lumped VOCs exactly, NO + NO2 to the observed NOx, O3 free', () => {
    const inp = p.input.hours[12]!;
    const lumped = lumpVoc(Object.fromEntries([...p.voc].map(([id, v]) => [id, v[12]!]))).model;
    expect(a.hours[12]!.ppb.TOL).toBeCloseTo(lumped.TOL!, 9);
    expect(a.hours[12]!.ppb.PAR).toBeCloseTo(lumped.PAR!, 9);
    expect(a.hours[12]!.ppb.NO! + a.hours[12]!.ppb.NO2!).toBeCloseTo(inp.nox!, 6);
    expect(a.hours[12]!.ppb.CO).toBeCloseTo(inp.co!, 9);
    expect(a.hours[12]!.o3Model).not.toBeCloseTo(inp.o3!, 0);
  });
});

describe('suburb (low NOx): NOx-limited', () => {
  const a = analyseDay(kin, CB05_DIAGNOSTICS, prepared('suburban-low-nox-day.json'), { keySpecies: 0 });
  const rir = (g: string) => a.rirGroups.find((r) => r.name === g)!.rir!;
  it('RIR_NOx > 0 and RIR_NOx > RIR_AVOC; any VOC:NOx ratio lowers O3 (bound 0)', () => {
    expect(rir('NOx')).toBeGreaterThan(0);
    expect(rir('NOx')).toBeGreaterThan(rir('AVOC'));
    expect(a.regime).toBe('NOx-limited');
    expect(a.rirRatio.value).toBe(0);
  });
});

describe('EKMA isopleths from the model (urban day, coarse grid)', () => {
  const p = prepared('urban-summer-day.json', { spinupDays: 1, segmentsPerHour: 2 });
  const run = obmRunner(kin, CB05_DIAGNOSTICS, p);
  const voc = [0, 0.5, 1];
  const nox = [0, 0.25, 0.5, 0.75, 1, 1.25];
  const grid: EkmaGrid = { voc, nox, value: nox.map((n) => voc.map((v) => ekmaCell(run, v, n, 'peakO3'))) };

  it('has a ridge: at full VOC, peak O3 is largest at an interior NOx, and the ridge rises with VOC', () => {
    const ridge = ridgeLine(grid);
    const r1 = ridge[2]!, r05 = ridge[1]!;
    expect(r1.interior).toBe(true);
    expect(r1.nox).toBeLessThan(1); // base NOx (1.0) is above the ridge: VOC-limited, as the RIRs say
    expect(r05.nox).toBeLessThan(r1.nox);
  });

  it('the recommended path lowers O3 at every step, checked with direct model runs', () => {
    const ratio = ekmaRatio(grid, null);
    expect(ratio.monotoneRatio).not.toBeNull();
    expect(ratio.paths.find((x) => x.ratio === 0)!.monotone).toBe(false); // NOx-only cut: disbenefit
    const r = ratio.monotoneRatio!;
    const along = [0, 0.15, 0.3, 0.45].map((big) => {
      const vocCut = r === Infinity || r >= 1 ? big : big * r;
      const noxCut = r === Infinity ? 0 : r >= 1 ? big / r : big;
      return run({ voc: { AVOC: 1 - vocCut }, nox: 1 - noxCut }).peakO3;
    });
    for (let i = 1; i < along.length; i++) expect(along[i]!).toBeLessThan(along[i - 1]!);
  });
});

describe('uncertainty band of the RIR ratio', () => {
  it('perturbs photolysis, AVOC and NOx (6 members) and the band contains the central value', () => {
    const a = analyseDay(kin, CB05_DIAGNOSTICS, prepared('urban-summer-day.json', { spinupDays: 0, segmentsPerHour: 2 }), { keySpecies: 0, band: true });
    expect(a.rirRatio.members).toHaveLength(6);
    expect(a.rirRatio.value).not.toBeNull();
    expect(a.rirRatio.band![0]).toBeLessThanOrEqual(a.rirRatio.value!);
    expect(a.rirRatio.band![1]).toBeGreaterThanOrEqual(a.rirRatio.value!);
    expect(a.rirRatio.band![1]).toBeGreaterThan(a.rirRatio.band![0]);
  });
});

describe('mechanism checks at model build', () => {
  it('a J number without MCM parameters is refused up front', () => {
    const k = kineticsOf('#DEFVAR\nNO = IGNORE; NO2 = IGNORE; O3 = IGNORE; OH = IGNORE;\n#EQUATIONS\n<R1> NO2 + hv = NO + O3 : J(9) ;\n');
    expect(() => boxModel(k, CB05_DIAGNOSTICS)).toThrow(/J\(9\).*MCM v3.3.1/);
  });
});
