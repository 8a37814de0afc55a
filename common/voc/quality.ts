/**
 * Turning raw VOC values (names as the analyzer or lab wrote them, any unit) into canonical ppbv,
 * with every value that is not used flagged and explained. Nothing is dropped silently.
 *
 * Rules (docs/voc.md):
 * - Unknown species name -> not used, issue 'species.unknown'. Known non-species totals
 *   (TNMOC, TVOC, NMHC, Unidentified, ...) -> not used, issue 'column.non_voc'.
 * - Non-finite -> null ('value.nonfinite'); negative -> null ('value.negative'), flag 'negative'.
 * - Below detection: with a detection limit DL (ppbv) for the species, a value < DL is replaced by
 *   DL/2 and flagged 'bdl' (the half-detection-limit rule, as in US EPA PMF practice). A value of
 *   exactly 0 with no DL known is kept as 0, flagged 'bdl' and reported ('value.below_dl').
 * - Two columns for one species: the first is used ('species.duplicate').
 * - m/p-xylene reported together AND m- or p-xylene separately: the co-eluted peak is used, the
 *   separate values are not ('species.coelution_overlap'), so nothing is counted twice.
 * - Unit unknown: nothing is used ('unit.unknown').
 */
import { resolveSpecies, SPECIES_BY_ID, type SpeciesInfo } from './species.ts';
import { parseVocUnit, toPpbv, VOC_REFERENCE, type VocUnit } from './units.ts';
import type { ReferenceState } from '#common/standards/units.ts';

/** Coded reasons, one table (STYLE: errors as one table). */
export const VOC_ISSUES = {
  'species.unknown': 'name not in the species table; value not used',
  'column.non_voc': 'a total or non-species column (TNMOC, Unidentified, ...); not used',
  'species.duplicate': 'a second column for the same species; first one used',
  'species.coelution_overlap': 'm- or p-xylene given beside the co-eluted m/p-xylene peak; the peak is used',
  'value.negative': 'negative value; not used',
  'value.nonfinite': 'not a number; not used',
  'value.below_dl': 'below detection; replaced by half the detection limit (or 0 when no limit is known)',
  'value.flagged': 'value carries an instrument/QC flag that makes it invalid; not used',
  'unit.unknown': 'unit not one of ppbv, ppbC, ug/m3; nothing used',
} as const;
export type VocIssueCode = keyof typeof VOC_ISSUES;

export interface VocIssue {
  code: VocIssueCode;
  /** Column / key as given. */
  name: string;
  species?: string;
  detail: string;
}

/** Columns that are totals or bookkeeping, not species (normalised spelling). */
const NON_VOC = new Set([
  'tnmoc', 'tnmhc', 'nmhc', 'nmoc', 'tvoc', 'voc', 'vocs', 'thc', 'unidentified', 'unknown', 'total',
  'sum', 'methane', 'ch4', 'date', 'time', 'datetime', 'site', 'station', '总烃', '非甲烷总烃', '甲烷',
]);

export function isNonVocColumn(name: string): boolean {
  return NON_VOC.has(name.normalize('NFKC').trim().toLowerCase().replace(/[\s\-_]/g, ''));
}

export interface NormaliseOptions {
  unit: VocUnit | string;
  codeMap?: Readonly<Record<string, string>>;
  /** Detection limits in ppbv by canonical id. */
  detectionLimits?: Readonly<Record<string, number>>;
  ref?: ReferenceState;
}

export interface NormalisedValues {
  /** canonical id -> ppbv (null = missing or not usable). */
  species: Record<string, number | null>;
  flags: Record<string, string[]>;
  issues: VocIssue[];
}

/**
 * Normalise one cycle's values (name -> value in `unit`) to canonical ids in ppbv.
 * @example normaliseVocValues({ Toluene: 7, 'M_P Xylene': 16 }, { unit: 'ppbC' })
 *   .species -> { toluene: 1, 'mp-xylene': 2 }
 */
