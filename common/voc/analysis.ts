/**
 * Period analysis of one analyzer's VOC cycles (optionally with the co-located station's hourly
 * readings for NOx, O3 and CO): composition, OFP and L_OH rankings, diurnal profiles, diagnostic
 * ratios, VOC/NOx regime per day and on O3-episode vs other days, and the forecaster's summary.
 * Pure: arrays in, one JSON-ready object out. This object is the body of GET /api/voc/analysis.
 */
import type { Reading, VocCycle } from '#common/schemas/reading.ts';
import type { ReferenceState } from '#common/standards/units.ts';
import { ugm3ToPpb } from '#common/standards/units.ts';
import { mda8 } from '#common/standards/hj663.ts';
import { HOUR_MS, beijingDayOfHourEnd } from '#common/time.ts';
import { composition, lohBudget, rankSpecies, type Composition, type GroupMetric, type LohBudget, type MetricOptions, type RankedSpecies } from './metrics.ts';
import { usableCycleValues, type VocIssue, type VocIssueCode } from './quality.ts';
import { diagnosticRatios, isopreneMarker, type IsopreneMarker, type RatioResult } from './ratios.ts';
import {
  classifyRegime, DEFAULT_REGIME_BAND, MORNING_HOURS, noxPpbv, REGIME_CAVEATS, type Regime, type RegimeBand,
} from './regime.ts';
import { SPECIES_BY_ID, SPECIES_GROUPS, type MirScale, type SpeciesGroup } from './species.ts';
import { vocSummary, type SummaryText } from './summary.ts';

/** GB 3095 Grade II O3 8-h limit, ug/m3: an "O3 episode day" has MDA8 above it (issue 6). */
export const DEFAULT_EPISODE_MDA8 = 160;

/** Hydrocarbon groups summed as "NMHC" for the VOC/NOx ratio. */
export const NMHC_GROUPS: ReadonlySet<SpeciesGroup> = new Set(['alkane', 'alkene', 'alkyne', 'aromatic', 'biogenic']);

export interface AnalysisOptions {
  mirScale?: MirScale;
  ref?: ReferenceState;
  band?: RegimeBand;
  topN?: number;
  morningHours?: readonly number[];
  /** Episode days given by the caller (YYYY-MM-DD, Beijing). When absent they are computed from
   *  the readings' O3 (MDA8 > episodeMda8). */
  episodeDays?: readonly string[] | null;
  episodeMda8?: number;
  /** How many species get diurnal curves (top OFP and top L_OH, union). */
  diurnalSpecies?: number;
  /** Offset of local time from UTC for hour labels and days (default +8, Beijing). O3 MDA8 days
   *  are always Beijing days (HJ 663). */
  tzOffsetHours?: number;
  /** Samples are whole days (date-only times): no diurnal profile, and the regime pairs every
   *  sample of the day (there is no morning window to take). */
  dailySamples?: boolean;
}

/**
 * A species whose period mean is implausible for ambient air: more likely contamination (a solvent
 * near the inlet, a leaking standard), a co-eluting peak or a unit error than a real level, and it
 * distorts the OFP ranking it tops. Shown beside the ranking; the values are kept.
 */
export interface PlausibilityFlag {
  id: string;
  name: string;
  meanPpbv: number;
  limit: number;
  ofpShare: number | null;
  reason: string;
}

/**
 * Upper bound of a plausible period-mean ambient level of one species, ppbv [OWN: a screen, not a
 * standard]. Urban campaign means of single NMHC/OVOC species are a few ppbv to low tens (the
 * highest, ethane/propane/methanol/acetone/ethanol, reach ~10-40 ppbv in Chinese megacities); a
 * mean above 50 ppbv, sustained over the period, is treated as implausible.
 */
export const PLAUSIBLE_MEAN_PPBV = 50;

export interface CleanCycle {
  time: number;
  /** Beijing hour label of the cycle end, 0..23 (a cycle ending 14:00 is hour 14). */
  hour: number;
  day: string;
  conc: Map<string, number>;
}

export interface TimelinePoint {
  time: number;
  tvocPpbv: number;
  tvocPpbC: number;
  tvocUgm3: number;
  ofpTotal: number;
  lohTotal: number;
  groupsPpbv: Partial<Record<SpeciesGroup, number>>;
  groupsOfp: Partial<Record<SpeciesGroup, number>>;
}

