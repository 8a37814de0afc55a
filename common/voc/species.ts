/**
 * VOC species registry: names (English, Chinese, vendor/lab spellings, HJ 212 codes), CAS, formula,
 * MW, group, carbon number, MIR and kOH, each number with its source.
 *
 * Sources (transcribed from ../shared/domain/REFERENCE.md section 5.2, which read them from):
 * - MW, CAS, Chinese names, MIR Carter-2010 (SAPRC-07 MIR, Carter rev. Jan 2010, CARB mir10.pdf),
 *   MIR-CN (Zhang et al., ACP 21, 11053, 2021), kOH Atkinson/Arey recommended values and kOH AOPWIN
 *   (EPI Suite estimates): `tianshu129/foqat` R/sysdata.rda, commit bc3ce760.
 * - MIR and kOH "AeroViz": `Alex870521/AeroViz` AeroViz/dataProcess/VOC/support_voc.json, commit b046546d.
 *   Kept only as a cross-check; REFERENCE lists its known kOH errors (cis/trans-2-butene and
 *   m/p-ethyltoluene swapped, m/p-diethylbenzene copied from the trimethylbenzenes, ...).
 * - HJ 212 codes: HJ 212-2017 Table B.2 (REFERENCE 7.4); a vendor table (T_BAS_FACTOR, 2018) for
 *   the PAMS species the standard does not code. The two conflict (a24042), so the code map is a
 *   parameter of resolveSpecies, keyed per analyzer by the caller.
 *
 * kOH rule (REFERENCE 5.2): prefer Atkinson; else AOPWIN, marked `estimate: true`. kOH values are
 * stored in units of 1e-12 cm3 molecule-1 s-1, as the tables print them.
 *
 * Carbon number is derived from the formula (not typed twice); tests check MW against the formula.
 */

export type SpeciesGroup =
  | 'alkane'
  | 'alkene'
  | 'alkyne'
  | 'aromatic'
  | 'ovoc'
  | 'halocarbon'
  | 'biogenic'
  | 'other';

export const SPECIES_GROUPS: readonly SpeciesGroup[] = [
  'alkane', 'alkene', 'alkyne', 'aromatic', 'ovoc', 'halocarbon', 'biogenic', 'other',
];

export const GROUP_LABELS: Readonly<Record<SpeciesGroup, { en: string; zh: string }>> = {
  alkane: { en: 'Alkanes', zh: '烷烃' },
  alkene: { en: 'Alkenes', zh: '烯烃' },
  alkyne: { en: 'Alkyne', zh: '炔烃' },
  aromatic: { en: 'Aromatics', zh: '芳香烃' },
  ovoc: { en: 'OVOCs', zh: '含氧VOCs' },
  halocarbon: { en: 'Halocarbons', zh: '卤代烃' },
  biogenic: { en: 'Biogenic (isoprene, pinene)', zh: '天然源(异戊二烯、蒎烯)' },
  other: { en: 'Other', zh: '其他' },
};

export type KohSource = 'atkinson' | 'aopwin' | 'aeroviz';

export interface SpeciesInfo {
  /** Canonical id: a stable slug ('toluene', 'mp-xylene', 'n-butane'); VocCycle keys use it. */
  readonly id: string;
  readonly name: string;
  readonly zh: string;
  /** CAS registry number; for the co-eluted m/p-xylene peak, both CAS joined by '+'. */
  readonly cas: string;
  readonly formula: string;
  /** g/mol (foqat). */
  readonly mw: number;
  /** Carbon atoms per molecule, from the formula; ppbC = ppbv x carbon. */
  readonly carbon: number;
  readonly group: SpeciesGroup;
  /** One of the 57 PAMS target species (or the co-eluted m/p-xylene peak). */
  readonly pams: boolean;
  readonly mir: {
    /** g O3 / g VOC, SAPRC-07 MIR (Carter 2010) via foqat: the default scale. */
    readonly carter2010: number;
    /** Independent transcription (AeroViz), null when absent there. */
    readonly aeroviz: number | null;
    /** China-specific MIR (Zhang et al. 2021), a different and lower scale; null when absent. */
    readonly cn2021: number | null;
  };
  readonly koh: {
    /** kOH at 298 K in 1e-12 cm3 molecule-1 s-1, chosen by the rule above. */
    readonly value: number;
    readonly source: KohSource;
    /** True when the chosen value is a structure-activity estimate (AOPWIN), not a measurement. */
    readonly estimate: boolean;
    readonly atkinson: number | null;
    readonly aopwin: number | null;
    readonly aeroviz: number | null;
  };
  /** Species whose peaks this one lumps (m/p-xylene). */
  readonly coelutes?: readonly string[];
  readonly aliases: readonly string[];
  readonly note?: string;
}

type Row = [
  id: string,
  name: string,
  zh: string,
  cas: string,
  formula: string,
  mw: number,
  group: SpeciesGroup,
  mirCarter: number,
  mirAeroviz: number | null,
  mirCn: number | null,
  kAtkinson: number | null,
  kAopwin: number | null,
  kAeroviz: number | null,
  aliases: string[],
  note?: string,
];

const _ = null;

