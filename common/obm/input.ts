/**
 * The OBM input message (one station-day, documented in docs/obm.md) and its translation into a
 * box-model run: validation with a path and reason for every problem (nothing dropped silently),
 * VOC names resolved with common/voc/species.ts, missing hours filled by linear interpolation
 * around the day (the day repeats during spin-up), VOCs lumped onto model species, and the
 * scalings RIR, EKMA and the uncertainty band apply.
 */
import { resolveSpecies, SPECIES_BY_ID } from '../voc/species.ts';
import { DEFAULT_BOX_SETTINGS, type BoxDiagnostics, type BoxHour, type BoxRun, type BoxSettings } from './box.ts';
import type { Kinetics } from './kinetics.ts';
import { CB05_LUMPING, lumpVoc, precursorGroup, type PrecursorGroup } from './lumping.ts';

type Num = number | null | undefined;

export interface ObmInputHour {
  readonly hour: number;
  readonly tempC: number;
  readonly pressureHPa: number;
  readonly rhPct: number;
  readonly jno2?: Num;
  readonly o3?: Num;
  readonly nox?: Num;
  readonly no?: Num;
  readonly no2?: Num;
  readonly co?: Num;
  readonly hono?: Num;
  /** VOC ppb by analyzer species (any name resolveSpecies knows) or, with lumping 'none', by
   *  model species name. */
  readonly voc?: Readonly<Record<string, Num>>;
}

export interface ObmInput {
  readonly v: 1;
  readonly site: { readonly id?: string; readonly lat: number; readonly lon: number };
  /** Local calendar date YYYY-MM-DD of the modelled day. */
  readonly date: string;
  /** Local time offset from UTC, hours (China: 8). */
  readonly tzOffsetHours: number;
  readonly lumping?: 'cb05' | 'none';
  readonly hours: readonly ObmInputHour[];
  readonly initial?: Readonly<Record<string, number>>;
  readonly settings?: Partial<BoxSettings>;
}

export interface InputIssue { readonly path: string; readonly message: string }
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly InputIssue[] };

