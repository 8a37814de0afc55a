/**
 * The forecast consultation room (会商, issue 17) on the wire: the consultation document, the
 * operations that change it, the socket.io events of a room and the REST bodies of
 * /api/consultations. The document model (who may change what, revisions, sign-off) is
 * common/consult/doc.ts; this file is only shapes.
 *
 * The model is a server-authoritative document with per-field revisions (docs/consultation.md
 * says why, not a CRDT): every field of a proposal or of the official draft has the revision it
 * was last set at; an op names the revision its author saw (`base`), so two people changing
 * different fields both land, and a change made over someone else's newer value is refused with
 * that value (the client keeps its own as a conflict for its author to re-apply or drop). Ops carry
 * a client id (`opId`) the server applies at most once, so a client that resends after a
 * reconnect never doubles a comment or reverts a field.
 *
 * Days are Beijing days 'YYYY-MM-DD'; AQI under the rule set in force on the target day.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { GuidanceDay } from './forecast.ts';
import { PRIMARY_KEYS } from '../pollutants.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: "Beijing day 'YYYY-MM-DD'" });
const Time = Type.Integer({ minimum: 0, description: 'UTC epoch ms' });
const Level = Type.Integer({ minimum: 1, maximum: 6 });
const AqiRange = Type.Tuple([Type.Integer({ minimum: 0, maximum: 500 }), Type.Integer({ minimum: 0, maximum: 500 })], { description: 'AQI range [low, high], low <= high' });
const ConcRange = Type.Tuple([Type.Number({ minimum: 0, maximum: 5000 }), Type.Number({ minimum: 0, maximum: 5000 })], { description: 'ug/m3 [low, high]' });
/** Primary pollutants (common/pollutants.ts PRIMARY_KEYS: 'o3' = O3-8h). */
export { PRIMARY_KEYS };
const Primary = Type.Array(Type.Union(PRIMARY_KEYS.map((k) => Type.Literal(k))), { maxItems: 3, uniqueItems: true });
/** Who: a user name (records/users.ts) as the audit's `who`. */
const Person = Type.String({ minLength: 1, maxLength: 64 });
const ConsultId = Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'consultation id (a positive integer)' });

/** Sub-day segments (REFERENCE 6.2: Shanghai's night 20-06, morning 06-12, afternoon 12-20). */
export const SEGMENTS = ['night', 'morning', 'afternoon'] as const;
export type Segment = (typeof SEGMENTS)[number];
export const Segment = Type.Union(SEGMENTS.map((s) => Type.Literal(s)));
export const SegmentForecast = Type.Object({ aqi: AqiRange, primary: Primary }, { additionalProperties: false });
export type SegmentForecast = Static<typeof SegmentForecast>;

/** One target day D+1..D+3 of a proposal or of the official forecast. Every field may be null
 *  (not filled in yet); a signed forecast needs aqi, levels and primary on every day. */
export const ConsultDay = Type.Object({
  target: Day,
  aqi: Nullable(AqiRange),
  /** one level or two adjacent ones ("良至轻度污染"); empty = derive from the AQI range */
  levels: Type.Array(Level, { maxItems: 2 }),
  primary: Primary,
  pm25: Nullable(ConcRange),
  o3_8h: Nullable(ConcRange),
  segments: Type.Object({
    night: Nullable(SegmentForecast),
    morning: Nullable(SegmentForecast),
    afternoon: Nullable(SegmentForecast),
  }, { additionalProperties: false }),
}, { additionalProperties: false });
export type ConsultDay = Static<typeof ConsultDay>;

/** D+4..D+7: a trend, as a level range. */
export const TrendDay = Type.Object({ target: Day, levels: Type.Array(Level, { maxItems: 2 }) }, { additionalProperties: false });
export type TrendDay = Static<typeof TrendDay>;

export const DRIVERS = ['cold_front', 'stagnation', 'subtropical_high', 'typhoon', 'dust', 'fireworks', 'other'] as const;
export type Driver = (typeof DRIVERS)[number];
/** A heavy-pollution (or O3) process the forecast expects (REFERENCE 6.2). */
export const ProcessOutlook = Type.Object({
  start: Day,
  end: Day,
  area: Type.String({ maxLength: 200 }),
  driver: Type.Union(DRIVERS.map((d) => Type.Literal(d))),
  pollutant: Type.Union([Type.Literal('pm25'), Type.Literal('o3'), Type.Literal('pm10')]),
}, { additionalProperties: false });
export type ProcessOutlook = Static<typeof ProcessOutlook>;