// REFERENCE 5.2, rows 1-57 (PAMS) then 58-99. Order and numbers as in the table.
// prettier-ignore
const ROWS: Row[] = [
  ['ethane', 'Ethane', '乙烷', '74-84-0', 'C2H6', 30.07, 'alkane', 0.28, 0.28, 0.14, 0.248, 0.272, 0.248, []],
  ['propane', 'Propane', '丙烷', '74-98-6', 'C3H8', 44.1, 'alkane', 0.49, 0.49, 0.25, 1.09, 1.27, 1.09, []],
  ['isobutane', 'Isobutane', '异丁烷', '75-28-5', 'C4H10', 58.12, 'alkane', 1.23, 1.23, 0.83, 2.12, 2.44, 2.12, ['i-butane', '2-methylpropane', '2-甲基丙烷']],
  ['n-butane', 'n-Butane', '正丁烷', '106-97-8', 'C4H10', 58.12, 'alkane', 1.15, 1.15, 0.75, 2.36, 2.63, 2.36, ['butane', '丁烷']],
  ['isopentane', 'Isopentane', '异戊烷', '78-78-4', 'C5H12', 72.15, 'alkane', 1.45, 1.45, 0.91, 3.6, 4.04, 3.6, ['i-pentane', '2-methylbutane', '2-甲基丁烷']],
  ['n-pentane', 'n-Pentane', '正戊烷', '109-66-0', 'C5H12', 72.15, 'alkane', 1.31, 1.31, 0.87, 3.8, 4.05, 3.8, ['pentane', '戊烷']],
  ['22-dimethylbutane', '2,2-Dimethylbutane', '2,2-二甲基丁烷', '75-83-2', 'C6H14', 86.18, 'alkane', 1.17, 1.17, 0.74, 2.23, 1.82, 2.23, ['neohexane']],
  ['cyclopentane', 'Cyclopentane', '环戊烷', '287-92-3', 'C5H10', 70.13, 'alkane', 2.39, 2.39, _, 4.97, 4.52, 4.97, []],
  ['23-dimethylbutane', '2,3-Dimethylbutane', '2,3-二甲基丁烷', '79-29-8', 'C6H14', 86.18, 'alkane', 0.97, 0.97, 0.81, 5.78, 5.44, 5.78, []],
  ['2-methylpentane', '2-Methylpentane', '2-甲基戊烷', '107-83-5', 'C6H14', 86.18, 'alkane', 1.5, 1.5, 1.12, 5.2, 5.45, 5.4, ['isohexane']],
  ['3-methylpentane', '3-Methylpentane', '3-甲基戊烷', '96-14-0', 'C6H14', 86.18, 'alkane', 1.8, 1.8, 1.19, 5.2, 5.73, 5.2, []],
  ['n-hexane', 'n-Hexane', '正己烷', '110-54-3', 'C6H14', 86.18, 'alkane', 1.24, 1.24, 0.62, 5.2, 5.46, 5.2, ['hexane', '己烷']],
  ['methylcyclopentane', 'Methylcyclopentane', '甲基环戊烷', '96-37-7', 'C6H12', 84.16, 'alkane', 2.19, 2.19, _, _, 5.66, 5.2, [], 'no measured kOH in foqat'],
  ['24-dimethylpentane', '2,4-Dimethylpentane', '2,4-二甲基戊烷', '108-08-7', 'C7H16', 100.2, 'alkane', 1.55, 1.55, _, 4.77, 6.85, 4.77, []],
  ['cyclohexane', 'Cyclohexane', '环己烷', '110-82-7', 'C6H12', 84.16, 'alkane', 1.25, 1.25, 1.29, 6.97, 8.48, 6.97, []],
  ['2-methylhexane', '2-Methylhexane', '2-甲基己烷', '591-76-4', 'C7H16', 100.2, 'alkane', 1.19, 1.19, 0.73, _, 6.86, 5.65, [], 'no measured kOH in foqat'],
  ['23-dimethylpentane', '2,3-Dimethylpentane', '2,3-二甲基戊烷', '565-59-3', 'C7H16', 100.2, 'alkane', 1.34, 1.34, _, _, 7.14, 1.5, [], 'kOH differs >20% (AeroViz 1.5); no measured kOH in foqat'],
  ['3-methylhexane', '3-Methylhexane', '3-甲基己烷', '589-34-4', 'C7H16', 100.2, 'alkane', 1.61, 1.61, 1.06, _, 7.15, 7, [], 'no measured kOH in foqat'],
  ['224-trimethylpentane', '2,2,4-Trimethylpentane', '2,2,4-三甲基戊烷', '540-84-1', 'C8H18', 114.23, 'alkane', 1.26, 1.26, _, 3.34, 4.64, 3.34, ['isooctane', '异辛烷']],
  ['n-heptane', 'n-Heptane', '正庚烷', '142-82-5', 'C7H16', 100.2, 'alkane', 1.07, 1.07, 0.28, 6.76, 6.87, 6.76, ['heptane', '庚烷']],
  ['methylcyclohexane', 'Methylcyclohexane', '甲基环己烷', '108-87-2', 'C7H14', 98.19, 'alkane', 1.7, 1.7, _, 9.64, 10.2, 4.97, [], 'kOH differs >20% (AeroViz 4.97)'],
  ['234-trimethylpentane', '2,3,4-Trimethylpentane', '2,3,4-三甲基戊烷', '565-75-3', 'C8H18', 114.23, 'alkane', 1.03, 1.03, _, 6.6, 8.54, 6.6, []],
  ['2-methylheptane', '2-Methylheptane', '2-甲基庚烷', '592-27-8', 'C8H18', 114.23, 'alkane', 1.07, 1.07, _, _, 8.28, 7, [], 'no measured kOH in foqat'],
  ['3-methylheptane', '3-Methylheptane', '3-甲基庚烷', '589-81-1', 'C8H18', 114.23, 'alkane', 1.24, 1.24, _, _, 8.56, 5.6, [], 'kOH differs >20% (AeroViz 5.6); no measured kOH in foqat'],
  ['n-octane', 'n-Octane', '正辛烷', '111-65-9', 'C8H18', 114.23, 'alkane', 0.9, 0.9, 0.07, 8.11, 8.28, 8.11, ['octane', '辛烷']],
  ['n-nonane', 'n-Nonane', '正壬烷', '111-84-2', 'C9H20', 128.26, 'alkane', 0.78, 0.78, 0.01, 9.7, 9.7, 9.7, ['nonane', '壬烷']],
  ['n-decane', 'n-Decane', '正癸烷', '124-18-5', 'C10H22', 142.28, 'alkane', 0.68, 0.68, 0.02, 11, 11.1, 11, ['decane', '癸烷']],
  ['n-undecane', 'n-Undecane', '正十一烷', '1120-21-4', 'C11H24', 156.31, 'alkane', 0.61, 0.61, -0.03, 12.3, 12.5, 12.3, ['undecane', '十一烷']],
  ['n-dodecane', 'n-Dodecane', '正十二烷', '112-40-3', 'C12H26', 170.33, 'alkane', 0.55, 0.55, -0.1, 13.2, 13.9, _, ['dodecane', '十二烷']],
  ['ethylene', 'Ethylene', '乙烯', '74-85-1', 'C2H4', 28.05, 'alkene', 9, 9, 4.71, 8.52, 8.52, 8.52, ['ethene']],
  ['propylene', 'Propylene', '丙烯', '115-07-1', 'C3H6', 42.08, 'alkene', 11.66, 11.66, 6.68, 26.3, 26.4, 26.3, ['propene']],
  ['1-butene', '1-Butene', '1-丁烯', '106-98-9', 'C4H8', 56.11, 'alkene', 9.73, 9.73, 4.75, 31.4, 27.4, 31.4, ['but-1-ene']],
  ['trans-2-butene', 'trans-2-Butene', '反-2-丁烯', '624-64-6', 'C4H8', 56.11, 'alkene', 15.16, 15.16, 14.11, 64, 56.7, 56.4, ['t-2-butene', '(E)-2-butene'], 'AeroViz swaps cis/trans kOH'],
  ['cis-2-butene', 'cis-2-Butene', '顺-2-丁烯', '590-18-1', 'C4H8', 56.11, 'alkene', 14.24, 14.24, 12.64, 56.4, 56.7, 64, ['c-2-butene', '(Z)-2-butene'], 'AeroViz swaps cis/trans kOH'],
  ['1-pentene', '1-Pentene', '1-戊烯', '109-67-1', 'C5H10', 70.13, 'alkene', 7.21, 7.21, 6.18, 31.4, 28.8, 31.4, []],
  ['trans-2-pentene', 'trans-2-Pentene', '反-2-戊烯', '646-04-8', 'C5H10', 70.13, 'alkene', 10.56, 10.56, 9.45, 67, 57.6, 67, ['t-2-pentene']],
  ['cis-2-pentene', 'cis-2-Pentene', '顺-2-戊烯', '627-20-3', 'C5H10', 70.13, 'alkene', 10.38, 10.38, 9.69, 65, 57.6, 65, ['c-2-pentene']],
  ['1-hexene', '1-Hexene', '1-己烯', '592-41-6', 'C6H12', 84.16, 'alkene', 5.49, 5.49, 5.69, 37, 30.2, _, []],
  // Isoprene is an alkene chemically; AirDesk reports it as the biogenic marker (REFERENCE 5.3:
  // "isoprene usually separated as BVOC").
  ['isoprene', 'Isoprene', '异戊二烯', '78-79-5', 'C5H8', 68.12, 'biogenic', 10.61, 10.61, 7.89, 100, 105, 100, ['2-methyl-1,3-butadiene', '2-甲基-1,3-丁二烯']],
  ['acetylene', 'Acetylene', '乙炔', '74-86-2', 'C2H2', 26.04, 'alkyne', 0.95, 0.95, 0.2, _, 0.815, 0.85, ['ethyne'], 'no measured kOH in foqat; pressure-dependent, ~0.8e-12 (REFERENCE, UNCERTAIN)'],
  ['benzene', 'Benzene', '苯', '71-43-2', 'C6H6', 78.11, 'aromatic', 0.72, 0.72, 0.38, 1.22, 1.95, 1.22, []],
  ['toluene', 'Toluene', '甲苯', '108-88-3', 'C7H8', 92.14, 'aromatic', 4, 4, 2.12, 5.63, 5.23, 5.63, ['methylbenzene']],
  ['ethylbenzene', 'Ethylbenzene', '乙苯', '100-41-4', 'C8H10', 106.17, 'aromatic', 3.04, 3.04, 2.02, 7, 5.95, 7, ['乙基苯']],
  ['m-xylene', 'm-Xylene', '间二甲苯', '108-38-3', 'C8H10', 106.17, 'aromatic', 9.75, _, 6.41, 23.1, 13.6, _, ['1,3-dimethylbenzene', '1,3-二甲苯']],
  ['p-xylene', 'p-Xylene', '对二甲苯', '106-42-3', 'C8H10', 106.17, 'aromatic', 5.84, _, 4.17, 14.3, 6.51, _, ['1,4-dimethylbenzene', '1,4-二甲苯']],
  ['o-xylene', 'o-Xylene', '邻二甲苯', '95-47-6', 'C8H10', 106.17, 'aromatic', 7.64, 7.64, 5.41, 13.6, 6.51, 13.6, ['1,2-dimethylbenzene', '1,2-二甲苯']],
  ['styrene', 'Styrene', '苯乙烯', '100-42-5', 'C8H8', 104.15, 'aromatic', 1.73, 1.73, 1.45, 58, 28.1, 58, ['vinylbenzene', 'ethenylbenzene']],
  ['isopropylbenzene', 'Isopropylbenzene', '异丙苯', '98-82-8', 'C9H12', 120.19, 'aromatic', 2.52, 2.52, 2.41, 6.3, 6.9, 6.3, ['cumene', 'i-propylbenzene', '异丙基苯']],
  ['n-propylbenzene', 'n-Propylbenzene', '正丙苯', '103-65-1', 'C9H12', 120.19, 'aromatic', 2.03, 2.03, 1.79, 5.8, 7.31, 5.8, ['propylbenzene', '丙苯']],
  ['m-ethyltoluene', 'm-Ethyltoluene', '间乙基甲苯', '620-14-4', 'C9H12', 120.19, 'aromatic', 7.39, 7.39, 5.83, 18.6, 13.9, 11.8, ['3-ethyltoluene', '1-ethyl-3-methylbenzene', '间甲乙苯'], 'AeroViz swaps m/p kOH'],
  ['p-ethyltoluene', 'p-Ethyltoluene', '对乙基甲苯', '622-96-8', 'C9H12', 120.19, 'aromatic', 4.44, 4.44, 3.87, 11.8, 7.44, 18.6, ['4-ethyltoluene', '1-ethyl-4-methylbenzene', '对甲乙苯'], 'AeroViz swaps m/p kOH'],
  ['135-trimethylbenzene', '1,3,5-Trimethylbenzene', '1,3,5-三甲苯', '108-67-8', 'C9H12', 120.19, 'aromatic', 11.76, 11.76, 9.64, 56.7, 35.1, 56.7, ['mesitylene', '1,3,5-tmb', '1,3,5-三甲基苯', '均三甲苯']],
  ['o-ethyltoluene', 'o-Ethyltoluene', '邻乙基甲苯', '611-14-3', 'C9H12', 120.19, 'aromatic', 5.59, 5.59, 4.47, 11.9, 7.44, 11.9, ['2-ethyltoluene', '1-ethyl-2-methylbenzene', '邻甲乙苯']],
  ['124-trimethylbenzene', '1,2,4-Trimethylbenzene', '1,2,4-三甲苯', '95-63-6', 'C9H12', 120.19, 'aromatic', 8.87, 8.87, 9.54, 32.5, 16.7, 32.5, ['pseudocumene', '1,2,4-tmb', '1,2,4-三甲基苯', '偏三甲苯']],
  ['123-trimethylbenzene', '1,2,3-Trimethylbenzene', '1,2,3-三甲苯', '526-73-8', 'C9H12', 120.19, 'aromatic', 11.97, 11.97, 8.57, 32.7, 16.7, 32.7, ['hemimellitene', '1,2,3-tmb', '1,2,3-三甲基苯', '连三甲苯']],
  ['m-diethylbenzene', 'm-Diethylbenzene', '间二乙苯', '141-93-5', 'C10H14', 134.22, 'aromatic', 7.1, 7.1, _, _, 14.2, 32.5, ['1,3-diethylbenzene', '间二乙基苯'], 'no measured kOH in foqat; AeroViz value looks copied from 1,2,4-TMB'],
  ['p-diethylbenzene', 'p-Diethylbenzene', '对二乙苯', '105-05-5', 'C10H14', 134.22, 'aromatic', 4.43, 4.43, _, _, 8.11, 32.7, ['1,4-diethylbenzene', '对二乙基苯'], 'no measured kOH in foqat; AeroViz value looks copied from 1,2,3-TMB'],
  // 58-77 OVOCs
  ['formaldehyde', 'Formaldehyde', '甲醛', '50-00-0', 'CH2O', 30.03, 'ovoc', 9.46, _, 6.71, 9.37, 8.13, _, ['methanal', 'hcho']],
  ['acetaldehyde', 'Acetaldehyde', '乙醛', '75-07-0', 'C2H4O', 44.05, 'ovoc', 6.54, 6.54, 4.1, 15, 17, 15, ['ethanal']],
  ['propanal', 'Propanal', '丙醛', '123-38-6', 'C3H6O', 58.08, 'ovoc', 7.08, _, 2.6, 20, 22, _, ['propionaldehyde']],
  ['n-butanal', 'n-Butanal', '正丁醛', '123-72-8', 'C4H8O', 72.11, 'ovoc', 5.97, _, 4.54, 24, 25.4, _, ['butanal', 'butyraldehyde', '丁醛']],
  ['n-pentanal', 'n-Pentanal', '正戊醛', '110-62-3', 'C5H10O', 86.13, 'ovoc', 5.08, _, 6.27, 28, 27.4, _, ['pentanal', 'valeraldehyde', '戊醛']],
  ['n-hexanal', 'n-Hexanal', '正己醛', '66-25-1', 'C6H12O', 100.16, 'ovoc', 4.35, _, 5.72, 30, 28.8, _, ['hexanal', 'hexaldehyde', '己醛']],
  ['acrolein', 'Acrolein', '丙烯醛', '107-02-8', 'C3H4O', 56.06, 'ovoc', 7.45, _, 3.01, _, 25.8, _, ['propenal'], 'no measured kOH in foqat'],
  ['methacrolein', 'Methacrolein (MACR)', '甲基丙烯醛', '78-85-3', 'C4H6O', 70.09, 'ovoc', 6.01, _, 5.23, 29, 34.5, _, ['macr']],
  ['methyl-vinyl-ketone', 'Methyl vinyl ketone (MVK)', '甲基乙烯基酮', '78-94-4', 'C4H6O', 70.09, 'ovoc', 9.65, _, _, 20, 23.8, _, ['mvk', 'methyl vinyl ketone', '3-buten-2-one']],
  ['acetone', 'Acetone', '丙酮', '67-64-1', 'C3H6O', 58.08, 'ovoc', 0.36, 0.36, 0.22, 0.17, 0.204, 0.17, ['propanone']],
  ['2-butanone', '2-Butanone (MEK)', '2-丁酮', '78-93-3', 'C4H8O', 72.11, 'ovoc', 1.48, _, 1.18, 1.22, 1.33, _, ['mek', 'methyl ethyl ketone', 'butanone', '甲乙酮', '丁酮']],
  ['mibk', '4-Methyl-2-pentanone (MIBK)', '甲基异丁基酮', '108-10-1', 'C6H12O', 100.16, 'ovoc', 3.88, _, 2.78, 13, 8.86, _, ['4-methyl-2-pentanone', 'methyl isobutyl ketone', '4-甲基-2-戊酮']],
  ['methanol', 'Methanol', '甲醇', '67-56-1', 'CH4O', 32.04, 'ovoc', 0.67, _, 0.38, 0.94, 0.616, _, []],
  ['ethanol', 'Ethanol', '乙醇', '64-17-5', 'C2H6O', 46.07, 'ovoc', 1.53, 1.53, 0.66, 3.2, 3.58, 3.2, []],
  ['isopropanol', 'Isopropanol', '异丙醇', '67-63-0', 'C3H8O', 60.1, 'ovoc', 0.61, 0.61, 0.49, 5.1, 7.26, 5.1, ['2-propanol', 'isopropyl alcohol', '2-丙醇']],
  ['mtbe', 'MTBE', '甲基叔丁基醚', '1634-04-4', 'C5H12O', 88.15, 'ovoc', 0.73, _, 0.44, 2.94, 2.26, _, ['methyl tert-butyl ether', 'methyl-tert-butyl ether']],
  ['ethyl-acetate', 'Ethyl acetate', '乙酸乙酯', '141-78-6', 'C4H8O2', 88.11, 'ovoc', 0.63, 0.63, 0.54, _, 1.7, _, [], 'no measured kOH in foqat'],
  ['n-butyl-acetate', 'n-Butyl acetate', '乙酸正丁酯', '123-86-4', 'C6H12O2', 116.16, 'ovoc', 0.83, 0.83, 0.5, _, 4.61, _, ['butyl acetate', '乙酸丁酯'], 'no measured kOH in foqat'],
  ['vinyl-acetate', 'Vinyl acetate', '乙酸乙烯酯', '108-05-4', 'C4H6O2', 86.09, 'ovoc', 3.2, _, _, _, 26.3, _, [], 'no measured kOH in foqat'],
  ['tetrahydrofuran', 'Tetrahydrofuran', '四氢呋喃', '109-99-9', 'C4H8O', 72.11, 'ovoc', 4.31, _, _, _, 14.1, _, ['thf'], 'no measured kOH in foqat'],
  // REFERENCE lists 1,3-butadiene under "Other"; it is a diene, grouped with the alkenes here.
  ['13-butadiene', '1,3-Butadiene', '1,3-丁二烯', '106-99-0', 'C4H6', 54.09, 'alkene', 12.61, 12.61, 4.73, 66.6, 66.6, 66.6, ['butadiene', '丁二烯']],
  // 79-97 halocarbons: kOH are AOPWIN estimates only (REFERENCE: they barely affect OFP/L_OH)
  ['chloromethane', 'Chloromethane', '氯甲烷', '74-87-3', 'CH3Cl', 50.49, 'halocarbon', 0.038, _, _, _, 0.0517, _, ['methyl chloride', '一氯甲烷']],
  ['dichloromethane', 'Dichloromethane', '二氯甲烷', '75-09-2', 'CH2Cl2', 84.93, 'halocarbon', 0.041, _, 0.07, _, 0.135, _, ['methylene chloride']],
  ['chloroform', 'Chloroform', '三氯甲烷', '67-66-3', 'CHCl3', 119.38, 'halocarbon', 0.022, _, _, _, 0.106, _, ['trichloromethane', '氯仿']],
  ['carbon-tetrachloride', 'Carbon tetrachloride', '四氯化碳', '56-23-5', 'CCl4', 153.82, 'halocarbon', 0, _, _, _, 0, _, ['tetrachloromethane', '四氯甲烷']],
  ['chloroethane', 'Chloroethane', '氯乙烷', '75-00-3', 'C2H5Cl', 64.51, 'halocarbon', 0.29, _, _, _, 0.404, _, ['ethyl chloride']],
  ['11-dichloroethane', '1,1-Dichloroethane', '1,1-二氯乙烷', '75-34-3', 'C2H4Cl2', 98.96, 'halocarbon', 0.069, _, 0.08, _, 0.329, _, []],
  ['12-dichloroethane', '1,2-Dichloroethane', '1,2-二氯乙烷', '107-06-2', 'C2H4Cl2', 98.96, 'halocarbon', 0.21, _, _, _, 0.256, _, []],
  ['111-trichloroethane', '1,1,1-Trichloroethane', '1,1,1-三氯乙烷', '71-55-6', 'C2H3Cl3', 133.4, 'halocarbon', 0.0049, _, 0, _, 0.0094, _, []],
  ['112-trichloroethane', '1,1,2-Trichloroethane', '1,1,2-三氯乙烷', '79-00-5', 'C2H3Cl3', 133.4, 'halocarbon', 0.086, _, _, _, 0.229, _, []],
  ['12-dichloropropane', '1,2-Dichloropropane', '1,2-二氯丙烷', '78-87-5', 'C3H6Cl2', 112.99, 'halocarbon', 0.29, _, _, _, 0.442, _, []],
  ['vinyl-chloride', 'Vinyl chloride', '氯乙烯', '75-01-4', 'C2H3Cl', 62.5, 'halocarbon', 2.83, 2.83, 3.03, _, 5.52, _, ['chloroethene', 'chloroethylene']],
  ['11-dichloroethene', '1,1-Dichloroethene', '1,1-二氯乙烯', '75-35-4', 'C2H2Cl2', 96.94, 'halocarbon', 1.79, _, _, _, 2.27, _, ['1,1-dichloroethylene', 'vinylidene chloride']],
  ['trichloroethylene', 'Trichloroethylene', '三氯乙烯', '79-01-6', 'C2HCl3', 131.39, 'halocarbon', 0.64, 0.64, _, _, 0.805, 1.9, ['trichloroethene', 'tce'], 'kOH differs >20% (AeroViz 1.9)'],
  ['tetrachloroethylene', 'Tetrachloroethylene', '四氯乙烯', '127-18-4', 'C2Cl4', 165.83, 'halocarbon', 0.031, 0.03, _, _, 0.214, 0.16, ['tetrachloroethene', 'perchloroethylene', 'pce'], 'kOH differs >20% (AeroViz 0.16)'],
  ['trans-13-dichloropropene', 'trans-1,3-Dichloropropene', '反-1,3-二氯丙烯', '10061-02-6', 'C3H4Cl2', 110.97, 'halocarbon', 5.03, _, _, _, 9.36, _, []],
  ['cis-13-dichloropropene', 'cis-1,3-Dichloropropene', '顺-1,3-二氯丙烯', '10061-01-5', 'C3H4Cl2', 110.97, 'halocarbon', 3.7, _, _, _, 9.36, _, []],
  ['chlorobenzene', 'Chlorobenzene', '氯苯', '108-90-7', 'C6H5Cl', 112.56, 'halocarbon', 0.32, _, _, _, 1.37, _, []],
  ['14-dichlorobenzene', '1,4-Dichlorobenzene', '1,4-二氯苯', '106-46-7', 'C6H4Cl2', 147, 'halocarbon', 0.178, 0.18, _, _, 0.401, _, ['p-dichlorobenzene', '对二氯苯']],
  ['12-dichlorobenzene', '1,2-Dichlorobenzene', '1,2-二氯苯', '95-50-1', 'C6H4Cl2', 147, 'halocarbon', 0.178, 0.18, _, _, 0.401, _, ['o-dichlorobenzene', '邻二氯苯']],
  ['naphthalene', 'Naphthalene', '萘', '91-20-3', 'C10H8', 128.17, 'aromatic', 3.34, _, _, 23, 21.6, _, []],
  ['carbon-disulfide', 'Carbon disulfide', '二硫化碳', '75-15-0', 'CS2', 76.14, 'other', 0.25, _, _, _, 0, _, ['cs2']],
  // Issue 20 additions (not in REFERENCE 5.2; the foqat table was not at hand): MIR from Carter's
  // SAPRC-07 MIR table (Carter 2010, CARB contract 07-339, mir10.pdf, rev. 2010-01-28) and kOH at
  // 298 K from Atkinson & Arey 2003 (Chem. Rev. 103, 4605: alpha-pinene 52.3, p-cymene 15.1) and
  // Atkinson 1994 / Calvert et al. 2011 (phenol 28, cyclohexanone 6.4, methyl acetate 0.341).
  // Transcribed from those tables without a copy to check against here: each row says so in its
  // note, and docs/voc.md lists them for review. MW from the formula (IUPAC 2013 weights).
  ['alpha-pinene', 'alpha-Pinene', 'α-蒎烯', '80-56-8', 'C10H16', 136.24, 'biogenic', 4.51, _, _, 52.3, _, _, ['a-pinene', 'α-pinene', 'α-蒎烯', 'a-蒎烯', '2-pinene'], 'MIR Carter 2010, kOH Atkinson & Arey 2003; not checked against a copy here'],
  ['phenol', 'Phenol', '苯酚', '108-95-2', 'C6H6O', 94.11, 'ovoc', 2.76, _, _, 28, _, _, ['hydroxybenzene', '酚'], 'MIR Carter 2010, kOH Atkinson 1994; not checked against a copy here'],
  ['methyl-acetate', 'Methyl acetate', '乙酸甲酯', '79-20-9', 'C3H6O2', 74.08, 'ovoc', 0.07, _, _, 0.341, _, _, ['methyl ethanoate', '醋酸甲酯'], 'MIR Carter 2010, kOH Atkinson 1994; not checked against a copy here'],
  ['cyclohexanone', 'Cyclohexanone', '环己酮', '108-94-1', 'C6H10O', 98.14, 'ovoc', 1.35, _, _, 6.4, _, _, [], 'MIR Carter 2010, kOH Atkinson 1994; not checked against a copy here'],
  ['p-cymene', 'p-Cymene', '对伞花烃', '99-87-6', 'C10H14', 134.22, 'aromatic', 4.37, _, _, 15.1, _, _, ['4-isopropyltoluene', '1-methyl-4-isopropylbenzene', '4-cymene', '对异丙基甲苯', '对-异丙基甲苯'], 'MIR Carter 2010 (least certain of the five), kOH Atkinson & Arey 2003; not checked against a copy here'],
];

