/**
 * `airdesk report month|quarter|year|episode --city NAME --period 2015-01|2015-Q1|2015 --files
 * FILES... --format pdf|html|json|xlsx --out FILE [--lang zh|en] [--episode ID]`: the city's
 * monthly, quarterly or annual report (laid out like the MEE bulletins) or an episode report, on
 * historical files read by the one importer (cli/commands/episodes.ts loadFilesAsync over
 * common/formats/archive-hours.ts: CNEMC/quotsoft and BJMEMC wide CSVs, UCI PRSA CSVs, mapped
 * tables, .xlsx). The JSON holds every figure the HTML/PDF/xlsx show (common/reports). Every bad
 * option or file is one line `airdesk: report.<code>: ...` and exit code 2, never a stack trace.
 */
import type { Command, CommanderError } from 'commander';
import { writeFileSync } from 'node:fs';
import { cityEngine, episodeReportOf, parsePeriod, periodReport, reportWindows, ReportError, type Period, type PeriodKind } from '#common/reports/index.ts';
import { endOfBeijingDay, DAY_MS, HOUR_MS } from '#common/time.ts';
import { LANGS, type Lang } from '../../reports/text.ts';
import { loadStations, registryOption } from '../archive-options.ts';
import { loadFilesAsync } from './episodes.ts';

// The renderers pull in ECharts, exceljs and playwright-core (seconds to load): imported only for
// the format asked, after every option has been checked.
const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const KINDS = ['month', 'quarter', 'year', 'episode'] as const;
type Kind = (typeof KINDS)[number];
const FORMATS = ['pdf', 'html', 'json', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];

export interface Opts {
  city?: string; period?: string; files?: string[]; format?: string; out?: string; lang: string;
  episode?: string; minStations: string; hourLabel: string; chromium: string; stations?: string;
}

/** An episode report's --period: a month, quarter, year or single day that the episode overlaps. */
function episodeWindow(s: string): { from: string; to: string } {
  const day = /^\d{4}-\d{2}-\d{2}$/.exec(s.trim());
  if (day) {
    const t = Date.parse(s.trim());
    if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== s.trim()) throw new ReportError('report.period', `--period '${s}' is not a real day`);
    return { from: s.trim(), to: s.trim() };
  }
  const kind: PeriodKind = /Q/i.test(s) ? 'quarter' : s.trim().length === 4 ? 'year' : 'month';
  const p = parsePeriod(kind, s);
  if (!p.ok) throw new ReportError('report.period', `--period for an episode must be a day YYYY-MM-DD, a month, quarter or year: ${p.error}`);
  return p.period;
}

function need<T>(v: T | undefined, name: string, what: string): T {
  if (v === undefined || (Array.isArray(v) && v.length === 0)) throw new ReportError('report.option', `${name} is required (${what})`);
  return v;
}

export interface ReportOptions {
  kind: Kind; city: string; files: string[]; format: Format; out: string; lang: Lang; minStations: number;
  hourLabel: 'end' | 'start'; period: Period | null; within: { from: string; to: string }; episode?: string; chromium: string; stations?: string;
}

/** The command line checked (no I/O): every option error as a ReportError naming the option. */
export function reportOptions(kindArg: string, o: Opts): ReportOptions {
  if (!KINDS.includes(kindArg as Kind)) throw new ReportError('report.kind', `report kind must be one of ${KINDS.join(', ')}, got '${kindArg}'`);
  const kind = kindArg as Kind;
  const city = need(o.city, '--city', 'a city name, pinyin or station code, e.g. beijing');
  const periodArg = need(o.period, '--period', kind === 'episode' ? 'a day, month, quarter or year the episode overlaps' : { month: 'YYYY-MM', quarter: 'YYYY-Qn', year: 'YYYY' }[kind as PeriodKind]);
  const files = need(o.files, '--files', 'CSV files or folders');
  const format = need(o.format, '--format', FORMATS.join('|')) as Format;
  const out = need(o.out, '--out', 'the file to write');
  if (!FORMATS.includes(format)) throw new ReportError('report.format', `--format must be one of ${FORMATS.join(', ')}, got '${o.format}'`);
  if (kind === 'episode' && format === 'xlsx') throw new ReportError('report.format', 'the spreadsheet annex is the daily table of a period report: use --format pdf|html|json for an episode');
  if (!LANGS.includes(o.lang as Lang)) throw new ReportError('report.option', `--lang must be zh or en, got '${o.lang}'`);
  const lang = o.lang as Lang;
  const minStations = Number(o.minStations);
  if (!Number.isInteger(minStations) || minStations < 1 || minStations > 1000) throw new ReportError('report.option', `--min-stations must be an integer 1..1000, got '${o.minStations}'`);

  let period: Period | null = null;
  let within: { from: string; to: string };
  if (o.hourLabel !== 'end' && o.hourLabel !== 'start') throw new ReportError('report.option', `--hour-label must be end or start, got '${o.hourLabel}'`);
  if (kind === 'episode') within = episodeWindow(periodArg);
  else {
    const p = parsePeriod(kind, periodArg);
    if (!p.ok) throw new ReportError('report.period', `--period: ${p.error}`);
    period = p.period;
    within = period;
  }
  return { kind: kind as Kind, city, files, format, out, lang, minStations, hourLabel: o.hourLabel, period, within, episode: o.episode, chromium: o.chromium, stations: o.stations };
}

