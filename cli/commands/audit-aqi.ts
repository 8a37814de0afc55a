/**
 * `airdesk audit-aqi FILES...`: recompute the hourly AQI of every station-hour of CNEMC/quotsoft
 * wide CSVs (national china_sites_*.csv; Beijing beijing_all_* + beijing_extra_*, merged by date)
 * and compare with the published AQI row. Empty files, HTML error pages and unreadable files are
 * reported and skipped; gzip streams saved as .csv are decompressed. Ends with
 * `RESULT exact=N/M within1=N/M rule=NAME`.
 */
import type { Command } from 'commander';
import path from 'node:path';
import type { StationHour } from '#common/formats/cnemc-wide.ts';
import { mergeStationHours } from '#common/formats/merge-hours.ts';
import { archiveHours, type ArchiveHour, type ArchiveOptions } from '#common/formats/archive-hours.ts';
import { createAuditor, type AuditReport, type Tally } from '#common/standards/audit.ts';
import { RULE_NAMES, hourlyRuleByName, type RuleName } from '#common/standards/rulesets.ts';
import { formatBeijing } from '#common/time.ts';
import { expandPaths, readArchiveFile, readArchiveParts, skipNote, type ArchivePart, type ReadResult } from '../../gateway/import/read.ts';
import { loadStations, readOptions, registryOption, tableOptions, type TableFlags } from '../archive-options.ts';
import { resolveCities } from './episodes.ts';

export interface LoadedFile {
  file: string;
  status: 'ok' | 'skipped';
  note: string;
  hours: StationHour[];
}

/** One part (a file, or a sheet of a workbook) -> station-hours through the one importer. */
export function loadPart(where: string, r: ReadResult, read: Omit<ArchiveOptions, 'hourLabel'> = {}, hourLabel: 'start' | 'end' = 'end'): LoadedFile {
  const file = where;
  if (!r.ok) return { file, status: 'skipped', note: skipNote(r), hours: [] };
  let note = r.gzip ? 'gzip, decompressed; ' : '';
  if (r.notes.includes('gzip.truncated')) note += 'gzip truncated, kept what decompresses; ';
  if (r.encoding !== 'utf-8') note += `${r.encoding === 'gb18030' ? 'GBK' : r.encoding}; `;
  if (r.format === 'prsa') return { file, status: 'skipped', note: `${note}not a CNEMC wide CSV: a UCI PRSA file has no published AQI to audit`, hours: [] };
  try {
    const a = archiveHours(r.text, r.format, { ...read, hourLabel });
    if (r.format === 'table' && !a.hours.some((h) => 'AQI' in h.byType)) {
      return { file, status: 'skipped', note: `${note}a table without an AQI column: nothing published to compare with`, hours: [] };
    }
    const rej = a.rejects.length ? `, ${a.rejects.length} malformed lines skipped (first: line ${a.rejects[0].line} ${a.rejects[0].reason})` : '';
    return { file, status: 'ok', note: `${note}${a.hours.length} station-hours${rej}`, hours: a.hours };
  } catch (e) {
    return { file, status: 'skipped', note: note + (e as Error).message, hours: [] };
  }
}

/** Read one file into station-hours, never throwing: a reason instead (sync; .xlsx needs
 *  readArchiveParts). Stations as the file writes them (东四, 1001A), as this API always gave. */
export function loadWideFile(file: string, read: Omit<ArchiveOptions, 'hourLabel'> = {}): LoadedFile {
  const r = readArchiveFile(file);
  const part = loadPart(file, r, read);
  const l = { ...part, hours: part.hours.map((h) => ({ station: (h as ArchiveHour).raw ?? h.station, time: h.time, byType: h.byType })) };
  if (r.ok && r.format === 'table' && l.status === 'skipped') return l;
  return r.ok || l.status === 'ok' ? l : { ...l, note: r.reason === 'file.format' ? `not a CNEMC wide CSV: ${r.detail}` : l.note };
}

/** The date a file's name carries (china_sites_20170101, beijing_extra_20170101): files of one date
 *  are merged before auditing (BJMEMC splits a day over two files). */
export function fileDate(file: string): string | null {
  return /(?:^|[^\d])(\d{8})(?:[^\d]|$)/.exec(path.basename(file))?.[1] ?? null;
}

/**
 * Files in audit order: by the date in their name (files without one keep their place, each on its
 * own), so the stream of hours runs forward in time; groups of files sharing a date.
 */
export function auditGroups(files: readonly string[]): string[][] {
  const keyed = files.map((f, i) => ({ f, i, d: fileDate(f) }));
  keyed.sort((a, b) => (a.d ?? '') .localeCompare(b.d ?? '') || a.i - b.i);
  const groups: string[][] = [];
  let last: string | null = null;
  for (const k of keyed) {
    if (k.d !== null && k.d === last) groups[groups.length - 1].push(k.f);
    else groups.push([k.f]);
    last = k.d;
  }
  return groups;
}