/**
 * The co-eluted m/p-xylene peak (REFERENCE 5.1, 5.2): MIR 7.80 and kOH 18.7e-12 from foqat's
 * lumped "M/p-xylene" row, which equal the plain means of the m- and p-xylene values
 * ((9.75 + 5.84) / 2 = 7.795; (23.1 + 14.3) / 2 = 18.7); AeroViz gives MIR 7.80, kOH 18.95.
 * MIR-CN: mean of m (6.41) and p (4.17) = 5.29, an assumption of equal m and p amounts (UNCERTAIN).
 */
const MP_XYLENE: SpeciesInfo = {
  id: 'mp-xylene',
  name: 'm/p-Xylene',
  zh: '间/对二甲苯',
  cas: '108-38-3+106-42-3',
  formula: 'C8H10',
  mw: 106.17,
  carbon: 8,
  group: 'aromatic',
  pams: true,
  mir: { carter2010: 7.8, aeroviz: 7.8, cn2021: 5.29 },
  koh: { value: 18.7, source: 'atkinson', estimate: false, atkinson: 18.7, aopwin: null, aeroviz: 18.95 },
  coelutes: ['m-xylene', 'p-xylene'],
  aliases: ['m,p-xylene', 'm+p-xylene', 'm/p-xylene', 'm_p xylene', 'mp-xylene', 'm&p-xylene',
    'm-/p-xylene', 'm,p-二甲苯', '间,对-二甲苯', '间/对-二甲苯', '间对二甲苯', '间,对二甲苯'],
  note: 'co-eluting pair reported as one peak; values are the foqat lumped row (= mean of m and p)',
};

