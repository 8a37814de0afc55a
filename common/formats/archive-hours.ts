/**
 * The one importer's core: the text of any archive format AirDesk reads -> station-hours in one
 * shape, with station codes resolved one way. `airdesk import` (gateway/import/messages.ts),
 * `airdesk episodes` (common/episodes/import.ts), `airdesk audit-aqi` and the forecast hindcast all
 * read files through this, so a layout or station rule is written once.
 *
 *   cnemc-wide  date,hour,type,<stations>      (cnemc-wide.ts; label = end of hour)
 *   prsa        No,year,month,...,station      (prsa.ts; pollutants and meteorology)
 *   table       time column + pollutant columns, through a column mapping (column-mapping.ts)
 *
 * Values: wide-file type names (PM2.5, PM10, SO2, NO2, O3, CO, AQI, PM2.5_24h, ...) in ug/m3 and CO
 * mg/m3; meteorology in `met` (temp degC, rh %, pres hPa, ws m/s, wd deg, precip mm).
 *
 * Pure: text in, hours and per-line rejects out; throws only for a header that is not the format
 * (WideFormatError, PrsaFormatError, MappingError).
 */
import type { MetField } from '../pollutants.ts';
import { HOUR_MS, beijingToUtc } from '../time.ts';
import { parseCnemcWide, pivotWide } from './cnemc-wide.ts';
import { parsePrsa } from './prsa.ts';
import { beijingNationalCode, PRSA_STATIONS } from './beijing-stations.ts';
import { headerHasCodes } from './beijing-files.ts';
import { inferMapping, parseMappedRows, type ColumnMapping, type InferOptions } from './column-mapping.ts';
import type { FileFormat } from './file-sniff.ts';

export interface ArchiveHour {
  /** station code (resolved by the namer) */
  station: string;
  /** station as the file wrote it */
  raw: string;
  /** UTC epoch ms, END of the hour */
  time: number;
  byType: Record<string, number | null>;
  met?: Partial<Record<MetField, number | null>>;
  /** where in the file, for messages ("line 12") */
  line?: number;
}

export interface ArchiveReject {
  line: number;
  reason: string;
  detail: string;
}

export interface ArchiveHours {
  format: FileFormat;
  hours: ArchiveHour[];
  rejects: ArchiveReject[];
  badCells: number;
  /** the mapping a table was read with (inferred or given) */
  mapping?: ColumnMapping;
}

export interface ArchiveOptions {
  /** 'start': labels mark the start of the hour (one hour is added); default 'end' (CNEMC) */
  hourLabel?: 'start' | 'end';
  /** a table's mapping; without it one is inferred from the header and `infer` */
  mapping?: ColumnMapping;
  infer?: InferOptions;
  /** a station as written -> its code, or null to use the default rule (stationCode) */
  namer?: (raw: string) => string | null;
}

/**
 * Default station code for a station as a file writes it: a code as written; a Beijing national
 * station's BJMEMC or PRSA name -> its CNEMC code; another name in a wide file -> 'BJ-<name>' (the
 * BJMEMC municipal stations, docs/import.md); another PRSA station -> 'PRSA-<name>'; a table's
 * station as written.
 */
export function stationCode(raw: string, format: FileFormat, wideByCode = false): string {
  const n = raw.trim();
  if (format === 'prsa') return PRSA_STATIONS[n] ?? `PRSA-${n}`;
  if (format === 'cnemc-wide') return wideByCode ? n : beijingNationalCode(n) ?? `BJ-${n}`;
  return n;
}

/** Read the text of a file of a known format into station-hours. */
export function archiveHours(text: string, format: FileFormat, o: ArchiveOptions = {}): ArchiveHours {
  const shift = o.hourLabel === 'start' ? HOUR_MS : 0;
  if (format === 'cnemc-wide') {
    const wide = parseCnemcWide(text);
    const byCode = headerHasCodes(wide.stations);
    const codeOf = new Map(wide.stations.map((s) => [s, o.namer?.(s) ?? stationCode(s, format, byCode)]));
    const hours = pivotWide(wide).map((sh) => ({ station: codeOf.get(sh.station)!, raw: sh.station, time: sh.time + shift, byType: sh.byType }));
    return { format, hours, rejects: wide.rejects, badCells: wide.badCells };
  }
  if (format === 'prsa') {
    const prsa = parsePrsa(text);
    const codeOf = new Map<string, string>();
    const hours: ArchiveHour[] = prsa.rows.map((r) => {
      let code = codeOf.get(r.station);
      if (code === undefined) codeOf.set(r.station, (code = o.namer?.(r.station) ?? stationCode(r.station, format)));
      return { station: code, raw: r.station, time: beijingToUtc(r.year, r.month, r.day, r.hour) + shift, byType: { ...r.values }, met: { ...r.met }, line: r.line };
    });
    return { format, hours, rejects: prsa.rejects, badCells: 0 };
  }
  const rows = splitCsv(text);
  const mapping = o.mapping ?? inferMapping(rows[0] ?? [], { hourLabel: o.hourLabel, ...o.infer });
  // A mapping carries its own hour convention; the command-line one applies when it says none.
  const t = parseMappedRows(rows, { ...mapping, hourLabel: mapping.hourLabel ?? o.hourLabel });
  const codeOf = new Map<string, string>();
  const hours: ArchiveHour[] = t.hours.map((h) => {
    let code = codeOf.get(h.station);
    if (code === undefined) codeOf.set(h.station, (code = o.namer?.(h.station) ?? stationCode(h.station, format)));
    return { station: code, raw: h.station, time: h.time, byType: h.byType, met: h.met, line: h.line };
  });
  return { format, hours, rejects: t.rejects, badCells: t.badCells, mapping };
}

/** CSV text -> rows of cells (double quotes with "" escapes; comma, tab or semicolon as the header uses). */
export function splitCsv(text: string): string[][] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines[0] ?? '';
  const sep = first.includes(',') ? ',' : first.includes('\t') ? '\t' : first.includes(';') ? ';' : ',';
  return lines.map((l) => splitLine(l, sep));
}

function splitLine(line: string, sep: string): string[] {
  if (!line.includes('"')) return line.split(sep);
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c;
    } else if (c === '"') q = true;
    else if (c === sep) { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}
