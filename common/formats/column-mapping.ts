/**
 * Any tabular hourly layout, through one documented column mapping (docs/import.md "Column
 * mapping"): which column is the time (its zone and hour convention), which is each pollutant and
 * its unit, and the station (a fixed code or a column). Typical case: the single-station export of
 * station software and research data sets, `datetime,PM2.5,O3,NO2,CO,SO2`.
 *
 *   { "time": "datetime", "tz": 8, "hourLabel": "end", "station": "2846A",
 *     "columns": { "PM2.5": "ug/m3", "O3": "ppb", "CO": "mg/m3", "AQI": "" } }
 *
 * Values are converted to AirDesk's canonical units (common/ingest/units.ts: ug/m3, CO mg/m3, gases
 * at 298.15 K / 1013.25 hPa) and keyed by the wide-file type names (PM2.5, PM10, SO2, NO2, O3, CO,
 * AQI), so every command downstream treats them like a CNEMC file's. The same bad-input rules as the
 * other formats: an unknown unit or quantity rejects the mapping (nothing is read); a time that does
 * not parse, or is not on the hour, rejects its line (`row.time`, with the line number).
 *
 * Pure: header and rows of cells in (CSV text or an .xlsx sheet, read at the edge), hours out.
 */
import { quantityKey, type MetField, type Quantity } from '../pollutants.ts';
import { UNIT_TABLE, converter, DEFAULT_UNIT, unitKey } from '../ingest/units.ts';
import { HOUR_MS } from '../time.ts';

export interface ColumnSpec {
  /** quantity as a wide file names it (PM2.5, PM10, SO2, NO2, O3, CO, AQI) or a met field (temp, rh, ws, wd, pres, precip) */
  quantity: string;
  /** unit of the column; '' / absent = the canonical one (ug/m3; CO mg/m3) */
  unit?: string;
}

export interface ColumnMapping {
  /** the time column ("2017-06-01 13:00", ISO, YYYYMMDDHH), or a date column plus an hour column */
  time: string | { date: string; hour: string };
  /** UTC offset of the wall-clock times, hours (default 8: Beijing); ignored for ISO times with an offset */
  tz?: number;
  /** what an hour label marks: 'end' (CNEMC, default) or 'start' of the hour */
  hourLabel?: 'end' | 'start';
  /** a fixed station code, or the column holding it */
  station: string | { column: string };
  /** header -> unit (quantity from the header name) or full spec */
  columns: Record<string, string | ColumnSpec>;
}

export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

/** The wide-file spelling of each pollutant, so mapped files join the CNEMC path. */
const WIDE_TYPE: Readonly<Partial<Record<Quantity, string>>> = { pm25: 'PM2.5', pm10: 'PM10', so2: 'SO2', no2: 'NO2', o3: 'O3', co: 'CO', no: 'NO', nox: 'NOx' };
const MET: ReadonlySet<Quantity> = new Set(['temp', 'rh', 'pres', 'ws', 'wd', 'precip']);

export interface MappedHour {
  station: string;
  /** UTC epoch ms of the END of the hour */
  time: number;
  /** wide type name -> value in canonical units (PM2.5, O3, CO mg/m3, AQI, ...) */
  byType: Record<string, number | null>;
  met: Partial<Record<MetField, number | null>>;
  /** 1-based line (row) of the source */
  line: number;
}

export interface MappedReject {
  line: number;
  reason: 'row.time' | 'row.station' | 'row.columns';
  detail: string;
}

export interface MappedTable {
  hours: MappedHour[];
  rejects: MappedReject[];
  badCells: number;
}

interface Resolved {
  idx: number;
  header: string;
  kind: 'type' | 'met';
  key: string;
  conv: (x: number) => number;
}

const TIME_NAMES = /^(date|time|datetime|date_time|date time|timestamp|日期|时间|日期时间|监测时间|采样时间)$/i;
const STATION_NAMES = /^(station|station_code|stationcode|site|code|站点|站点编码|监测点|监测点编码)$/i;
/** "PM2.5(ug/m3)", "O3 [ppb]", "CO（mg/m3）": a unit in brackets after the name. */
const UNIT_IN_HEADER = /^(.*?)\s*[([（【]\s*([^)\]）】]*)\s*[)\]）】]\s*$/;