/** The warning the forecast recommends (2024 scheme, common/episodes warning rules), or none. */
export const WarningAdvice = Type.Object({
  level: Type.Union([Type.Literal('yellow'), Type.Literal('orange'), Type.Literal('red')]),
  /** the rule that gives it, from common/episodes (e.g. '2024:orange:pm25-3d-200') */
  rule: Type.String({ maxLength: 120 }),
}, { additionalProperties: false });
export type WarningAdvice = Static<typeof WarningAdvice>;

/** A forecast as a person proposes it (and the official draft has the same shape). */
export const ConsultForecast = Type.Object({
  days: Type.Array(ConsultDay, { minItems: 3, maxItems: 3 }),
  trend: Type.Array(TrendDay, { minItems: 4, maxItems: 4 }),
  /** regional trend and reasoning, free text (zh or en as written) */
  text: Type.String({ maxLength: 4000 }),
  process: Nullable(ProcessOutlook),
  warning: Nullable(WarningAdvice),
}, { additionalProperties: false });
export type ConsultForecast = Static<typeof ConsultForecast>;

/** Revision of every field a person has set, path -> { rev, by, at } (paths: common/consult/doc.ts). */
export const FieldRev = Type.Object({ rev: Type.Integer({ minimum: 1 }), by: Person, at: Time });
export type FieldRev = Static<typeof FieldRev>;

export const Comment = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  by: Person,
  at: Time,
  text: Type.String({ minLength: 1, maxLength: 2000 }),
  /** a reply to comment `replyTo` */
  replyTo: Nullable(Type.Integer({ minimum: 1 })),
  /** what it is about: a target day and/or a guidance source */
  ref: Nullable(Type.Object({ target: Type.Optional(Day), source: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false })),
});
export type Comment = Static<typeof Comment>;

/** One published (signed) version: the records/forecasts version it became. */
export const Publication = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  /** the records/forecasts id of the official version (0 until the record has numbered it) */
  forecastId: Type.Integer({ minimum: 0 }),
  signedBy: Person,
  signedAt: Time,
  /** why this version (required from version 2: a correction) */
  reason: Nullable(Type.String({ maxLength: 500 })),
  /** the official forecast as signed */
  forecast: ConsultForecast,
});
export type Publication = Static<typeof Publication>;

/** What each source had for this issue when the room opened (or was refreshed). */
export const GuidanceIn = Type.Object({
  source: Type.String(),
  forecastId: Type.Integer(),
  version: Type.Integer(),
  issuedAt: Time,
  days: Type.Array(GuidanceDay),
});
export type GuidanceIn = Static<typeof GuidanceIn>;

/** A source's recent record (last 30 days, per lead) for the room's score strip. */
export const SourceScore = Type.Object({
  source: Type.String(),
  lead: Type.Integer({ minimum: 1, maximum: 7 }),
  n: Type.Integer({ minimum: 0 }),
  /** share of days with the observed level within the forecast levels */
  levelHit: Nullable(Type.Number()),
  /** share of days with the observed AQI inside the forecast range */
  rangeHit: Nullable(Type.Number()),
});
export type SourceScore = Static<typeof SourceScore>;

export const ObservedDay = Type.Object({ day: Day, aqi: Nullable(Type.Integer()), level: Nullable(Level), primary: Type.Array(Type.String()) });
export type ObservedDay = Static<typeof ObservedDay>;

export const ConsultState = Type.Union([
  Type.Literal('open'), // proposals and the draft are being written
  Type.Literal('published'), // signed: locked; a correction reopens the draft
  Type.Literal('correcting'), // a lead reopened the draft for a correction (a new signed version)
]);
export type ConsultState = Static<typeof ConsultState>;

/** The room's document. `seq` counts applied ops: the n-th op made revision n. */
export const ConsultDoc = Type.Object({
  v: Type.Literal(1),
  id: Type.Integer({ minimum: 1 }),
  city: Type.String(),
  issueDay: Day,
  /** 'regular' = the daily one; 'emergency' = an extra cycle during a warning */
  kind: Type.Union([Type.Literal('regular'), Type.Literal('emergency')]),
  /** 1 for the day's regular consultation, 2.. for each extra cycle the same day */
  cycle: Type.Integer({ minimum: 1 }),
  openedAt: Time,
  openedBy: Person,
  /** publication deadline (20:00 Beijing by default; a shorter cycle in emergency mode) */
  deadline: Time,
  state: ConsultState,
  seq: Type.Integer({ minimum: 0 }),
  guidance: Type.Array(GuidanceIn),
  observed: Type.Array(ObservedDay),
  scores: Type.Array(SourceScore),
  proposals: Type.Record(Person, ConsultForecast),
  official: ConsultForecast,
  revs: Type.Record(Type.String(), FieldRev),
  thread: Type.Array(Comment),
  published: Type.Array(Publication),
  /** when the lead was reminded (19:30) and when the deadline passed unsigned, if it did */
  remindedAt: Nullable(Time),
  missedAt: Nullable(Time),
  /** emergency mode: the warning in force when it opened (why the extra cycle) */
  warning: Nullable(Type.Object({ level: Type.String(), rule: Nullable(Type.String()), since: Nullable(Time) })),
});
export type ConsultDoc = Static<typeof ConsultDoc>;

