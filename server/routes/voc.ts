/**
 * VOC analytics routes (Fastify plugin, registered by the server under /api):
 *   GET /voc/species   the species table (names, CAS, MW, group, MIR, kOH, sources)
 *   GET /voc/analysis  composition, OFP/L_OH rankings, diurnal curves, ratios, regime, summary
 *   GET /voc/compare   O3-episode days vs clean days: which species rise before an episode
 * plus `vocCycleEvent(cycle)`, the payload of the socket.io 'voc:cycle' event (the VocCycle itself,
 * which keeps the events.ts contract, plus per-cycle metrics).
 *
 * All computing is in common/voc (pure); this file only reads the store and checks parameters.
 * Errors use the server's coded table (server/errors.ts) and its one error handler.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Reading, VocCycle } from '#common/schemas/reading.ts';
import { DAY_MS, HOUR_MS, beijingDayOfHourEnd, endOfBeijingDay } from '#common/time.ts';
import { analyzeVoc, compareEpisodes, cleanCycles, DEFAULT_EPISODE_MDA8 } from '#common/voc/analysis.ts';
import { composition, rankSpecies } from '#common/voc/metrics.ts';
import { DEFAULT_REGIME_BAND } from '#common/voc/regime.ts';
import { MIR_SCALE_LABELS, SPECIES, SPECIES_GROUPS, type MirScale } from '#common/voc/species.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { ErrorBody } from '#common/schemas/api.ts';
import { appError } from '../errors.ts';
import { parseRange } from '../time-param.ts';


// ---------------------------------------------------------------------------------------------
// Schemas

const Group = Type.Union(SPECIES_GROUPS.map((g) => Type.Literal(g)));
const Mir = Type.Union([Type.Literal('carter2010'), Type.Literal('cn2021')], { default: 'carter2010' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const NullNum = Type.Union([Type.Number(), Type.Null()]);

export const SpeciesQuery = Type.Object({
  group: Type.Optional(Group),
  pams: Type.Optional(Type.Boolean({ description: 'only the PAMS target species' })),
}, { additionalProperties: false });

const SpeciesRow = Type.Object({
  id: Type.String(), name: Type.String(), zh: Type.String(), cas: Type.String(), formula: Type.String(),
  mw: Type.Number(), carbon: Type.Integer(), group: Group, pams: Type.Boolean(),
  mir: Type.Object({ carter2010: Type.Number(), aeroviz: NullNum, cn2021: NullNum }),
  koh: Type.Object({
    value: Type.Number(), source: Type.String(), estimate: Type.Boolean(),
    atkinson: NullNum, aopwin: NullNum, aeroviz: NullNum,
  }),
  coelutes: Type.Optional(Type.Array(Type.String())),
  aliases: Type.Array(Type.String()),
  note: Type.Optional(Type.String()),
});

export const SpeciesResponse = Type.Object({
  v: Type.Literal(1),
  count: Type.Integer(),
  units: Type.Object({ mw: Type.String(), mir: Type.String(), koh: Type.String() }),
  sources: Type.Record(Type.String(), Type.String()),
  species: Type.Array(SpeciesRow),
});

const Common = {
  analyzer: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  station: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  from: Type.String({ minLength: 1, maxLength: 40, description: 'epoch ms or ISO 8601 (bare date = 00:00 Beijing)' }),
  to: Type.String({ minLength: 1, maxLength: 40 }),
  mir: Type.Optional(Mir),
  episodeDays: Type.Optional(Type.String({ maxLength: 4000, description: 'comma-separated YYYY-MM-DD (Beijing); default: MDA8 O3 > threshold from stored readings' })),
  threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, default: DEFAULT_EPISODE_MDA8, description: 'MDA8 O3 (ug/m3) above which a day is an O3 episode day' })),
  vocLimitedBelow: Type.Optional(Type.Number({ minimum: 0, maximum: 100, default: DEFAULT_REGIME_BAND.vocLimitedBelow })),
  noxLimitedAbove: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, default: DEFAULT_REGIME_BAND.noxLimitedAbove })),
};

export const AnalysisQuery = Type.Object({
  ...Common,
  top: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
}, { additionalProperties: false });
export type AnalysisQuery = Static<typeof AnalysisQuery>;

export const CompareQuery = Type.Object({
  ...Common,
  window: Type.Optional(Type.Union([Type.Literal('morning'), Type.Literal('day'), Type.Literal('prior-day')], { default: 'morning' })),
  minPpbv: Type.Optional(Type.Number({ minimum: 0, default: 0.05, description: 'leave out species below this on both sides' })),
}, { additionalProperties: false });
export type CompareQuery = Static<typeof CompareQuery>;

const Ranked = Type.Object({
  rank: Type.Integer(), id: Type.String(), name: Type.String(), zh: Type.String(), group: Group,
  value: Type.Number(), share: NullNum, ppbv: Type.Number(),
});

/** Key fields typed; the rest (timeline, diurnal, regime detail...) pass through as built by
 *  common/voc/analysis.ts (see its VocAnalysis type). */
