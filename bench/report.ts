/**
 * Time to generate a month's report (issue 19 target: <= 10 s), on the real data in ../shared/data
 * (BENCH_REPORT_DATA overrides the folder): BJMEMC December 2016 (the month's 62 daily files) and
 * UCI PRSA January 2015 (the 12 three-year station files, so the importer reads 298k rows to find
 * the month). Phases, in process: read the files (the one importer, cli/commands/episodes.ts
 * loadFilesAsync), build the report (engine over the period and the same month a year earlier,
 * figures), render HTML (with the ECharts SVG), print the PDF (Chromium), write the xlsx annex.
 * Prints a line per data set and ends with
 *   RESULT bjmemc_month_s=<total> prsa_month_s=<total> prsa_load_s=<read> prsa_build_s=<build> pdf_s=<print>
 * The machine's load matters (Chromium start-up and the CSV parse are CPU-bound): the figure of
 * record is taken on an idle machine; docs/benchmarks.md keeps the ones measured.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadFilesAsync } from '../cli/commands/episodes.ts';
import { cityEngine, parsePeriod, periodReport, reportWindows } from '../common/reports/index.ts';
import { periodReportHtml } from '../reports/html.ts';
import { htmlToPdf } from '../reports/pdf.ts';
import { periodReportXlsx } from '../reports/xlsx.ts';

const DATA = process.env.BENCH_REPORT_DATA ?? path.resolve(import.meta.dirname, '../../shared/data');
const CHROMIUM = process.env.AIRDESK_TEST_CHROMIUM ?? '/usr/bin/chromium';

async function month(label: string, files: string[], key: string) {
  const t0 = performance.now();
  const load = await loadFilesAsync(files, 'beijing');
  if (load.error) throw new Error(`${label}: ${load.error}`);
  const t1 = performance.now();
  const p = parsePeriod('month', key);
  if (!p.ok) throw new Error(p.error);
  const ce = cityEngine(load.points, 'beijing', 6, load.notes, reportWindows(p.period));
  const r = periodReport(ce, p.period);
  if (!r.ok) throw new Error(`${label}: ${r.message}`);
  const t2 = performance.now();
  const html = periodReportHtml(r.report, 'zh', { cityName: '北京' });
  const t3 = performance.now();
  const pdf = await htmlToPdf(html, CHROMIUM);
  const t4 = performance.now();
  const xlsx = await periodReportXlsx(r.report, 'zh');
  const t5 = performance.now();
  const s = (a: number, b: number) => (b - a) / 1000;
  console.log(`${label} ${key}: ${files.length} files, ${load.points.length} station-hours read in ${s(t0, t1).toFixed(2)} s; report built in ${s(t1, t2).toFixed(2)} s ` +
    `(${ce.source.stationHours} station-hours in the windows, ${r.report.episodes.length} episodes); html ${s(t2, t3).toFixed(2)} s (${html.length} chars); ` +
    `pdf ${s(t3, t4).toFixed(2)} s (${pdf.length} bytes); xlsx ${s(t4, t5).toFixed(2)} s; total ${s(t0, t5).toFixed(2)} s`);
  return { total: s(t0, t5), load: s(t0, t1), build: s(t1, t2), pdf: s(t3, t4) };
}

const bj = path.join(DATA, 'beijing-bjmemc');
const prsa = path.join(DATA, 'prsa-beijing-2013-2015');
if (!existsSync(bj) || !existsSync(prsa)) {
  console.log(`bench:report needs ${bj} and ${prsa} (../shared/data); absent, nothing measured`);
  process.exit(0);
}
const a = await month('BJMEMC', readdirSync(bj).filter((f) => /^beijing_(all|extra)_201612\d\d\.csv$/.test(f)).map((f) => path.join(bj, f)), '2016-12');
const b = await month('PRSA', [prsa], '2015-01');
console.log(`RESULT bjmemc_month_s=${a.total.toFixed(2)} prsa_month_s=${b.total.toFixed(2)} prsa_load_s=${b.load.toFixed(2)} prsa_build_s=${b.build.toFixed(2)} pdf_s=${b.pdf.toFixed(2)}`);
