/**
 * The PAMS species the simulated GC-FID analyzers report (m- and p-xylene co-elute and are
 * reported as one peak, so 56 values for the 57 PAMS), with a typical urban Beijing mixing ratio
 * and the OH rate constant used to deplete reactive species in the afternoon.
 *
 * Names: canonical English names of ../shared/domain/REFERENCE.md 5.2 (the normaliser resolves
 * them to species ids). kOH: same table, foqat Atkinson column (x1e-12 cm3 molecule-1 s-1), the
 * AOPWIN estimate where no measured value is listed, the 18.7 lumped value for m/p-xylene.
 * base ppbv: hand-set to the order of magnitude of urban Beijing measurements (ethane, ethylene,
 * acetylene, propane and toluene the largest; C8+ alkanes and substituted aromatics < 0.1 ppbv);
 * illustrative, not data.
 */
export interface VocSpecies {
  name: string;
  kOH: number;
  base: number;
  biogenic?: true;
}

const s = (name: string, kOH: number, base: number): VocSpecies => ({ name, kOH, base });

export const PAMS_SPECIES: readonly VocSpecies[] = [
  s('Ethane', 0.248, 6.0), s('Propane', 1.09, 4.5), s('Isobutane', 2.12, 1.6), s('n-Butane', 2.36, 2.4),
  s('Isopentane', 3.6, 2.2), s('n-Pentane', 3.8, 1.1), s('2,2-Dimethylbutane', 2.23, 0.08),
  s('Cyclopentane', 4.97, 0.15), s('2,3-Dimethylbutane', 5.78, 0.15), s('2-Methylpentane', 5.2, 0.6),
  s('3-Methylpentane', 5.2, 0.4), s('n-Hexane', 5.2, 0.5), s('Methylcyclopentane', 5.66, 0.3),
  s('2,4-Dimethylpentane', 4.77, 0.06), s('Cyclohexane', 6.97, 0.15), s('2-Methylhexane', 6.86, 0.2),
  s('2,3-Dimethylpentane', 7.14, 0.1), s('3-Methylhexane', 7.15, 0.2), s('2,2,4-Trimethylpentane', 3.34, 0.15),
  s('n-Heptane', 6.76, 0.2), s('Methylcyclohexane', 9.64, 0.12), s('2,3,4-Trimethylpentane', 6.6, 0.05),
  s('2-Methylheptane', 8.28, 0.06), s('3-Methylheptane', 8.56, 0.05), s('n-Octane', 8.11, 0.08),
  s('n-Nonane', 9.7, 0.06), s('n-Decane', 11, 0.06), s('n-Undecane', 12.3, 0.05), s('n-Dodecane', 13.2, 0.04),
  s('Ethylene', 8.52, 4.5), s('Propylene', 26.3, 1.2), s('1-Butene', 31.4, 0.35), s('trans-2-Butene', 64, 0.12),
  s('cis-2-Butene', 56.4, 0.1), s('1-Pentene', 31.4, 0.08), s('trans-2-Pentene', 67, 0.06),
  s('cis-2-Pentene', 65, 0.04), s('1-Hexene', 37, 0.05),
  { name: 'Isoprene', kOH: 100, base: 0.15, biogenic: true },
  s('Acetylene', 0.815, 4.0), s('Benzene', 1.22, 1.1), s('Toluene', 5.63, 1.8), s('Ethylbenzene', 7, 0.5),
  s('m/p-Xylene', 18.7, 0.8), s('o-Xylene', 13.6, 0.3), s('Styrene', 58, 0.12), s('Isopropylbenzene', 6.3, 0.02),
  s('n-Propylbenzene', 5.8, 0.05), s('m-Ethyltoluene', 18.6, 0.07), s('p-Ethyltoluene', 11.8, 0.04),
  s('1,3,5-Trimethylbenzene', 56.7, 0.04), s('o-Ethyltoluene', 11.9, 0.04), s('1,2,4-Trimethylbenzene', 32.5, 0.12),
  s('1,2,3-Trimethylbenzene', 32.7, 0.04), s('m-Diethylbenzene', 14.2, 0.02), s('p-Diethylbenzene', 8.11, 0.02),
];