export interface DiurnalCurve {
  id: string;
  name: string;
  zh: string;
  /** mean ppbv by Beijing hour label 0..23; null where no cycle */
  ppbv: (number | null)[];
  n: number[];
}

export interface RegimeHour {
  time: number;
  vocPpbC: number | null;
  noxPpbv: number | null;
  ratio: number | null;
  o3: number | null;
}

export interface RegimeDay {
  day: string;
  ratio: number | null;
  regime: Regime | null;
  /** paired morning hours used */
  n: number;
  mda8: number | null;
  episode: boolean | null;
}

export interface RegimeGroupSummary {
  days: number;
  classified: number;
  counts: Record<Regime, number>;
  medianRatio: number | null;
}

export interface RegimeResult {
  band: RegimeBand;
  morningHours: number[];
  periodRatio: number | null;
  periodRegime: Regime | null;
  noxSource: 'no+no2' | 'nox-as-no2' | 'mixed' | null;
  hourly: RegimeHour[];
  days: RegimeDay[];
  episode: RegimeGroupSummary;
  nonEpisode: RegimeGroupSummary;
  episodeDaysSource: 'given' | 'computed' | 'none';
  episodeMda8: number;
  caveats: string[];
}

export interface IssueCount {
  code: VocIssueCode;
  count: number;
  examples: string[];
}

export interface VocAnalysis {
  v: 1;
  analyzer: string | null;
  station: string | null;
  from: number;
  to: number;
  cycles: number;
  mirScale: MirScale;
  mirScaleLabel: string;
  conditions: Composition['conditions'];
  units: { concentration: 'ppbv'; ofp: 'ug/m3 O3'; loh: 's-1'; ugm3: string };
  tvoc: Composition['tvoc'];
  ofpTotal: number;
  lohTotal: number;
  groups: GroupMetric[];
  species: Composition['species'];
  ofpMissing: string[];
  rankings: { ofp: RankedSpecies[]; loh: RankedSpecies[] };
  loh: LohBudget | null;
  timeline: TimelinePoint[];
  diurnal: DiurnalCurve[];
  ratios: RatioResult[];
  isoprene: IsopreneMarker;
  regime: RegimeResult;
  /** species with implausible ambient means (PlausibilityFlag) */
  plausibility: PlausibilityFlag[];
  issues: IssueCount[];
  summary: SummaryText;
}

/** Usable concentrations of each cycle, with issues counted (never silently dropped). */
export function cleanCycles(cycles: readonly VocCycle[], tzOffsetHours = 8): { cycles: CleanCycle[]; issues: VocIssue[] } {
  const out: CleanCycle[] = [];
  const issues: VocIssue[] = [];
  for (const c of [...cycles].sort((a, b) => a.time - b.time)) {
    const u = usableCycleValues(c.species, c.flags);
    issues.push(...u.issues);
    out.push({ time: c.time, hour: localHour(c.time, tzOffsetHours), day: localDayOfEnd(c.time, tzOffsetHours), conc: u.values });
  }
  return { cycles: out, issues };
}

/** Hour label 0..23 of a time at a UTC offset (a cycle ending 14:00 is hour 14). */
export function localHour(t: number, tzOffsetHours = 8): number {
  return new Date(t + tzOffsetHours * HOUR_MS).getUTCHours();
}

/** Day a sample ending at t belongs to (HJ 663: the value ending at 00:00 belongs to the day before). */
export function localDayOfEnd(t: number, tzOffsetHours = 8): string {
  return tzOffsetHours === 8 ? beijingDayOfHourEnd(t) : new Date(t - 1 + tzOffsetHours * HOUR_MS).toISOString().slice(0, 10);
}