/** Split a header cell into name and unit ("O3 [ppb]" -> O3, ppb). */
export function headerUnit(h: string): { name: string; unit: string | null } {
  const m = UNIT_IN_HEADER.exec(h.trim());
  return m ? { name: m[1].trim(), unit: m[2].trim() } : { name: h.trim(), unit: null };
}

/** What a column spec means, or an error message. */
function resolveSpec(header: string, spec: string | ColumnSpec): { kind: 'type' | 'met'; key: string; conv: (x: number) => number } | string {
  const s: ColumnSpec = typeof spec === 'string' ? { quantity: headerUnit(header).name, unit: spec } : spec;
  const unit = s.unit && s.unit.trim() !== '' ? s.unit : undefined;
  if (/^aqi$/i.test(s.quantity.trim())) {
    if (unit !== undefined && unit.trim() !== '' && unit.trim() !== '-') return `column "${header}": AQI has no unit (got "${unit}")`;
    return { kind: 'type', key: 'AQI', conv: (x) => x };
  }
  const q = quantityKey(s.quantity);
  if (!q) return `column "${header}": unknown quantity "${s.quantity}" (known: PM2.5, PM10, SO2, NO2, O3, CO, NO, NOx, AQI, temp, rh, pres, ws, wd, precip)`;
  // the canonical unit is read as written (no x1000/1000 float round trip: CO 0.7 stays 0.7)
  const conv = unitKey(unit ?? DEFAULT_UNIT[q]) === unitKey(DEFAULT_UNIT[q]) ? (x: number) => x : converter(q, unit);
  if (!conv) return `column "${header}": unknown unit "${unit}" for ${s.quantity} (known: ${Object.keys(UNIT_TABLE[q]).join(', ')})`;
  return MET.has(q) ? { kind: 'met', key: q, conv } : { kind: 'type', key: WIDE_TYPE[q]!, conv };
}

/** Check a mapping object (from a JSON file or flags); throws MappingError with every problem. */
export function validateMapping(m: unknown): ColumnMapping {
  const errs: string[] = [];
  const o = m as Partial<ColumnMapping> | null;
  if (!o || typeof o !== 'object') throw new MappingError('a column mapping must be a JSON object');
  const t = o.time;
  if (!(typeof t === 'string' && t !== '') && !(t && typeof t === 'object' && typeof t.date === 'string' && typeof t.hour === 'string')) errs.push('"time" must be a column name or { "date": column, "hour": column }');
  if (o.tz !== undefined && (typeof o.tz !== 'number' || !Number.isFinite(o.tz) || Math.abs(o.tz) > 14)) errs.push('"tz" must be a UTC offset in hours (-14..14)');
  if (o.hourLabel !== undefined && o.hourLabel !== 'end' && o.hourLabel !== 'start') errs.push('"hourLabel" must be "end" or "start"');
  const st = o.station;
  if (!(typeof st === 'string' && /^[0-9A-Za-z_\-\u4e00-\u9fff]{1,64}$/.test(st)) && !(st && typeof st === 'object' && typeof st.column === 'string')) errs.push('"station" must be a station code or { "column": name }');
  if (!o.columns || typeof o.columns !== 'object' || !Object.keys(o.columns).length) errs.push('"columns" must map at least one column to its unit');
  else for (const [h, spec] of Object.entries(o.columns)) {
    if (typeof spec !== 'string' && !(spec && typeof spec === 'object' && typeof spec.quantity === 'string')) { errs.push(`column "${h}": give a unit or { "quantity", "unit" }`); continue; }
    const r = resolveSpec(h, spec);
    if (typeof r === 'string') errs.push(r);
  }
  if (errs.length) throw new MappingError(`column mapping: ${errs.join('; ')}`);
  return o as ColumnMapping;
}

export interface InferOptions {
  station?: string;
  timeColumn?: string;
  tz?: number;
  hourLabel?: 'end' | 'start';
  /** header (or quantity name) -> unit, from --unit flags */
  units?: Record<string, string>;
}

