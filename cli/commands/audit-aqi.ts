/**
 * `airdesk audit-aqi FILES...`: recompute the hourly AQI of every station-hour of CNEMC/quotsoft
 * wide CSVs (national china_sites_*.csv; Beijing beijing_all_* + beijing_extra_*, merged by date)
 * and compare with the published AQI row. Empty files, HTML error pages and unreadable files are
 * reported and skipped; gzip streams saved as .csv are decompressed. Ends with
 * `RESULT exact=N/M within1=N/M rule=NAME`.
 */
import type { Command } from 'commander';
import { parseCnemcWide, pivotWide, type StationHour } from '#common/formats/cnemc-wide.ts';
import { mergeStationHours } from '#common/formats/merge-hours.ts';
import { auditHourlyAqi, type AuditReport, type Tally } from '#common/standards/audit.ts';
import { RULE_NAMES, hourlyRuleByName, type RuleName } from '#common/standards/rulesets.ts';
import { formatBeijing } from '#common/time.ts';
import { expandPaths, readArchiveFile, skipNote } from '../../gateway/import/read.ts';

export interface LoadedFile {
  file: string;
  status: 'ok' | 'skipped';
  note: string;
  hours: StationHour[];
}

/** Read one file into station-hours, never throwing: a reason instead. */
export function loadWideFile(file: string): LoadedFile {
  const r = readArchiveFile(file);
  if (!r.ok) return { file, status: 'skipped', note: skipNote(r), hours: [] };
  let note = r.gzip ? 'gzip, decompressed; ' : '';
  if (r.notes.includes('gzip.truncated')) note += 'gzip truncated, kept what decompresses; ';
  if (r.encoding !== 'utf-8') note += `${r.encoding === 'gb18030' ? 'GBK' : r.encoding}; `;
  if (r.format !== 'cnemc-wide') return { file, status: 'skipped', note: `${note}not a CNEMC wide CSV: a ${r.format} file`, hours: [] };
  try {
    const wf = parseCnemcWide(r.text);
    const hours = pivotWide(wf);
    const rej = wf.rejects.length ? `, ${wf.rejects.length} malformed lines skipped` : '';
    return { file, status: 'ok', note: `${note}${wf.rows.length} rows, ${hours.length} station-hours${rej}`, hours };
  } catch (e) {
    return { file, status: 'skipped', note: note + (e as Error).message, hours: [] };
  }
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
  program
    .command('audit-aqi')
    .description('recompute the hourly AQI of CNEMC/quotsoft CSVs and compare with the published AQI')
    .argument('<files...>', 'CSV files or folders (china_sites_*.csv, beijing_all_*.csv + beijing_extra_*.csv)')
    .option('--rule <name>', `force a rule set (${RULE_NAMES.join(', ')}); default by date`)
    .option('--worst <n>', 'how many worst mismatches to list', '15')
    .option('--by-day', 'also print per-day match rates of every rule set')
    .action((files: string[], o: { rule?: string; worst: string; byDay?: boolean }) => {
      let forced: RuleName | undefined;
      if (o.rule) {
        const r = hourlyRuleByName(o.rule);
        if (!r) throw new Error(`unknown rule set "${o.rule}" (known: ${RULE_NAMES.join(', ')})`);
        forced = r.name;
      }
      const worstN = Math.max(0, Math.min(1000, Number.parseInt(o.worst, 10) || 0));
      const lists: StationHour[][] = [];
      let skipped = 0;
      for (const f of expandPaths(files, /\.csv(\.gz)?$/i)) {
        const l = loadWideFile(f);
        if (l.status === 'skipped') {
          skipped++;
          console.log(`skip ${f}: ${l.note}`);
        } else {
          lists.push(l.hours);
          // gzip, GBK and malformed lines are worth a line; a plain file is not
          if (process.env.DEBUG || /gzip|GBK|utf-16|malformed/.test(l.note)) console.log(`read ${f}: ${l.note}`);
        }
      }
      console.log(`${lists.length} files read, ${skipped} skipped`);
      const { hours, conflicts } = mergeStationHours(lists);
      if (conflicts) console.log(`${conflicts} cells given twice with different values (later file kept)`);
      const rep = auditHourlyAqi(hours, { rule: forced, worst: worstN });
      console.log(`${rep.hours} station-hours with a published AQI`);
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
