/**
 * `airdesk episodes FILES...`: run the episode engine (common/episodes) over historical files and
 * print the episode table (`--json` for machines). Accepts CNEMC/BJMEMC wide CSVs (Beijing files
 * split over beijing_all_* and beijing_extra_* per day: give both) and UCI PRSA files for
 * meteorology. Empty files, HTML error pages and unknown formats are skipped with a note; gzip
 * files named .csv are decompressed.
 */
import type { Command } from 'commander';
import { createEngine, type Engine, type Episode, type HourlyPoint } from '#common/episodes/index.ts';
import type { DayRecord } from '#common/episodes/city.ts';
import { loadStations, readOptions, registryOption, tableOptions, type TableFlags } from '../archive-options.ts';
import { archiveToPoints } from '#common/episodes/import.ts';
import { topClass } from '#common/episodes/classify.ts';
import { archiveHours, type ArchiveOptions } from '#common/formats/archive-hours.ts';
import { builtinBeijingStations, cityOfCode, resolveCity, stationNamer, type CitySelection } from '#common/formats/city-stations.ts';
import type { Station } from '#common/schemas/station.ts';
import { formatBeijing } from '#common/time.ts';
import { expandPaths, readArchiveFile, readArchiveParts, type FileReason, type ReadResult } from '../../gateway/import/read.ts';

export interface LoadReport {
  points: HourlyPoint[];
  notes: string[];
  files: number;
  /** the cities asked for, with their station codes */
  cities: CitySelection[];
  /** station-hours per city label */
  perCity: Record<string, number>;
  /** why the run cannot answer (a city with nothing in the files, an unknown city): exit non-zero */
  error?: string;
}

export interface LoadOptions {
  /** station registry entries (cli/archive-options.ts loadStations); Beijing is built in */
  stations?: readonly Station[];
  /** column mapping / flags for one-row-per-hour tables */
  read?: Omit<ArchiveOptions, 'hourLabel' | 'namer'>;
  hourLabel?: 'start' | 'end';
}

/** Why a file was skipped, in the words of the notes (gateway/import/read.ts reasons). */
const SKIP_WORD: Readonly<Record<FileReason, string>> = {
  'file.unreadable': 'unreadable', 'file.empty': 'empty', 'file.html': 'html', 'file.binary': 'binary',
  'file.gzip': 'broken gzip', 'file.format': 'unknown format',
};

/** Cities of a `--city` value: comma-separated names, pinyin, provinces or station codes. */
export function resolveCities(city: string | readonly string[], stations: readonly Station[]): { cities: CitySelection[]; error?: string } {
  const queries = (typeof city === 'string' ? city.split(/[,，]/) : [...city]).map((q) => q.trim()).filter(Boolean);
  if (!queries.length) return { cities: [], error: 'no city given' };
  const out: CitySelection[] = [];
  for (const q of queries) {
    const r = resolveCity(q, stations);
    if (!r.ok) return { cities: [], error: r.error };
    for (const c of r.cities) if (!out.some((o) => o.city === c.city)) out.push(c);
  }
  return { cities: out };
}

