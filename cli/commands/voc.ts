/**
 * `airdesk voc FILES...`: OFP and OH-reactivity analysis of speciated VOC CSV exports (a date column
 * plus one column per species, names as the vendor or lab wrote them). Prints the key species by
 * OFP and by L_OH, group shares, diagnostic ratios, and every column or row it could not use;
 * `--json` prints the full analysis object instead. Values are converted to ppbv first
 * (ppbC / carbon number; ug/m3 at 298.15 K, 1013.25 hPa).
 */
import type { Command } from 'commander';
import type { Reading, VocCycle } from '#common/schemas/reading.ts';
import { analyzeVoc, countIssues, type VocAnalysis } from '#common/voc/analysis.ts';
import { parseSpeciatedCsv, type CsvColumn, type CsvReject } from '#common/voc/csv.ts';
import type { VocIssue } from '#common/voc/quality.ts';
import { GROUP_LABELS, VENDOR_T_BAS_FACTOR_2018_CODES, HJ212_2017_VOC_CODES, type MirScale } from '#common/voc/species.ts';
import { parseVocUnit, type VocUnit } from '#common/voc/units.ts';
import { readCsvFile, skipNote } from '../../gateway/import/read.ts';

export interface VocFileResult {
  file: string;
  status: 'ok' | 'skipped';
  note: string;
  cycles: VocCycle[];
  columns: CsvColumn[];
  rejects: CsvReject[];
  issues: VocIssue[];
  /** NOx/NO/NO2/O3/CO columns of the file as station readings (paired with the samples) */
  readings: Reading[];
  dateOnly: boolean;
}

export interface VocRunOptions {
  unit: VocUnit;
  tzOffsetHours: number;
  mirScale: MirScale;
  top: number;
  codes: 'hj212-2017' | 'vendor-2018';
}

/** Read and parse one file, never throwing: a reason instead. */
export function loadVocFile(file: string, o: VocRunOptions): VocFileResult {
  const empty = { cycles: [], columns: [], rejects: [], issues: [], readings: [], dateOnly: false };
  const r = readCsvFile(file);
  if (!r.ok) return { file, status: 'skipped', note: skipNote(r), ...empty };
  const text = r.text;
  try {
    const codeMap = o.codes === 'vendor-2018' ? VENDOR_T_BAS_FACTOR_2018_CODES : HJ212_2017_VOC_CODES;
    const p = parseSpeciatedCsv(text, { unit: o.unit, tzOffsetHours: o.tzOffsetHours, codeMap, analyzer: 'csv', station: file });
    if (!p.columns.some((c) => c.species && !c.reason)) return { file, status: 'skipped', note: 'no VOC species columns recognised', ...p, cycles: [] };
    const gases = p.columns.filter((c) => c.reason === 'column.station_gas').map((c) => c.column);
    return { file, status: 'ok', note: `${p.cycles.length} samples${p.dateOnly ? ' (date-only: whole-day samples)' : ''}${gases.length ? `; paired station gases ${gases.join(', ')}` : ''}`, ...p };
  } catch (e) {
    return { file, status: 'skipped', note: `not a CSV: ${(e as Error).message}`, ...empty };
  }
}

/** Run the analysis over files; returns the report object `--json` prints. */
export function runVoc(files: readonly string[], o: VocRunOptions) {
  const loaded = files.map((f) => loadVocFile(f, o));
  const cycles = loaded.flatMap((l) => l.cycles);
  const ok = loaded.filter((l) => l.status === 'ok');
  const dailySamples = ok.length > 0 && ok.every((l) => l.dateOnly);
  const readings = loaded.flatMap((l) => l.readings);
  const analysis = analyzeVoc(cycles, readings, { mirScale: o.mirScale, topN: o.top, tzOffsetHours: o.tzOffsetHours, dailySamples });
  const unused = loaded.flatMap((l) => l.columns.filter((c) => c.reason && c.reason !== 'column.time' && c.reason !== 'column.station_gas').map((c) => ({ file: l.file, ...c })));
  return {
    unit: o.unit,
    files: loaded.map(({ file, status, note, rejects }) => ({ file, status, note, rejects })),
    unusedColumns: unused,
    valueIssues: countIssues(loaded.flatMap((l) => l.issues)),
    analysis,
  };
}

const f1 = (x: number | null, d = 1) => (x === null ? '-' : x.toFixed(d));