export interface AuditRun {
  report: AuditReport;
  read: number;
  skipped: number;
  conflicts: number;
  late: number;
  /** station-hours left out by the city filter */
  outside: number;
  /** most hour values held at once (the windows in flight) */
  peakHeld: number;
}

/**
 * Stream files through the auditor, one date group at a time: memory is the group being read plus
 * each station's last 26 hours, never the archive.
 */
export async function auditFiles(
  files: readonly string[],
  o: { rule?: RuleName; rules?: 'all' | 'selected'; worst: number; read?: Omit<ArchiveOptions, 'hourLabel'>; hourLabel?: 'start' | 'end'; codes?: ReadonlySet<string> | null; log?: (line: string) => void },
): Promise<AuditRun> {
  return auditParts((async function* () {
    for (const group of auditGroups(files)) {
      const parts: ArchivePart[] = [];
      for (const f of group) parts.push(...(await readArchiveParts(f)));
      yield parts;
    }
  })(), o);
}

/** The streaming audit over groups of parts (a date's files, already read): auditFiles and the
 *  benchmark (bench/audit-stream.ts) run this same loop. */
export async function auditParts(
  groups: AsyncIterable<readonly ArchivePart[]> | Iterable<readonly ArchivePart[]>,
  o: { rule?: RuleName; rules?: 'all' | 'selected'; worst: number; read?: Omit<ArchiveOptions, 'hourLabel'>; hourLabel?: 'start' | 'end'; codes?: ReadonlySet<string> | null; log?: (line: string) => void },
): Promise<AuditRun> {
  const auditor = createAuditor({ rule: o.rule, worst: o.worst, rules: o.rules });
  const log = o.log ?? (() => {});
  let read = 0, skipped = 0, conflicts = 0, outside = 0, peakHeld = 0;
  for await (const group of groups) {
    const lists: StationHour[][] = [];
    for (const p of group) {
      const l = loadPart(p.where, p.result, o.read, o.hourLabel);
      if (l.status === 'skipped') {
        skipped++;
        log(`skip ${p.where}: ${l.note}`);
        continue;
      }
      read++;
      // gzip, GBK and malformed lines are worth a line; a plain file is not
      if (process.env.DEBUG || /gzip|GBK|utf-16|malformed/.test(l.note)) log(`read ${p.where}: ${l.note}`);
      lists.push(o.codes ? l.hours.filter((h) => o.codes!.has(h.station) || (outside++, false)) : l.hours);
    }
    // one file in time order (a wide file's pivot) needs no merge; anything else is merged and sorted
    const m = lists.length === 1 && lists[0].every((h, i, a) => i === 0 || a[i - 1].time <= h.time) ? { hours: lists[0], conflicts: 0 } : mergeStationHours(lists);
    conflicts += m.conflicts;
    for (const h of m.hours) auditor.push(h);
    peakHeld = Math.max(peakHeld, auditor.held().values);
  }
  return { report: auditor.report(), read, skipped, conflicts, late: auditor.late, outside, peakHeld };
}

const pct = (t: Tally | undefined, k: 'exact' | 'within1') => (t && t.n ? ((100 * t[k]) / t.n).toFixed(1).padStart(5) + '%' : '     -');