/**
 * A mapping from a header and the command-line flags: the time column by name (or --time-col), each
 * column whose name is a known quantity, its unit from the header ("O3 [ppb]"), a --unit flag, or
 * the canonical unit; the station from a station column, else --station. Throws MappingError saying
 * what is missing.
 */
export function inferMapping(header: readonly string[], o: InferOptions = {}): ColumnMapping {
  const time = o.timeColumn ?? header.find((h) => TIME_NAMES.test(h.trim()));
  if (!time || !header.includes(time)) throw new MappingError(o.timeColumn ? `no column "${o.timeColumn}" (header: ${header.join(',')})` : `no time column (datetime, time, date, 日期, 时间...): give --time-col`);
  const stationCol = header.find((h) => STATION_NAMES.test(h.trim()));
  // A station column names each row's station; --station is for files that name none.
  const station: ColumnMapping['station'] | undefined = stationCol ? { column: stationCol } : o.station;
  if (!station) throw new MappingError('a single-station file names no station: give --station CODE (or a mapping file with "station")');
  const columns: Record<string, string | ColumnSpec> = {};
  for (const h of header) {
    if (h === time || h === stationCol) continue;
    const { name, unit } = headerUnit(h);
    if (!/^aqi$/i.test(name) && !quantityKey(name)) continue;
    const flag = o.units?.[h] ?? o.units?.[name];
    columns[h] = { quantity: name, unit: flag ?? unit ?? '' };
  }
  if (!Object.keys(columns).length) throw new MappingError(`no pollutant column recognised in "${header.join(',')}"`);
  return validateMapping({ time, tz: o.tz, hourLabel: o.hourLabel, station, columns });
}

/** True when a header looks like a one-row-per-hour table: a time column and a known pollutant. */
export function looksLikeTable(header: readonly string[]): boolean {
  return header.some((h) => TIME_NAMES.test(h.trim())) && header.some((h) => quantityKey(headerUnit(h).name) !== null && !MET.has(quantityKey(headerUnit(h).name)!));
}

/** Wall-clock "YYYY-MM-DD HH[:mm[:ss]]" (also / separators, T, YYYYMMDDHH, M/D/YYYY H:mm) or ISO
 *  with offset -> epoch ms of the label, or a reason. Minutes must be :00 (hourly data). */
export function parseHourLabel(s: string, tz: number): number | string {
  const t = s.trim();
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([zZ]|[+-]\d\d:?\d\d)$/.test(t)) {
    const v = Date.parse(t);
    if (!Number.isFinite(v)) return `"${t.slice(0, 30)}" is not a time`;
    return v % HOUR_MS === 0 ? v : `"${t.slice(0, 30)}" is not on the hour`;
  }
  let y: number, mo: number, d: number, h: number, mi = 0, se = 0;
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[ T]+(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (m) [y, mo, d, h, mi, se] = [+m[1], +m[2], +m[3], +m[4], +(m[5] ?? 0), +(m[6] ?? 0)];
  else if ((m = /^(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(t))) [y, mo, d, h] = [+m[1], +m[2], +m[3], +m[4]];
  else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?$/.exec(t))) [mo, d, y, h, mi, se] = [+m[1], +m[2], +m[3], +m[4], +(m[5] ?? 0), +(m[6] ?? 0)];
  else return `"${t.slice(0, 30)}" is not a date and hour (YYYY-MM-DD HH:mm)`;
  return wallClock(y, mo, d, h, mi, se, tz, t);
}

function wallClock(y: number, mo: number, d: number, h: number, mi: number, se: number, tz: number, raw: string): number | string {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || se > 59 || (h === 24 && (mi || se))) return `"${raw.slice(0, 30)}" is not a valid date and hour`;
  const v = Date.UTC(y, mo - 1, d, h, mi, se);
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return `"${raw.slice(0, 30)}": no such day`;
  if (mi || se) return `"${raw.slice(0, 30)}" is not on the hour`;
  return v - tz * HOUR_MS;
}