/** Carbon atoms in a formula like 'C2H4Cl2' or 'CH2O'. */
export function carbonCount(formula: string): number {
  const m = /C(?![a-z])(\d*)/.exec(formula);
  if (!m) return 0;
  return m[1] === '' ? 1 : Number(m[1]);
}

function fromRow(r: Row, index: number): SpeciesInfo {
  const [id, name, zh, cas, formula, mw, group, mirC, mirA, mirCn, kAtk, kAop, kAero, aliases, note] = r;
  const kohValue = kAtk ?? kAop;
  if (kohValue == null) throw new Error(`species table: no kOH for ${id}`);
  return {
    id, name, zh, cas, formula, mw, group,
    carbon: carbonCount(formula),
    pams: index < 57,
    mir: { carter2010: mirC, aeroviz: mirA, cn2021: mirCn },
    koh: {
      value: kohValue,
      source: kAtk != null ? 'atkinson' : 'aopwin',
      estimate: kAtk == null,
      atkinson: kAtk, aopwin: kAop, aeroviz: kAero,
    },
    aliases,
    ...(note ? { note } : {}),
  };
}

const BUILT: SpeciesInfo[] = ROWS.map(fromRow);
// m/p-xylene goes right after p-xylene so tables read naturally.
BUILT.splice(BUILT.findIndex((s) => s.id === 'p-xylene') + 1, 0, MP_XYLENE);