const HOUR_KEYS = new Set(['hour', 'tempC', 'pressureHPa', 'rhPct', 'jno2', 'o3', 'nox', 'no', 'no2', 'co', 'hono', 'voc']);
const TOP_KEYS = new Set(['v', 'site', 'date', 'tzOffsetHours', 'lumping', 'hours', 'initial', 'settings']);
const SETTING_KEYS = new Set(Object.keys(DEFAULT_BOX_SETTINGS));

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Validate an untrusted value as ObmInput; every problem is reported with its path. */
export function checkObmInput(x: unknown): Checked<ObmInput> {
  const e: InputIssue[] = [];
  const num = (path: string, v: unknown, lo: number, hi: number, optional = false) => {
    if (v == null && optional) return;
    if (typeof v !== 'number' || !Number.isFinite(v)) e.push({ path, message: `must be a number, got ${JSON.stringify(v)}` });
    else if (v < lo || v > hi) e.push({ path, message: `must be within ${lo}..${hi}, got ${v}` });
  };
  if (!isObj(x)) return { ok: false, errors: [{ path: '', message: 'input must be a JSON object' }] };
  for (const k of Object.keys(x)) if (!TOP_KEYS.has(k)) e.push({ path: k, message: 'unknown field' });
  if (x.v !== 1) e.push({ path: 'v', message: 'must be 1' });
  if (!isObj(x.site)) e.push({ path: 'site', message: 'must be an object {lat, lon}' });
  else { num('site.lat', x.site.lat, -90, 90); num('site.lon', x.site.lon, -180, 180); }
  if (typeof x.date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(x.date) || Number.isNaN(Date.parse(`${x.date}T00:00:00Z`))) e.push({ path: 'date', message: 'must be YYYY-MM-DD' });
  num('tzOffsetHours', x.tzOffsetHours, -12, 14);
  if (x.lumping !== undefined && x.lumping !== 'cb05' && x.lumping !== 'none') e.push({ path: 'lumping', message: "must be 'cb05' or 'none'" });
  if (!Array.isArray(x.hours) || x.hours.length !== 24) e.push({ path: 'hours', message: 'must be an array of 24 hourly records (local hours 0..23)' });
  else {
    const seen = new Set<number>();
    x.hours.forEach((h: unknown, i: number) => {
      const p = `hours[${i}]`;
      if (!isObj(h)) { e.push({ path: p, message: 'must be an object' }); return; }
      for (const k of Object.keys(h)) if (!HOUR_KEYS.has(k)) e.push({ path: `${p}.${k}`, message: 'unknown field' });
      if (typeof h.hour !== 'number' || !Number.isInteger(h.hour) || h.hour < 0 || h.hour > 23) e.push({ path: `${p}.hour`, message: 'must be an integer 0..23' });
      else if (seen.has(h.hour)) e.push({ path: `${p}.hour`, message: `hour ${h.hour} appears twice` });
      else seen.add(h.hour);
      num(`${p}.tempC`, h.tempC, -50, 60);
      num(`${p}.pressureHPa`, h.pressureHPa, 500, 1100);
      num(`${p}.rhPct`, h.rhPct, 0, 100);
      num(`${p}.jno2`, h.jno2, 0, 0.05, true);
      for (const k of ['o3', 'nox', 'no', 'no2', 'co', 'hono'] as const) num(`${p}.${k}`, h[k], 0, k === 'co' ? 1e5 : 5000, true);
      if (h.nox != null && (h.no != null || h.no2 != null)) e.push({ path: `${p}.nox`, message: 'give nox or no + no2, not both' });
      if ((h.no == null) !== (h.no2 == null)) e.push({ path: `${p}.no`, message: 'no and no2 go together (or give nox)' });
      if (h.voc !== undefined) {
        if (!isObj(h.voc)) e.push({ path: `${p}.voc`, message: 'must be an object of species -> ppb' });
        else for (const [s, v] of Object.entries(h.voc)) num(`${p}.voc.${s}`, v, 0, 1e4, true);
      }
    });
  }
  if (x.initial !== undefined) {
    if (!isObj(x.initial)) e.push({ path: 'initial', message: 'must be an object of model species -> ppb' });
    else for (const [s, v] of Object.entries(x.initial)) num(`initial.${s}`, v, 0, 1e5);
  }
  if (x.settings !== undefined) {
    if (!isObj(x.settings)) e.push({ path: 'settings', message: 'must be an object' });
    else {
      const s = x.settings;
      for (const k of Object.keys(s)) if (!SETTING_KEYS.has(k)) e.push({ path: `settings.${k}`, message: `unknown setting (known: ${[...SETTING_KEYS].join(', ')})` });
      if (s.spinupDays !== undefined && (!Number.isInteger(s.spinupDays) || (s.spinupDays as number) < 0 || (s.spinupDays as number) > 10)) e.push({ path: 'settings.spinupDays', message: 'must be an integer 0..10' });
      if (s.segmentsPerHour !== undefined && (!Number.isInteger(s.segmentsPerHour) || (s.segmentsPerHour as number) < 1 || (s.segmentsPerHour as number) > 60)) e.push({ path: 'settings.segmentsPerHour', message: 'must be an integer 1..60' });
      if (s.rtol !== undefined) num('settings.rtol', s.rtol, 1e-12, 0.1);
      if (s.atol !== undefined) num('settings.atol', s.atol, 1e-6, 1e8);
      if (s.dilutionPerS !== undefined) num('settings.dilutionPerS', s.dilutionPerS, 0, 1e-3);
      if (s.jScale !== undefined) num('settings.jScale', s.jScale, 0, 10);
      if (s.mixingHeightM !== undefined && s.mixingHeightM !== null) {
        if (!Array.isArray(s.mixingHeightM) || s.mixingHeightM.length !== 24) e.push({ path: 'settings.mixingHeightM', message: 'must be 24 heights in m (local hours 0..23) or null' });
        else s.mixingHeightM.forEach((v: unknown, i: number) => num(`settings.mixingHeightM[${i}]`, v, 20, 5000));
      }
      for (const k of ['backgroundPpb', 'depositionPerS', 'fixedPpb'] as const) {
        const m = s[k];
        if (m === undefined) continue;
        if (!isObj(m)) { e.push({ path: `settings.${k}`, message: 'must be an object of species -> number' }); continue; }
        for (const [sp, v] of Object.entries(m)) num(`settings.${k}.${sp}`, v, 0, k === 'depositionPerS' ? 1e-2 : 1e5);
      }
    }
  }
  if (e.length) return { ok: false, errors: e };
  const v = x as unknown as ObmInput;
  return { ok: true, value: { ...v, hours: [...v.hours].sort((a, b) => a.hour - b.hour) } };
}

