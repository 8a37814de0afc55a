/**
 * The UCI "Beijing Multi-Site Air-Quality" (PRSA) CSV (Zhang et al. 2017, Proc. R. Soc. A
 * 473:20170457): `No,year,month,day,hour,PM2.5,PM10,SO2,NO2,CO,O3,TEMP,PRES,DEWP,RAIN,wd,WSPM,station`,
 * one row per station-hour, `NA` = missing, strings quoted.
 *
 * Conversions to AirDesk quantities (common/pollutants.ts):
 * - CO is in ug/m3 in this data set (mg/m3 x 1000, ../shared/data/README.md) -> mg/m3.
 * - wd is a 16-point compass name -> degrees (N = 0, clockwise, 22.5 degrees apart; common/met.ts).
 * - WSPM m/s -> ws; TEMP degC; PRES hPa; RAIN mm -> precip.
 * - DEWP (dew point, degC) -> relative humidity with the Magnus formula (common/met.ts), capped at
 *   100 % and rounded to 0.1 %.
 * Hours: `hour` 0..23 follows the CNEMC end-of-hour label: checked against the BJMEMC file of the
 * same network (Dongsi 2016-12-01 hours 0..3: PM2.5 9, 9, 5, 7 in both), so hour 0 of a day is
 * the hour ending at 00:00 Beijing time.
 * Stations: the 12 PRSA sites are Beijing's 12 national stations; PRSA_STATIONS
 * (beijing-stations.ts) gives their codes.
 *
 * Pure: text in, rows and per-line rejects out.
 */
import { compassToDegrees, rhFromDewPoint } from '../met.ts';

export interface PrsaRow {
  /** station name as written (e.g. "Dongsi") */
  station: string;
  year: number;
  month: number;
  day: number;
  /** 0..23, CNEMC end-of-hour label */
  hour: number;
  /** 1-h pollutants, keyed as the wire message does; ug/m3, CO mg/m3 */
  values: Record<'PM2.5' | 'PM10' | 'SO2' | 'NO2' | 'CO' | 'O3', number | null>;
  /** canonical met keys: temp, rh, pres, ws, wd, precip */
  met: Record<'temp' | 'rh' | 'pres' | 'ws' | 'wd' | 'precip', number | null>;
  line: number;
}

export interface PrsaReject {
  line: number;
  reason: 'row.columns' | 'row.date' | 'row.hour' | 'row.station' | 'row.value';
  detail: string;
}

export interface PrsaFile {
  rows: PrsaRow[];
  rejects: PrsaReject[];
}

export class PrsaFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrsaFormatError';
  }
}

const HEADER = ['No', 'year', 'month', 'day', 'hour', 'PM2.5', 'PM10', 'SO2', 'NO2', 'CO', 'O3', 'TEMP', 'PRES', 'DEWP', 'RAIN', 'wd', 'WSPM', 'station'];
const unq = (s: string) => s.trim().replace(/^"(.*)"$/, '$1').trim();

/** True when the first line is a PRSA header. */
export function isPrsaHeader(firstLine: string): boolean {
  const h = firstLine.replace(/^\uFEFF/, '').split(',').map(unq);
  return HEADER.every((name) => h.includes(name));
}

/** Parse a PRSA CSV. Throws PrsaFormatError only when the header is not this format. */
export function parsePrsa(text: string): PrsaFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map(unq);
  if (!HEADER.every((n) => header.includes(n))) throw new PrsaFormatError(`not a PRSA CSV: header must have ${HEADER.join(',')}`);
  const col = Object.fromEntries(HEADER.map((n) => [n, header.indexOf(n)])) as Record<(typeof HEADER)[number], number>;
  const rows: PrsaRow[] = [];
  const rejects: PrsaReject[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const line = i + 1;
    const c = raw.split(',').map(unq);
    if (c.length !== header.length) {
      rejects.push({ line, reason: 'row.columns', detail: `${c.length} cells, header has ${header.length}` });
      continue;
    }
    const [year, month, day, hour] = [c[col.year], c[col.month], c[col.day], c[col.hour]].map(Number);
    if (![year, month, day].every(Number.isInteger) || month < 1 || month > 12 || day < 1 || day > 31 || year < 1980) {
      rejects.push({ line, reason: 'row.date', detail: `${c[col.year]}-${c[col.month]}-${c[col.day]}` });
      continue;
    }
    if (!Number.isInteger(hour) || hour < 0 || hour > 23 || c[col.hour] === '') {
      rejects.push({ line, reason: 'row.hour', detail: `hour "${c[col.hour].slice(0, 20)}"` });
      continue;
    }
    const station = c[col.station];
    if (station === '') {
      rejects.push({ line, reason: 'row.station', detail: 'empty station' });
      continue;
    }
    let bad: string | null = null;
    const num = (name: (typeof HEADER)[number]): number | null => {
      const s = c[col[name]];
      if (s === '' || s === 'NA') return null;
      const v = Number(s);
      if (!Number.isFinite(v)) {
        bad ??= `${name} = "${s.slice(0, 20)}"`;
        return null;
      }
      return v;
    };
    const co = num('CO');
    const temp = num('TEMP');
    const dewp = num('DEWP');
    const wdName = c[col.wd];
    const wd = wdName === '' || wdName === 'NA' ? null : compassToDegrees(wdName);
    if (wd === null && wdName !== '' && wdName !== 'NA') bad ??= `wd = "${wdName.slice(0, 20)}"`;
    const row: PrsaRow = {
      station, year, month, day, hour, line,
      values: { 'PM2.5': num('PM2.5'), PM10: num('PM10'), SO2: num('SO2'), NO2: num('NO2'), CO: co === null ? null : co / 1000, O3: num('O3') },
      met: {
        temp,
        rh: temp === null || dewp === null ? null : Math.round(Math.min(100, rhFromDewPoint(temp, dewp)) * 10) / 10,
        pres: num('PRES'),
        ws: num('WSPM'),
        wd,
        precip: num('RAIN'),
      },
    };
    if (bad) {
      rejects.push({ line, reason: 'row.value', detail: bad });
      continue;
    }
    rows.push(row);
  }
  return { rows, rejects };
}
