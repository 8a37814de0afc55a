/**
 * What crosses the wire about measures (issue 19): REST bodies and answers of /api/measures, and
 * the socket.io events `measure:changed` (a measure created, changed or ended) and
 * `measure:evaluated` (its live evaluation, recomputed every hour while it is in force). The
 * measure itself is common/measures/schema.ts (one schema, used here, in records/ and the CLI).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Measure } from '../measures/schema.ts';

export { Measure };

const Time = Type.Integer({ minimum: 0, description: 'UTC epoch ms' });
const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);

/** POST /api/measures: a measure without v and id (the store numbers it). */
export const MeasureIn = Type.Omit(Measure, ['v', 'id'], { additionalProperties: false });
export type MeasureIn = Static<typeof MeasureIn>;

/** PATCH /api/measures/:id: the fields to change (kind and city are what the measure is: a
 *  different one is a new measure), and optionally the version the editor saw (409 if it moved).
 *  `end` ends a measure in force. */
export const MeasurePatchIn = Type.Object({
  ...Type.Partial(Type.Pick(Measure, ['title', 'level', 'area', 'start', 'end', 'sectors', 'actions', 'declaredBy', 'episodeIds', 'warningIds', 'warnings', 'note'])).properties,
  version: Type.Optional(Type.Integer({ minimum: 1 })),
}, { additionalProperties: false, minProperties: 1 });
export type MeasurePatchIn = Static<typeof MeasurePatchIn>;

/** A stored measure: the measure with the store's id, version and times. */
export const MeasureRecord = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  version: Type.Integer({ minimum: 1 }),
  createdAt: Time,
  createdBy: Type.String(),
  updatedAt: Time,
  measure: Measure,
});
export type MeasureRecord = Static<typeof MeasureRecord>;

export const MeasureParams = Type.Object({
  id: Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'measure id (a positive integer)' }),
}, { additionalProperties: false });
export type MeasureParams = Static<typeof MeasureParams>;

export const MeasuresQuery = Type.Object({
  city: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  kind: Type.Optional(Measure.properties.kind),
  /** only measures in force now */
  active: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
}, { additionalProperties: false });
export type MeasuresQuery = Static<typeof MeasuresQuery>;

export const MeasuresResponse = Type.Object({ measures: Type.Array(MeasureRecord) });
export type MeasuresResponse = Static<typeof MeasuresResponse>;
export const MeasureResponse = Type.Object({ measure: MeasureRecord });
export type MeasureResponse = Static<typeof MeasureResponse>;

/** Outcome of a live evaluation, as a code (the UI and the reports word it), with the sentence in
 *  zh and en ready:
 *  - `evaluated`: observed vs counterfactual so far, with the band and the verdict;
 *  - `not-enough-history`: fewer days without measures in the store than the model needs (N of M);
 *  - `no-window-data`: the measure's hours have no city value of the pollutant yet;
 *  - `failed`: the evaluation itself failed (the message says why; logged). */
export const EvaluationStatus = Type.Union([
  Type.Literal('evaluated'), Type.Literal('not-enough-history'), Type.Literal('no-window-data'), Type.Literal('failed'),
]);
export type EvaluationStatus = Static<typeof EvaluationStatus>;

export const LiveEffect = Type.Object({
  observed: Type.Number(), counterfactual: Type.Number(), effect: Type.Number(), effectLow: Type.Number(), effectHigh: Type.Number(),
  pct: Type.Number(), pctLow: Type.Number(), pctHigh: Type.Number(), hours: Type.Integer(),
});

/** One hour of the chart: observed and counterfactual city PM2.5 (ug/m3) with the counterfactual's
 *  band (the interval of single hours). */
export const LiveHour = Type.Object({
  t: Time, observed: Nullable(Type.Number()), counterfactual: Type.Number(), low: Type.Number(), high: Type.Number(),
});
export type LiveHour = Static<typeof LiveHour>;

/** The live evaluation of one measure (payload of `measure:evaluated` and of
 *  GET /api/measures/:id/evaluation). */
export const MeasureEvaluation = Type.Object({
  v: Type.Literal(1),
  measureId: Type.Integer({ minimum: 1 }),
  city: Type.String(),
  pollutant: Type.Literal('pm25'),
  status: EvaluationStatus,
  /** MEASURE_EVALUATED, MEASURE_NOT_ENOUGH_HISTORY, MEASURE_NO_WINDOW_DATA, MEASURE_EVALUATION_FAILED */
  code: Type.String(),
  /** the outcome in words */
  zh: Type.String(),
  en: Type.String(),
  /** when it was computed, and the last data hour it saw (hour end) */
  at: Time,
  dataUntil: Type.Union([Time, Type.Null()]),
  /** Beijing days evaluated: the measure's first day to today (or its last day) */
  window: Type.Object({ from: Type.String(), to: Type.String() }),
  /** days of history without measures: what the store had, and what the model needs */
  history: Type.Object({ days: Type.Integer({ minimum: 0 }), need: Type.Integer({ minimum: 0 }) }),
  effect: Type.Union([LiveEffect, Type.Null()]),
  /** the verdict code of common/measures/verdict.ts (reduction, increase, not-distinguishable,
   *  insufficient-data) and its caveat codes; null unless evaluated */
  verdict: Type.Union([Type.Object({ code: Type.String(), caveats: Type.Array(Type.String()) }), Type.Null()]),
  /** true when the effect's interval excludes zero */
  distinguishable: Type.Boolean(),
  hours: Type.Array(LiveHour),
  placebo: Type.Union([Type.Object({ windows: Type.Integer(), falsePositiveRate: Type.Number() }), Type.Null()]),
  model: Type.Union([Type.Object({ trainingHours: Type.Integer(), cvR2: Nullable(Type.Number()), rangeWarning: Type.Boolean() }), Type.Null()]),
  /** wall time of the evaluation, ms */
  ms: Type.Number({ minimum: 0 }),
});
export type MeasureEvaluation = Static<typeof MeasureEvaluation>;

export const MeasureEvaluationResponse = Type.Object({ evaluation: MeasureEvaluation });

/** socket.io `measure:changed`: a measure was created, changed or ended. */
export const MeasureChangedEvt = Type.Object({
  change: Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('ended')]),
  measure: MeasureRecord,
});
export type MeasureChangedEvt = Static<typeof MeasureChangedEvt>;

export const MEASURE_EVENTS = { changed: 'measure:changed', evaluated: 'measure:evaluated' } as const;