/** Multipliers on the observed inputs (1 = as observed). */
export interface Scaling {
  /** Per precursor group, or 'AVOC' for every anthropogenic VOC. */
  readonly voc?: Partial<Record<PrecursorGroup | 'AVOC', number>>;
  /** Per analyzer species id (after resolution). */
  readonly species?: Readonly<Record<string, number>>;
  readonly nox?: number;
  readonly co?: number;
  readonly j?: number;
}

/** Fill nulls by linear interpolation around a 24-h cycle; null when the series has no value. */
export function fillCyclic(xs: readonly Num[]): number[] | null {
  const n = xs.length;
  const have = xs.map((v, i) => (v == null ? -1 : i)).filter((i) => i >= 0);
  if (have.length === 0) return null;
  return xs.map((v, i) => {
    if (v != null) return v;
    let a = i, b = i, da = 0, db = 0;
    do { a = (a - 1 + n) % n; da++; } while (xs[a] == null);
    do { b = (b + 1) % n; db++; } while (xs[b] == null);
    return (xs[a]! * db + xs[b]! * da) / (da + db);
  });
}

export interface PreparedInput {
  readonly input: ObmInput;
  /** Analyzer species id (or model name with lumping 'none') -> 24 hourly ppb. */
  readonly voc: ReadonlyMap<string, readonly number[]>;
  readonly nox: readonly number[] | null;
  readonly no2Fraction0: number;
  readonly co: readonly number[] | null;
  readonly hono: readonly number[] | null;
  /** Names in the input that could not be used, with why. */
  readonly unused: readonly InputIssue[];
}

/** Resolve species and fill gaps; errors for names neither the registry nor the mechanism know. */
export function prepareInput(input: ObmInput, kin: Kinetics): Checked<PreparedInput> {
  const lumping = input.lumping ?? 'cb05';
  const e: InputIssue[] = [];
  const unused: InputIssue[] = [];
  const raw = new Map<string, Num[]>();
  input.hours.forEach((h, i) => {
    for (const [name, v] of Object.entries(h.voc ?? {})) {
      let id: string;
      if (lumping === 'none') {
        if (!kin.index.has(name)) { e.push({ path: `hours[${i}].voc.${name}`, message: 'not a species of the mechanism' }); continue; }
        id = name;
      } else {
        const s = resolveSpecies(name);
        if (!s) { e.push({ path: `hours[${i}].voc.${name}`, message: 'unknown VOC species (see common/voc/species.ts for accepted names)' }); continue; }
        id = s.id;
      }
      const arr = raw.get(id) ?? new Array<Num>(24).fill(undefined);
      if (arr[i] !== undefined) { e.push({ path: `hours[${i}].voc.${name}`, message: `${id} given twice in this hour` }); continue; }
      arr[i] = v ?? null;
      raw.set(id, arr);
    }
  });
  if (input.initial) for (const k of Object.keys(input.initial)) if (!kin.index.has(k)) e.push({ path: `initial.${k}`, message: 'not a species of the mechanism' });
  if (e.length) return { ok: false, errors: e };
  const voc = new Map<string, number[]>();
  for (const [id, arr] of raw) {
    const f = fillCyclic(arr);
    if (f) voc.set(id, f);
    if (lumping === 'cb05' && !CB05_LUMPING[id]) unused.push({ path: `voc.${id}`, message: 'no CB05 lumping (treated as unreactive)' });
  }
  const nox = fillCyclic(input.hours.map((h) => (h.nox != null ? h.nox : h.no != null && h.no2 != null ? h.no + h.no2 : null)));
  const h0 = input.hours.find((h) => h.no != null && h.no2 != null);
  const no2Fraction0 = h0 && h0.no! + h0.no2! > 0 ? h0.no2! / (h0.no! + h0.no2!) : 0.7;
  return {
    ok: true,
    value: {
      input, voc, nox, no2Fraction0,
      co: fillCyclic(input.hours.map((h) => h.co)),
      hono: fillCyclic(input.hours.map((h) => h.hono)),
      unused,
    },
  };
}

