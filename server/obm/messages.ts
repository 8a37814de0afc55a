/** Messages between the OBM service and its worker threads (server/obm/worker.ts). */
import type { DayAnalysis } from '#common/obm/analysis.ts';

export type ToWorker =
  | { readonly task: 'day'; readonly cut: number; readonly keySpecies: number }
  | { readonly task: 'cell'; readonly i: number; readonly j: number; readonly voc: number; readonly nox: number };

export type ToMain =
  | { readonly type: 'ready' }
  | { readonly type: 'day'; readonly analysis: DayAnalysis }
  | { readonly type: 'cell'; readonly i: number; readonly j: number; readonly value: number }
  | { readonly type: 'error'; readonly message: string };