function printReport(r: ReturnType<typeof runVoc>, a: VocAnalysis): void {
  for (const f of r.files) console.log(`${f.file}: ${f.status} (${f.note}${f.rejects.length ? `, ${f.rejects.length} rows rejected` : ''})`);
  console.log(`\n${a.cycles} samples, input unit ${r.unit}; mean TVOC ${f1(a.tvoc.ppbv)} ppbv = ${f1(a.tvoc.ppbC)} ppbC = ${f1(a.tvoc.ugm3)} ug/m3 (${a.conditions.kelvin} K, ${a.conditions.hPa} hPa)`);
  console.log(`OFP ${f1(a.ofpTotal)} ug/m3 O3 (${a.mirScaleLabel}); L_OH ${f1(a.lohTotal, 2)} s-1`);
  const flagged = new Map(a.plausibility.map((p) => [p.id, p]));
  const table = (title: string, rows: VocAnalysis['rankings']['ofp'], unit: string, d: number) => {
    console.log(`\n${title}`);
    for (const s of rows) {
      const f = flagged.get(s.id);
      console.log(`  ${String(s.rank).padStart(2)}. ${s.name.padEnd(24)} ${s.value.toFixed(d).padStart(8)} ${unit}  ${f1(s.share === null ? null : s.share * 100)}%${f ? `  ! implausible: mean ${f.meanPpbv.toFixed(1)} ppbv > ${f.limit}` : ''}`);
    }
  };
  table('Top species by OFP', a.rankings.ofp, 'ug/m3', 1);
  table('Top species by L_OH', a.rankings.loh, 's-1', 3);
  for (const p of a.plausibility) console.log(`  ! ${p.name}: ${p.reason}${p.ofpShare !== null ? ` (it supplies ${(p.ofpShare * 100).toFixed(0)}% of the OFP)` : ''}`);
  const rg = a.regime;
  console.log(`\nRegime (VOC/NOx, ${rg.morningHours.length === 24 ? 'every sample of the day' : 'morning'}): ${rg.periodRegime ?? `not determined${rg.noxSource === null ? ' (no paired NOx data)' : ''}`}${rg.periodRatio !== null ? ` (ratio ${rg.periodRatio.toFixed(1)}, NOx from ${rg.noxSource})` : ''}`);
  console.log('\nGroups (share of OFP / L_OH / ppbC)');
  for (const g of a.groups) console.log(`  ${GROUP_LABELS[g.group].en.padEnd(20)} ${f1((g.ofpShare ?? 0) * 100).padStart(5)}% ${f1((g.lohShare ?? 0) * 100).padStart(5)}% ${f1((g.ppbCShare ?? 0) * 100).padStart(5)}%`);
  console.log('\nDiagnostic ratios (ppbv/ppbv)');
  for (const x of a.ratios) console.log(`  ${x.label.en.padEnd(24)} ${f1(x.value, 2).padStart(6)}  (n=${x.n}; ${x.hint.en})`);
  if (r.unusedColumns.length) {
    console.log('\nColumns not used');
    for (const c of r.unusedColumns) console.log(`  ${c.column} (${c.reason})${r.files.length > 1 ? ` in ${c.file}` : ''}`);
  }
  if (r.valueIssues.length) {
    console.log('\nValues flagged');
    for (const i of r.valueIssues) console.log(`  ${i.code}: ${i.count} (e.g. ${i.examples.join(', ')})`);
  }
  console.log(`\n${a.summary.en}\n${a.summary.zh}`);
}

export function register(program: Command): void {
  program
    .command('voc')
    .description('OFP and OH-reactivity ranking of speciated VOC CSV files (date column + one column per species)')
    .argument('<files...>', 'CSV files')
    .option('--unit <unit>', 'unit of the values: ppbv | ppbC | ugm3', 'ppbv')
    .option('--tz <hours>', 'UTC offset of the date column, hours', '8')
    .option('--mir <scale>', 'MIR scale: carter2010 | cn2021', 'carter2010')
    .option('--top <n>', 'species in each ranking', '10')
    .option('--codes <map>', 'HJ 212 code map for code-named columns: hj212-2017 | vendor-2018', 'hj212-2017')
    .option('--json', 'print the full result as JSON')
    .action((files: string[], opts: { unit: string; tz: string; mir: string; top: string; codes: string; json?: boolean }) => {
      const unit = parseVocUnit(opts.unit);
      if (!unit) throw new Error(`--unit must be ppbv, ppbC or ugm3 (got "${opts.unit}")`);
      if (opts.mir !== 'carter2010' && opts.mir !== 'cn2021') throw new Error(`--mir must be carter2010 or cn2021 (got "${opts.mir}")`);
      if (opts.codes !== 'hj212-2017' && opts.codes !== 'vendor-2018') throw new Error(`--codes must be hj212-2017 or vendor-2018`);
      const tz = Number(opts.tz), top = Number(opts.top);
      if (!Number.isFinite(tz) || Math.abs(tz) > 14) throw new Error(`--tz must be an offset in hours (got "${opts.tz}")`);
      if (!Number.isInteger(top) || top < 1 || top > 200) throw new Error(`--top must be an integer 1..200`);
      const r = runVoc(files, { unit, tzOffsetHours: tz, mirScale: opts.mir, top, codes: opts.codes });
      // --json leaves out the per-sample timeline (the CSV already holds it).
      if (opts.json) console.log(JSON.stringify({ ...r, analysis: { ...r.analysis, timeline: undefined, regime: { ...r.analysis.regime, hourly: undefined } } }, null, 2));
      else printReport(r, r.analysis);
      if (!r.files.some((f) => f.status === 'ok')) process.exitCode = 1;
    });
}