// ---------------------------------------------------------------------------------------------
// Operations (client -> server). `opId` is the client's id of the op (unique per author): an op
// whose id was applied before is answered with its first outcome and not applied again.

const OpId = Type.String({ minLength: 8, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const Path = Type.String({ minLength: 1, maxLength: 120, description: "field path, e.g. 'proposals.alice.days.0.aqi' (common/consult/doc.ts)" });

export const SetOp = Type.Object({
  kind: Type.Literal('set'), opId: OpId,
  path: Path,
  value: Type.Unknown(),
  /** revision of this field the author saw (0 = never set) */
  base: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false });
export const CommentOp = Type.Object({
  kind: Type.Literal('comment'), opId: OpId,
  text: Comment.properties.text,
  replyTo: Type.Optional(Type.Integer({ minimum: 1 })),
  ref: Type.Optional(Comment.properties.ref),
}, { additionalProperties: false });
/** The lead fills the official draft from: one participant's proposal, the mean of several, or a
 *  guidance source; every field it sets is overwritten (the lead's decision), each at a new revision. */
export const AdoptOp = Type.Object({
  kind: Type.Literal('adopt'), opId: OpId,
  from: Type.Union([
    Type.Object({ proposal: Person }, { additionalProperties: false }),
    Type.Object({ average: Type.Array(Person, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }),
    Type.Object({ guidance: Type.String({ maxLength: 64 }) }, { additionalProperties: false }),
  ]),
}, { additionalProperties: false });
/** Sign the official draft (lead): it is locked and published as the next version. */
export const SignOp = Type.Object({
  kind: Type.Literal('sign'), opId: OpId,
  /** required for a correction (version 2 and later) */
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  /** the doc revision the lead signs (refused if the draft changed since) */
  seen: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false });
/** Reopen a published forecast for a correction (lead). */
export const ReopenOp = Type.Object({
  kind: Type.Literal('reopen'), opId: OpId,
  reason: Type.String({ minLength: 1, maxLength: 500 }),
}, { additionalProperties: false });

export const ConsultOp = Type.Union([SetOp, CommentOp, AdoptOp, SignOp, ReopenOp]);
export type ConsultOp = Static<typeof ConsultOp>;

/** An op as applied: who, when, the revision it made and what it changed (before/after per path). */
export const AppliedOp = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  opId: Type.String(),
  kind: Type.String(),
  by: Person,
  at: Time,
  /** every field it set, with the value before and after */
  changes: Type.Array(Type.Object({ path: Type.String(), before: Type.Unknown(), after: Type.Unknown() })),
  /** a comment added, a publication made */
  comment: Type.Optional(Comment),
  publication: Type.Optional(Publication),
  /** why (a reopen for a correction) */
  reason: Type.Optional(Type.String({ maxLength: 500 })),
  state: ConsultState,
});
export type AppliedOp = Static<typeof AppliedOp>;

/** Why an op was refused, as a code (the client words it in zh and en). */
export const REFUSALS = ['conflict', 'forbidden', 'locked', 'invalid', 'incomplete', 'stale', 'unknown'] as const;
export type Refusal = (typeof REFUSALS)[number];

export const OpResult = Type.Union([
  Type.Object({ ok: Type.Literal(true), seq: Type.Integer(), applied: AppliedOp, duplicate: Type.Boolean() }),
  Type.Object({
    ok: Type.Literal(false),
    refusal: Type.Union(REFUSALS.map((r) => Type.Literal(r))),
    message: Type.String(),
    /** on 'conflict': the field's value and revision now */
    current: Type.Optional(Type.Object({ path: Type.String(), value: Type.Unknown(), rev: Type.Integer() })),
  }),
]);
export type OpResult = Static<typeof OpResult>;

// ---------------------------------------------------------------------------------------------
// socket.io

/** `consult:join` (client): enter a room by id; the ack carries the whole document. */
export const JoinArg = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export type JoinArg = Static<typeof JoinArg>;
/** `consult:op` (client) */
export const OpArg = Type.Object({ id: Type.Integer({ minimum: 1 }), op: ConsultOp }, { additionalProperties: false });
export type OpArg = Static<typeof OpArg>;
/** `consult:typing` (client): which field the person is in (presence), null = none. */
export const TypingArg = Type.Object({ id: Type.Integer({ minimum: 1 }), path: Nullable(Path) }, { additionalProperties: false });
export type TypingArg = Static<typeof TypingArg>;

export type JoinAck = { ok: true; doc: ConsultDoc; you: { name: string; canEdit: boolean; canSign: boolean } } | { ok: false; error: { code: string; message: string } };
export type OpAck = OpResult | { ok: false; refusal: 'unknown'; message: string };

export const Presence = Type.Object({
  id: Type.Integer(),
  people: Type.Array(Type.Object({ name: Person, roles: Type.Array(Type.String()), path: Nullable(Type.String()), since: Time })),
});
export type Presence = Static<typeof Presence>;

/** `consult:change` (server, to the room): one applied op. */
export const ChangeEvt = Type.Object({ id: Type.Integer(), op: AppliedOp });
export type ChangeEvt = Static<typeof ChangeEvt>;

/** `consult:opened` / `consult:reminder` / `consult:missed` (server, to everyone). */
export const ConsultNoticeEvt = Type.Object({
  id: Type.Integer(), city: Type.String(), issueDay: Day, kind: ConsultDoc.properties.kind, cycle: Type.Integer(),
  deadline: Time, state: ConsultState,
});
export type ConsultNoticeEvt = Static<typeof ConsultNoticeEvt>;

/** The official forecast of a city as published (latest signed version): wall, desk, API. */
export const OfficialForecast = Type.Object({
  city: Type.String(),
  issueDay: Day,
  consultation: Type.Integer(),
  version: Type.Integer({ minimum: 1 }),
  forecastId: Type.Integer(),
  signedBy: Person,
  signedAt: Time,
  reason: Nullable(Type.String()),
  days: Type.Array(Type.Object({
    target: Day, aqi: AqiRange, levels: Type.Array(Level, { minItems: 1, maxItems: 2 }), primary: Type.Array(Type.String()),
  })),
  trend: Type.Array(TrendDay),
  bulletin: Type.Object({ zh: Type.String(), en: Type.String() }),
});
export type OfficialForecast = Static<typeof OfficialForecast>;

/** `forecast:published` (server, to everyone). */
export const PublishedEvt = Type.Object({ v: Type.Literal(1), forecast: OfficialForecast });
export type PublishedEvt = Static<typeof PublishedEvt>;

// ---------------------------------------------------------------------------------------------
// REST

export const ConsultParams = Type.Object({ id: ConsultId }, { additionalProperties: false });
export type ConsultParams = Static<typeof ConsultParams>;

export const ConsultListQuery = Type.Object({
  city: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  issueDay: Type.Optional(Day),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
}, { additionalProperties: false });
export type ConsultListQuery = Static<typeof ConsultListQuery>;

export const ConsultSummary = Type.Object({
  id: Type.Integer(), city: Type.String(), issueDay: Day, kind: ConsultDoc.properties.kind, cycle: Type.Integer(),
  state: ConsultState, deadline: Time, openedAt: Time, seq: Type.Integer(), versions: Type.Integer(),
  missedAt: Nullable(Time),
});
export type ConsultSummary = Static<typeof ConsultSummary>;

export const ConsultListResponse = Type.Object({ consultations: Type.Array(ConsultSummary) });
export const ConsultDocResponse = Type.Object({ doc: ConsultDoc });

/** POST /api/consultations: open one now (the lead; an extra cycle in emergency mode). */
export const ConsultOpenIn = Type.Object({
  city: Type.String({ minLength: 1, maxLength: 64 }),
  kind: Type.Optional(ConsultDoc.properties.kind),
  /** minutes to the deadline (emergency; default AIRDESK_CONSULT_EMERGENCY_MINUTES) */
  minutes: Type.Optional(Type.Integer({ minimum: 15, maximum: 720 })),
}, { additionalProperties: false });
export type ConsultOpenIn = Static<typeof ConsultOpenIn>;

export const OfficialQuery = Type.Object({ city: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }, { additionalProperties: false });
export const OfficialResponse = Type.Object({ forecasts: Type.Array(OfficialForecast) });
export type OfficialResponse = Static<typeof OfficialResponse>;

export const BulletinResponse = Type.Object({ zh: Type.String(), en: Type.String() });
