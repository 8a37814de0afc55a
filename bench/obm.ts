/**
 * bench:obm: speed and accuracy of the observation-based box model on the shipped CB05 mechanism
 * and the urban example day (tests/fixtures/obm/urban-summer-day.json).
 * - day_s: one 24-h constrained run (no spin-up), median of 5 after a warm-up run;
 * - ekma_s: the 11 x 11 EKMA grid (0-150 % in 15 % steps, each cell with the input's 2-day
 *   spin-up) in worker threads (BENCH_WORKERS, default 2), wall time including worker start-up;
 * - o3_vs_reference_max_pct: largest hourly |O3 - O3_ref| / O3_ref (%) of the default-tolerance run
 *   against the same run at rtol 1e-8, atol 1 molecule cm-3.
 * Last line: RESULT day_s=F ekma_s=F o3_vs_reference_max_pct=F
 */
import { readFileSync } from 'node:fs';
import { obmRunner } from '#common/obm/analysis.ts';
import { DEFAULT_BOX_SETTINGS } from '#common/obm/box.ts';
import { scalings } from '#common/obm/ekma.ts';
import { DEFAULT_MECHANISM, diagnosticsFor, inputFromText, kineticsFromText, prepared } from '../cli/obm/model.ts';
import { runEkmaGrid } from '../cli/obm/ekma-grid.ts';

const inputFile = new URL('../tests/fixtures/obm/urban-summer-day.json', import.meta.url).pathname;
const mechanismText = readFileSync(DEFAULT_MECHANISM, 'utf8');
const kin = kineticsFromText(mechanismText, DEFAULT_MECHANISM);
const input = inputFromText(readFileSync(inputFile, 'utf8'), inputFile);
const diag = diagnosticsFor(kin);
const runner = (settings: object) => obmRunner(kin, diag, prepared({ ...input, settings: { ...input.settings, ...settings } }, kin, inputFile));

// 1. one 24-h constrained run
const day = runner({ spinupDays: 0 });
day();
const times: number[] = [];
let steps = { accepted: 0, rejected: 0 };
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  steps = day().steps;
  times.push((performance.now() - t0) / 1000);
}
times.sort((a, b) => a - b);
const dayS = times[2]!;
const c0 = process.cpuUsage();
day();
const cpu = process.cpuUsage(c0);
console.log(`24-h run: median ${dayS.toFixed(3)} s wall (runs ${times.map((t) => t.toFixed(3)).join(', ')}), ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s CPU, ${steps.accepted} steps + ${steps.rejected} rejected, rtol ${DEFAULT_BOX_SETTINGS.rtol}`);

// 2. accuracy against a tight-tolerance reference (with the input's spin-up)
const base = runner({})();
const ref = runner({ rtol: 1e-8, atol: 1 })();
const dev = base.hours.map((h, i) => (Math.abs(h.o3Model - ref.hours[i]!.o3Model) / ref.hours[i]!.o3Model) * 100);
const maxPct = Math.max(...dev);
console.log(`O3 vs rtol 1e-8 reference: max ${maxPct.toExponential(2)} % at hour ${dev.indexOf(maxPct)}; peak ${base.peakO3.toFixed(2)} vs ${ref.peakO3.toFixed(2)} ppb`);

// 3. the 11 x 11 EKMA grid in worker threads
const axis = scalings(1.5, 0.15);
const workers = Number(process.env.BENCH_WORKERS ?? 2);
const t1 = performance.now();
const cpu1 = process.cpuUsage(); // process-wide: includes the worker threads
const grid = await runEkmaGrid({ mechanismText, mechanismFile: DEFAULT_MECHANISM, input, voc: axis, nox: axis, metric: 'peakO3' }, workers);
const ekmaS = (performance.now() - t1) / 1000;
const cpuE = process.cpuUsage(cpu1);
const ekmaCpu = (cpuE.user + cpuE.system) / 1e6;
const flat = grid.value.flat();
console.log(`EKMA ${axis.length} x ${axis.length} (${flat.length} cells, spin-up ${input.settings?.spinupDays ?? DEFAULT_BOX_SETTINGS.spinupDays} d) on ${workers} workers: ${ekmaS.toFixed(2)} s wall, ${ekmaCpu.toFixed(1)} s CPU (${(ekmaCpu / workers).toFixed(1)} s per worker); O3 ${Math.min(...flat).toFixed(1)}-${Math.max(...flat).toFixed(1)} ppb`);
console.log(`RESULT day_s=${dayS.toFixed(3)} ekma_s=${ekmaS.toFixed(2)} o3_vs_reference_max_pct=${maxPct.toPrecision(2)}`);