/** Mean ppbv of each species over the cycles where it was measured. */
export function meanConcentrations(cycles: readonly { conc: ReadonlyMap<string, number> }[]): Map<string, number> {
  const sum = new Map<string, number>(), n = new Map<string, number>();
  for (const c of cycles) for (const [id, v] of c.conc) { sum.set(id, (sum.get(id) ?? 0) + v); n.set(id, (n.get(id) ?? 0) + 1); }
  const out = new Map<string, number>();
  for (const [id, s] of [...sum.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) out.set(id, s / n.get(id)!);
  return out;
}

export function countIssues(issues: readonly VocIssue[], examples = 5): IssueCount[] {
  const m = new Map<VocIssueCode, IssueCount>();
  for (const i of issues) {
    const e = m.get(i.code) ?? { code: i.code, count: 0, examples: [] };
    e.count++;
    if (e.examples.length < examples && !e.examples.includes(i.name)) e.examples.push(i.name);
    m.set(i.code, e);
  }
  return [...m.values()];
}

function nmhcPpbC(conc: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const [id, v] of conc) { const sp = SPECIES_BY_ID.get(id)!; if (NMHC_GROUPS.has(sp.group)) s += v * sp.carbon; }
  return s;
}

/** Hour-ending time of a reading or cycle (cycles may end off the hour: round up to the hour). */
const hourKey = (t: number) => Math.ceil(t / HOUR_MS) * HOUR_MS;

const median = (xs: number[]): number | null => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b), k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
};

/** O3-episode days (MDA8 > threshold) among `days`, from hourly O3 readings (ug/m3). */
export function episodeDaysFromReadings(readings: readonly Reading[], days: readonly string[], threshold = DEFAULT_EPISODE_MDA8): { episode: string[]; mda8: Map<string, number | null> } {
  const o3 = new Map<number, number>();
  for (const r of readings) {
    if (r.interval !== 'hour') continue;
    const v = r.values.o3;
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && !(r.flags.o3 ?? []).some((f) => f !== 'N')) o3.set(r.time, v);
  }
  const m = new Map<string, number | null>();
  const episode: string[] = [];
  for (const d of days) {
    const v = o3.size ? mda8(o3, d).value : null;
    m.set(d, v);
    if (v !== null && v > threshold) episode.push(d);
  }
  return { episode, mda8: m };
}

function regimeSummary(days: RegimeDay[]): RegimeGroupSummary {
  const counts: Record<Regime, number> = { 'voc-limited': 0, transitional: 0, 'nox-limited': 0 };
  const ratios: number[] = [];
  for (const d of days) if (d.regime) { counts[d.regime]++; ratios.push(d.ratio!); }
  return { days: days.length, classified: ratios.length, counts, medianRatio: median(ratios) };
}

/** Station values by hour-ending time (hourly readings only). */
function readingsByHour(readings: readonly Reading[]): Map<number, Reading['values']> {
  const m = new Map<number, Reading['values']>();
  for (const r of readings) if (r.interval === 'hour') m.set(hourKey(r.time), { ...(m.get(hourKey(r.time)) ?? {}), ...r.values });
  return m;
}