function speciesFactor(id: string, s: Scaling): number {
  let f = s.species?.[id] ?? 1;
  const g = precursorGroup(id);
  f *= s.voc?.[g] ?? 1;
  if (g !== 'BVOC') f *= s.voc?.AVOC ?? 1;
  return f;
}

/** Build the box-model run for a prepared input under a scaling. */
export function toBoxRun(p: PreparedInput, kin: Kinetics, diagnostics: BoxDiagnostics, scaling: Scaling = {}): BoxRun {
  const inp = p.input;
  const lumping = inp.lumping ?? 'cb05';
  const settings: BoxSettings = { ...DEFAULT_BOX_SETTINGS, ...inp.settings };
  const hours: BoxHour[] = inp.hours.map((h, i) => {
    const scaled: Record<string, number> = {};
    for (const [id, arr] of p.voc) scaled[id] = arr[i]! * speciesFactor(id, scaling);
    const held: Record<string, number> = lumping === 'cb05' ? { ...lumpVoc(scaled).model } : scaled;
    for (const k of Object.keys(held)) if (!kin.index.has(k)) delete held[k];
    if (p.co && kin.index.has('CO')) held.CO = p.co[i]! * (scaling.co ?? 1);
    if (p.hono && kin.index.has('HONO')) held.HONO = p.hono[i]!;
    return {
      tempK: h.tempC + 273.15,
      pressureHPa: h.pressureHPa,
      rhPct: h.rhPct,
      jno2: h.jno2 ?? null,
      held,
      noxPpb: p.nox ? p.nox[i]! * (scaling.nox ?? 1) : null,
      o3ObsPpb: h.o3 ?? null,
    };
  });
  const initialPpb: Record<string, number> = { ...(inp.initial ?? {}) };
  if (initialPpb[diagnostics.o3] === undefined) initialPpb[diagnostics.o3] = inp.hours.find((h) => h.o3 != null)?.o3 ?? 30;
  if (p.nox) {
    const n0 = p.nox[0]! * (scaling.nox ?? 1);
    initialPpb[diagnostics.no2] ??= n0 * p.no2Fraction0;
    initialPpb[diagnostics.no] ??= n0 * (1 - p.no2Fraction0);
  }
  const [y, mo, d] = inp.date.split('-').map(Number) as [number, number, number];
  return {
    latDeg: inp.site.lat,
    lonDeg: inp.site.lon,
    startUtcMs: Date.UTC(y, mo - 1, d) - inp.tzOffsetHours * 3600_000,
    hours,
    initialPpb,
    settings: { ...settings, jScale: settings.jScale * (scaling.j ?? 1) },
    diagnostics,
  };
}

/** Daytime-mean ppb of each VOC input (07-18 h local), for ranking key species. */
export function daytimeMeans(p: PreparedInput): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, arr] of p.voc) out.set(id, arr.slice(7, 19).reduce((a, b) => a + b, 0) / 12);
  return out;
}

/** Key species: the top `n` VOC inputs by ozone formation potential (ppb x MW x MIR / 48,
 *  REFERENCE 5.3), among species the mechanism sees (lumped). */
export function keySpecies(p: PreparedInput, n = 10): string[] {
  const m = daytimeMeans(p);
  return [...m]
    .filter(([id]) => CB05_LUMPING[id])
    .map(([id, ppb]) => { const s = SPECIES_BY_ID.get(id); return [id, s ? (ppb * s.mw * s.mir.carter2010) / 48 : 0] as const; })
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([id]) => id);
}