export const AnalysisResponse = Type.Object({
  v: Type.Literal(1),
  analyzer: Type.Union([Type.String(), Type.Null()]),
  station: Type.Union([Type.String(), Type.Null()]),
  from: Type.Number(), to: Type.Number(), cycles: Type.Integer(),
  mirScale: Type.String(), mirScaleLabel: Type.String(),
  tvoc: Type.Object({ ppbv: Type.Number(), ppbC: Type.Number(), ugm3: Type.Number() }),
  ofpTotal: Type.Number(), lohTotal: Type.Number(),
  rankings: Type.Object({ ofp: Type.Array(Ranked), loh: Type.Array(Ranked) }),
  summary: Type.Object({ en: Type.String(), zh: Type.String() }),
}, { additionalProperties: true });

export const CompareResponse = Type.Object({
  v: Type.Literal(1),
  window: Type.String(),
  episodeDays: Type.Array(Type.String()),
  cleanDays: Type.Array(Type.String()),
  episodeDaysSource: Type.String(),
  species: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(), zh: Type.String(), group: Group,
    episodePpbv: Type.Number(), cleanPpbv: Type.Number(), ratio: NullNum, ofpDiff: NullNum,
  })),
}, { additionalProperties: true });

// ---------------------------------------------------------------------------------------------
// Helpers

function parseEpisodeDays(raw: string | undefined): string[] | null {
  if (raw === undefined) return null;
  const days = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const d of days) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) {
      throw appError('AIRDESK_BAD_QUERY', `episodeDays: ${JSON.stringify(d)} is not YYYY-MM-DD`);
    }
  }
  return days;
}

interface Loaded {
  cycles: VocCycle[];
  readings: Reading[];
  from: number;
  to: number;
}

async function load(store: TimeSeriesStore, q: AnalysisQuery | CompareQuery, maxDays: number, priorDay = false): Promise<Loaded> {
  if (q.analyzer === undefined && q.station === undefined) throw appError('AIRDESK_BAD_QUERY', 'give analyzer or station');
  const { from, to } = parseRange(q, maxDays);
  const band = { vocLimitedBelow: q.vocLimitedBelow ?? DEFAULT_REGIME_BAND.vocLimitedBelow, noxLimitedAbove: q.noxLimitedAbove ?? DEFAULT_REGIME_BAND.noxLimitedAbove };
  if (!(band.vocLimitedBelow < band.noxLimitedAbove)) throw appError('AIRDESK_BAD_QUERY', 'vocLimitedBelow must be below noxLimitedAbove');
  // A day before `from` too when comparing the day before each episode day.
  const vFrom = priorDay ? from - DAY_MS : from;
  let cycles: VocCycle[];
  let readings: Reading[] = [];
  try {
    cycles = await store.queryVocCycles({ analyzer: q.analyzer, station: q.station, from: vFrom, to });
  } catch (err) {
    throw Object.assign(appError('AIRDESK_STORE_UNAVAILABLE'), { cause: err });
  }
  const analyzers = [...new Set(cycles.map((c) => c.analyzer))];
  if (analyzers.length > 1) throw appError('AIRDESK_BAD_QUERY', `station has several analyzers (${analyzers.join(', ')}): give analyzer`);
  const station = q.station ?? cycles[0]?.station;
  if (station !== undefined) {
    // Whole Beijing days, so MDA8 of the first and last day can be computed.
    const dFrom = endOfBeijingDay(beijingDayOfHourEnd(vFrom + HOUR_MS)) - DAY_MS;
    const dTo = endOfBeijingDay(beijingDayOfHourEnd(to)) + 1;
    try {
      readings = await store.queryReadings({ stations: [station], interval: 'hour', from: dFrom, to: dTo });
    } catch (err) {
      throw Object.assign(appError('AIRDESK_STORE_UNAVAILABLE'), { cause: err });
    }
  }
  return { cycles, readings, from, to };
}

// ---------------------------------------------------------------------------------------------
// Plugin