export function regimeAnalysis(cycles: readonly CleanCycle[], readings: readonly Reading[], opts: AnalysisOptions = {}): RegimeResult {
  const band = opts.band ?? DEFAULT_REGIME_BAND;
  const morning = opts.dailySamples ? Array.from({ length: 24 }, (_, k) => k) : [...(opts.morningHours ?? MORNING_HOURS)];
  const threshold = opts.episodeMda8 ?? DEFAULT_EPISODE_MDA8;
  const byHour = readingsByHour(readings);
  const hows = new Set<string>();
  const hourly: RegimeHour[] = cycles.map((c) => {
    const vals = byHour.get(hourKey(c.time));
    const nox = vals ? noxPpbv(vals) : null;
    if (nox) hows.add(nox.how);
    const voc = c.conc.size ? nmhcPpbC(c.conc) : null;
    const o3 = vals && typeof vals.o3 === 'number' ? vals.o3 : null;
    return { time: c.time, vocPpbC: voc, noxPpbv: nox?.ppbv ?? null, ratio: voc !== null && nox && nox.ppbv > 0 ? voc / nox.ppbv : null, o3 };
  });
  const days = [...new Set(cycles.map((c) => c.day))];
  let episodeSet: Set<string> | null = null;
  let source: RegimeResult['episodeDaysSource'] = 'none';
  let mdaMap = new Map<string, number | null>();
  if (opts.episodeDays) { episodeSet = new Set(opts.episodeDays); source = 'given'; }
  const ep = episodeDaysFromReadings(readings, days, threshold);
  mdaMap = ep.mda8;
  if (!episodeSet && [...ep.mda8.values()].some((v) => v !== null)) { episodeSet = new Set(ep.episode); source = 'computed'; }
  // Ratio of means over the paired morning hours (per day and over the period).
  const pairedMorning = (day: string | null) => hourly.filter((h, i) => h.ratio !== null && morning.includes(cycles[i].hour) && (day === null || cycles[i].day === day));
  const ratioOf = (hs: RegimeHour[]) => {
    if (!hs.length) return null;
    const v = hs.reduce((a, h) => a + h.vocPpbC!, 0), n = hs.reduce((a, h) => a + h.noxPpbv!, 0);
    return n > 0 ? v / n : null;
  };
  const dayRows: RegimeDay[] = days.map((day) => {
    const hs = pairedMorning(day);
    const ratio = ratioOf(hs);
    const mdaV = mdaMap.get(day) ?? null;
    let episode: boolean | null = null;
    if (source === 'given') episode = episodeSet!.has(day);
    else if (source === 'computed') episode = mdaV === null ? null : episodeSet!.has(day);
    return { day, ratio, regime: classifyRegime(ratio, band), n: hs.length, mda8: mdaV, episode };
  });
  const periodRatio = ratioOf(pairedMorning(null));
  return {
    band, morningHours: morning, periodRatio, periodRegime: classifyRegime(periodRatio, band),
    noxSource: hows.size === 0 ? null : hows.size > 1 ? 'mixed' : ([...hows][0] as 'no+no2' | 'nox-as-no2'),
    hourly, days: dayRows,
    episode: regimeSummary(dayRows.filter((d) => d.episode === true)),
    nonEpisode: regimeSummary(dayRows.filter((d) => d.episode === false)),
    episodeDaysSource: source, episodeMda8: threshold, caveats: [...REGIME_CAVEATS],
  };
}

function diurnal(cycles: readonly CleanCycle[], ids: readonly string[]): DiurnalCurve[] {
  return ids.map((id) => {
    const sum = new Array<number>(24).fill(0), n = new Array<number>(24).fill(0);
    for (const c of cycles) { const v = c.conc.get(id); if (v !== undefined) { sum[c.hour] += v; n[c.hour]++; } }
    const s = SPECIES_BY_ID.get(id)!;
    return { id, name: s.name, zh: s.zh, ppbv: sum.map((x, h) => (n[h] ? x / n[h] : null)), n };
  });
}

function timelinePoint(c: CleanCycle, opts: MetricOptions): TimelinePoint {
  const comp = composition(c.conc, opts);
  const groupsPpbv: TimelinePoint['groupsPpbv'] = {}, groupsOfp: TimelinePoint['groupsOfp'] = {};
  for (const g of comp.groups) { groupsPpbv[g.group] = g.ppbv; groupsOfp[g.group] = g.ofp; }
  return { time: c.time, tvocPpbv: comp.tvoc.ppbv, tvocPpbC: comp.tvoc.ppbC, tvocUgm3: comp.tvoc.ugm3, ofpTotal: comp.ofpTotal, lohTotal: comp.lohTotal, groupsPpbv, groupsOfp };
}

