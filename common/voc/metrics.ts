/**
 * Composition, ozone formation potential and OH reactivity of one set of VOC concentrations
 * (a cycle, or the mean over a period). Formulas from REFERENCE 5.3:
 *   OFP_i [ug/m3 O3] = C_i [ug/m3] x MIR_i [g O3 / g VOC]          (scale named in the result)
 *   L_OH,i [s-1]     = kOH,i [cm3 molecule-1 s-1] x [VOC_i] [molecule cm-3]
 * OFP and L_OH are linear in concentration, so the OFP of a period mean is the mean of the OFPs
 * (for species present in every cycle) and totals are plain sums over species.
 */
import type { ReferenceState } from '#common/standards/units.ts';
import { GROUP_LABELS, MIR_SCALE_LABELS, mirOf, SPECIES_BY_ID, SPECIES_GROUPS, type MirScale, type SpeciesGroup } from './species.ts';
import { numberDensityPerPpbv, ppbvToUgm3, VOC_REFERENCE, vm } from './units.ts';

export interface SpeciesMetric {
  id: string;
  name: string;
  zh: string;
  group: SpeciesGroup;
  ppbv: number;
  ppbC: number;
  ugm3: number;
  /** MIR used (null when the chosen scale has none for this species: OFP not computed). */
  mir: number | null;
  /** ug/m3 O3 */
  ofp: number | null;
  /** kOH used, 1e-12 cm3 molecule-1 s-1 */
  koh: number;
  kohEstimate: boolean;
  /** s-1 */
  loh: number;
}

export interface GroupMetric {
  group: SpeciesGroup;
  ppbv: number;
  ppbC: number;
  ugm3: number;
  ofp: number;
  loh: number;
  /** Shares of the totals, 0..1 (null when the total is 0). */
  ofpShare: number | null;
  lohShare: number | null;
  ppbCShare: number | null;
}

export interface Conditions {
  kelvin: number;
  hPa: number;
  molarVolumeL: number;
  moleculesPerCm3PerPpbv: number;
}

export interface Composition {
  tvoc: { ppbv: number; ppbC: number; ugm3: number };
  ofpTotal: number;
  lohTotal: number;
  species: SpeciesMetric[];
  groups: GroupMetric[];
  mirScale: MirScale;
  mirScaleLabel: string;
  conditions: Conditions;
  /** Species present but without an MIR on the chosen scale (OFP left out of the total). */
  ofpMissing: string[];
}

export interface MetricOptions {
  mirScale?: MirScale;
  ref?: ReferenceState;
}

export function conditionsOf(ref: ReferenceState = VOC_REFERENCE): Conditions {
  return { kelvin: ref.kelvin, hPa: ref.hPa, molarVolumeL: vm(ref), moleculesPerCm3PerPpbv: numberDensityPerPpbv(ref) };
}

/** Metrics of one species at `ppbv`. */
export function speciesMetric(id: string, ppbv: number, opts: MetricOptions = {}): SpeciesMetric {
  const s = SPECIES_BY_ID.get(id);
  if (!s) throw new Error(`speciesMetric: unknown species ${id}`); // callers pass only usable ids
  const ref = opts.ref ?? VOC_REFERENCE;
  const ugm3 = ppbvToUgm3(ppbv, s, ref);
  const mir = mirOf(s, opts.mirScale ?? 'carter2010');
  return {
    id, name: s.name, zh: s.zh, group: s.group, ppbv, ppbC: ppbv * s.carbon, ugm3, mir,
    ofp: mir === null ? null : ugm3 * mir,
    koh: s.koh.value, kohEstimate: s.koh.estimate,
    loh: s.koh.value * 1e-12 * ppbv * numberDensityPerPpbv(ref),
  };
}

