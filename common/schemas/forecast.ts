/**
 * Guidance forecasts and their verification on the wire (issue 16): the forecast document each
 * source issues (kept as the payload of a records/forecasts version), the REST queries and answers
 * of GET /api/guidance and GET /api/verification, and the socket.io events `guidance:issued` and
 * `verification:completed`. Days are Beijing days 'YYYY-MM-DD'; AQI under the rule set in force on
 * the target day (common/standards). One schema per shape; the server validates what it sends
 * (response schemas), the client checks what it receives.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: "Beijing day 'YYYY-MM-DD'" });
const Level = Type.Integer({ minimum: 1, maximum: 6 });
const City = Type.String({ minLength: 1, maxLength: 64 });
/** Sources: the AirDesk guidance and its references (later: each external model raw and MOS). */
const Source = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_.-]*$', description: "'airdesk', 'persistence', 'climatology', ..." });

/** The sources the guidance service issues, in the order screens show them. */
export const GUIDANCE_SOURCES = ['airdesk', 'persistence', 'climatology'] as const;

/** The product note without meteorology, in both languages (common/forecast NO_MET_NOTE is the en). */
export const NO_MET_NOTE_I18N = {
  en: 'no meteorological forecast: persistence-based guidance',
  zh: '无气象预报：基于持续性的指导预报',
} as const;

/** One target day of a forecast. */
export const GuidanceDay = Type.Object({
  target: Day,
  lead: Type.Integer({ minimum: 1, maximum: 7 }),
  aqi: Type.Tuple([Type.Integer(), Type.Integer()], { description: 'AQI range [low, high]' }),
  central: Type.Integer(),
  levels: Type.Array(Level, { minItems: 1, maxItems: 2 }),
  primary: Type.Array(Type.String()),
  /** key concentrations [low, median, high] ug/m3 (CO mg/m3): pm25_24h, o3_mda8, ... */
  conc: Type.Record(Type.String(), Nullable(Type.Tuple([Type.Number(), Type.Number(), Type.Number()]))),
});
export type GuidanceDay = Static<typeof GuidanceDay>;

/** The forecast document of one source and issue (records/forecasts payload). */
export const GuidanceDoc = Type.Object({
  v: Type.Literal(1),
  kind: Type.Literal('guidance'),
  city: City,
  source: Source,
  issueDay: Day,
  issueHour: Type.Integer({ minimum: 1, maximum: 24 }),
  /** 'none' = issued without a meteorological forecast (the note says so) */
  met: Type.Union([Type.Literal('none'), Type.Literal('forecast')]),
  note: Nullable(Type.Object({ en: Type.String(), zh: Type.String() })),
  days: Type.Array(GuidanceDay),
  /** what the model was trained on (airdesk only) */
  trainedOn: Type.Optional(Type.Object({ first: Day, last: Day, days: Type.Integer() })),
});
export type GuidanceDoc = Static<typeof GuidanceDoc>;

/** A stored version of a forecast (records/forecasts ForecastRecord with a GuidanceDoc payload). */
export const GuidanceRecord = Type.Object({
  id: Type.Integer(),
  city: Type.String(),
  issueDay: Day,
  source: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  issuedAt: Type.Integer(),
  author: Nullable(Type.String()),
  payload: GuidanceDoc,
  supersedes: Nullable(Type.Integer()),
  reason: Nullable(Type.String()),
  recordedAt: Type.Integer(),
});
export type GuidanceRecord = Static<typeof GuidanceRecord>;

export const GuidanceStatus = Type.Object({
  city: Type.String(),
  state: Type.Union([Type.Literal('idle'), Type.Literal('training'), Type.Literal('failed')]),
  /** why the last run failed (e.g. too little history), null otherwise */
  message: Nullable(Type.String()),
  lastIssueDay: Nullable(Day),
});
export type GuidanceStatus = Static<typeof GuidanceStatus>;

export const GuidanceQuery = Type.Object({
  city: Type.Optional(City),
  source: Type.Optional(Source),
  issueDay: Type.Optional(Day),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  /** 'all' = every version; default 'latest', the latest version of each (issue day, source) */
  versions: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('latest')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
}, { additionalProperties: false });
export type GuidanceQuery = Static<typeof GuidanceQuery>;

export const GuidanceResponse = Type.Object({
  forecasts: Type.Array(GuidanceRecord),
  status: Type.Array(GuidanceStatus),
});
export type GuidanceResponse = Static<typeof GuidanceResponse>;

export const VerificationQuery = Type.Object({
  city: Type.Optional(City),
  source: Type.Optional(Source),
  lead: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
  /** target days from..to (default: the 30 days up to today) */
  from: Type.Optional(Day),
  to: Type.Optional(Day),
}, { additionalProperties: false });
export type VerificationQuery = Static<typeof VerificationQuery>;

/** One verified forecast/observation pair (latest verification of a target day, source, lead). */
export const VerifiedPair = Type.Object({
  source: Type.String(),
  lead: Type.Integer(),
  target: Day,
  issueDay: Day,
  forecastId: Type.Integer(),
  aqi: Type.Tuple([Type.Integer(), Type.Integer()]),
  central: Type.Integer(),
  levels: Type.Array(Level),
  primary: Type.Array(Type.String()),
  observed: Type.Object({ aqi: Nullable(Type.Integer()), level: Nullable(Level), primary: Type.Array(Type.String()) }),
  /** 1 = first verification; more when late data changed the observation */
  version: Type.Integer({ minimum: 1 }),
});
export type VerifiedPair = Static<typeof VerifiedPair>;

export const VerificationResponse = Type.Object({
  city: Type.String(),
  from: Day,
  to: Day,
  /** per source and lead: every metric of common/verification verify() with skill (docs/verification.md) */
  table: Type.Array(Type.Object({ source: Type.String(), lead: Type.Integer(), n: Type.Integer(), metrics: Type.Unknown() })),
  /** per source and lead: counts [forecast central level - 1][observed level - 1] */
  confusion: Type.Array(Type.Object({ source: Type.String(), lead: Type.Integer(), matrix: Type.Array(Type.Array(Type.Integer())) })),
  series: Type.Array(VerifiedPair),
});
export type VerificationResponse = Static<typeof VerificationResponse>;

/** socket.io `guidance:issued`: every version just added (one issue: the guidance and its references). */
export const GuidanceIssuedEvt = Type.Object({
  v: Type.Literal(1),
  city: Type.String(),
  issueDay: Day,
  forecasts: Type.Array(GuidanceRecord),
});
export type GuidanceIssuedEvt = Static<typeof GuidanceIssuedEvt>;

/** socket.io `verification:completed`: a target day verified (again, `revision`, after late data). */
export const VerificationCompletedEvt = Type.Object({
  v: Type.Literal(1),
  city: Type.String(),
  target: Day,
  revision: Type.Boolean(),
  observed: Type.Object({ aqi: Nullable(Type.Integer()), level: Nullable(Level), primary: Type.Array(Type.String()) }),
  pairs: Type.Array(VerifiedPair),
});
export type VerificationCompletedEvt = Static<typeof VerificationCompletedEvt>;
