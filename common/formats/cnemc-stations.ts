/**
 * The CNEMC national station list: `监测点编码,监测点名称,城市,经度,纬度,对照点,省级行政区,地级行政区`
 * (code, name, city, lon, lat, background site Y/N, province, prefecture). Published as GBK;
 * copies converted to UTF-8 exist, so the bytes are decoded by sniffing (decodeText in
 * decode-text.ts).
 * Some stations have no coordinates (empty cells): they are kept, with lon/lat null.
 *
 * Pure: bytes/text in, stations and per-line rejects out; never throws on a bad row, only when the
 * header is not this format (an HTML error page saved as .csv, another file).
 */
import type { Station, StationKind } from '../schemas/station.ts';

export interface StationReject {
  /** 1-based line number in the file */
  line: number;
  reason: 'row.columns' | 'row.quote' | 'row.code' | 'row.name' | 'row.coord' | 'row.duplicate';
  detail: string;
}

export interface StationsFile {
  stations: Station[];
  rejects: StationReject[];
  /** Codes of background (对照点) sites; the Station schema has no field for it yet. */
  background: string[];
}

export class StationsFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StationsFormatError';
  }
}

const COLUMNS = {
  code: '监测点编码',
  name: '监测点名称',
  city: '城市',
  lon: '经度',
  lat: '纬度',
  background: '对照点',
  province: '省级行政区',
} as const;

/** Split one CSV line; double-quoted cells may hold commas and "" escapes. null when a quote is unbalanced. */
function splitCsvLine(line: string): string[] | null {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quoted) return null;
  out.push(cur);
  return out;
}

const CODE = /^[0-9A-Za-z_-]{1,64}$/;

/** Parse a station list. `kind` is what every station in the file is ('national' for CNEMC's list). */
export function parseCnemcStations(text: string, kind: StationKind = 'national'): StationsFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (splitCsvLine(lines[0] ?? '') ?? []).map((s) => s.trim());
  const col = {} as Record<keyof typeof COLUMNS, number>;
  for (const [k, name] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, string][]) col[k] = header.indexOf(name);
  const missing = (['code', 'name', 'city', 'lon', 'lat'] as const).filter((k) => col[k] < 0);
  if (missing.length) {
    throw new StationsFormatError(
      `not a CNEMC station list: header lacks ${missing.map((k) => COLUMNS[k]).join(', ')} (got "${(lines[0] ?? '').slice(0, 60)}")`,
    );
  }
  const stations: Station[] = [];
  const rejects: StationReject[] = [];
  const background: string[] = [];
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const line = i + 1;
    const cells = splitCsvLine(raw);
    if (!cells) {
      rejects.push({ line, reason: 'row.quote', detail: 'unbalanced double quote' });
      continue;
    }
    if (cells.length !== header.length) {
      rejects.push({ line, reason: 'row.columns', detail: `${cells.length} cells, header has ${header.length}` });
      continue;
    }
    const cell = (k: keyof typeof COLUMNS) => (col[k] >= 0 ? cells[col[k]].trim() : '');
    const code = cell('code');
    if (!CODE.test(code)) {
      rejects.push({ line, reason: 'row.code', detail: `code "${code.slice(0, 20)}" is not 1-64 letters/digits` });
      continue;
    }
    const name = cell('name');
    if (name === '') {
      rejects.push({ line, reason: 'row.name', detail: `${code}: empty name` });
      continue;
    }
    const lonS = cell('lon');
    const latS = cell('lat');
    let lon: number | null = null;
    let lat: number | null = null;
    if (lonS !== '' || latS !== '') {
      lon = Number(lonS);
      lat = Number(latS);
      if (lonS === '' || latS === '' || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
        rejects.push({ line, reason: 'row.coord', detail: `${code}: lon "${lonS.slice(0, 20)}", lat "${latS.slice(0, 20)}" are not a WGS84 position` });
        continue;
      }
    }
    const first = seen.get(code);
    if (first !== undefined) {
      rejects.push({ line, reason: 'row.duplicate', detail: `${code} already on line ${first}; first kept` });
      continue;
    }
    seen.set(code, line);
    stations.push({ code, name, city: cell('city'), province: cell('province'), lon, lat, kind });
    if (cell('background').toUpperCase() === 'Y') background.push(code);
  }
  return { stations, rejects, background };
}
