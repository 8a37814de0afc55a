/**
 * `airdesk obm run --input FILE.json [--mechanism FILE.kpp] [--json]`: one constrained station-day
 * of the observation-based box model: hourly concentrations of every model species (ppb), O3
 * production and loss with their terms, OH/HO2/RO2, modelled vs observed O3, RIR by precursor
 * group and key species, the regime and the linearised VOC:NOx co-reduction bound.
 * `airdesk obm ekma --input FILE.json [...] [--json]`: the EKMA isopleth grid (worker threads),
 * its ridge, the regime and the EKMA-path co-reduction ratio with its band.
 * Formats: docs/obm.md. The default mechanism is common/obm/mechanisms/cb05.kpp.
 */
import type { Command } from 'commander';
import { analyseDay, analyseEkma, DEFAULT_UNCERTAINTY, type EkmaMetric } from '#common/obm/analysis.ts';
import { scalings } from '#common/obm/ekma.ts';
import { DEFAULT_MECHANISM, diagnosticsFor, inputFromText, kineticsFromText, prepared, readText } from '../obm/model.ts';
import { runEkmaGrid } from '../obm/ekma-grid.ts';

const round = (x: number, d = 4) => (Number.isFinite(x) ? Number(x.toPrecision(d)) : x);
const roundRec = (r: Readonly<Record<string, number>>, d = 4) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v, d)]));
/** JSON has no Infinity: the VOC-only path is the string 'VOC-only'. */
const ratioJson = (r: number | null): number | 'VOC-only' | null => (r === Infinity ? 'VOC-only' : r);
const ratioText = (r: number | string | null) => (r === 'VOC-only' ? 'VOC only' : ratioTextN(r as number | null));
const ratioTextN = (r: number | null) => (r == null ? 'none' : r === Infinity ? 'VOC only' : `${r}:1`);

/** Commander parser for a numeric option within [lo, hi]; a clear error otherwise. */
export function positive(name: string, lo: number, hi: number) {
  return (v: string) => {
    const x = Number(v);
    if (!Number.isFinite(x) || x < lo || x > hi) throw new Error(`--${name} must be a number in ${lo}..${hi}, got '${v}'`);
    return x;
  };
}

export interface RunOptions { input: string; mechanism: string; json?: boolean; band?: boolean; cut: number; key: number }

export function runObm(o: RunOptions) {
  const t0 = performance.now();
  const kin = kineticsFromText(readText(o.mechanism, 'mechanism'), o.mechanism);
  const input = inputFromText(readText(o.input, 'input'), o.input);
  const p = prepared(input, kin, o.input);
  const a = analyseDay(kin, diagnosticsFor(kin), p, { cut: o.cut, keySpecies: o.key, band: o.band ?? false });
  return {
    v: 1 as const,
    site: input.site,
    date: input.date,
    mechanism: { file: o.mechanism, species: kin.species.length, reactions: kin.nReactions },
    units: { concentrations: 'ppb', rates: 'ppb h-1', oh: 'molecule cm-3', time: 'local hour (hour-mean values)' },
    hours: a.hours.map((h) => ({
      hour: h.hour, o3Model: round(h.o3Model), o3Obs: h.o3Obs, ohPerCm3: round(h.ohPerCm3), ho2Ppb: round(h.ppb.HO2 ?? NaN), ro2Ppb: round(h.ro2Ppb),
      pO3: round(h.pO3), lO3: round(h.lO3), netPO3: round(h.netPO3), pTerms: roundRec(h.pTerms), lTerms: roundRec(h.lTerms),
      szaDeg: round(h.szaDeg, 3), ppb: roundRec(h.ppb),
    })),
    netPO3Day: round(a.netPO3Day),
    peakO3: round(a.peakO3),
    o3Agreement: a.o3Agreement,
    rir: { cut: a.rirCut, groups: a.rirGroups, species: a.rirSpecies },
    regime: a.regime,
    coReduction: { method: 'linearised RIR (REFERENCE 5.5 method 2): x_VOC/x_NOx >= -RIR_NOx/RIR_AVOC', minVocToNox: a.rirRatio.value, band: a.rirRatio.band, uncertainty: o.band ? DEFAULT_UNCERTAINTY : null },
    unused: p.unused,
    solver: a.steps,
    elapsedMs: Math.round(performance.now() - t0),
  };
}

export interface EkmaOptions { input: string; mechanism: string; json?: boolean; max: number; step: number; metric: EkmaMetric; workers: number; target?: number }

