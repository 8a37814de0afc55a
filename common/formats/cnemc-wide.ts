/**
 * The CNEMC / quotsoft "wide" CSV: `date,hour,type,<station columns...>`, one row per hour and
 * type (AQI, PM2.5, PM2.5_24h, ... CO in mg/m3, the rest ug/m3). National files name stations by
 * code (1001A); Beijing city files (beijing_all_*, beijing_extra_*) by Chinese name.
 * Hour labels 0..23 mark the END of the hour (CNEMC): "16" = mean of 15:00-16:00 Beijing time.
 *
 * Pure: text in, rows and per-line rejects out. Reading bytes (gzip, encodings, HTML error pages
 * saved as .csv) is the importer's job.
 */
import { beijingToUtc } from '../time.ts';
export interface WideRow {
  /** Beijing date as written, YYYYMMDD */
  date: string;
  /** Hour label 0..23 (end of hour, CNEMC) */
  hour: number;
  /** Type column as written, e.g. "PM2.5", "PM2.5_24h", "AQI", "O3_8h" */
  type: string;
  /** One value per station column; null for an empty or non-numeric cell */
  values: (number | null)[];
  /** 1-based line number in the file, for error messages */
  line: number;
}

export interface WideReject {
  line: number;
  reason: 'row.columns' | 'row.date' | 'row.hour' | 'row.type';
  detail: string;
}

export interface WideFile {
  /** Station columns as written in the header (codes or names) */
  stations: string[];
  rows: WideRow[];
  rejects: WideReject[];
  /** Cells that were present but not numbers (e.g. "—"), counted, stored as null */
  badCells: number;
}

export class WideFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WideFormatError';
  }
}

/** Parse a wide CNEMC CSV. Throws WideFormatError only when the header is not this format. */
export function parseCnemcWide(text: string): WideFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0]?.split(',').map((s) => s.trim()) ?? [];
  if (header.length < 4 || header[0] !== 'date' || header[1] !== 'hour' || header[2] !== 'type') {
    throw new WideFormatError('not a CNEMC wide CSV: header must start with date,hour,type');
  }
  const stations = header.slice(3);
  const rows: WideRow[] = [];
  const rejects: WideReject[] = [];
  let badCells = 0;
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue; // blank rows occur in real archives
    const cells = raw.split(',');
    const line = i + 1;
    if (cells.length !== header.length) {
      rejects.push({ line, reason: 'row.columns', detail: `${cells.length} cells, header has ${header.length}` });
      continue;
    }
    const date = cells[0].trim();
    if (!/^\d{8}$/.test(date)) {
      rejects.push({ line, reason: 'row.date', detail: `date "${date.slice(0, 20)}" is not YYYYMMDD` });
      continue;
    }
    const hour = Number(cells[1]);
    if (!Number.isInteger(hour) || hour < 0 || hour > 23 || cells[1].trim() === '') {
      rejects.push({ line, reason: 'row.hour', detail: `hour "${cells[1].slice(0, 20)}" is not 0..23` });
      continue;
    }
    const type = cells[2].trim();
    if (type === '') {
      rejects.push({ line, reason: 'row.type', detail: 'empty type' });
      continue;
    }
    const values = new Array<number | null>(stations.length);
    for (let j = 0; j < stations.length; j++) {
      const c = cells[j + 3].trim();
      if (c === '') values[j] = null;
      else {
        const v = Number(c);
        if (Number.isFinite(v)) values[j] = v;
        else {
          values[j] = null;
          badCells++;
        }
      }
    }
    rows.push({ date, hour, type, values, line });
  }
  return { stations, rows, rejects, badCells };
}

/** UTC epoch ms of the END of the hour a wide row describes (label = end of hour, Beijing time). */
export function wideRowTime(row: Pick<WideRow, 'date' | 'hour'>): number {
  const y = Number(row.date.slice(0, 4));
  const m = Number(row.date.slice(4, 6));
  const d = Number(row.date.slice(6, 8));
  return beijingToUtc(y, m, d, row.hour);
}

/** One station-hour from a wide file: every type's value for that station and hour. */
export interface StationHour {
  /** Station column as written in the header (code or Chinese name) */
  station: string;
  /** UTC epoch ms, end of the hour */
  time: number;
  /** type as written (e.g. "PM2.5", "PM2.5_24h", "AQI") -> value; a type absent from the file is absent here */
  byType: Record<string, number | null>;
}

/**
 * Pivot a wide file into station-hours, ordered by time then station column.
 * A station-hour whose every cell is empty is left out (such rows exist in real archives).
 */
export function pivotWide(file: WideFile): StationHour[] {
  // One slot array per hour (indexed by station column): no string keys, no global sort of cells.
  const byTime = new Map<number, (StationHour | undefined)[]>();
  const n = file.stations.length;
  let lastKey = '';
  let lastTime = 0;
  for (const row of file.rows) {
    const k = row.date + row.hour;
    const time = k === lastKey ? lastTime : wideRowTime(row);
    lastKey = k;
    lastTime = time;
    let slots = byTime.get(time);
    if (!slots) byTime.set(time, (slots = new Array(n)));
    const vals = row.values;
    for (let j = 0; j < n; j++) {
      let sh = slots[j];
      if (!sh) slots[j] = sh = { station: file.stations[j], time, byType: {} };
      sh.byType[row.type] = vals[j];
    }
  }
  const out: StationHour[] = [];
  for (const t of [...byTime.keys()].sort((a, b) => a - b)) {
    for (const sh of byTime.get(t)!) {
      if (!sh) continue;
      let any = false;
      for (const k in sh.byType) if (sh.byType[k] !== null) { any = true; break; }
      if (any) out.push(sh);
    }
  }
  return out;
}