/** Composition of a set of concentrations (canonical id -> ppbv; only known ids, >= 0). */
export function composition(conc: ReadonlyMap<string, number> | Readonly<Record<string, number>>, opts: MetricOptions = {}): Composition {
  const entries = conc instanceof Map ? [...conc.entries()] : Object.entries(conc);
  const species = entries.map(([id, v]) => speciesMetric(id, v, opts));
  const g = new Map<SpeciesGroup, GroupMetric>();
  for (const grp of SPECIES_GROUPS) g.set(grp, { group: grp, ppbv: 0, ppbC: 0, ugm3: 0, ofp: 0, loh: 0, ofpShare: null, lohShare: null, ppbCShare: null });
  let ppbv = 0, ppbC = 0, ugm3 = 0, ofpTotal = 0, lohTotal = 0;
  const ofpMissing: string[] = [];
  for (const m of species) {
    const gm = g.get(m.group)!;
    gm.ppbv += m.ppbv; gm.ppbC += m.ppbC; gm.ugm3 += m.ugm3; gm.loh += m.loh;
    ppbv += m.ppbv; ppbC += m.ppbC; ugm3 += m.ugm3; lohTotal += m.loh;
    if (m.ofp === null) ofpMissing.push(m.id);
    else { gm.ofp += m.ofp; ofpTotal += m.ofp; }
  }
  const groups = [...g.values()].filter((x) => species.some((s) => s.group === x.group));
  for (const x of groups) {
    x.ofpShare = ofpTotal > 0 ? x.ofp / ofpTotal : null;
    x.lohShare = lohTotal > 0 ? x.loh / lohTotal : null;
    x.ppbCShare = ppbC > 0 ? x.ppbC / ppbC : null;
  }
  const scale = opts.mirScale ?? 'carter2010';
  return {
    tvoc: { ppbv, ppbC, ugm3 }, ofpTotal, lohTotal, species, groups,
    mirScale: scale, mirScaleLabel: MIR_SCALE_LABELS[scale], conditions: conditionsOf(opts.ref), ofpMissing,
  };
}

export interface RankedSpecies {
  rank: number;
  id: string;
  name: string;
  zh: string;
  group: SpeciesGroup;
  value: number;
  share: number | null;
  ppbv: number;
}

/** Species ranked by OFP or L_OH, largest first; ties broken by id so the order is stable. */
export function rankSpecies(c: Composition, by: 'ofp' | 'loh', n = 10): RankedSpecies[] {
  const total = by === 'ofp' ? c.ofpTotal : c.lohTotal;
  return c.species
    .filter((s) => s[by] !== null)
    .map((s) => ({ s, v: s[by] as number }))
    .sort((a, b) => b.v - a.v || (a.s.id < b.s.id ? -1 : a.s.id > b.s.id ? 1 : 0))
    .slice(0, n)
    .map(({ s, v }, i) => ({ rank: i + 1, id: s.id, name: s.name, zh: s.zh, group: s.group, value: v, share: total > 0 ? v / total : null, ppbv: s.ppbv }));
}

/**
 * OH reactivity of inorganic gases measured at the station, to set beside the VOC L_OH.
 * kOH(OH + NO2 + M -> HNO3) ~ 1.1e-11 cm3 molecule-1 s-1 at 298 K and 1 atm (effective
 * termolecular rate; value given in the issue; JPL/IUPAC evaluations put it near 1.0-1.2e-11):
 * UNCERTAIN. kOH(CO) = 2.4e-13 (REFERENCE 5.3, UNCERTAIN; pressure dependent).
 * NO is left out (OH + NO -> HONO is a minor sink in daytime and its rate was not checked).
 */
export const INORGANIC_KOH = Object.freeze({
  no2: { k: 1.1e-11, source: 'issue text; JPL/IUPAC evaluations ~1.0-1.2e-11 at 298 K, 1 atm (UNCERTAIN)' },
  co: { k: 2.4e-13, source: 'REFERENCE 5.3 (UNCERTAIN)' },
});

export interface LohBudget {
  voc: number;
  no2: number | null;
  co: number | null;
  total: number;
  shares: { voc: number | null; no2: number | null; co: number | null };
}

/** L_OH budget: VOC L_OH plus NO2 (ppbv) and CO (ppbv) when measured. */
export function lohBudget(vocLoh: number, no2Ppbv: number | null, coPpbv: number | null, ref: ReferenceState = VOC_REFERENCE): LohBudget {
  const nd = numberDensityPerPpbv(ref);
  const no2 = no2Ppbv === null ? null : INORGANIC_KOH.no2.k * no2Ppbv * nd;
  const co = coPpbv === null ? null : INORGANIC_KOH.co.k * coPpbv * nd;
  const total = vocLoh + (no2 ?? 0) + (co ?? 0);
  const sh = (x: number | null) => (x === null || total <= 0 ? null : x / total);
  return { voc: vocLoh, no2, co, total, shares: { voc: sh(vocLoh), no2: sh(no2), co: sh(co) } };
}

export { GROUP_LABELS };
