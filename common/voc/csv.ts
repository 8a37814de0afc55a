/**
 * Speciated VOC CSV exports: a date(-time) column plus one column per species, species named as the
 * vendor or lab spells them (e.g. the EPA PMF example "Dataset-BatonRouge-con.csv": "Date,
 * 124-Trimethylbenzene, ..., M_P Xylene, ..., Unidentified, TNMOC"). Pure: text in, VOC cycles in
 * ppbv plus an account of every column and row that could not be used.
 *
 * Times: the date column is read as wall-clock time at `tzOffsetHours` (default +8, Beijing) and
 * taken as the END of the sample (AirDesk's convention); files that label the start are off by one
 * sample length in the diurnal profile, which the caller should state.
 */
import { parse } from 'csv-parse/sync';
import type { VocCycle } from '#common/schemas/reading.ts';
import { normaliseVocValues, isNonVocColumn, type VocIssue } from './quality.ts';
import { resolveSpecies } from './species.ts';
import type { VocUnit } from './units.ts';
import type { Reading } from '#common/schemas/reading.ts';
import { MOLAR_MASS, ppbToUgm3 } from '#common/ingest/units.ts';

export interface CsvColumn {
  column: string;
  species: string | null;
  /** Why an unused column is unused ('column.non_voc', 'species.unknown', 'species.duplicate', 'column.time'). */
  reason?: string;
}

export interface CsvReject {
  line: number;
  reason: 'row.date' | 'row.columns';
  detail: string;
}

export interface SpeciatedCsv {
  cycles: VocCycle[];
  columns: CsvColumn[];
  rejects: CsvReject[];
  issues: VocIssue[];
  /** NOx / NO / NO2 (and O3, CO) columns of the same file, as station readings (ug/m3; CO mg/m3)
   *  at each sample's time, so the VOC/NOx regime has its pairs */
  readings: Reading[];
  /** every sample's time was a date without a clock time (a 24-h or daily sample) */
  dateOnly: boolean;
}

export interface CsvOptions {
  unit: VocUnit;
  tzOffsetHours?: number;
  codeMap?: Readonly<Record<string, string>>;
  analyzer?: string;
  station?: string;
  detectionLimits?: Readonly<Record<string, number>>;
}

const TIME_COL = /^(date|time|datetime|date_time|timestamp|日期|时间|采样时间|监测时间)$/i;

/** True for a date without a clock time ("7/10/2021", "2021-07-10"). */
export function isDateOnly(s: string): boolean {
  return /^(\d{4}[-/]\d{1,2}[-/]\d{1,2}|\d{1,2}\/\d{1,2}\/\d{4})$/.test(s.trim());
}

/** Parse "6/1/2005 6:00" (US M/D/YYYY), "2005-06-01 06:00[:ss]", "2005/06/01 06:00" or ISO with
 *  offset. Returns epoch ms, or null. A date without a time is a sample of that whole day: its END
 *  is the next local midnight, so it falls on its own day ("7/10/2021" is 2021-07-10, never 07-09). */
