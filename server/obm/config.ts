/**
 * The box-model service's settings (part of ServerConfig as `obm`; read from the environment by
 * server/config.ts). The defaults keep one station-day with its EKMA grid well under a minute on
 * a 2-core machine: a 7 x 7 grid (0-150 % in 25 % steps) with a 1-day spin-up is 49 + 18 box-model
 * runs of 2 simulated days each, about 0.1 s of CPU apiece (docs/benchmarks.md, bench:obm).
 */
import { TYPICAL_SUMMER_MIXING_HEIGHT_M } from '#common/obm/mixing-layer.ts';

export interface ObmConfig {
  /** Worker threads per run. */
  workers: number;
  /** Runs computed at once; more wait in the queue. */
  maxActive: number;
  /** Runs waiting beyond the active ones; a request past this is refused (503), not queued. */
  maxQueued: number;
  /** EKMA grid: largest scaling and step of the observed AVOC and NOx (a request may ask another). */
  gridMax: number;
  gridStep: number;
  /** Largest grid a request may ask for, in cells (11 x 11 = 121, the published 0-150 % in 15 % steps). */
  maxCells: number;
  spinupDays: number;
  /** RIR cut and the number of key species (top OFP) given their own RIR. */
  cut: number;
  keySpecies: number;
  /** A run still going after this is stopped and failed. */
  timeoutMs: number;
  /** KPP mechanism file; null = the shipped CB05. */
  mechanismPath: string | null;
  /** Mixed-layer height by local hour (m) for deposition and entrainment (BoxSettings.mixingHeightM),
   *  or null for the constant-layer model. Default: a typical summer profile (common/obm/mixing-layer.ts),
   *  which brings the modelled O3 peak down towards the observed one (docs/obm.md). */
  mixingHeightM: readonly number[] | null;
  /** Automatic runs (server/obm/auto.ts): MDA8 O3 (ug/m3) above which a new VOC cycle starts the
   *  station-day's run, as 'system'; null = no automatic runs. 160 = GB 3095 grade II 8-h limit, the
   *  O3 episode-day rule of the VOC panel (common/voc/analysis.ts DEFAULT_EPISODE_MDA8). */
  autoMda8: number | null;
  /** Only cycles ending at or after this Beijing hour (1..24) start it, so the run sees the O3 peak. */
  autoAfterHour: number;
}

export const DEFAULT_OBM_CONFIG: Readonly<ObmConfig> = Object.freeze({
  workers: 2, maxActive: 1, maxQueued: 4, gridMax: 1.5, gridStep: 0.25, maxCells: 121, spinupDays: 1,
  cut: 0.2, keySpecies: 8, timeoutMs: 10 * 60_000, mechanismPath: null,
  mixingHeightM: TYPICAL_SUMMER_MIXING_HEIGHT_M,
  // Off unless configured (server/config.ts turns it on from the environment): a test server
  // builds no runs behind its back.
  autoMda8: null, autoAfterHour: 17,
});

/** Cells of a square grid 0..max in `step` steps. */
export const gridCells = (max: number, step: number): number => (Math.round(max / step) + 1) ** 2;