/** All species, in REFERENCE table order (m/p-xylene after p-xylene). */
export const SPECIES: readonly SpeciesInfo[] = Object.freeze(BUILT);

export const SPECIES_BY_ID: ReadonlyMap<string, SpeciesInfo> = new Map(SPECIES.map((s) => [s.id, s]));

/**
 * HJ 212-2017 Table B.2 VOC factor codes (REFERENCE 7.4) -> canonical id. Codes for mixtures
 * (a25005 "xylenes", a24054 "1,3-dichloropropene" without isomer) and species not in the table
 * (1,1,2,2-tetrachloroethane, 1,2-dibromoethane, 1,4-dioxane, acrylonitrile, CFCs, ...) are left out,
 * so they resolve to null and get flagged as unknown rather than silently mis-assigned.
 */
export const HJ212_2017_VOC_CODES: Readonly<Record<string, string>> = Object.freeze({
  a24003: 'dichloromethane', a24004: 'chloroform', a24005: 'carbon-tetrachloride',
  a24015: 'chloroethane', a24016: '11-dichloroethane', a24017: '12-dichloroethane',
  a24018: '111-trichloroethane', a24019: '112-trichloroethane', a24027: '12-dichloropropane',
  a24036: 'cyclohexane', a24042: 'n-hexane', a24043: 'n-heptane', a24046: 'vinyl-chloride',
  a24047: '11-dichloroethene', a24049: 'trichloroethylene', a24050: 'tetrachloroethylene',
  a24053: 'propylene', a24078: '13-butadiene', a24099: 'chloromethane',
  a24112: 'trans-13-dichloropropene',
  a25002: 'benzene', a25003: 'toluene', a25004: 'ethylbenzene', a25006: 'o-xylene',
  a25007: 'm-xylene', a25008: 'p-xylene', a25010: 'chlorobenzene', a25011: '12-dichlorobenzene',
  a25013: '14-dichlorobenzene', a25014: 'p-ethyltoluene', a25019: '124-trimethylbenzene',
  a25020: '123-trimethylbenzene', a25021: '135-trimethylbenzene', a25038: 'styrene',
  a25059: 'naphthalene', // not in B.2 per REFERENCE; vendor code, harmless (no conflict)
  a25072: 'tetrahydrofuran', a29017: 'ethyl-acetate', a29026: 'vinyl-acetate',
  a30001: 'methanol', a30008: 'isopropanol', a31001: 'formaldehyde', a31002: 'acetaldehyde',
  a31024: 'acetone', a31025: '2-butanone', a31030: 'mibk', a99051: 'carbon-disulfide',
});

