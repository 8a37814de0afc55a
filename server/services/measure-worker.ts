/**
 * One live evaluation off the server's event loop (server/services/measures.ts starts it): the
 * pure common/measures/live.ts on the data it was handed, the result posted back. A fit takes
 * from a fraction of a second (a demo's few weeks) to a minute (a year of a big city).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { liveEvaluation, type LiveInput, type LiveOptions } from '#common/measures/live.ts';

const { input, opts } = workerData as { input: LiveInput; opts: Partial<LiveOptions> };
try {
  parentPort!.postMessage({ ok: true, result: liveEvaluation(input, opts) });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: (err as Error).message });
}
