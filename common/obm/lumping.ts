/**
 * Lumping of the analyzer's species (common/voc/species.ts ids: the 57 PAMS, the OVOCs, isoprene)
 * onto CB05 model species, by the carbon-bond convention (Yarwood et al. 2005, section 3 and the
 * CB05 species-assignment tables that EPA SPECIATE uses): each molecule becomes whole model
 * species plus PAR bonds for the carbons the core species does not cover, e.g. 1-butene =
 * OLE + 2 PAR, ethylbenzene = TOL + PAR. Unreactive carbon (UNR/NR in CB05) is dropped. Species
 * with no row (halocarbons, carbon disulfide) are treated as unreactive and listed by `lumpVoc`.
 *
 * Approximations a reader should know (kOH of the surrogate vs the species, REFERENCE 5.2):
 * - propane 1.5 PAR (+1.5 NR): 1.2e-12 vs 1.09e-12; ethane -> ETHA (CB05 has it explicitly).
 * - acetylene 1 PAR (+1 NR): 0.81e-12 vs ~0.8e-12 (CB05 has no alkyne species).
 * - benzene 1 PAR (+5 NR): 0.81e-12 vs 1.22e-12, as CB05 does; its ring chemistry is not kept.
 * - ketones (acetone, MEK, MIBK) and esters/ethers as PAR, as CB05 does.
 * - MACR and MVK -> ISPD (CB05's lumped isoprene product), acrolein -> ALDX.
 * - styrene OLE (+6 NR: its ring is not reactive on a day's scale); 1,3-butadiene 2 OLE;
 *   naphthalene XYL + 2 PAR.
 */
import { SPECIES_BY_ID, type SpeciesGroup } from '../voc/species.ts';

export type Lump = readonly (readonly [model: string, count: number])[];