/**
 * A vendor's VOC code table (Oracle dump T_BAS_FACTOR, 2018; REFERENCE 7.4): the standard codes plus
 * vendor codes for the PAMS species the standard lacks. It maps a24042 to neopentane (not n-hexane as
 * HJ 212-2017 does); neopentane is not in the species table, so a24042 resolves to null here.
 */
export const VENDOR_T_BAS_FACTOR_2018_CODES: Readonly<Record<string, string>> = Object.freeze(
  (() => {
    const m: Record<string, string> = { ...HJ212_2017_VOC_CODES };
    delete m.a24042; // neopentane in this vendor's table
    Object.assign(m, {
      a24001: 'ethane', a24002: 'propane', a24011: '2-methylpentane', a24012: '224-trimethylpentane',
      a24037: 'n-butane', a24038: 'isobutane', a24039: 'n-pentane', a24041: 'isopentane',
      a24045: 'ethylene', a24061: 'isoprene', a24063: 'cis-2-butene', a24064: 'trans-2-butene',
      a24070: 'n-octane', a24079: 'acetylene', a24124: '1-butene', a25033: 'n-propylbenzene',
      a25034: 'isopropylbenzene', a25059: 'naphthalene', a25098: 'mp-xylene',
    });
    return m;
  })(),
);