export async function runObmEkma(o: EkmaOptions, progress?: (d: number, t: number) => void) {
  const t0 = performance.now();
  const mechanismText = readText(o.mechanism, 'mechanism');
  const kin = kineticsFromText(mechanismText, o.mechanism);
  const input = inputFromText(readText(o.input, 'input'), o.input);
  prepared(input, kin, o.input); // fail here, once, rather than in every worker
  const axis = scalings(o.max, o.step);
  const grid = await runEkmaGrid({ mechanismText, mechanismFile: o.mechanism, input, voc: axis, nox: axis, metric: o.metric }, o.workers, progress);
  const a = analyseEkma(grid, o.metric, o.target ?? null);
  return {
    v: 1 as const,
    site: input.site,
    date: input.date,
    metric: o.metric,
    units: o.metric === 'peakO3' ? 'ppb (peak hourly O3 of the modelled day)' : 'ppb (day-integrated net P(O3))',
    axes: 'value[iNox][iVoc]; scalings of the observed AVOC (x) and NOx (y); BVOC, CO held',
    grid: { voc: grid.voc, nox: grid.nox, value: grid.value.map((r) => r.map((v) => round(v))) },
    ridge: a.ridge.map((r) => ({ voc: r.voc, nox: round(r.nox, 3), value: round(r.value), interior: r.interior })),
    regime: a.regime,
    baseValue: round(a.baseValue),
    target: a.target == null ? null : round(a.target),
    coReduction: {
      method: 'EKMA paths (REFERENCE 5.5 method 1): r = %VOC cut / %NOx cut',
      monotoneRatio: ratioJson(a.ratio.monotoneRatio),
      targetRatio: ratioJson(a.ratio.targetRatio),
      band: a.band.monotone ? a.band.monotone.map(ratioJson) : null,
      bandMembers: a.band.members.map((m) => ({ ...m, monotoneRatio: ratioJson(m.monotoneRatio) })),
      paths: a.ratio.paths.map((p) => ({
        ratio: ratioJson(p.ratio), monotone: p.monotone, maxRise: round(p.maxRise), totalCutToTarget: p.totalCutToTarget,
        points: p.points.filter((_, i) => i % 10 === 0).map((q) => ({ vocCut: round(q.vocCut, 3), noxCut: round(q.noxCut, 3), value: round(q.value) })),
      })),
    },
    workers: o.workers,
    elapsedMs: Math.round(performance.now() - t0),
  };
}

export function register(program: Command): void {
  const obm = program.command('obm').description('observation-based box model (CB05 by default): RIR, EKMA, VOC:NOx co-reduction ratio');
  obm.command('run')
    .description('one constrained station-day: hourly species, P(O3)/L(O3), RIR, regime')
    .requiredOption('--input <file>', 'station-day input JSON (docs/obm.md)')
    .option('--mechanism <file>', 'KPP-syntax mechanism', DEFAULT_MECHANISM)
    .option('--cut <fraction>', 'RIR precursor cut', positive('cut', 0.01, 0.5), 0.2)
    .option('--key <n>', 'key species (top by OFP) to compute RIR for', positive('key', 0, 30), 10)
    .option('--band', 'uncertainty band of the ratio (18 more runs)')
    .option('--json', 'print the full result as JSON')
    .action((opts: RunOptions) => {
      const r = runObm(opts);
      if (opts.json) { console.log(JSON.stringify(r)); return; }
      console.log(`${r.site.id ?? ''} ${r.date}: ${r.mechanism.species} species, ${r.mechanism.reactions} reactions, ${r.elapsedMs} ms`);
      console.log(`peak O3 ${r.peakO3} ppb (model), net P(O3) ${r.netPO3Day} ppb/day; O3 agreement IOA ${r.o3Agreement.ioa?.toFixed(2) ?? '-'}, mean bias ${r.o3Agreement.meanBiasPpb?.toFixed(1) ?? '-'} ppb`);
      console.log(`RIR (${r.rir.cut * 100}% cut): ${r.rir.groups.map((g) => `${g.name} ${g.rir?.toFixed(2) ?? '-'}`).join(', ')}`);
      console.log(`key species RIR: ${r.rir.species.map((g) => `${g.name} ${g.rir?.toFixed(2) ?? '-'}`).join(', ')}`);
      console.log(`regime: ${r.regime}; VOC:NOx cut ratio >= ${r.coReduction.minVocToNox?.toFixed(2) ?? 'none'}${r.coReduction.band ? ` (band ${r.coReduction.band.map((x) => x.toFixed(2)).join('-')})` : ''}`);
      for (const u of r.unused) console.log(`not used: ${u.path}: ${u.message}`);
    });
  obm.command('ekma')
    .description('EKMA isopleth grid over AVOC x NOx scalings, ridge, regime, co-reduction ratio')
    .requiredOption('--input <file>', 'station-day input JSON (docs/obm.md)')
    .option('--mechanism <file>', 'KPP-syntax mechanism', DEFAULT_MECHANISM)
    .option('--max <scaling>', 'largest scaling of the observed VOC and NOx', positive('max', 0.2, 3), 1.5)
    .option('--step <scaling>', 'grid step', positive('step', 0.02, 1), 0.15)
    .option('--metric <m>', 'peakO3 or netPO3', (v: string) => { if (v !== 'peakO3' && v !== 'netPO3') throw new Error(`--metric must be peakO3 or netPO3, got '${v}'`); return v; }, 'peakO3')
    .option('--workers <n>', 'worker threads', positive('workers', 1, 64), 2)
    .option('--target <ppb>', 'O3 target for the least-cut path (default 90 % of the base)', positive('target', 0, 1000))
    .option('--json', 'print the full result as JSON')
    .action(async (opts: EkmaOptions) => {
      const r = await runObmEkma(opts);
      if (opts.json) { console.log(JSON.stringify(r)); return; }
      console.log(`${r.site.id ?? ''} ${r.date}: ${r.grid.voc.length} x ${r.grid.nox.length} grid (${r.metric}) in ${r.elapsedMs} ms on ${r.workers} workers`);
      console.log(`regime (EKMA): ${r.regime}; base ${r.baseValue} ppb, target ${r.target}`);
      console.log(`co-reduction: smallest monotone VOC:NOx ratio ${ratioText(r.coReduction.monotoneRatio)}${r.coReduction.band ? ` (band ${r.coReduction.band.map(ratioText).join(' to ')})` : ''}; least cut to target ${ratioText(r.coReduction.targetRatio)}`);
    });
}
