/** One EKMA worker: builds the model once, runs its share of cells, posts each result. */
import { parentPort, workerData } from 'node:worker_threads';
import { ekmaCell, obmRunner, type EkmaMetric } from '#common/obm/analysis.ts';
import type { ObmInput } from '#common/obm/input.ts';
import { diagnosticsFor, kineticsFromText, prepared } from './model.ts';

const d = workerData as { mechanismText: string; mechanismFile: string; input: ObmInput; metric: EkmaMetric; cells: { i: number; j: number; voc: number; nox: number }[] };
try {
  const kin = kineticsFromText(d.mechanismText, d.mechanismFile);
  const run = obmRunner(kin, diagnosticsFor(kin), prepared(d.input, kin, 'input'));
  for (const c of d.cells) parentPort!.postMessage({ i: c.i, j: c.j, value: ekmaCell(run, c.voc, c.nox, d.metric) });
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message });
}
