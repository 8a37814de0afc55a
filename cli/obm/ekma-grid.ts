/**
 * Runs the EKMA grid in worker threads (one model per worker, cells dealt round-robin), so a
 * 121-cell grid uses every core and never blocks the caller's event loop. Each worker re-parses
 * the mechanism (a few ms) rather than receiving compiled closures, which cannot cross threads.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EkmaMetric } from '#common/obm/analysis.ts';
import type { EkmaGrid } from '#common/obm/ekma.ts';
import type { ObmInput } from '#common/obm/input.ts';

export interface GridJob {
  readonly mechanismText: string;
  readonly mechanismFile: string;
  readonly input: ObmInput;
  readonly voc: readonly number[];
  readonly nox: readonly number[];
  readonly metric: EkmaMetric;
}

export interface CellMsg { readonly i: number; readonly j: number; readonly value: number }

export async function runEkmaGrid(job: GridJob, workers = Math.min(2, availableParallelism()), onCell?: (done: number, total: number) => void): Promise<EkmaGrid> {
  const cells: [number, number][] = [];
  job.nox.forEach((_, j) => job.voc.forEach((_, i) => cells.push([i, j])));
  const value = job.nox.map(() => job.voc.map(() => NaN));
  const w = Math.max(1, Math.min(workers, cells.length));
  let done = 0;
  await Promise.all(Array.from({ length: w }, (_, k) => new Promise<void>((resolve, reject) => {
    const mine = cells.filter((_, q) => q % w === k).map(([i, j]) => ({ i, j, voc: job.voc[i]!, nox: job.nox[j]! }));
    const worker = new Worker(new URL('./ekma-worker.mjs', import.meta.url), {
      workerData: { mechanismText: job.mechanismText, mechanismFile: job.mechanismFile, input: job.input, metric: job.metric, cells: mine },
    });
    worker.on('message', (m: CellMsg | { error: string }) => {
      if ('error' in m) { reject(new Error(m.error)); return; }
      value[m.j]![m.i] = m.value;
      onCell?.(++done, cells.length);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`EKMA worker exited with ${code}`))));
  })));
  return { voc: job.voc, nox: job.nox, value };
}
