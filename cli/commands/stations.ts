/**
 * `airdesk stations import FILE` and `airdesk stations list`: the station registry
 * (stores/stations.ts, SQLite at $AIRDESK_DATA_DIR/stations.sqlite unless --db is given).
 * Bad rows are reported with their line and reason and skipped; the command sets exit code 1
 * when it skipped any, so scripts notice. Re-importing the same file changes nothing.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { parseCnemcStations } from '#common/formats/cnemc-stations.ts';
import { decodeText } from '#common/formats/decode-text.ts';
import type { StationKind } from '#common/schemas/station.ts';
import { storeConfigFromEnv } from '../../stores/open.ts';
import { openStationRegistry } from '../../stores/stations.ts';

const KINDS: readonly StationKind[] = ['national', 'municipal', 'micro', 'voc'];
const MAX_REJECTS_SHOWN = 50;

function registryPath(opt: string | undefined): string {
  return opt ?? storeConfigFromEnv(process.env).stationsPath;
}

export function register(program: Command): void {
  const cmd = program.command('stations').description('station registry: import the CNEMC station list, list stations');

  cmd
    .command('import')
    .description('import a station list CSV (CNEMC format: 监测点编码,监测点名称,城市,经度,纬度,...; UTF-8 or GBK)')
    .argument('<file>', 'CSV file')
    .option('--kind <kind>', `kind of every station in the file (${KINDS.join('|')})`, 'national')
    .option('--db <path>', 'registry file (default $AIRDESK_DATA_DIR/stations.sqlite)')
    .action((file: string, opts: { kind: string; db?: string }) => {
      if (!KINDS.includes(opts.kind as StationKind)) throw new Error(`--kind must be one of ${KINDS.join(', ')}`);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (err) {
        throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const { text, encoding } = decodeText(bytes);
      const parsed = parseCnemcStations(text, opts.kind as StationKind);
      const reg = openStationRegistry(registryPath(opts.db));
      try {
        const r = reg.upsert(parsed.stations);
        const noCoord = parsed.stations.filter((s) => s.lon === null).length;
        console.log(
          `${file} (${encoding}): ${parsed.stations.length} stations: ${r.inserted} new, ${r.updated} updated, ` +
            `${r.unchanged} unchanged; ${noCoord} without coordinates; ${parsed.rejects.length} rows rejected`,
        );
        for (const rej of parsed.rejects.slice(0, MAX_REJECTS_SHOWN)) console.log(`  line ${rej.line}: ${rej.reason}: ${rej.detail}`);
        if (parsed.rejects.length > MAX_REJECTS_SHOWN) console.log(`  ... and ${parsed.rejects.length - MAX_REJECTS_SHOWN} more`);
        console.log(`registry ${registryPath(opts.db)}: ${reg.count()} stations`);
      } finally {
        reg.close();
      }
      if (parsed.rejects.length) process.exitCode = 1;
    });

  cmd
    .command('list')
    .description('list registered stations')
    .option('--city <city>', 'only this city (as in the list, e.g. 北京)')
    .option('--province <province>', 'only this province (e.g. 北京市)')
    .option('--kind <kind>', `only this kind (${KINDS.join('|')})`)
    .option('--json', 'JSON array instead of a table')
    .option('--db <path>', 'registry file (default $AIRDESK_DATA_DIR/stations.sqlite)')
    .action((opts: { city?: string; province?: string; kind?: string; json?: boolean; db?: string }) => {
      if (opts.kind !== undefined && !KINDS.includes(opts.kind as StationKind)) throw new Error(`--kind must be one of ${KINDS.join(', ')}`);
      const reg = openStationRegistry(registryPath(opts.db));
      try {
        const list = reg.list({ city: opts.city, province: opts.province, kind: opts.kind as StationKind | undefined });
        if (opts.json) {
          console.log(JSON.stringify(list, null, 2));
          return;
        }
        const fmt = (v: number | null) => (v === null ? '-' : v.toFixed(4));
        for (const s of list) console.log([s.code, s.name, s.city, s.province, fmt(s.lon), fmt(s.lat), s.kind].join('\t'));
        console.log(`${list.length} stations`);
      } finally {
        reg.close();
      }
    });
}
