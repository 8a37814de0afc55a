/**
 * `airdesk import FILES...`: import CNEMC/quotsoft wide CSVs (china_sites_*, beijing_all_*,
 * beijing_extra_*) and UCI PRSA CSVs into the time-series store through the live normaliser
 * (gateway/import/pipeline.ts). Folders are expanded to the files inside them (sorted).
 * Idempotent: importing the same files again writes nothing.
 */
import type { Command } from 'commander';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { openStore, storeConfigFromEnv } from '../../stores/open.ts';
import { importFiles, type ImportSummary, type ImportProgress } from '../../gateway/import/pipeline.ts';
import { ImportDeadLetters } from '../../gateway/import/deadletters.ts';
import { expandPaths } from '../../gateway/import/read.ts';
import { formatBeijing } from '#common/time.ts';
import { readOptions, tableOptions } from '../archive-options.ts';

/** Progress to stderr: a bar on a terminal, a plain line every ~10 % otherwise. */
export function progressReporter(label: string, total: number): { update(p: ImportProgress): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream: process.stderr, format: `${label} [{bar}] {value}/{total} files | {accepted} accepted, {rejected} rejected | {file}`, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { accepted: 0, rejected: 0, file: '' });
    return {
      update: (p) => bar.update(p.fileIndex, { accepted: p.accepted, rejected: p.rejected, file: path.basename(p.file) }),
      stop: () => bar.stop(),
    };
  }
  let lastDecile = -1;
  return {
    update: (p) => {
      const decile = Math.floor((p.fileIndex / p.files) * 10);
      if (decile !== lastDecile || p.fileIndex === p.files) {
        lastDecile = decile;
        console.error(`${label}: ${p.fileIndex}/${p.files} files, ${p.accepted} station-hours accepted, ${p.rejected} rejected`);
      }
    },
    stop: () => {},
  };
}

const fmtCounts = (m: Record<string, number>) =>
  Object.keys(m).length ? Object.entries(m).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') : 'none';

export function formatSummary(s: ImportSummary): string {
  const rejectedSh = Object.values(s.stationHours.rejected).reduce((a, b) => a + b, 0);
  const lines = [
    `files: ${s.files.total} given, ${s.files.imported} imported, ${s.files.total - s.files.imported} not imported (${fmtCounts(s.files.failed)})`,
    `lines rejected by the parser: ${fmtCounts(s.lines.rejected)}`,
    `station-hours: ${s.stationHours.read} read, ${s.stationHours.accepted} accepted, ${rejectedSh} rejected (${fmtCounts(s.stationHours.rejected)}); ${s.stationHours.withoutHourlyValues} had only AQI/_24h values`,
    `values kept with QC flags: ${fmtCounts(s.flagged)}; non-numeric cells stored as missing: ${s.badCells}`,
    `store: ${s.store.new} new, ${s.store.updated} updated, ${s.store.unchanged} already stored; ${s.conflicts} cells differed from a value already stored or given earlier (kept the first; --overwrite replaces)`,
  ];
  if (s.timeRange) lines.push(`hours (Beijing time, hour end): ${formatBeijing(s.timeRange.from)} .. ${formatBeijing(s.timeRange.to)}`);
  for (const f of s.perFile.filter((f) => !f.ok)) lines.push(`  not imported: ${f.file}: ${f.reason} (${f.detail})`);
  lines.push(`dead letters kept: ${s.deadLettersAdded} new`);
  return lines.join('\n');
}

export function register(program: Command): void {
  const cmd = program
    .command('import')
    .description('import CNEMC/BJMEMC wide CSVs and UCI PRSA CSVs into the store (idempotent)')
    .argument('<files...>', 'files or folders')
    .option('--influx <url>', 'InfluxDB URL (default: $INFLUX_URL, else SQLite in $AIRDESK_DATA_DIR)')
    .option('--hour-label <end|start>', 'what an hour label marks (CNEMC: end)', 'end')
    .option('--dead-letters <file>', 'SQLite file for rejects (default $AIRDESK_DATA_DIR/import-deadletters.sqlite)')
    .option('--overwrite', 'let values from the files replace different values already stored (default: keep stored, fill gaps)')
    .option('--json', 'print the summary as JSON');
  tableOptions(cmd).action(async (paths: string[], o) => {
      if (o.hourLabel !== 'end' && o.hourLabel !== 'start') throw new Error('--hour-label must be end or start');
      const env = storeConfigFromEnv(process.env);
      const files = expandPaths(paths);
      const store = await openStore(o.influx ? { influxUrl: o.influx } : { influxUrl: env.influxUrl, sqlitePath: env.sqlitePath });
      const dead = new ImportDeadLetters(o.deadLetters ?? path.join(env.dataDir, 'import-deadletters.sqlite'));
      const progress = progressReporter('import', files.length);
      try {
        await store.init();
        const summary = await importFiles(files, { store, deadLetters: dead, hourLabel: o.hourLabel, merge: o.overwrite ? 'overwrite' : 'fill', read: readOptions(o), onProgress: (p) => progress.update(p) });
        progress.stop();
        console.log(o.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
        if (files.length > 0 && summary.files.imported === 0) process.exitCode = 1;
      } finally {
        progress.stop();
        dead.close();
        await store.close();
      }
    });
}