/** Registered under /api like every other route; reads `app.store` and the server's longest range. */
export async function vocRoutes(app: FastifyInstance): Promise<void> {
  const store = app.store;
  const maxDays = app.config.maxRangeDays;

  app.get('/voc/species', {
    config: { permission: 'read' },
    schema: { tags: ['voc'], summary: 'VOC species table with MIR and kOH and their sources', querystring: SpeciesQuery, response: { 200: SpeciesResponse, 400: ErrorBody } },
  }, async (req) => {
    const q = req.query as Static<typeof SpeciesQuery>;
    const species = SPECIES.filter((s) => (q.group === undefined || s.group === q.group) && (q.pams === undefined || s.pams === q.pams));
    return {
      v: 1 as const, count: species.length,
      units: { mw: 'g/mol', mir: 'g O3 / g VOC', koh: '1e-12 cm3 molecule-1 s-1 at 298 K' },
      sources: {
        carter2010: MIR_SCALE_LABELS.carter2010 + ', via tianshu129/foqat R/sysdata.rda',
        cn2021: MIR_SCALE_LABELS.cn2021 + ', via foqat',
        atkinson: 'kOH Atkinson/Arey recommended values, via foqat',
        aopwin: 'kOH EPI Suite AOPWIN estimates, via foqat (used only when no measured value)',
        aeroviz: 'Alex870521/AeroViz support_voc.json (cross-check only; known errors, see docs/voc.md)',
      },
      species,
    };
  });

  app.get('/voc/analysis', {
    config: { permission: 'read' },
    schema: { tags: ['voc'], summary: 'Composition, OFP and L_OH rankings, diurnal curves, ratios and O3 regime of a VOC analyzer over a period', querystring: AnalysisQuery, response: { 200: AnalysisResponse, 400: ErrorBody, 503: ErrorBody } },
  }, async (req) => {
    const q = req.query as AnalysisQuery;
    const episodeDays = parseEpisodeDays(q.episodeDays);
    const { cycles, readings, from, to } = await load(store, q, maxDays);
    return analyzeVoc(cycles, readings, {
      from, to, mirScale: (q.mir ?? 'carter2010') as MirScale, topN: q.top ?? 10, episodeDays,
      episodeMda8: q.threshold ?? DEFAULT_EPISODE_MDA8,
      band: { vocLimitedBelow: q.vocLimitedBelow ?? DEFAULT_REGIME_BAND.vocLimitedBelow, noxLimitedAbove: q.noxLimitedAbove ?? DEFAULT_REGIME_BAND.noxLimitedAbove },
    });
  });

  app.get('/voc/compare', {
    config: { permission: 'read' },
    schema: { tags: ['voc'], summary: 'O3-episode days vs clean days: which VOC species rise before an episode', querystring: CompareQuery, response: { 200: CompareResponse, 400: ErrorBody, 503: ErrorBody } },
  }, async (req) => {
    const q = req.query as CompareQuery;
    const episodeDays = parseEpisodeDays(q.episodeDays);
    const window = q.window ?? 'morning';
    const { cycles, readings } = await load(store, q, maxDays, window === 'prior-day');
    return compareEpisodes(cycles, readings, {
      window, minPpbv: q.minPpbv ?? 0.05, mirScale: (q.mir ?? 'carter2010') as MirScale, episodeDays,
      episodeMda8: q.threshold ?? DEFAULT_EPISODE_MDA8,
      band: { vocLimitedBelow: q.vocLimitedBelow ?? DEFAULT_REGIME_BAND.vocLimitedBelow, noxLimitedAbove: q.noxLimitedAbove ?? DEFAULT_REGIME_BAND.noxLimitedAbove },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Live

export interface VocCycleMetrics {
  mirScale: MirScale;
  tvoc: { ppbv: number; ppbC: number; ugm3: number };
  ofpTotal: number;
  lohTotal: number;
  groups: { group: string; ppbv: number; ofp: number; loh: number; ofpShare: number | null }[];
  topOfp: { id: string; name: string; zh: string; value: number }[];
  topLoh: { id: string; name: string; zh: string; value: number }[];
  /** counts of values left out (unknown ids, negative, flagged) */
  issues: number;
}

/**
 * Payload of the socket.io 'voc:cycle' event for a newly arrived cycle: the VocCycle unchanged
 * (so it still matches VocCycleEvt in common/schemas/events.ts) plus `metrics` for the live panel.
 * Never throws on bad values: they are counted in metrics.issues and left out.
 */
export function vocCycleEvent(cycle: VocCycle, mirScale: MirScale = 'carter2010'): VocCycle & { metrics: VocCycleMetrics } {
  const { cycles, issues } = cleanCycles([cycle]);
  const comp = composition(cycles[0]?.conc ?? new Map(), { mirScale });
  const slim = (r: { id: string; name: string; zh: string; value: number }) => ({ id: r.id, name: r.name, zh: r.zh, value: r.value });
  return {
    ...cycle,
    metrics: {
      mirScale, tvoc: comp.tvoc, ofpTotal: comp.ofpTotal, lohTotal: comp.lohTotal,
      groups: comp.groups.map((g) => ({ group: g.group, ppbv: g.ppbv, ofp: g.ofp, loh: g.loh, ofpShare: g.ofpShare })),
      topOfp: rankSpecies(comp, 'ofp', 5).map(slim),
      topLoh: rankSpecies(comp, 'loh', 5).map(slim),
      issues: issues.length,
    },
  };
}

export default vocRoutes;
