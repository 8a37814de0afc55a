/**
 * One box-model worker thread: builds the model of one station-day once (parsing the mechanism
 * text: compiled closures cannot cross threads), then answers tasks one at a time, so the service
 * deals tasks to whichever worker is free. Everything it computes is in common/obm (pure).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyseDay, ekmaCell, obmRunner } from '#common/obm/analysis.ts';
import { CB05_DIAGNOSTICS } from '#common/obm/box.ts';
import { prepareInput, type ObmInput } from '#common/obm/input.ts';
import { compileKinetics } from '#common/obm/kinetics.ts';
import { formatKppIssues, parseKpp } from '#common/obm/kpp.ts';
import type { ToMain, ToWorker } from './messages.ts';

const d = workerData as { mechanismText: string; input: ObmInput };
const post = (m: ToMain) => parentPort!.postMessage(m);

function build() {
  const r = parseKpp(d.mechanismText);
  if (!r.ok) throw new Error(`mechanism: ${formatKppIssues(r.errors)}`);
  const kin = compileKinetics(r.mechanism);
  const missing = [CB05_DIAGNOSTICS.no, CB05_DIAGNOSTICS.no2, CB05_DIAGNOSTICS.o3, CB05_DIAGNOSTICS.oh, CB05_DIAGNOSTICS.ho2].filter((s) => !kin.index.has(s));
  if (missing.length) throw new Error(`mechanism lacks ${missing.join(', ')}`);
  const diagnostics = { ...CB05_DIAGNOSTICS, ro2: CB05_DIAGNOSTICS.ro2.filter((s) => kin.index.has(s)) };
  const p = prepareInput(d.input, kin);
  if (!p.ok) throw new Error(`input: ${p.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  return { kin, diagnostics, prepared: p.value, run: obmRunner(kin, diagnostics, p.value) };
}

try {
  const m = build();
  post({ type: 'ready' });
  parentPort!.on('message', (t: ToWorker) => {
    try {
      if (t.task === 'day') {
        const a = analyseDay(m.kin, m.diagnostics, m.prepared, { cut: t.cut, keySpecies: t.keySpecies });
        post({ type: 'day', analysis: a });
      } else {
        post({ type: 'cell', i: t.i, j: t.j, value: ekmaCell(m.run, t.voc, t.nox, 'peakO3') });
      }
    } catch (e) {
      post({ type: 'error', message: (e as Error).message });
    }
  });
} catch (e) {
  post({ type: 'error', message: (e as Error).message });
}
