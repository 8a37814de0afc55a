/**
 * Command-line options every batch command (import, episodes, audit-aqi, replay, forecast) shares
 * for reading archives: the column mapping of one-row-per-hour tables (docs/import.md "Column
 * mapping") and the station registry that says which stations make up a city. One place, so the
 * commands read files alike.
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { inferMapping, validateMapping, type ColumnMapping, type InferOptions } from '#common/formats/column-mapping.ts';
import { parseCnemcStations } from '#common/formats/cnemc-stations.ts';
import { decodeText } from '#common/formats/decode-text.ts';
import type { ArchiveOptions } from '#common/formats/archive-hours.ts';
import type { Station } from '#common/schemas/station.ts';
import { storeConfigFromEnv } from '../stores/open.ts';
import { openStationRegistry } from '../stores/stations.ts';

export interface TableFlags {
  map?: string;
  station?: string;
  timeCol?: string;
  tz?: string;
  unit?: string[];
  hourLabel?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Add the table-layout flags to a command. */
export function tableOptions(cmd: Command): Command {
  return cmd
    .option('--map <file>', 'JSON column mapping for one-row-per-hour tables (docs/import.md "Column mapping")')
    .option('--station <code>', 'station code of a single-station table')
    .option('--time-col <name>', 'time column of a table (default: datetime/time/date/日期/时间)')
    .option('--tz <hours>', 'UTC offset of a table\'s wall-clock times (default 8)')
    .option('--unit <col=unit>', 'unit of a table column, e.g. O3=ppb (repeatable; default ug/m3, CO mg/m3)', collect);
}

/** The read options the flags describe (mapping file validated; flags checked). Throws a one-line error. */
export function readOptions(f: TableFlags): Omit<ArchiveOptions, 'hourLabel'> {
  let tz: number | undefined;
  if (f.tz !== undefined) {
    tz = Number(f.tz);
    if (!Number.isFinite(tz) || Math.abs(tz) > 14) throw new Error(`--tz must be a UTC offset in hours (got "${f.tz}")`);
  }
  if (f.map) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(f.map, 'utf8'));
    } catch (e) {
      throw new Error(`--map ${f.map}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const m: ColumnMapping = validateMapping(raw);
    return { mapping: { ...m, tz: m.tz ?? tz, station: f.station ?? m.station } };
  }
  const units: Record<string, string> = {};
  for (const u of f.unit ?? []) {
    const i = u.indexOf('=');
    if (i <= 0) throw new Error(`--unit must be COLUMN=UNIT (got "${u}")`);
    units[u.slice(0, i).trim()] = u.slice(i + 1).trim();
  }
  const infer: InferOptions = { station: f.station, timeColumn: f.timeCol, tz, units };
  // A header is needed to infer; check the flags now by inferring from a header naming them.
  if (f.timeCol || Object.keys(units).length) inferMapping([f.timeCol ?? 'datetime', ...Object.keys(units)], { ...infer, station: f.station ?? 'x' });
  return { infer };
}

/** Add the station-registry flag. */
export function registryOption(cmd: Command): Command {
  return cmd.option('--stations <file>', 'station list CSV (CNEMC format) to resolve cities (default: the registry in $AIRDESK_DATA_DIR, filled by `airdesk stations import`)');
}

/** Stations from --stations FILE, else the registry if it exists, else none (Beijing is built in). */
export function loadStations(file: string | undefined): { stations: Station[]; from: string } {
  if (file) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw new Error(`--stations ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const p = parseCnemcStations(decodeText(bytes).text);
    return { stations: p.stations, from: file };
  }
  const reg = storeConfigFromEnv(process.env).stationsPath;
  if (!existsSync(reg)) return { stations: [], from: 'built-in Beijing stations (no registry)' };
  const r = openStationRegistry(reg);
  try {
    return { stations: r.list(), from: reg };
  } finally {
    r.close();
  }
}
