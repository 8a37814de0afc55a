/**
 * Diagnostic ratios of VOC pairs (ppbv/ppbv), taken as ratio of sums over the cycles where both
 * species were measured (so a missing cycle of one species does not bias the other).
 * Source indications are literature rules of thumb [UNCERTAIN]; they are shown as hints, never as
 * a classification.
 */
import { SPECIES_BY_ID } from './species.ts';

export interface RatioDef {
  key: string;
  numerator: readonly string[];
  denominator: readonly string[];
  label: { en: string; zh: string };
  hint: { en: string; zh: string };
}

export const RATIO_DEFS: readonly RatioDef[] = [
  {
    key: 'toluene/benzene', numerator: ['toluene'], denominator: ['benzene'],
    label: { en: 'Toluene/benzene', zh: '甲苯/苯' },
    hint: {
      en: 'about 0.2-0.6 biomass or coal burning, about 1.5-2 traffic, higher: solvents/industry (literature rule of thumb, UNCERTAIN)',
      zh: '约0.2-0.6指示生物质/燃煤燃烧，约1.5-2指示机动车，更高指示溶剂使用/工业（文献经验值，不确定）',
    },
  },
  {
    key: 'isopentane/n-pentane', numerator: ['isopentane'], denominator: ['n-pentane'],
    label: { en: 'i-/n-pentane', zh: '异戊烷/正戊烷' },
    hint: {
      en: 'about 2.2-3.8 vehicle exhaust, 1.8-4.6 fuel evaporation, 0.8-0.9 natural gas, 0.6-0.8 coal combustion (literature rule of thumb, UNCERTAIN)',
      zh: '约2.2-3.8机动车尾气，1.8-4.6油品挥发，0.8-0.9天然气，0.6-0.8燃煤（文献经验值，不确定）',
    },
  },
  {
    key: 'ethylbenzene/xylenes', numerator: ['ethylbenzene'], denominator: ['mp-xylene', 'm-xylene', 'p-xylene'],
    label: { en: 'Ethylbenzene/m,p-xylene', zh: '乙苯/间对二甲苯' },
    hint: {
      en: 'rises with photochemical age: m/p-xylene reacts with OH about 2.7 times faster than ethylbenzene (kOH 18.7 vs 7.0e-12)',
      zh: '随光化学老化程度升高：间/对二甲苯与OH反应速率约为乙苯的2.7倍（kOH 18.7对7.0×10⁻¹²）',
    },
  },
];

export interface RatioResult {
  key: string;
  label: { en: string; zh: string };
  value: number | null;
  /** Cycles where numerator and denominator were both present. */
  n: number;
  hint: { en: string; zh: string };
}

type Conc = ReadonlyMap<string, number>;

/** Sum of the ids present in a cycle; for the xylenes, m/p-xylene or m + p (never both). */
function pick(c: Conc, ids: readonly string[]): number | null {
  if (ids.includes('mp-xylene')) {
    if (c.has('mp-xylene')) return c.get('mp-xylene')!;
    if (c.has('m-xylene') && c.has('p-xylene')) return c.get('m-xylene')! + c.get('p-xylene')!;
    return null;
  }
  let s = 0;
  for (const id of ids) {
    const v = c.get(id);
    if (v === undefined) return null;
    s += v;
  }
  return s;
}

/** One ratio over a set of cycles (ratio of sums over paired cycles). */
export function ratioOver(cycles: readonly Conc[], def: RatioDef): RatioResult {
  let num = 0, den = 0, n = 0;
  for (const c of cycles) {
    const a = pick(c, def.numerator), b = pick(c, def.denominator);
    if (a === null || b === null) continue;
    num += a; den += b; n++;
  }
  return { key: def.key, label: def.label, value: n > 0 && den > 0 ? num / den : null, n, hint: def.hint };
}

export function diagnosticRatios(cycles: readonly Conc[]): RatioResult[] {
  return RATIO_DEFS.map((d) => ratioOver(cycles, d));
}

export interface IsopreneMarker {
  /** mean ppbv over all cycles with isoprene */
  mean: number | null;
  /** mean over hour labels 11-15 (10:00-15:00 Beijing) */
  midday: number | null;
  /** mean over hour labels 1-5 (00:00-05:00) */
  night: number | null;
  middayToNight: number | null;
  n: number;
  hint: { en: string; zh: string };
}

/** Isoprene as the biogenic marker: a midday maximum points to biogenic emission (light and
 *  temperature driven); a flat or night-high profile points to traffic or other sources. */
export function isopreneMarker(cycles: readonly { hour: number; conc: Conc }[]): IsopreneMarker {
  const all: number[] = [], mid: number[] = [], night: number[] = [];
  for (const { hour, conc } of cycles) {
    const v = conc.get('isoprene');
    if (v === undefined) continue;
    all.push(v);
    if (hour >= 11 && hour <= 15) mid.push(v);
    if (hour >= 1 && hour <= 5) night.push(v);
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const m = mean(mid), nt = mean(night);
  return {
    mean: mean(all), midday: m, night: nt, middayToNight: m !== null && nt !== null && nt > 0 ? m / nt : null, n: all.length,
    hint: {
      en: 'midday/night > 1 suggests biogenic isoprene (light- and temperature-driven); ~1 or below suggests traffic or other sources',
      zh: '午间/夜间比值>1提示天然源异戊二烯（受光照和温度驱动）；接近或小于1提示机动车等其他来源',
    },
  };
}

export const SPECIES_NAME = (id: string) => SPECIES_BY_ID.get(id)?.name ?? id;
