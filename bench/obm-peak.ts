/**
 * Why the modelled O3 peak is above the observed one (docs/obm.md, Limits to know): the two
 * fixture days run under the server's settings, then with one physical setting changed at a
 * time, each within its published range. Prints a markdown table: modelled peak (hour), observed
 * peak, modelled at the observed peak hour, 06 h O3 model / observed, index of agreement, mean
 * bias, and the RIR signs (which must not move). Run: npx tsx bench/obm-peak.ts
 */
import { readFileSync } from 'node:fs';
import { analyseDay } from '../common/obm/analysis.ts';
import { CB05_DIAGNOSTICS, type BoxSettings } from '../common/obm/box.ts';
import { checkObmInput, prepareInput, type ObmInput } from '../common/obm/input.ts';
import { TYPICAL_SUMMER_MIXING_HEIGHT_M } from '../common/obm/mixing-layer.ts';
import { compileKinetics } from '../common/obm/kinetics.ts';
import { parseKpp } from '../common/obm/kpp.ts';
const pk = parseKpp(readFileSync(new URL('../common/obm/mechanisms/cb05.kpp', import.meta.url), 'utf8'));
if (!pk.ok) throw new Error('kpp');
const kin = compileKinetics(pk.mechanism);
const base: Partial<BoxSettings> = { spinupDays: 1, mixingHeightM: TYPICAL_SUMMER_MIXING_HEIGHT_M };
const variants: [string, Partial<BoxSettings>][] = [
  ['server default (typical ML, 1-d spin-up)', {}],
  ['no mixed layer (old)', { mixingHeightM: null }],
  ['photolysis x0.75 (aerosol/cloud)', { jScale: 0.75 }],
  ['O3 deposition x2 (vd 0.8 cm/s)', { depositionPerS: { O3: 8e-6, HNO3: 2e-5, H2O2: 1e-5 } }],
  ['background O3 30 (not 40)', { backgroundPpb: { O3: 30 } }],
  ['dilution 2/day', { dilutionPerS: 2 / 86400 }],
];
console.log('| day | run | model peak ppb (hour) | observed peak (hour) | model at the observed peak hour | 06 h model / observed | IOA | mean bias ppb | RIR |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const f of ['urban-summer-day.json', 'suburban-low-nox-day.json']) {
  const raw = JSON.parse(readFileSync(new URL(`../tests/fixtures/obm/${f}`, import.meta.url), 'utf8'));
  const obs = Math.max(...raw.hours.map((h: { o3: number | null }) => h.o3 ?? -1));
  for (const [name, v] of variants) {
    const c = checkObmInput({ ...raw, settings: { ...raw.settings, ...base, ...v } });
    if (!c.ok) { console.log(name, JSON.stringify(c.errors)); continue; }
    const p = prepareInput(c.value as ObmInput, kin);
    if (!p.ok) { console.log(name, JSON.stringify(p.errors)); continue; }
    const a = analyseDay(kin, CB05_DIAGNOSTICS, p.value, { keySpecies: 0 });
    const peak = a.hours.reduce((b, h) => (h.o3Model > b.o3Model ? h : b));
    const m0 = a.hours[6]!.o3Model;
    const obsHour = raw.hours.findIndex((h: { o3: number | null }) => h.o3 === obs);
    const atObs = a.hours[obsHour]!.o3Model;
    console.log(`| ${f.replace('.json', '')} | ${name} | ${peak.o3Model.toFixed(0)} (${peak.hour}h) | ${obs} (${obsHour}h) | ${atObs.toFixed(0)} | ${m0.toFixed(0)} / ${raw.hours[6].o3} | ${a.o3Agreement.ioa?.toFixed(2)} | ${a.o3Agreement.meanBiasPpb?.toFixed(0)} | RIR AVOC ${a.rirGroups.find((g) => g.name === 'AVOC')?.rir?.toFixed(2)} NOx ${a.rirGroups.find((g) => g.name === 'NOx')?.rir?.toFixed(2)} |`);
  }
}
