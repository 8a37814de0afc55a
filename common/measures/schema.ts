/**
 * An emergency or control measure as an object (issue 19, "Measures as objects"): what kind, where,
 * when, which sectors and actions, who declared it, and which episodes and warnings it answers.
 * Data model and schema only: storage (the system of record, records/), routes and the emergency
 * view come later and validate against this one schema. Times are UTC epoch ms like every other
 * time in AirDesk (common/time.ts); `end` null = still in force.
 *
 *   Value.Check(Measure, { v: 1, id: 'm-2015-12-07', kind: 'warning-response', level: 'red', ... })
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

// Null first: the server's ajv coerces types (coerceTypes), and tried against an integer or string
// branch first a null would come out as 0 or "" (a measure ending at 1970, a note of nothing).
const Nullable = <T extends TSchema>(t: T) => Type.Union([Type.Null(), t]);
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s/]+$' });
const Time = Type.Integer({ minimum: 0, description: 'UTC epoch ms' });

/** The kinds of measure the work plan names: the response to a heavy-pollution warning at its level,
 *  a seasonal campaign (summer O3, winter PM2.5), an event guarantee (a summit, a parade) and a single
 *  action (a traffic restriction, a construction stop). */
export const MeasureKind = Type.Union([
  Type.Literal('warning-response'), Type.Literal('campaign'), Type.Literal('event-guarantee'), Type.Literal('action'),
]);
export type MeasureKind = Static<typeof MeasureKind>;

/** Warning levels of the heavy-pollution plans (REFERENCE.md 3.1 / 3.2; blue only in the 2018 scheme). */
export const MeasureLevel = Type.Union([Type.Literal('blue'), Type.Literal('yellow'), Type.Literal('orange'), Type.Literal('red')]);
export type MeasureLevel = Static<typeof MeasureLevel>;

/** Emission sectors an action targets (the plans' own grouping). */
export const MeasureSector = Type.Union([
  Type.Literal('traffic'), Type.Literal('industry'), Type.Literal('construction'), Type.Literal('dust'),
  Type.Literal('residential'), Type.Literal('power'), Type.Literal('agriculture'), Type.Literal('other'),
]);
export type MeasureSector = Static<typeof MeasureSector>;

export const MeasureAction = Type.Object({
  sector: MeasureSector,
  /** short machine code, e.g. 'odd-even-plates', 'stop-earthworks' */
  code: Type.String({ minLength: 1, maxLength: 64 }),
  /** what it is, in the declaring document's words */
  text: Type.String({ maxLength: 2000 }),
}, { additionalProperties: false });
export type MeasureAction = Static<typeof MeasureAction>;

export const MeasureArea = Type.Object({
  city: Type.String({ minLength: 1, maxLength: 64 }),
  /** districts covered; empty = the whole city */
  districts: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 64 }),
}, { additionalProperties: false });
export type MeasureArea = Static<typeof MeasureArea>;

export const DeclaredBy = Type.Object({
  /** the person or role who declared it */
  who: Type.String({ minLength: 1, maxLength: 128 }),
  /** the body in whose name, e.g. the city's heavy-pollution emergency headquarters */
  body: Nullable(Type.String({ maxLength: 256 })),
  /** the document reference (notice number) */
  document: Nullable(Type.String({ maxLength: 256 })),
  /** how it entered AirDesk */
  via: Type.Union([Type.Literal('ui'), Type.Literal('api'), Type.Literal('warning')]),
}, { additionalProperties: false });
export type DeclaredBy = Static<typeof DeclaredBy>;

/** A warning lifecycle as the live server knows it (server/services/episodes.ts,
 *  common/episodes/warning-state.ts): city, scheme and the time it was issued. The identity of a
 *  warning while that lifecycle is not kept in records/ warning_events (when it is, `warningIds`
 *  holds the id of its `issued` event). */
export const WarningRef = Type.Object({
  city: Type.String({ minLength: 1, maxLength: 64 }),
  scheme: Type.Union([Type.Literal('2018'), Type.Literal('2024')]),
  issuedAt: Time,
}, { additionalProperties: false });
export type WarningRef = Static<typeof WarningRef>;

/** One measure (v 1). `level` is required for a warning response and absent otherwise; `start < end`
 *  when end is known. These cross-field rules are in checkMeasure (JSON Schema cannot say them). */
export const Measure = Type.Object({
  v: Type.Literal(1),
  id: Id,
  kind: MeasureKind,
  title: Type.String({ minLength: 1, maxLength: 256 }),
  level: Type.Optional(MeasureLevel),
  area: MeasureArea,
  start: Time,
  end: Nullable(Time),
  sectors: Type.Array(MeasureSector, { maxItems: 16 }),
  actions: Type.Array(MeasureAction, { maxItems: 200 }),
  declaredBy: DeclaredBy,
  /** episodes (common/episodes ids) the measure answers */
  episodeIds: Type.Array(Id, { maxItems: 64 }),
  /** warning lifecycles (records/ warning_events ids of their `issued` event) */
  warningIds: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 64 }),
  /** warning lifecycles of the live server it answers (optional, added in v 1) */
  warnings: Type.Optional(Type.Array(WarningRef, { maxItems: 64 })),
  note: Nullable(Type.String({ maxLength: 4000 })),
}, { additionalProperties: false });
export type Measure = Static<typeof Measure>;

/** Cross-field rules of a measure the schema cannot express; [] when it is sound. */
export function checkMeasure(m: Measure): string[] {
  const out: string[] = [];
  if (m.kind === 'warning-response' && m.level === undefined) out.push('a warning response needs its level');
  if (m.kind !== 'warning-response' && m.level !== undefined) out.push('only a warning response has a level');
  if (m.end !== null && m.end <= m.start) out.push('end must be after start');
  for (const a of m.actions) if (!m.sectors.includes(a.sector)) out.push(`action ${a.code} is in sector ${a.sector}, not among the measure's sectors`);
  return out;
}