export function parseSampleTime(s: string, tzOffsetHours = 8): number | null {
  const t = s.trim();
  if (/[zZ]$|[+-]\d\d:?\d\d$/.test(t) && /^\d{4}-\d\d-\d\dT/.test(t)) {
    const v = Date.parse(t);
    return Number.isFinite(v) ? v : null;
  }
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  let y: number, mo: number, d: number, h: number, mi: number, se: number;
  if (m) {
    [y, mo, d, h, mi, se] = [+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
  } else {
    m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
    if (!m) return null;
    [mo, d, y, h, mi, se] = [+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || se > 59) return null;
  if (isDateOnly(t)) return Date.UTC(y, mo - 1, d + 1) - tzOffsetHours * 3_600_000;
  return Date.UTC(y, mo - 1, d, h, mi, se) - tzOffsetHours * 3_600_000;
}

/** Parse a speciated VOC CSV into cycles (ppbv). */
export function parseSpeciatedCsv(text: string, opts: CsvOptions): SpeciatedCsv {
  const rows: string[][] = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true });
  const out: SpeciatedCsv = { cycles: [], columns: [], rejects: [], issues: [], readings: [], dateOnly: false };
  if (!rows.length) return out;
  const header = rows[0];
  let timeIdx = header.findIndex((h) => TIME_COL.test(h.trim()));
  if (timeIdx < 0) timeIdx = 0;
  const seen = new Set<string>();
  const speciesCols: { i: number; name: string }[] = [];
  const gasCols: { i: number; q: 'no' | 'no2' | 'nox' | 'o3' | 'co' }[] = [];
  header.forEach((h, i) => {
    if (i === timeIdx) { out.columns.push({ column: h, species: null, reason: 'column.time' }); return; }
    const gas = STATION_GAS[h.trim().toLowerCase().replace(/[\s_-]/g, '').replace(/\(.*\)$/, '')];
    if (gas) { out.columns.push({ column: h, species: null, reason: 'column.station_gas' }); gasCols.push({ i, q: gas }); return; }
    const s = resolveSpecies(h, opts.codeMap);
    if (!s) { out.columns.push({ column: h, species: null, reason: isNonVocColumn(h) ? 'column.non_voc' : 'species.unknown' }); return; }
    if (seen.has(s.id)) { out.columns.push({ column: h, species: s.id, reason: 'species.duplicate' }); return; }
    seen.add(s.id);
    out.columns.push({ column: h, species: s.id });
    speciesCols.push({ i, name: h });
  });
  let dateOnly = 0;
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const line = r + 1;
    if (row.length !== header.length) { out.rejects.push({ line, reason: 'row.columns', detail: `${row.length} cells, header has ${header.length}` }); continue; }
    const time = parseSampleTime(row[timeIdx] ?? '', opts.tzOffsetHours ?? 8);
    if (time === null) { out.rejects.push({ line, reason: 'row.date', detail: `date "${row[timeIdx]}"` }); continue; }
    if (isDateOnly(row[timeIdx] ?? '')) dateOnly++;
    if (gasCols.length) {
      const values: Record<string, number | null> = {};
      for (const { i, q } of gasCols) {
        const x = Number(row[i]);
        values[q] = row[i] === '' || !Number.isFinite(x) || x < 0 ? null : gasToStation(q, x, opts.unit);
      }
      out.readings.push({ station: opts.station ?? 'csv', time, interval: 'hour', source: 'import', values, flags: {} });
    }
    const values: Record<string, number | null> = {};
    for (const { i, name } of speciesCols) {
      const cell = row[i];
      values[name] = cell === '' || /^(na|nan|null|-+)$/i.test(cell) ? null : Number(cell);
    }
    const n = normaliseVocValues(values, { unit: opts.unit, codeMap: opts.codeMap, detectionLimits: opts.detectionLimits });
    out.issues.push(...n.issues.map((i) => ({ ...i, detail: `line ${line}: ${i.detail}` })));
    out.cycles.push({
      analyzer: opts.analyzer ?? 'csv', station: opts.station ?? 'csv', time, source: 'import',
      species: n.species, flags: n.flags,
    });
  }
  out.dateOnly = out.cycles.length > 0 && dateOnly === out.cycles.length;
  return out;
}

/** Station gases a VOC export may carry beside the species (header folded: case, spaces, "(unit)"). */
const STATION_GAS: Readonly<Record<string, 'no' | 'no2' | 'nox' | 'o3' | 'co'>> = {
  nox: 'nox', 'no+no2': 'nox', no: 'no', no2: 'no2', o3: 'o3', ozone: 'o3', co: 'co', 氮氧化物: 'nox', 一氧化氮: 'no', 二氧化氮: 'no2', 臭氧: 'o3', 一氧化碳: 'co',
};

/** A gas column in the file's unit -> station units (ug/m3, CO mg/m3) at 298.15 K / 1013.25 hPa.
 *  ppbv and ppbC both read as ppbv for these inorganic gases (carbon counting does not apply);
 *  NOx as NO2 by mass (GB 3095). */
function gasToStation(q: 'no' | 'no2' | 'nox' | 'o3' | 'co', x: number, unit: VocUnit): number {
  if (unit === 'ugm3') return q === 'co' ? x / 1000 : x;
  const ug = ppbToUgm3(x, MOLAR_MASS[q]!);
  return q === 'co' ? ug / 1000 : ug;
}