export function formatReport(rep: AuditReport, forced: RuleName | undefined, worstN: number): string[] {
  const lines: string[] = [];
  lines.push('', 'Match rates per month and rule set (exact / within 1):');
  lines.push('month    ' + RULE_NAMES.map((r) => r.padEnd(26)).join(''));
  for (const [month, rules] of Object.entries(rep.byMonthRule).sort()) {
    const n = Object.values(rules)[0]?.n ?? 0;
    const cells = RULE_NAMES.map((r) => `${pct(rules[r], 'exact')} /${pct(rules[r], 'within1')}`.padEnd(26));
    lines.push(`${month}  ${cells.join('')} n=${n}`);
  }
  lines.push('', `Selected rule ${forced ?? 'by date (' + rep.selectedRules.join(', ') + ')'} per month:`);
  for (const [month, t] of Object.entries(rep.selectedByMonth).sort()) {
    lines.push(`  ${month}  exact ${t.exact}/${t.n} (${pct(t, 'exact').trim()})  within1 ${t.within1}/${t.n} (${pct(t, 'within1').trim()})`);
  }
  const winMonths = Object.keys(rep.byWindow).sort();
  if (winMonths.length) {
    lines.push('', 'Rule sets with PM 24-h moving means, by whether the 24 hourly PM2.5 values of the window are all in the files:');
    for (const m of winMonths) {
      for (const w of ['complete', 'gaps'] as const) {
        for (const [r, t] of Object.entries(rep.byWindow[m][w])) lines.push(`  ${m} ${w.padEnd(8)} ${r.padEnd(20)} exact${pct(t, 'exact')}  within1${pct(t, 'within1')}  n=${t!.n}`);
      }
    }
  }
  if (rep.rawFallbacks) lines.push(`  ${rep.rawFallbacks} hours used the file's rounded 24-h column (incomplete hourly window)`);
  if (rep.uncomputable) lines.push(`  ${rep.uncomputable} hours have a published AQI but no concentration to compute one from`);
  if (rep.worst.length) {
    lines.push('', `Worst mismatches (of ${worstN} kept):`);
    for (const m of rep.worst) {
      const iq = Object.entries(m.iaqi).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${v}`).join(' ');
      const inp = Object.entries(m.inputs).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => `${k}=${+(+v!).toFixed(1)}`).join(' ');
      lines.push(`  ${m.station} ${formatBeijing(m.time)} published=${m.published} computed=${m.computed ?? 'none'} [${m.rule}] iaqi: ${iq} | in: ${inp}`);
    }
  }
  return lines;
}

// `airdesk audit-aqi ... | head` closes stdout early: end quietly instead of an EPIPE stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

export function register(program: Command): void {
  const cmd = program
    .command('audit-aqi')
    .description('recompute the hourly AQI of CNEMC/quotsoft CSVs and compare with the published AQI')
    .argument('<files...>', 'CSV files or folders (china_sites_*.csv, beijing_all_*.csv + beijing_extra_*.csv)')
    .option('--rule <name>', `force a rule set (${RULE_NAMES.join(', ')}); default by date`)
    .option('--worst <n>', 'how many worst mismatches to list', '15')
    .option('--by-day', 'also print per-day match rates of every rule set')
    .option('--rules <all|selected>', 'evaluate every rule set on every hour (all: the per-month comparison) or only the selected one (faster on large archives)', 'all')
    .option('--city <names>', 'only the stations of these cities (comma-separated: name, pinyin, province or station code; default all)')
    .option('--hour-label <end|start>', 'what an hour label marks (CNEMC: end)', 'end');
  registryOption(tableOptions(cmd)).action(async (files: string[], o: TableFlags & { rules: string; rule?: string; worst: string; byDay?: boolean; city?: string; stations?: string; hourLabel: string }) => {
      let forced: RuleName | undefined;
      if (o.rule) {
        const r = hourlyRuleByName(o.rule);
        if (!r) throw new Error(`unknown rule set "${o.rule}" (known: ${RULE_NAMES.join(', ')})`);
        forced = r.name;
      }
      if (o.hourLabel !== 'end' && o.hourLabel !== 'start') throw new Error('--hour-label must be end or start');
      if (o.rules !== 'all' && o.rules !== 'selected') throw new Error('--rules must be all or selected');
      const worstN = Math.max(0, Math.min(1000, Number.parseInt(o.worst, 10) || 0));
      let codes: Set<string> | null = null;
      let cityNote = '';
      if (o.city) {
        const reg = loadStations(o.stations);
        const rc = resolveCities(o.city, reg.stations);
        if (rc.error) throw new Error(rc.error);
        codes = new Set(rc.cities.flatMap((c) => c.codes));
        const fixed = o.station;
        if (fixed && !reg.stations.some((s) => s.code === fixed)) codes.add(fixed);
        cityNote = ` for ${rc.cities.map((c) => c.city).join(', ')} (${codes.size} stations)`;
      }
      const run = await auditFiles(expandPaths(files, /\.(csv|xlsx)(\.gz)?$/i), { rule: forced, rules: o.rules as 'all' | 'selected', worst: worstN, read: readOptions(o), hourLabel: o.hourLabel as 'start' | 'end', codes, log: (l) => console.log(l) });
      console.log(`${run.read} files read, ${run.skipped} skipped`);
      if (run.conflicts) console.log(`${run.conflicts} cells given twice with different values (later file kept)`);
      if (run.late) console.log(`${run.late} station-hours came more than a day behind their station's latest hour (audited with the history still held)`);
      const rep = run.report;
      console.log(`${rep.hours} station-hours with a published AQI${cityNote}`);
      if (rep.hours === 0) {
        // 0/0 is not a result: say why and fail, so a script notices
        const why = run.read === 0 ? 'no file could be read' : codes && run.outside ? `the files hold ${run.outside} station-hours, none of a station of${cityNote}` : 'the files hold no published AQI (an AQI row or column)';
        throw new Error(`nothing to audit: ${why}`);
      }
      for (const l of formatReport(rep, forced, worstN)) console.log(l);
      if (o.byDay) {
        console.log('', 'Per day (within 1):');
        for (const [day, rules] of Object.entries(rep.byDayRule).sort()) {
          console.log(`  ${day}  ` + RULE_NAMES.map((r) => `${r} ${pct(rules[r], 'within1')}`).join('  '));
        }
      }
      const t = rep.selected;
      const name = forced ?? (rep.selectedRules.length === 1 ? rep.selectedRules[0] : `by-date:${rep.selectedRules.join(',') || 'none'}`);
      console.log(`RESULT exact=${t.exact}/${t.n} within1=${t.within1}/${t.n} rule=${name}`);
    });
}