/** Date cell + hour cell (YYYY-MM-DD or YYYYMMDD; hour 0..24). */
function parseDateHour(date: string, hour: string, tz: number): number | string {
  const m = /^(\d{4})-?(\d{1,2})-?(\d{1,2})$/.exec(date.trim().replace(/\//g, '-'));
  const h = Number(hour.trim().replace(/:00$/, ''));
  if (!m) return `date "${date.slice(0, 30)}" is not YYYY-MM-DD`;
  if (hour.trim() === '' || !Number.isInteger(h) || h < 0 || h > 24) return `hour "${hour.slice(0, 20)}" is not 0..24`;
  return wallClock(+m[1], +m[2], +m[3], h, 0, 0, tz, `${date} ${hour}`);
}

/**
 * Rows of cells (rows[0] = header) -> hours, through a mapping. `lineOf(i)` gives the source line
 * of rows[i] (CSV: i + 1; a sheet: its row number). Throws MappingError when a mapped column is
 * missing from the header.
 * Example: header datetime,PM2.5,O3 with { O3: 'ppb' } and "2017-06-01 14:00,35,100" -> PM2.5 35,
 * O3 196.2 ug/m3 (100 x 47.997 / 24.465), hour end 06:00 UTC.
 */
export function parseMappedRows(rows: readonly (readonly string[])[], mapping: ColumnMapping, lineOf: (i: number) => number = (i) => i + 1): MappedTable {
  const header = (rows[0] ?? []).map((h) => h.trim());
  const col = (name: string) => {
    const i = header.indexOf(name.trim());
    if (i < 0) throw new MappingError(`column "${name}" of the mapping is not in the header (${header.join(',').slice(0, 120)})`);
    return i;
  };
  const tz = mapping.tz ?? 8;
  const shift = mapping.hourLabel === 'start' ? HOUR_MS : 0;
  const timeIdx: { one: number } | { date: number; hour: number } = typeof mapping.time === 'string' ? { one: col(mapping.time) } : { date: col(mapping.time.date), hour: col(mapping.time.hour) };
  const stationIdx = typeof mapping.station === 'string' ? null : col(mapping.station.column);
  const cols: Resolved[] = [];
  for (const [h, spec] of Object.entries(mapping.columns)) {
    const r = resolveSpec(h, spec);
    if (typeof r === 'string') throw new MappingError(r);
    cols.push({ idx: col(h), header: h, ...r });
  }
  const out: MappedTable = { hours: [], rejects: [], badCells: 0 };
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i];
    const line = lineOf(i);
    if (row.every((c) => c.trim() === '')) continue;
    if (row.length < header.length && row.length <= Math.max(...cols.map((c) => c.idx))) {
      out.rejects.push({ line, reason: 'row.columns', detail: `${row.length} cells, header has ${header.length}` });
      continue;
    }
    const t = 'one' in timeIdx ? parseHourLabel(row[timeIdx.one] ?? '', tz) : parseDateHour(row[timeIdx.date] ?? '', row[timeIdx.hour] ?? '', tz);
    if (typeof t === 'string') {
      out.rejects.push({ line, reason: 'row.time', detail: `line ${line}: ${t}` });
      continue;
    }
    const station = stationIdx === null ? (mapping.station as string) : (row[stationIdx] ?? '').trim();
    if (station === '') {
      out.rejects.push({ line, reason: 'row.station', detail: `line ${line}: empty station` });
      continue;
    }
    const byType: Record<string, number | null> = {};
    const met: MappedHour['met'] = {};
    for (const c of cols) {
      const s = (row[c.idx] ?? '').trim();
      let v: number | null = null;
      if (s !== '' && !/^(na|nan|null|-+|—)$/i.test(s)) {
        const x = Number(s);
        if (Number.isFinite(x)) v = c.conv(x);
        else out.badCells++;
      }
      if (c.kind === 'met') met[c.key as MetField] = v;
      else byType[c.key] = v;
    }
    out.hours.push({ station, time: t + shift, byType, met, line });
  }
  return out;
}

export { DEFAULT_UNIT };