class Loader {
  readonly notes: string[] = [];
  readonly points: HourlyPoint[] = [];
  readonly seen = new Map<string, number>(); // station code in the files -> station-hours
  ceilings = 0;
  notFound = 0;
  conflicts = 0;
  private readonly byKey = new Map<string, HourlyPoint>();
  readonly cityOf: Map<string, string>;
  readonly namer: (raw: string) => string | null;
  constructor(readonly cities: CitySelection[], readonly o: LoadOptions) {
    this.namer = stationNamer(o.stations ?? []);
    this.cityOf = cityOfCode(cities);
    // A single-station table's --station that no registry knows belongs to the (first) city asked.
    const fixed = o.read?.mapping && typeof o.read.mapping.station === 'string' ? o.read.mapping.station : o.read?.infer?.station;
    if (fixed && !this.cityOf.has(fixed) && !(o.stations ?? []).some((s) => s.code === fixed) && cities.length) {
      this.cityOf.set(fixed, cities[0].label);
      this.notes.push(`station ${fixed} is not in the station registry: counted as ${cities[0].label}`);
    }
  }
  part(where: string, r: ReadResult): void {
    if (!r.ok) {
      const missing = r.reason === 'file.unreadable' && r.detail === 'ENOENT';
      if (missing) this.notFound++;
      this.notes.push(missing ? `${where}: not found` : `${where}: ${SKIP_WORD[r.reason]}, skipped${r.reason === 'file.format' || r.reason === 'file.binary' ? ` (${r.detail})` : ''}`);
      return;
    }
    try {
      const a = archiveHours(r.text, r.format, { ...this.o.read, hourLabel: this.o.hourLabel, namer: (raw) => this.namer(raw) });
      for (const h of a.hours) this.seen.set(h.station, (this.seen.get(h.station) ?? 0) + 1);
      const w = archiveToPoints(a.hours, (code) => this.cityOf.get(code) ?? null);
      // Where two archives hold the same station-hour (BJMEMC and PRSA, china_sites and beijing_*),
      // the first file read wins, cell by cell, as in `airdesk import` (fill; docs/import.md).
      for (const p of w.points) {
        const k = `${p.station}\u0000${p.time}`;
        const had = this.byKey.get(k);
        if (!had) {
          this.byKey.set(k, p);
          this.points.push(p);
          continue;
        }
        for (const [q, v] of Object.entries(p.values) as [keyof typeof p.values, number | null][]) {
          if (v === null || v === undefined) continue;
          const old = had.values[q];
          if (old === undefined || old === null) had.values[q] = v;
          else if (old !== v) this.conflicts++;
        }
      }
      this.ceilings += w.ceilings;
      if (a.rejects.length) this.notes.push(`${where}: ${a.rejects.length} malformed rows skipped (first: line ${a.rejects[0].line}, ${a.rejects[0].reason}: ${a.rejects[0].detail})`);
    } catch (err) {
      this.notes.push(`${where}: ${(err as Error).message}, skipped`);
    }
  }
  report(files: number): LoadReport {
    if (this.conflicts) this.notes.push(`${this.conflicts} cells given by two files with different values: the first file's kept`);
    if (this.ceilings) this.notes.push(`${this.ceilings} suspect ceiling values dropped (gas = 500 ug/m3, CO = 20.0 mg/m3)`);
    const perCity: Record<string, number> = Object.fromEntries(this.cities.map((c) => [c.label, 0]));
    for (const p of this.points) perCity[p.city] = (perCity[p.city] ?? 0) + 1;
    const empty = this.cities.filter((c) => !perCity[c.label]);
    let error: string | undefined;
    if (empty.length) {
      const codes = [...this.seen.keys()];
      const known = new Map((this.o.stations ?? []).map((s) => [s.code, s.city]));
      for (const s of builtinBeijingStations()) if (!known.has(s.code)) known.set(s.code, s.city);
      const held = [...new Set(codes.map((c) => known.get(c)).filter((c): c is string => !!c))].sort();
      const what = codes.length
        ? `the files hold ${codes.length} stations (${codes.slice(0, 5).join(', ')}${codes.length > 5 ? ', ...' : ''})${held.length ? ` of ${held.slice(0, 8).join(', ')}${held.length > 8 ? ', ...' : ''}` : ', none in the station registry'}`
        : 'the files hold no station-hours';
      error = `no station-hour for ${empty.map((c) => `${c.label}${c.label !== c.city ? ` (${c.city})` : ''}`).join(', ')}: ${what}; ` +
        `${empty[0].label} has stations ${empty[0].codes.slice(0, 5).join(', ')}${empty[0].codes.length > 5 ? ', ...' : ''}`;
    }
    return { points: this.points, notes: this.notes, files: files - this.notFound, cities: this.cities, perCity, error };
  }
}

/**
 * Read files (folders expanded, gateway/import/read.ts expandPaths) into engine points for the
 * cities asked for (`city`: a name, pinyin, province or station code, or several comma-separated).
 * Synchronous: .xlsx workbooks are skipped with a note (loadFilesAsync reads them).
 */
export function loadFiles(paths: readonly string[], city: string | readonly string[], o: LoadOptions = {}): LoadReport {
  const rc = resolveCities(city, o.stations ?? []);
  const files = expandPaths(paths);
  if (rc.error) return { points: [], notes: [], files: files.length, cities: [], perCity: {}, error: rc.error };
  const l = new Loader(rc.cities, o);
  for (const f of files) l.part(f, readArchiveFile(f));
  return l.report(files.length);
}

/** loadFiles, with .xlsx workbooks read sheet by sheet. */
export async function loadFilesAsync(paths: readonly string[], city: string | readonly string[], o: LoadOptions = {}): Promise<LoadReport> {
  const rc = resolveCities(city, o.stations ?? []);
  const files = expandPaths(paths);
  if (rc.error) return { points: [], notes: [], files: files.length, cities: [], perCity: {}, error: rc.error };
  const l = new Loader(rc.cities, o);
  for (const f of files) for (const p of await readArchiveParts(f)) l.part(p.where, p.result);
  return l.report(files.length);
}