export function normaliseVocValues(
  values: Readonly<Record<string, number | null | undefined>>,
  opts: NormaliseOptions,
): NormalisedValues {
  const out: NormalisedValues = { species: {}, flags: {}, issues: [] };
  const unit = typeof opts.unit === 'string' ? parseVocUnit(opts.unit) : null;
  if (!unit) {
    out.issues.push({ code: 'unit.unknown', name: String(opts.unit), detail: `unit "${opts.unit}"` });
    return out;
  }
  const ref = opts.ref ?? VOC_REFERENCE;
  const seen = new Set<string>();
  const flag = (id: string, f: string) => (out.flags[id] ??= []).push(f);
  for (const [name, v] of Object.entries(values)) {
    const s = resolveSpecies(name, opts.codeMap);
    if (!s) {
      out.issues.push(isNonVocColumn(name)
        ? { code: 'column.non_voc', name, detail: `column "${name}" is not a single species` }
        : { code: 'species.unknown', name, detail: `unknown species "${name}"` });
      continue;
    }
    if (seen.has(s.id)) {
      out.issues.push({ code: 'species.duplicate', name, species: s.id, detail: `second column for ${s.id}` });
      continue;
    }
    seen.add(s.id);
    out.species[s.id] = convertOne(name, v, unit, s, opts.detectionLimits?.[s.id], ref, out.issues, (f) => flag(s.id, f));
  }
  resolveCoelution(out);
  return out;
}

function convertOne(
  name: string, v: number | null | undefined, unit: VocUnit, s: SpeciesInfo, dl: number | undefined,
  ref: ReferenceState, issues: VocIssue[], flag: (f: string) => void,
): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    issues.push({ code: 'value.nonfinite', name, species: s.id, detail: `${name}: ${String(v)}` });
    return null;
  }
  if (v < 0) {
    flag('negative');
    issues.push({ code: 'value.negative', name, species: s.id, detail: `${name}: ${v}` });
    return null;
  }
  const ppbv = toPpbv(v, unit, s, ref);
  if (dl !== undefined && dl > 0 && ppbv < dl) {
    flag('bdl');
    issues.push({ code: 'value.below_dl', name, species: s.id, detail: `${name}: ${ppbv} ppbv < DL ${dl}; used ${dl / 2}` });
    return dl / 2;
  }
  if (ppbv === 0) {
    flag('bdl');
    issues.push({ code: 'value.below_dl', name, species: s.id, detail: `${name}: 0 with no detection limit known; used 0` });
  }
  return ppbv;
}

/** Keep the co-eluted m/p-xylene peak; drop separate m-/p-xylene values reported beside it. */
function resolveCoelution(out: NormalisedValues): void {
  const mp = out.species['mp-xylene'];
  if (mp === undefined || mp === null) return;
  for (const id of SPECIES_BY_ID.get('mp-xylene')!.coelutes ?? []) {
    if (id in out.species) {
      if (out.species[id] !== null) {
        out.issues.push({ code: 'species.coelution_overlap', name: id, species: id, detail: `${id} given beside m/p-xylene` });
      }
      delete out.species[id];
    }
  }
}

/** Instrument/QC flags that make a stored value unusable (HJ 212 Table 6 and AirDesk QC). */
export const INVALID_FLAGS: ReadonlySet<string> = new Set(['F', 'M', 'S', 'D', 'C', 'T', 'B', 'range', 'negative', 'spike', 'flat']);

/**
 * Usable ppbv values of a stored cycle (canonical ids): unknown ids, negative or non-finite values
 * and values with an invalid flag are left out and reported; 'bdl' values are used (they already
 * hold the substituted value). m- and p-xylene beside m/p-xylene are left out.
 */
export function usableCycleValues(
  species: Readonly<Record<string, number | null>>,
  flags: Readonly<Record<string, readonly string[]>> = {},
): { values: Map<string, number>; issues: VocIssue[] } {
  const values = new Map<string, number>();
  const issues: VocIssue[] = [];
  for (const [id, v] of Object.entries(species)) {
    if (v === null) continue;
    if (!SPECIES_BY_ID.has(id)) { issues.push({ code: 'species.unknown', name: id, detail: `unknown species id "${id}"` }); continue; }
    if (!Number.isFinite(v)) { issues.push({ code: 'value.nonfinite', name: id, species: id, detail: `${id}: ${v}` }); continue; }
    if (v < 0) { issues.push({ code: 'value.negative', name: id, species: id, detail: `${id}: ${v}` }); continue; }
    const bad = (flags[id] ?? []).filter((f) => INVALID_FLAGS.has(f));
    if (bad.length) { issues.push({ code: 'value.flagged', name: id, species: id, detail: `${id}: flag ${bad.join(',')}` }); continue; }
    values.set(id, v);
  }
  if (values.has('mp-xylene')) {
    for (const id of ['m-xylene', 'p-xylene']) {
      if (values.delete(id)) issues.push({ code: 'species.coelution_overlap', name: id, species: id, detail: `${id} given beside m/p-xylene` });
    }
  }
  return { values, issues };
}
