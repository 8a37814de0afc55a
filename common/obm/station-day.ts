/**
 * One station-day from the store as an OBM input message (input.ts, docs/obm.md): the VOC
 * analyzer's cycles and the station's hourly readings (NOx, O3, CO, temperature, RH, pressure)
 * put on the box model's 24 local hours. Pure: the server reads the store and passes them in.
 *
 * Hours: a value ending at t belongs to the local hour that contains the instant just before t:
 * an hourly value ending 01:00 is hour 0, a 30-min VOC cycle ending 02:30 is hour 2, and the value
 * ending 00:00 is the previous day's hour 23 (the HJ 663 convention). Several cycles in one hour are averaged; hours without a cycle are left out of the
 * message and prepareInput fills them by interpolation around the day, as F0AM users do.
 *
 * Units: the store keeps gases in ug/m3 (CO mg/m3) at GB 3095's 298.15 K, 1013.25 hPa, so they are
 * turned back into ppb at that reference state; VOC cycles are already ppbv.
 */
import type { Reading, VocCycle } from '../schemas/reading.ts';
import { ugm3ToPpb } from '../standards/units.ts';
import { cleanCycles } from '../voc/analysis.ts';
import { noxPpbv } from '../voc/regime.ts';
import type { BoxSettings } from './box.ts';
import { fillCyclic, type ObmInput, type ObmInputHour } from './input.ts';

const HOUR_MS = 3_600_000;

/** Standard pressure, used for a station that reports none (pressure only sets M; 30 hPa off
 *  moves M by 3 %). */
export const STANDARD_HPA = 1013.25;

/** Fewest hours of the day with a usable VOC cycle before the model is run: fewer than this and
 *  the interpolated day is mostly invented [OWN: a quarter of the day, and at least the morning
 *  or the afternoon]. */
export const MIN_VOC_HOURS = 6;

export type StationDayProblem = 'no-voc' | 'few-voc-hours' | 'no-nox' | 'no-temperature' | 'no-humidity';

export interface StationDaySource {
  readonly station: { readonly code: string; readonly lat: number; readonly lon: number };
  /** Local calendar day YYYY-MM-DD. */
  readonly day: string;
  readonly cycles: readonly VocCycle[];
  readonly readings: readonly Reading[];
  readonly tzOffsetHours?: number;
  readonly settings?: Partial<BoxSettings>;
  readonly minVocHours?: number;
}

export interface StationDayCoverage {
  /** Hours (0-23) with a usable VOC cycle, NOx, O3, meteorology. */
  readonly vocHours: number;
  readonly noxHours: number;
  readonly o3Hours: number;
  readonly metHours: number;
  readonly cycles: number;
  readonly analyzers: readonly string[];
  /** What was assumed, in words (e.g. standard pressure). */
  readonly notes: readonly string[];
}

export type StationDayResult =
  | { readonly ok: true; readonly input: ObmInput; readonly coverage: StationDayCoverage }
  | { readonly ok: false; readonly problem: StationDayProblem; readonly message: string };

/** Box hour (0-23) and local day of a value ending at t. */
export function boxHourOf(t: number, tzOffsetHours = 8): { day: string; hour: number } {
  const start = new Date(t - 1 + tzOffsetHours * HOUR_MS);
  return { day: start.toISOString().slice(0, 10), hour: start.getUTCHours() };
}

/** UTC ms range [from, to) of value end times that fall on `day` (ends 00:00 exclusive .. 24:00 inclusive, as from+1). */
export function dayEndRange(day: string, tzOffsetHours = 8): { from: number; to: number } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const start = Date.UTC(y, m - 1, d) - tzOffsetHours * HOUR_MS;
  return { from: start + 1, to: start + 24 * HOUR_MS + 1 };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Build the OBM input of one station-day, or say why the day gives nothing to model. */