// prettier-ignore
export const CB05_LUMPING: Readonly<Record<string, Lump>> = {
  // alkanes
  'ethane': [['ETHA', 1]],
  'propane': [['PAR', 1.5]],
  'isobutane': [['PAR', 4]],
  'n-butane': [['PAR', 4]],
  'isopentane': [['PAR', 5]],
  'n-pentane': [['PAR', 5]],
  '22-dimethylbutane': [['PAR', 5]],
  'cyclopentane': [['PAR', 5]],
  '23-dimethylbutane': [['PAR', 6]],
  '2-methylpentane': [['PAR', 6]],
  '3-methylpentane': [['PAR', 6]],
  'n-hexane': [['PAR', 6]],
  'methylcyclopentane': [['PAR', 6]],
  '24-dimethylpentane': [['PAR', 7]],
  'cyclohexane': [['PAR', 6]],
  '2-methylhexane': [['PAR', 7]],
  '23-dimethylpentane': [['PAR', 7]],
  '3-methylhexane': [['PAR', 7]],
  '224-trimethylpentane': [['PAR', 7]],
  'n-heptane': [['PAR', 7]],
  'methylcyclohexane': [['PAR', 7]],
  '234-trimethylpentane': [['PAR', 8]],
  '2-methylheptane': [['PAR', 8]],
  '3-methylheptane': [['PAR', 8]],
  'n-octane': [['PAR', 8]],
  'n-nonane': [['PAR', 9]],
  'n-decane': [['PAR', 10]],
  'n-undecane': [['PAR', 11]],
  'n-dodecane': [['PAR', 12]],
  // alkenes, alkyne
  'ethylene': [['ETH', 1]],
  'propylene': [['OLE', 1], ['PAR', 1]],
  '1-butene': [['OLE', 1], ['PAR', 2]],
  'trans-2-butene': [['IOLE', 1]],
  'cis-2-butene': [['IOLE', 1]],
  '1-pentene': [['OLE', 1], ['PAR', 3]],
  'trans-2-pentene': [['IOLE', 1], ['PAR', 1]],
  'cis-2-pentene': [['IOLE', 1], ['PAR', 1]],
  '1-hexene': [['OLE', 1], ['PAR', 4]],
  '13-butadiene': [['OLE', 2]],
  'acetylene': [['PAR', 1]],
  // biogenic
  'isoprene': [['ISOP', 1]],
  // aromatics
  'benzene': [['PAR', 1]],
  'toluene': [['TOL', 1]],
  'ethylbenzene': [['TOL', 1], ['PAR', 1]],
  'm-xylene': [['XYL', 1]],
  'p-xylene': [['XYL', 1]],
  'mp-xylene': [['XYL', 1]],
  'o-xylene': [['XYL', 1]],
  'styrene': [['OLE', 1]],
  'isopropylbenzene': [['TOL', 1], ['PAR', 2]],
  'n-propylbenzene': [['TOL', 1], ['PAR', 2]],
  'm-ethyltoluene': [['XYL', 1], ['PAR', 1]],
  'p-ethyltoluene': [['XYL', 1], ['PAR', 1]],
  'o-ethyltoluene': [['XYL', 1], ['PAR', 1]],
  '135-trimethylbenzene': [['XYL', 1], ['PAR', 1]],
  '124-trimethylbenzene': [['XYL', 1], ['PAR', 1]],
  '123-trimethylbenzene': [['XYL', 1], ['PAR', 1]],
  'm-diethylbenzene': [['XYL', 1], ['PAR', 2]],
  'p-diethylbenzene': [['XYL', 1], ['PAR', 2]],
  'naphthalene': [['XYL', 1], ['PAR', 2]],
  // OVOCs
  'formaldehyde': [['FORM', 1]],
  'acetaldehyde': [['ALD2', 1]],
  'propanal': [['ALDX', 1], ['PAR', 1]],
  'n-butanal': [['ALDX', 1], ['PAR', 2]],
  'n-pentanal': [['ALDX', 1], ['PAR', 3]],
  'n-hexanal': [['ALDX', 1], ['PAR', 4]],
  'acrolein': [['ALDX', 1]],
  'methacrolein': [['ISPD', 1]],
  'methyl-vinyl-ketone': [['ISPD', 1]],
  'acetone': [['PAR', 3]],
  '2-butanone': [['PAR', 4]],
  'mibk': [['PAR', 6]],
  'methanol': [['MEOH', 1]],
  'ethanol': [['ETOH', 1]],
  'isopropanol': [['PAR', 3]],
  'mtbe': [['PAR', 4]],
  'ethyl-acetate': [['PAR', 4]],
  'n-butyl-acetate': [['PAR', 6]],
  'vinyl-acetate': [['OLE', 1], ['PAR', 1]],
  'tetrahydrofuran': [['PAR', 4]],
  // halocarbons with a reactive double bond
  'vinyl-chloride': [['OLE', 1]],
  'trichloroethylene': [['PAR', 1]],
  'trans-13-dichloropropene': [['OLE', 1]],
  'cis-13-dichloropropene': [['OLE', 1]],
};

export interface LumpResult {
  /** Model species -> ppb. */
  readonly model: Readonly<Record<string, number>>;
  /** Analyzer species with no lumping row (treated as unreactive). */
  readonly unreactive: readonly string[];
}

/** Lump analyzer-species ppb values onto model species (ppb of model species / PAR bonds). */
export function lumpVoc(ppb: Readonly<Record<string, number>>, table: Readonly<Record<string, Lump>> = CB05_LUMPING): LumpResult {
  const model: Record<string, number> = {};
  const unreactive: string[] = [];
  for (const [id, v] of Object.entries(ppb)) {
    const row = table[id];
    if (!row) { unreactive.push(id); continue; }
    for (const [m, n] of row) model[m] = (model[m] ?? 0) + v * n;
  }
  return { model, unreactive };
}

/** RIR precursor group of an analyzer species: AVOC by class, or BVOC for isoprene. */
export type PrecursorGroup = 'alkane' | 'alkene' | 'alkyne' | 'aromatic' | 'ovoc' | 'BVOC' | 'other';

export function precursorGroup(id: string): PrecursorGroup {
  const g: SpeciesGroup | undefined = SPECIES_BY_ID.get(id)?.group;
  if (g === 'biogenic') return 'BVOC';
  if (g === 'alkane' || g === 'alkene' || g === 'alkyne' || g === 'aromatic' || g === 'ovoc') return g;
  return 'other';
}