/**
 * Normalise a species name for lookup: lower case, Chinese "式" dropped (反式-2-丁烯 = 反-2-丁烯),
 * separators dropped (spaces, - _ , / + & . ( ) and CJK punctuation), so "1,2,4-Trimethylbenzene",
 * "124-Trimethylbenzene" and "1 2 4 trimethylbenzene" meet, as do "M_P Xylene" and "m/p-xylene".
 */
export function normaliseSpeciesName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/式/g, '')
    .replace(/[\s\-_,/+&.()'"’`、，（）·]/g, '');
}

const NAME_INDEX: ReadonlyMap<string, SpeciesInfo> = (() => {
  const m = new Map<string, SpeciesInfo>();
  const add = (key: string, s: SpeciesInfo) => {
    const k = normaliseSpeciesName(key);
    const prev = m.get(k);
    if (prev && prev !== s) throw new Error(`species alias clash: ${key} -> ${prev.id} and ${s.id}`);
    m.set(k, s);
  };
  for (const s of SPECIES) {
    for (const key of [s.id, s.name, s.zh, ...s.aliases]) add(key, s);
  }
  return m;
})();

const CAS_RE = /^\d{2,7}-\d{2}-\d$/;
const HJ_CODE_RE = /^[a-z]\d{5}$/i;

/**
 * Species for a name as written by an analyzer, a lab file or an HJ 212 packet, or null when
 * unknown (the caller flags it). Accepts the canonical id, English and Chinese names and common
 * spellings ("124-Trimethylbenzene", "M_P Xylene", "N-Butane", "Cis-2-Butene", "间/对二甲苯"), CAS
 * numbers, and HJ 212 factor codes ("a25003", also "a25003-Rtd") looked up in `codeMap`
 * (default: HJ 212-2017 Table B.2; pass the analyzer's vendor map, e.g.
 * VENDOR_T_BAS_FACTOR_2018_CODES, because vendors disagree, see REFERENCE 7.4).
 * A code map may point at a canonical id or at any name this function resolves.
 * @example resolveSpecies('M_P Xylene')?.id === 'mp-xylene'
 */
export function resolveSpecies(
  name: string,
  codeMap: Readonly<Record<string, string>> = HJ212_2017_VOC_CODES,
): SpeciesInfo | null {
  if (typeof name !== 'string') return null;
  const raw = name.trim();
  if (raw === '') return null;
  const code = raw.replace(/-(rtd|avg|min|max|cou|flag)$/i, '');
  if (HJ_CODE_RE.test(code)) {
    const target = codeMap[code.toLowerCase()] ?? codeMap[code];
    if (target == null) return null;
    return SPECIES_BY_ID.get(target) ?? NAME_INDEX.get(normaliseSpeciesName(target)) ?? null;
  }
  if (CAS_RE.test(raw)) return SPECIES.find((s) => s.cas.split('+').includes(raw)) ?? null;
  return NAME_INDEX.get(normaliseSpeciesName(raw)) ?? null;
}

/** kOH in cm3 molecule-1 s-1 (the table stores units of 1e-12). */
export function kohCm3(s: SpeciesInfo): number {
  return s.koh.value * 1e-12;
}

/** MIR scales AirDesk can use; every OFP result names its scale. */
export type MirScale = 'carter2010' | 'cn2021';
export const MIR_SCALE_LABELS: Readonly<Record<MirScale, string>> = {
  carter2010: 'SAPRC-07 MIR (Carter 2010), g O3/g VOC',
  cn2021: 'China MIR (Zhang et al., ACP 21, 11053, 2021), g O3/g VOC',
};

/** MIR of a species on a scale, or null when that scale has no value for it. */
export function mirOf(s: SpeciesInfo, scale: MirScale = 'carter2010'): number | null {
  return scale === 'carter2010' ? s.mir.carter2010 : s.mir.cn2021;
}