/** The episode table as text lines. */
export function episodeTable(eps: readonly Episode[]): string[] {
  const rows = eps.map((e) => {
    // the first label that passed a check (common/episodes/classify.ts rank): never a 0/N label
    const top = topClass(e.classification);
    const cls = top ? `${top.label} ${top.passed}/${top.evaluated}${top.evaluated < top.indicators.length ? ` (${top.indicators.length - top.evaluated} n/a)` : ''}` : e.classification.length ? 'none (no label passed a check)' : '';
    const w = e.warning ? `${e.warning['2018'].level}/${e.warning['2024'].level}` : '';
    return [e.kind, e.city, e.start, e.end, e.state, e.level, String(e.daysOver || e.hours), `${e.peak.value} @ ${e.peak.at}`, w, e.driving ?? '', cls];
  });
  const head = ['kind', 'city', 'start', 'end', 'state', 'level', 'days', 'peak', 'warn 2018/2024', 'driver', 'top class (passed/evaluated)'];
  const all = [head, ...rows];
  const width = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => c.padEnd(width[i])).join('  ').trimEnd());
}

/** Every O3 exceedance day (MDA8 > the O3 threshold) of each city, inside an episode or not (a
 *  'forming' run too short to be one is not an episode). */
export function o3Days(engine: Engine, eps: readonly Episode[]): { city: string; day: string; mda8: number; episode: string | null }[] {
  const out: { city: string; day: string; mda8: number; episode: string | null }[] = [];
  const limit = engine.config.o3.exceed;
  for (const city of engine.cities()) {
    for (const d of engine.daily(city)) {
      if (d.mda8 === null || !(d.mda8 > limit)) continue;
      const ep = eps.find((e) => e.kind === 'o3' && e.state !== 'forming' && e.city === city && e.days.some((x) => x.day === d.day));
      out.push({ city, day: d.day, mda8: d.mda8, episode: ep?.id ?? null });
    }
  }
  return out;
}

/** Days on which any of several cities is over a threshold: the regional view (AQI/primary per city). */
export function regionalView(engine: Engine): string[] {
  const cities = engine.cities();
  if (cities.length < 2) return [];
  const heavy = engine.config.heavy.exceed;
  const o3 = engine.config.o3.exceed;
  const byDay = new Map<string, Map<string, DayRecord>>();
  for (const c of cities) for (const d of engine.daily(c)) {
    if (!byDay.has(d.day)) byDay.set(d.day, new Map());
    byDay.get(d.day)!.set(c, d);
  }
  const rows = [['day', 'over', ...cities]];
  for (const [day, m] of [...byDay].sort(([a], [b]) => a.localeCompare(b))) {
    const over = [...m.values()].filter((d) => (d.aqi ?? 0) > heavy || (d.mda8 ?? 0) > o3).length;
    if (!over) continue;
    rows.push([day, `${over}/${cities.length}`, ...cities.map((c) => {
      const d = m.get(c);
      return d && d.aqi !== null ? `${d.aqi} ${d.primary.join('+') || '-'}` : '-';
    })]);
  }
  if (rows.length === 1) return ['Regional view: no day with a city over AQI 200 or MDA8 160'];
  const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return [`Regional view: days with any city over (daily AQI > ${heavy} or O3 MDA8 > ${o3}); daily AQI and primary pollutant per city`,
    ...rows.map((r) => r.map((c, i) => c.padEnd(width[i])).join('  ').trimEnd())];
}

