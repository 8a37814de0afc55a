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

/** Parse "6/1/2005 6:00" (US M/D/YYYY), "2005-06-01 06:00[:ss]", "2005/06/01 06:00" or ISO with
 *  offset. Returns epoch ms, or null. */
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
  return Date.UTC(y, mo - 1, d, h, mi, se) - tzOffsetHours * 3_600_000;
}

/** Parse a speciated VOC CSV into cycles (ppbv). */
export function parseSpeciatedCsv(text: string, opts: CsvOptions): SpeciatedCsv {
  const rows: string[][] = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true });
  const out: SpeciatedCsv = { cycles: [], columns: [], rejects: [], issues: [] };
  if (!rows.length) return out;
  const header = rows[0];
  let timeIdx = header.findIndex((h) => TIME_COL.test(h.trim()));
  if (timeIdx < 0) timeIdx = 0;
  const seen = new Set<string>();
  const speciesCols: { i: number; name: string }[] = [];
  header.forEach((h, i) => {
    if (i === timeIdx) { out.columns.push({ column: h, species: null, reason: 'column.time' }); return; }
    const s = resolveSpecies(h, opts.codeMap);
    if (!s) { out.columns.push({ column: h, species: null, reason: isNonVocColumn(h) ? 'column.non_voc' : 'species.unknown' }); return; }
    if (seen.has(s.id)) { out.columns.push({ column: h, species: s.id, reason: 'species.duplicate' }); return; }
    seen.add(s.id);
    out.columns.push({ column: h, species: s.id });
    speciesCols.push({ i, name: h });
  });
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const line = r + 1;
    if (row.length !== header.length) { out.rejects.push({ line, reason: 'row.columns', detail: `${row.length} cells, header has ${header.length}` }); continue; }
    const time = parseSampleTime(row[timeIdx] ?? '', opts.tzOffsetHours ?? 8);
    if (time === null) { out.rejects.push({ line, reason: 'row.date', detail: `date "${row[timeIdx]}"` }); continue; }
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
  return out;
}
