/**
 * The mixed-layer setting of the box model (BoxSettings.mixingHeightM): deposition scales with
 * 1000 m / height, and a growing layer entrains background air so that (c - c_bg) falls by exactly
 * h0/h1 over the hour. Checked on an inert O3 (a mechanism whose only reaction has rate 0), where
 * the answers are closed-form, then on the urban fixture: the modelled peak comes down towards the
 * observed one (docs/obm.md, "Limits to know").
 */
import { describe, expect, it } from 'vitest';
import { analyseDay } from '../../../common/obm/analysis.ts';
import { boxModel, CB05_DIAGNOSTICS, DEFAULT_BOX_SETTINGS, type BoxHour, type BoxRun } from '../../../common/obm/box.ts';
import { checkObmInput, prepareInput, type ObmInput } from '../../../common/obm/input.ts';
import { TYPICAL_SUMMER_MIXING_HEIGHT_M } from '../../../common/obm/mixing-layer.ts';
import { CB05_TEXT, fixture, kineticsOf } from './helpers.ts';

const INERT = `#DEFVAR
NO = IGNORE; NO2 = IGNORE; O3 = IGNORE; OH = IGNORE; HO2 = IGNORE; O1D = IGNORE; HNO3 = IGNORE;
#DEFFIX
M = IGNORE; H2O = IGNORE;
#EQUATIONS
<R1> O1D + M = O3 : 0.0 ;
`;
const kin = kineticsOf(INERT);
const diag = { ...CB05_DIAGNOSTICS, ro2: [] };
const night: BoxHour = { tempK: 298, pressureHPa: 1013, rhPct: 50, jno2: null, held: {}, noxPpb: null, o3ObsPpb: null };
const run = (mixingHeightM: number[] | null, dep: number, bg = 40): number[] => {
  const cfg: BoxRun = {
    latDeg: 40, lonDeg: 116, startUtcMs: Date.UTC(2026, 6, 9, 16), hours: Array.from({ length: 24 }, () => night), initialPpb: { O3: 100 },
    settings: { ...DEFAULT_BOX_SETTINGS, spinupDays: 0, rtol: 1e-8, atol: 1, dilutionPerS: 0, backgroundPpb: { O3: bg }, depositionPerS: { O3: dep }, mixingHeightM },
    diagnostics: diag,
  };
  return boxModel(kin, diag).run(cfg).hours.map((h) => h.ppb.O3!);
};
/** The model's hour mean (the mean of its 4 segment-end values) of bg + (c0 - bg) e^{-k t}, kT = k x 1 h. */
const hourMean = (c0: number, bg: number, kT: number, seg = DEFAULT_BOX_SETTINGS.segmentsPerHour) =>
  bg + ((c0 - bg) / seg) * Array.from({ length: seg }, (_, q) => Math.exp((-kT * (q + 1)) / seg)).reduce((a, b) => a + b, 0);

describe('mixed layer on an inert O3', () => {
  it('a layer growing from 400 to 800 m dilutes (O3 - background) by exactly half over that hour', () => {
    const prof = [400, ...Array(22).fill(800), 400];
    const o3 = run(prof, 0);
    expect(o3[0]).toBeCloseTo(100, 6); // hour 23 -> 0: 400 -> 400, nothing entrained
    expect(o3[1]).toBeCloseTo(hourMean(100, 40, Math.log(2)), 4);
    expect(o3[2]).toBeCloseTo(70, 4); // 40 + 60 x 400/800
    expect(o3[23]).toBeCloseTo(70, 4); // collapse entrains nothing
  });
  it('deposition scales as 1000 m / height', () => {
    const k = 4e-6 * (1000 / 500);
    expect(run(Array(24).fill(500), 4e-6)[0]).toBeCloseTo(hourMean(100, 0, k * 3600), 6);
  });
  it('a constant 1000 m layer is the same as no layer', () => {
    expect(run(Array(24).fill(1000), 4e-6)).toEqual(run(null, 4e-6));
  });
});

describe('mixed layer on the urban fixture (CB05)', () => {
  it('brings the modelled O3 peak and bias towards the observations; the regime stays', () => {
    const cb = kineticsOf(CB05_TEXT);
    const base = fixture('urban-summer-day.json') as ObmInput;
    const with_ = (s: object) => {
      const c = checkObmInput({ ...base, settings: { ...(base.settings ?? {}), spinupDays: 1, ...s } });
      if (!c.ok) throw new Error(JSON.stringify(c.errors));
      const p = prepareInput(c.value, cb);
      if (!p.ok) throw new Error(JSON.stringify(p.errors));
      return analyseDay(cb, CB05_DIAGNOSTICS, p.value, { keySpecies: 0 });
    };
    const flat = with_({});
    const ml = with_({ mixingHeightM: TYPICAL_SUMMER_MIXING_HEIGHT_M });
    const obsPeak = Math.max(...base.hours.map((h) => h.o3 ?? 0));
    expect(Math.abs(ml.peakO3 - obsPeak)).toBeLessThan(Math.abs(flat.peakO3 - obsPeak));
    expect(Math.abs(ml.o3Agreement.meanBiasPpb!)).toBeLessThan(Math.abs(flat.o3Agreement.meanBiasPpb!));
    expect(ml.regime).toBe(flat.regime);
  }, 60_000);
  it.each([[[1, 2, 3]], [Array(24).fill(10)], [Array(24).fill('500')]])('a bad mixingHeightM is refused with its path: %j', (v) => {
    const c = checkObmInput({ ...(fixture('urban-summer-day.json') as object), settings: { mixingHeightM: v } });
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.errors[0]!.path).toMatch(/^settings\.mixingHeightM/);
  });
});