/** Mean NO2 and CO (ppbv) over the hours with a VOC cycle, for the L_OH budget. */
function inorganicMeans(cycles: readonly CleanCycle[], readings: readonly Reading[]): { no2: number | null; co: number | null } {
  const byHour = readingsByHour(readings);
  const no2: number[] = [], co: number[] = [];
  for (const c of cycles) {
    const v = byHour.get(hourKey(c.time));
    if (!v) continue;
    if (typeof v.no2 === 'number' && v.no2 >= 0) no2.push(ugm3ToPpb(v.no2, 'no2'));
    // CO is stored in mg/m3: mg/m3 -> ppm uses the same factor; x1000 for ppbv.
    if (typeof v.co === 'number' && v.co >= 0) co.push(ugm3ToPpb(v.co, 'co') * 1000);
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  return { no2: mean(no2), co: mean(co) };
}

/**
 * Analyse VOC cycles over a period.
 * @param cycles VOC cycles of one analyzer (canonical ids, ppbv)
 * @param readings hourly station readings (ug/m3; CO mg/m3) of the co-located station, may be empty
 */
export function analyzeVoc(
  cycles: readonly VocCycle[],
  readings: readonly Reading[] = [],
  opts: AnalysisOptions & { from?: number; to?: number } = {},
): VocAnalysis {
  const { cycles: clean, issues } = cleanCycles(cycles, opts.tzOffsetHours);
  const mopts: MetricOptions = { mirScale: opts.mirScale, ref: opts.ref };
  const mean = meanConcentrations(clean);
  const comp = composition(mean, mopts);
  const topN = opts.topN ?? 10;
  const rankings = { ofp: rankSpecies(comp, 'ofp', topN), loh: rankSpecies(comp, 'loh', topN) };
  const k = opts.diurnalSpecies ?? 5;
  const dIds = [...new Set([...rankings.ofp.slice(0, k).map((r) => r.id), ...rankings.loh.slice(0, k).map((r) => r.id), ...(mean.has('isoprene') ? ['isoprene'] : [])])];
  const regime = regimeAnalysis(clean, readings, opts);
  const inorg = inorganicMeans(clean, readings);
  const analysis: Omit<VocAnalysis, 'summary'> = {
    v: 1,
    analyzer: cycles[0]?.analyzer ?? null,
    station: cycles[0]?.station ?? null,
    from: opts.from ?? clean[0]?.time ?? 0,
    to: opts.to ?? (clean.length ? clean[clean.length - 1].time : 0),
    cycles: clean.length,
    mirScale: comp.mirScale, mirScaleLabel: comp.mirScaleLabel, conditions: comp.conditions,
    units: { concentration: 'ppbv', ofp: 'ug/m3 O3', loh: 's-1', ugm3: `ug/m3 at ${comp.conditions.kelvin} K, ${comp.conditions.hPa} hPa` },
    tvoc: comp.tvoc, ofpTotal: comp.ofpTotal, lohTotal: comp.lohTotal,
    groups: comp.groups.filter((g) => SPECIES_GROUPS.includes(g.group)),
    species: comp.species, ofpMissing: comp.ofpMissing,
    rankings,
    loh: clean.length ? lohBudget(comp.lohTotal, inorg.no2, inorg.co, opts.ref) : null,
    timeline: clean.map((c) => timelinePoint(c, mopts)),
    diurnal: opts.dailySamples ? diurnal([], dIds) : diurnal(clean, dIds),
    plausibility: comp.species.filter((x) => x.ppbv > PLAUSIBLE_MEAN_PPBV).map((x) => ({
      id: x.id, name: x.name, meanPpbv: x.ppbv, limit: PLAUSIBLE_MEAN_PPBV, ofpShare: x.ofp !== null && comp.ofpTotal > 0 ? x.ofp / comp.ofpTotal : null,
      reason: `mean ${x.ppbv.toFixed(1)} ppbv > ${PLAUSIBLE_MEAN_PPBV} ppbv, implausible for ambient air: check for contamination, a co-eluting peak or the unit`,
    })),
    ratios: diagnosticRatios(clean.map((c) => c.conc)),
    isoprene: isopreneMarker(clean),
    regime,
    issues: countIssues(issues),
  };
  return { ...analysis, summary: vocSummary(analysis) };
}

// ---------------------------------------------------------------------------------------------
// Episode vs clean days

export type CompareWindow = 'morning' | 'day' | 'prior-day';

export interface SpeciesContrast {
  id: string;
  name: string;
  zh: string;
  group: SpeciesGroup;
  episodePpbv: number;
  cleanPpbv: number;
  /** episode / clean (null when clean is 0) */
  ratio: number | null;
  /** OFP difference, ug/m3 O3 */
  ofpDiff: number | null;
}

export interface VocComparison {
  v: 1;
  window: CompareWindow;
  windowHours: number[];
  episodeDays: string[];
  cleanDays: string[];
  episodeDaysSource: 'given' | 'computed' | 'none';
  episodeMda8: number;
  episodeCycles: number;
  cleanCycles: number;
  species: SpeciesContrast[];
  groups: { group: SpeciesGroup; episodeOfp: number; cleanOfp: number; ratio: number | null }[];
  regime: { episode: RegimeGroupSummary; nonEpisode: RegimeGroupSummary };
  tvoc: { episodePpbv: number | null; cleanPpbv: number | null };
  caveats: string[];
}

/** Hour labels 1..10: the precursor build-up before the afternoon O3 peak. */
export const MORNING_WINDOW: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

const prevDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * Which species rise most before O3 episodes: mean concentrations in a window on episode days vs
 * clean days (days with VOC data that are not episode days; with computed episodes, only days whose
 * MDA8 could be computed). Species ranked by episode/clean ratio, among species present in both.
 */
export function compareEpisodes(
  cycles: readonly VocCycle[],
  readings: readonly Reading[] = [],
  opts: AnalysisOptions & { window?: CompareWindow; minPpbv?: number } = {},
): VocComparison {
  const window = opts.window ?? 'morning';
  const { cycles: clean } = cleanCycles(cycles, opts.tzOffsetHours);
  const regime = regimeAnalysis(clean, readings, opts);
  const epDays = regime.days.filter((d) => d.episode === true).map((d) => d.day);
  const clDays = regime.days.filter((d) => d.episode === false).map((d) => d.day);
  const hours = window === 'morning' ? [...MORNING_WINDOW] : [...Array(24).keys()];
  const pickCycles = (days: string[]) => {
    const target = new Set(window === 'prior-day' ? days.map(prevDay) : days);
    return clean.filter((c) => target.has(c.day) && hours.includes(c.hour));
  };
  const ec = pickCycles(epDays), cc = pickCycles(clDays);
  const em = meanConcentrations(ec), cm = meanConcentrations(cc);
  const mopts: MetricOptions = { mirScale: opts.mirScale, ref: opts.ref };
  const ecomp = composition(em, mopts), ccomp = composition(cm, mopts);
  const minPpbv = opts.minPpbv ?? 0;
  const species: SpeciesContrast[] = [];
  for (const [id, e] of em) {
    const c = cm.get(id);
    if (c === undefined || Math.max(e, c) < minPpbv) continue;
    const s = SPECIES_BY_ID.get(id)!;
    const eo = ecomp.species.find((x) => x.id === id)!.ofp, co = ccomp.species.find((x) => x.id === id)!.ofp;
    species.push({ id, name: s.name, zh: s.zh, group: s.group, episodePpbv: e, cleanPpbv: c, ratio: c > 0 ? e / c : null, ofpDiff: eo !== null && co !== null ? eo - co : null });
  }
  species.sort((a, b) => (b.ratio ?? -Infinity) - (a.ratio ?? -Infinity) || (a.id < b.id ? -1 : 1));
  const groups = SPECIES_GROUPS.flatMap((g) => {
    const e = ecomp.groups.find((x) => x.group === g), c = ccomp.groups.find((x) => x.group === g);
    if (!e && !c) return [];
    const eo = e?.ofp ?? 0, co = c?.ofp ?? 0;
    return [{ group: g, episodeOfp: eo, cleanOfp: co, ratio: co > 0 ? eo / co : null }];
  });
  return {
    v: 1, window, windowHours: hours, episodeDays: epDays, cleanDays: clDays,
    episodeDaysSource: regime.episodeDaysSource, episodeMda8: regime.episodeMda8,
    episodeCycles: ec.length, cleanCycles: cc.length, species, groups,
    regime: { episode: regime.episode, nonEpisode: regime.nonEpisode },
    tvoc: { episodePpbv: ec.length ? ecomp.tvoc.ppbv : null, cleanPpbv: cc.length ? ccomp.tvoc.ppbv : null },
    caveats: [
      'Concentration contrasts mix emissions with meteorology: episode days are often stagnant, so most species rise; read the ranking relative to the TVOC ratio.',
      `Episode day = MDA8 O3 > ${regime.episodeMda8} ug/m3 (GB 3095 Grade II 8-h limit), ${regime.episodeDaysSource === 'given' ? 'as given by the caller' : 'computed from the stored hourly O3 of the station (HJ 663, 17 windows, >= 14 valid)'}.`,
      ...REGIME_CAVEATS.slice(0, 1),
    ],
  };
}