export function register(program: Command): void {
  const cmd = program
    .command('episodes')
    .description('detect and classify pollution episodes in historical files (CNEMC/BJMEMC wide, UCI PRSA, mapped tables, .xlsx) for any city')
    .argument('<files...>', 'files or directories')
    .option('--city <names>', 'city or cities (comma-separated): Chinese name, pinyin, province or station code', 'beijing')
    .option('--min-stations <n>', 'stations needed for a city hour (data README: 6 of Beijing\'s 12; fewer when a city has fewer)', '6')
    .option('--o3-min-days <n>', 'consecutive MDA8 > 160 days for an O3 episode (default 2)', '2')
    .option('--kinds <list>', 'kinds to show (o3,heavy,heavy-rolling,combined,jump)', 'o3,heavy,heavy-rolling,combined')
    .option('--hour-label <end|start>', 'what an hour label marks (CNEMC: end)', 'end')
    .option('--evidence', 'print each episode\'s days and classification evidence')
    .option('--json', 'print JSON (episodes with evidence and warnings)');
  registryOption(tableOptions(cmd)).action(async (files: string[], opts: TableFlags & { city: string; minStations: string; o3MinDays: string; kinds: string; hourLabel: string; evidence?: boolean; json?: boolean; stations?: string }) => {
    const minStations = Number(opts.minStations);
    const o3MinDays = Number(opts.o3MinDays);
    if (!Number.isInteger(minStations) || minStations < 1) throw new Error('--min-stations must be a positive integer');
    if (!Number.isInteger(o3MinDays) || o3MinDays < 1) throw new Error('--o3-min-days must be a positive integer');
    if (opts.hourLabel !== 'end' && opts.hourLabel !== 'start') throw new Error('--hour-label must be end or start');
    const reg = loadStations(opts.stations);
    const load = await loadFilesAsync(files, opts.city, { stations: reg.stations, read: readOptions(opts), hourLabel: opts.hourLabel });
    if (load.error) {
      for (const n of load.notes) console.error(`note: ${n}`);
      throw new Error(load.error);
    }
    // A city with fewer stations than --min-stations would never have a city hour.
    const fewest = Math.min(...load.cities.map((c) => new Set(load.points.filter((p) => p.city === c.label).map((p) => p.station)).size));
    const need = Math.min(minStations, Math.max(1, fewest));
    if (need < minStations) load.notes.push(`a city has only ${fewest} stations in the files: a city hour needs ${need} (not ${minStations})`);
    const engine = createEngine({ minStationsPerHour: need, o3: { minDays: o3MinDays }, retentionDays: 100_000 });
    engine.ingest(load.points);
    const kinds = new Set(opts.kinds.split(',').map((s) => s.trim()));
    const eps = engine.episodes({ includeForming: true }).filter((e) => kinds.has(e.kind));
    const o3 = o3Days(engine, engine.episodes({ includeForming: true }));
    if (opts.json) {
      console.log(JSON.stringify({ files: load.files, points: load.points.length, perCity: load.perCity, notes: load.notes, episodes: eps, o3Days: o3 }, null, 2));
      return;
    }
    for (const n of load.notes) console.error(`note: ${n}`);
    const cityList = load.cities.map((c) => `${c.label}${c.label !== c.city ? ` (${c.city})` : ''} ${load.perCity[c.label]}`).join(', ');
    console.log(`${load.files} files, ${load.points.length} station-hours (${cityList}); O3 episode = MDA8 > 160 on >= ${o3MinDays} consecutive days; heavy = daily AQI > 200 (gap <= 1 day with AQI > 150 merged)`);
    for (const l of episodeTable(eps)) console.log(l);
    const inEp = o3.filter((d) => d.episode).length;
    console.log(`\nO3 exceedance days (MDA8 > ${engine.config.o3.exceed}): ${o3.length}, ${inEp} in an O3 episode, ${o3.length - inEp} single or outside one`);
    for (const d of o3) console.log(`  ${d.city}  ${d.day}  MDA8 ${d.mda8.toFixed(1)}  ${d.episode ?? '(no episode)'}`);
    const rv = regionalView(engine);
    if (rv.length) console.log(['', ...rv].join('\n'));
    if (opts.evidence) for (const e of eps) {
      if (!e.classification.length) continue;
      console.log(`\n${e.id} (${formatBeijing(e.startTime)} .. ${formatBeijing(e.endTime)})`);
      for (const d of e.days) console.log(`  day ${d.day}: AQI ${d.aqi ?? '-'}, driving ${d.primary.join('+') || '-'}, PM2.5 ${d.pm25 ?? '-'}, MDA8 ${d.mda8 ?? '-'}${d.exceeds ? '' : ' (gap day)'}`);
      if (e.warning) for (const sch of ['2018', '2024'] as const) {
        const w = e.warning[sch];
        console.log(`  warning ${sch}: ${w.level}${w.rule ? ` (${w.rule.en} / ${w.rule.zh})` : ''}`);
      }
      for (const c of e.classification) {
        console.log(`  ${c.label} ${c.zh}: ${c.score === null ? 'n/a' : `${c.passed}/${c.evaluated}`}`);
        for (const i of c.indicators) console.log(`    ${i.pass === null ? 'n/a ' : i.pass ? 'pass' : 'fail'} ${i.label}: ${i.value ?? '-'} (${i.rule} ${i.unit})`);
      }
    }
  });
}