export function stationDayInput(s: StationDaySource): StationDayResult {
  const tz = s.tzOffsetHours ?? 8;
  const minVoc = s.minVocHours ?? MIN_VOC_HOURS;
  const onDay = (t: number) => { const b = boxHourOf(t, tz); return b.day === s.day ? b.hour : -1; };

  // VOC: usable values only (flagged, negative and unknown ids are left out by cleanCycles).
  const mine = s.cycles.filter((c) => onDay(c.time) >= 0);
  const { cycles } = cleanCycles(mine, tz);
  const byHour: Map<string, number[]>[] = Array.from({ length: 24 }, () => new Map());
  for (const c of cycles) {
    const h = onDay(c.time);
    for (const [id, v] of c.conc) { const a = byHour[h]!.get(id) ?? []; a.push(v); byHour[h]!.set(id, a); }
  }
  const vocHours = byHour.filter((m) => m.size > 0).length;
  if (mine.length === 0) return { ok: false, problem: 'no-voc', message: `no VOC analyzer cycles at station ${s.station.code} on ${s.day}` };
  if (vocHours < minVoc) {
    return { ok: false, problem: 'few-voc-hours', message: `station ${s.station.code} has usable VOC cycles in ${vocHours} hour(s) of ${s.day}; the box model needs at least ${minVoc}` };
  }

  // Readings: hourly only, merged per box hour (a later reading of the same hour fills gaps).
  const vals: Record<string, number | null | undefined>[] = Array.from({ length: 24 }, () => ({}));
  for (const r of s.readings) {
    if (r.interval !== 'hour' || r.station !== s.station.code) continue;
    const h = onDay(r.time);
    if (h < 0) continue;
    for (const [k, v] of Object.entries(r.values)) if (num(v)) vals[h]![k] = v;
  }
  const nox = vals.map((v) => noxPpbv(v)?.ppbv ?? null);
  const noxHours = nox.filter((x) => x != null).length;
  if (noxHours === 0) return { ok: false, problem: 'no-nox', message: `no NOx (NO + NO2 or NOx) readings at station ${s.station.code} on ${s.day}: the box model holds NOx at its observed value` };
  const series = (k: string) => vals.map((v) => (num(v[k]) ? v[k] as number : null));
  const temp = fillCyclic(series('temp'));
  if (!temp) return { ok: false, problem: 'no-temperature', message: `no temperature readings at station ${s.station.code} on ${s.day}: rate constants depend on it` };
  const rh = fillCyclic(series('rh'));
  if (!rh) return { ok: false, problem: 'no-humidity', message: `no relative humidity readings at station ${s.station.code} on ${s.day}: water vapour sets the OH source` };
  const notes: string[] = [];
  const pres = fillCyclic(series('pres'));
  if (!pres) notes.push(`no pressure readings: ${STANDARD_HPA} hPa assumed`);
  if (s.settings?.mixingHeightM) notes.push('mixed-layer height: a configured diurnal profile, not observed');
  const o3 = series('o3').map((v) => (v == null ? null : ugm3ToPpb(v, 'o3')));
  // mg/m3 -> ppm is the same factor as ug/m3 -> ppb; x 1000 for ppb.
  const co = series('co').map((v) => (v == null ? null : ugm3ToPpb(v, 'co') * 1000));
  const metHours = series('temp').filter((v) => v != null).length;

  const hours: ObmInputHour[] = Array.from({ length: 24 }, (_, h) => {
    const voc: Record<string, number> = {};
    for (const [id, xs] of byHour[h]!) voc[id] = mean(xs);
    return {
      hour: h,
      tempC: temp[h]!,
      pressureHPa: pres ? pres[h]! : STANDARD_HPA,
      // RH interpolated or clipped readings can sit a hair outside 0..100.
      rhPct: Math.min(100, Math.max(0, rh[h]!)),
      o3: o3[h], nox: nox[h], co: co[h],
      ...(byHour[h]!.size ? { voc } : {}),
    };
  });
  return {
    ok: true,
    input: {
      v: 1,
      site: { id: s.station.code, lat: s.station.lat, lon: s.station.lon },
      date: s.day,
      tzOffsetHours: tz,
      lumping: 'cb05',
      hours,
      ...(s.settings ? { settings: s.settings } : {}),
    },
    coverage: {
      vocHours, noxHours, o3Hours: o3.filter((v) => v != null).length, metHours,
      cycles: mine.length, analyzers: [...new Set(mine.map((c) => c.analyzer))].sort(), notes,
    },
  };
}
