/**
 * One station-day of the OBM: the base constrained run, modelled vs observed O3, RIR by precursor
 * group and key species, the RIR regime and the linearised co-reduction bound, and (optionally)
 * its uncertainty band from perturbing photolysis and the constrained inputs within their errors.
 * Pure: the caller parses the mechanism and reads files.
 */
import { boxModel, o3Agreement, type BoxDiagnostics, type BoxHourResult, type BoxResult } from './box.ts';
import { ekmaRatio, ekmaRegime, interpolate, ridgeLine, type EkmaGrid } from './ekma.ts';
import type { Kinetics } from './kinetics.ts';
import { keySpecies, toBoxRun, type PreparedInput, type Scaling } from './input.ts';
import { groupCut, RIR_GROUPS, rirOf, rirRatioBound, rirRegime, type Rir } from './rir.ts';

export interface Uncertainty {
  /** Relative 1-sigma-ish errors as fractions: photolysis, VOC, NOx (defaults 0.2, 0.15, 0.1). */
  readonly j: number;
  readonly voc: number;
  readonly nox: number;
}
export const DEFAULT_UNCERTAINTY: Uncertainty = { j: 0.2, voc: 0.15, nox: 0.1 };

export interface DayAnalysis {
  readonly hours: readonly BoxHourResult[];
  readonly species: readonly string[];
  readonly netPO3Day: number;
  readonly peakO3: number;
  readonly o3Agreement: ReturnType<typeof o3Agreement>;
  readonly rirCut: number;
  readonly rirGroups: readonly Rir[];
  readonly rirSpecies: readonly Rir[];
  readonly regime: ReturnType<typeof rirRegime>;
  readonly rirRatio: { readonly value: number | null; readonly band: readonly [number, number] | null; readonly members: readonly (number | null)[] };
  readonly steps: BoxResult['steps'];
}

export interface AnalysisOptions {
  readonly cut?: number;
  readonly keySpecies?: number;
  /** Compute the RIR-ratio band (6 perturbed members x 3 runs). */
  readonly band?: boolean;
  readonly uncertainty?: Uncertainty;
}

/** Compose two scalings (factors multiply). */
export function compose(a: Scaling, b: Scaling): Scaling {
  const voc: Record<string, number> = { ...(a.voc ?? {}) };
  for (const [k, v] of Object.entries(b.voc ?? {})) voc[k] = (voc[k] ?? 1) * v!;
  const species: Record<string, number> = { ...(a.species ?? {}) };
  for (const [k, v] of Object.entries(b.species ?? {})) species[k] = (species[k] ?? 1) * v;
  return { voc, species, nox: (a.nox ?? 1) * (b.nox ?? 1), co: (a.co ?? 1) * (b.co ?? 1), j: (a.j ?? 1) * (b.j ?? 1) };
}

export function obmRunner(kin: Kinetics, diagnostics: BoxDiagnostics, p: PreparedInput) {
  const model = boxModel(kin, diagnostics);
  return (s: Scaling = {}): BoxResult => model.run(toBoxRun(p, kin, diagnostics, s));
}

export function analyseDay(kin: Kinetics, diagnostics: BoxDiagnostics, p: PreparedInput, o: AnalysisOptions = {}): DayAnalysis {
  const run = obmRunner(kin, diagnostics, p);
  const cut = o.cut ?? 0.2;
  const base = run();
  const rirGroups = RIR_GROUPS.map((g) => rirOf(g, base, run(groupCut(g, cut)), cut));
  const rirSpecies = keySpecies(p, o.keySpecies ?? 10).map((id) => rirOf(id, base, run({ species: { [id]: 1 - cut } }), cut));
  const rAvoc = rirGroups.find((r) => r.name === 'AVOC')!.rir;
  const rNox = rirGroups.find((r) => r.name === 'NOx')!.rir;
  const value = rirRatioBound(rAvoc, rNox);
  let band: [number, number] | null = null;
  const members: (number | null)[] = [];
  if (o.band) {
    const u = o.uncertainty ?? DEFAULT_UNCERTAINTY;
    const perturb: Scaling[] = [
      { j: 1 - u.j }, { j: 1 + u.j }, { voc: { AVOC: 1 - u.voc } }, { voc: { AVOC: 1 + u.voc } }, { nox: 1 - u.nox }, { nox: 1 + u.nox },
    ];
    for (const s of perturb) {
      const b = run(s);
      const ra = rirOf('AVOC', b, run(compose(s, groupCut('AVOC', cut))), cut).rir;
      const rn = rirOf('NOx', b, run(compose(s, groupCut('NOx', cut))), cut).rir;
      members.push(rirRatioBound(ra, rn));
    }
    const all = [value, ...members].filter((x): x is number => x != null);
    if (all.length) band = [Math.min(...all), Math.max(...all)];
  }
  return {
    hours: base.hours,
    species: kin.species,
    netPO3Day: base.netPO3Day,
    peakO3: base.peakO3,
    o3Agreement: o3Agreement(base.hours),
    rirCut: cut,
    rirGroups,
    rirSpecies,
    regime: rirRegime(rAvoc, rNox),
    rirRatio: { value, band, members },
    steps: base.steps,
  };
}

export type EkmaMetric = 'peakO3' | 'netPO3';

/** One EKMA grid cell: AVOC and NOx scaled. */
export function ekmaCell(run: (s: Scaling) => BoxResult, voc: number, nox: number, metric: EkmaMetric): number {
  const r = run({ voc: { AVOC: voc }, nox });
  return metric === 'peakO3' ? r.peakO3 : r.netPO3Day;
}

export interface EkmaAnalysis {
  readonly grid: EkmaGrid;
  readonly metric: EkmaMetric;
  readonly ridge: ReturnType<typeof ridgeLine>;
  readonly regime: ReturnType<typeof ekmaRegime>;
  /** Value at the base point (100 % VOC, 100 % NOx). */
  readonly baseValue: number;
  readonly target: number | null;
  readonly ratio: ReturnType<typeof ekmaRatio>;
  /** The EKMA ratio with the base point moved by the VOC and NOx errors (photolysis would need
   *  another grid per member, so the EKMA band covers input errors only). */
  readonly band: { readonly monotone: readonly [number, number] | null; readonly members: readonly { voc: number; nox: number; monotoneRatio: number | null }[] };
}

/** Analyse a computed grid. target: metric value to reach (default 90 % of the base value). */
export function analyseEkma(grid: EkmaGrid, metric: EkmaMetric, target: number | null = null, u: Uncertainty = DEFAULT_UNCERTAINTY): EkmaAnalysis {
  const ridge = ridgeLine(grid);
  const regime = ekmaRegime(grid, ridge);
  // The base point need not be a grid node (0-150 % in 15 % steps has no 100 %): interpolate.
  const baseValue = interpolate(grid, 1, 1);
  const tgt = target ?? 0.9 * baseValue;
  const ratio = ekmaRatio(grid, tgt);
  const members = [
    { voc: 1 - u.voc, nox: 1 }, { voc: 1 + u.voc, nox: 1 }, { voc: 1, nox: 1 - u.nox }, { voc: 1, nox: 1 + u.nox },
  ].map((b) => ({ ...b, monotoneRatio: ekmaRatio(grid, tgt, undefined, b).monotoneRatio }));
  const all = [ratio.monotoneRatio, ...members.map((m) => m.monotoneRatio)].filter((x): x is number => x != null);
  return { grid, metric, ridge, regime, baseValue, target: tgt, ratio, band: { monotone: all.length ? [Math.min(...all), Math.max(...all)] : null, members } };
}