/** Load, build and write one report; every failure a ReportError. */
export async function runReport(kind: string, opts: Opts): Promise<void> {
  const { city, files, format, out, lang, minStations, period, within, chromium } = reportOptions(kind, opts);
  const o = { ...opts, hourLabel: opts.hourLabel as 'end' | 'start' };
  let reg;
  try {
    reg = loadStations(o.stations);
  } catch (e) {
    throw new ReportError('report.option', (e as Error).message);
  }
  const load = await loadFilesAsync(files, city, { stations: reg.stations, hourLabel: o.hourLabel });
  const missing = load.notes.filter((n) => n.endsWith(': not found'));
  if (missing.length) throw new ReportError('report.files', missing.slice(0, 3).join('; ') + (missing.length > 3 ? ` (and ${missing.length - 3} more)` : ''));
  if (load.error) {
    const why = load.notes.filter((n) => /skipped/.test(n)).slice(0, 3);
    const code = load.cities.length && load.points.length === 0 && why.length ? 'report.files' : 'report.city';
    throw new ReportError(code, `${load.error}${why.length ? ` (${why.join('; ')})` : ''}`);
  }
  for (const n of load.notes) console.error(`note: ${n}`);
  const sel = load.cities[0];
  if (load.cities.length > 1) throw new ReportError('report.option', `--city names ${load.cities.length} cities: a report is for one city`);
  // A city with fewer stations than --min-stations would never have a city hour (as `airdesk episodes`).
  const nStations = new Set(load.points.map((p) => p.station)).size;
  const minUsed = Math.min(minStations, Math.max(1, nStations));
  if (minUsed < minStations) console.error(`note: ${sel.label} has only ${nStations} stations in the files: a city hour needs ${minUsed} (not ${minStations})`);
  const windows = period ? reportWindows(period) : [{ from: endOfBeijingDay(within.from) - 32 * DAY_MS + HOUR_MS, to: endOfBeijingDay(within.to) + 31 * DAY_MS }];
  const ce = cityEngine(load.points, sel.label, minUsed, load.notes, windows);
  const cityName = lang === 'zh' ? sel.city : sel.label.charAt(0).toUpperCase() + sel.label.slice(1);
  const generated = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

  const { episodeReportHtml, periodReportHtml } = format === 'html' || format === 'pdf' ? await import('../../reports/html.ts') : ({} as typeof import('../../reports/html.ts'));
  let json: unknown;
  let html: () => string;
  let xlsx: (() => Promise<Buffer>) | null = null;
  if (period) {
    const r = periodReport(ce, period);
    if (!r.ok) throw new ReportError(r.code, r.message);
    json = r.report;
    html = () => periodReportHtml(r.report, lang, { cityName, generated });
    xlsx = async () => (await import('../../reports/xlsx.ts')).periodReportXlsx(r.report, lang);
  } else {
    const r = episodeReportOf(ce, { id: o.episode, within });
    if (!r.ok) throw new ReportError(r.code, r.message);
    json = { ...r.report, candidates: r.candidates };
    html = () => episodeReportHtml(r.report, lang, { cityName, generated });
    if (r.candidates.length > 1 && !o.episode) console.error(`note: ${r.candidates.length} episodes overlap ${within.from}..${within.to}; reporting ${r.report.episode.id} (highest peak), others: ${r.candidates.filter((c) => c !== r.report.episode.id).join(', ')}`);
  }
  let bytes: string | Buffer;
  if (format === 'json') bytes = JSON.stringify(json, null, 1) + '\n';
  else if (format === 'html') bytes = html();
  else if (format === 'xlsx') bytes = await xlsx!();
  else bytes = await (await import('../../reports/pdf.ts')).htmlToPdf(html(), chromium);
  try {
    if (out === '-') process.stdout.write(bytes);
    else writeFileSync(out, bytes);
  } catch (e) {
    throw new ReportError('report.out', `${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (out !== '-') console.error(`wrote ${out} (${format}, ${bytes.length} bytes)`);
}

/** Commander's own errors (unknown option, missing argument) as coded one-liners; help exits 0. */
function coded(err: CommanderError): never {
  if (err.exitCode === 0) process.exit(0);
  throw new ReportError('report.option', err.message.replace(/^error:\s*/, ''));
}

export function register(program: Command): void {
  const report = program.command('report').description('monthly, quarterly, annual and episode reports (pdf, html, json, xlsx annex) from historical files');
  report.exitOverride(coded).configureOutput({ outputError: () => {} }).showHelpAfterError(false);
  for (const kind of KINDS) {
    const cmd = report.command(kind)
      .description(kind === 'episode' ? 'an episode report (timeline, peak hours, classification evidence); works while the episode runs' : `the city's ${kind}ly report${kind === 'year' ? ' (annual)' : ''}, as the MEE bulletins lay it out`)
      .option('--city <name>', 'city: Chinese name, pinyin or station code')
      .option('--period <p>', kind === 'episode' ? 'a day YYYY-MM-DD, month, quarter or year the episode overlaps' : { month: 'YYYY-MM', quarter: 'YYYY-Qn', year: 'YYYY' }[kind])
      .option('--files <files...>', 'CNEMC/quotsoft, BJMEMC or UCI PRSA CSVs (files or folders)')
      .option('--format <f>', FORMATS.join('|'))
      .option('--out <file>', 'output file (- for stdout)')
      .option('--lang <zh|en>', 'language of html/pdf/xlsx', 'zh')
      .option('--min-stations <n>', 'stations needed for a city pollutant hour', '6')
      .option('--hour-label <end|start>', 'what an hour label marks (CNEMC: end)', 'end')
      .option('--chromium <path>', 'Chromium for --format pdf', DEFAULT_CHROMIUM);
    if (kind === 'episode') cmd.option('--episode <id>', 'the episode id (default: the highest peak overlapping --period)');
    registryOption(cmd);
    cmd.exitOverride(coded).configureOutput({ outputError: () => {} }).showHelpAfterError(false);
    cmd.action((o: Opts) => runReport(kind, o));
  }
}
