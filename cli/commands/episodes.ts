/**
 * `airdesk episodes FILES...`: run the episode engine (common/episodes) over historical files and
 * print the episode table (`--json` for machines). Accepts CNEMC/BJMEMC wide CSVs (Beijing files
 * split over beijing_all_* and beijing_extra_* per day: give both) and UCI PRSA files for
 * meteorology. Empty files, HTML error pages and unknown formats are skipped with a note; gzip
 * files named .csv are decompressed.
 */
import type { Command } from 'commander';
import { createEngine, type Episode, type HourlyPoint } from '#common/episodes/index.ts';
import { prsaToPoints, wideToPoints } from '#common/episodes/import.ts';
import { formatBeijing } from '#common/time.ts';
import { expandPaths, readArchiveFile, type FileReason } from '../../gateway/import/read.ts';

export interface LoadReport {
  points: HourlyPoint[];
  notes: string[];
  files: number;
}

/** Why a file was skipped, in the words of the notes (gateway/import/read.ts reasons). */
const SKIP_WORD: Readonly<Record<FileReason, string>> = {
  'file.unreadable': 'unreadable', 'file.empty': 'empty', 'file.html': 'html', 'file.binary': 'binary',
  'file.gzip': 'broken gzip', 'file.format': 'unknown format',
};

/** Read files (folders expanded, gateway/import/read.ts expandPaths) into engine points. */
export function loadFiles(paths: readonly string[], city: string): LoadReport {
  const notes: string[] = [];
  const points: HourlyPoint[] = [];
  const files = expandPaths(paths);
  let ceilings = 0;
  let notFound = 0; // named paths that do not exist are not counted as files
  for (const f of files) {
    const r = readArchiveFile(f);
    if (!r.ok) {
      const missing = r.reason === 'file.unreadable' && r.detail === 'ENOENT';
      if (missing) notFound++;
      notes.push(missing ? `${f}: not found` : `${f}: ${SKIP_WORD[r.reason]}, skipped`);
      continue;
    }
    try {
      if (r.format === 'cnemc-wide') {
        const w = wideToPoints(r.text, city);
        points.push(...w.points);
        ceilings += w.ceilings;
        if (w.rejects) notes.push(`${f}: ${w.rejects} malformed rows skipped`);
      } else {
        points.push(...prsaToPoints(r.text, city).points);
      }
    } catch (err) {
      notes.push(`${f}: ${(err as Error).message}, skipped`);
    }
  }
  if (ceilings) notes.push(`${ceilings} suspect ceiling values dropped (gas = 500 ug/m3, CO = 20.0 mg/m3)`);
  return { points, notes, files: files.length - notFound };
}

/** The episode table as text lines. */
export function episodeTable(eps: readonly Episode[]): string[] {
  const rows = eps.map((e) => {
    const top = e.classification[0];
    const cls = top && top.score !== null ? `${top.label} ${top.passed}/${top.evaluated}` : '';
    const w = e.warning ? `${e.warning['2018'].level}/${e.warning['2024'].level}` : '';
    return [e.kind, e.city, e.start, e.end, e.state, e.level, String(e.daysOver || e.hours), `${e.peak.value} @ ${e.peak.at}`, w, e.driving ?? '', cls];
  });
  const head = ['kind', 'city', 'start', 'end', 'state', 'level', 'days', 'peak', 'warn 2018/2024', 'driver', 'top class (passed/evaluated)'];
  const all = [head, ...rows];
  const width = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => c.padEnd(width[i])).join('  ').trimEnd());
}

export function register(program: Command): void {
  program
    .command('episodes')
    .description('detect and classify pollution episodes in historical CSVs (CNEMC/BJMEMC wide, UCI PRSA meteorology)')
    .argument('<files...>', 'files or directories')
    .option('--city <name>', 'city the files describe', 'beijing')
    .option('--min-stations <n>', 'stations needed for a city hour (data README: 6 of Beijing\'s 12)', '6')
    .option('--o3-min-days <n>', 'consecutive MDA8 > 160 days for an O3 episode (default 2)', '2')
    .option('--kinds <list>', 'kinds to show (o3,heavy,heavy-rolling,combined,jump)', 'o3,heavy,heavy-rolling,combined')
    .option('--evidence', 'print each episode\'s classification evidence')
    .option('--json', 'print JSON (episodes with evidence and warnings)')
    .action((files: string[], opts: { city: string; minStations: string; o3MinDays: string; kinds: string; evidence?: boolean; json?: boolean }) => {
      const minStations = Number(opts.minStations);
      const o3MinDays = Number(opts.o3MinDays);
      if (!Number.isInteger(minStations) || minStations < 1) throw new Error('--min-stations must be a positive integer');
      if (!Number.isInteger(o3MinDays) || o3MinDays < 1) throw new Error('--o3-min-days must be a positive integer');
      const load = loadFiles(files, opts.city);
      const engine = createEngine({ minStationsPerHour: minStations, o3: { minDays: o3MinDays }, retentionDays: 100_000 });
      engine.ingest(load.points);
      const kinds = new Set(opts.kinds.split(',').map((s) => s.trim()));
      const eps = engine.episodes({ includeForming: true }).filter((e) => kinds.has(e.kind));
      if (opts.json) {
        console.log(JSON.stringify({ files: load.files, points: load.points.length, notes: load.notes, episodes: eps }, null, 2));
        return;
      }
      for (const n of load.notes) console.error(`note: ${n}`);
      console.log(`${load.files} files, ${load.points.length} station-hours; O3 episode = MDA8 > 160 on >= ${o3MinDays} consecutive days; heavy = daily AQI > 200 (gap <= 1 day with AQI > 150 merged)`);
      for (const l of episodeTable(eps)) console.log(l);
      if (opts.evidence) for (const e of eps) {
        if (!e.classification.length) continue;
        console.log(`\n${e.id} (${formatBeijing(e.startTime)} .. ${formatBeijing(e.endTime)})`);
        if (e.warning) for (const s of ['2018', '2024'] as const) {
          const w = e.warning[s];
          console.log(`  warning ${s}: ${w.level}${w.rule ? ` (${w.rule.en} / ${w.rule.zh})` : ''}`);
        }
        for (const c of e.classification) {
          console.log(`  ${c.label} ${c.zh}: ${c.score === null ? 'n/a' : `${c.passed}/${c.evaluated}`}`);
          for (const i of c.indicators) console.log(`    ${i.pass === null ? 'n/a ' : i.pass ? 'pass' : 'fail'} ${i.label}: ${i.value ?? '-'} (${i.rule} ${i.unit})`);
        }
      }
    });
}
