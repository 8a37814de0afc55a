/**
 * REST contract of the AirDesk server: query strings, bodies and responses, shared by the server
 * (Fastify validates with them and serves them as OpenAPI at /docs) and the client (which checks
 * what it receives). One schema per shape, written once. Times are UTC epoch ms (hour END, as
 * stored); days are Beijing calendar days 'YYYY-MM-DD' (HJ 663: hours labelled 01..24).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Reading, VocCycle } from './reading.ts';
import { Station } from './station.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\s/]+$' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: "Beijing day 'YYYY-MM-DD'" });
/** Time in a query: epoch ms or an ISO 8601 date-time (with offset; without one it means UTC). */
const TimeParam = Type.String({
  minLength: 1, maxLength: 40,
  description: 'UTC epoch ms or ISO 8601 (e.g. 2026-07-01T08:00+08:00)',
});

// ---------------------------------------------------------------------------------------------
// Errors

/** Every error response: a stable machine code (see server/errors.ts for the table) and a message
 *  for people. 5xx messages are generic; the detail stays in the server log. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'e.g. AIRDESK_BAD_QUERY' }),
      message: Type.String(),
      statusCode: Type.Integer(),
    }),
  },
);
export type ErrorBody = Static<typeof ErrorBody>;

// ---------------------------------------------------------------------------------------------
// Health

export const Health = Type.Object({ status: Type.Literal('ok'), uptimeS: Type.Number() });
export type Health = Static<typeof Health>;

export const Ready = Type.Object({
  ready: Type.Boolean(),
  checks: Type.Object({
    store: Type.Boolean({ description: 'the time-series store answers' }),
    mqtt: Type.Boolean({ description: 'subscribed to the internal readings topic (true when no broker is configured)' }),
    rebuilt: Type.Boolean({ description: 'state rebuilt from the store after start' }),
  }),
});
export type Ready = Static<typeof Ready>;

// ---------------------------------------------------------------------------------------------
// AQI values

/** One AQI value (hourly or daily) of a station or a city under one rule set. */
export const AqiValue = Type.Object({
  rule: Type.String({ description: 'rule set, e.g. hj633-2026' }),
  aqi: Nullable(Type.Integer()),
  /** HJ 633-2026 5.3: 'NA' when a pollutant is missing and the AQI is <= 100. */
  published: Type.Union([Type.Integer(), Type.Literal('NA')]),
  level: Nullable(Type.Integer({ minimum: 1, maximum: 6 })),
  primary: Type.Array(Type.String()),
  iaqi: Type.Record(Type.String(), Nullable(Type.Integer())),
});
export type AqiValue = Static<typeof AqiValue>;

export const Scope = Type.Union([Type.Literal('station'), Type.Literal('city')]);
export type Scope = Static<typeof Scope>;

/** Concentrations of one hour of a station or a city: 1-h means and the moving means the rule sets
 *  use (o3_8h, pm25_24h, pm10_24h), null when missing or invalid (HJ 663 validity). */
export const HourPoint = Type.Object({
  time: Type.Integer({ description: 'hour end, UTC epoch ms' }),
  values: Type.Record(Type.String(), Nullable(Type.Number())),
  /** City values: how many stations each pollutant's mean rests on. Station values: absent. */
  n: Type.Optional(Type.Record(Type.String(), Type.Integer())),
  /** 'hour' when a station sent an hourly value, 'derived' when it is the mean of sub-hourly ones. */
  basis: Type.Optional(Type.Union([Type.Literal('hour'), Type.Literal('derived'), Type.Literal('city')])),
  aqi: Type.Optional(AqiValue),
});
export type HourPoint = Static<typeof HourPoint>;

/** Daily statistics of one Beijing day (HJ 663): 24-h means (>= 20 valid hours), O3 max 1-h, MDA8
 *  (17 windows ending 08..24, >= 6 hours each, >= 14 windows), and the daily AQI. */
export const DayPoint = Type.Object({
  day: Day,
  values: Type.Record(Type.String(), Nullable(Type.Number())),
  hours: Type.Integer({ description: 'hours with any value in the day' }),
  complete: Type.Boolean({ description: 'the day has ended (its hour 24 has passed)' }),
  n: Type.Optional(Type.Record(Type.String(), Type.Integer())),
  aqi: Type.Optional(AqiValue),
  /** The day in progress: its statistics over the hours so far (means with >= 6 hours, the MDA8 of
   *  the 8-h windows complete so far), "on track" values, not the day's final statistics. */
  partial: Type.Optional(Type.Object({
    values: Type.Record(Type.String(), Nullable(Type.Number())),
    aqi: AqiValue,
  }, { description: 'present only while complete = false' })),
});
export type DayPoint = Static<typeof DayPoint>;

// ---------------------------------------------------------------------------------------------
// Stations and latest readings

export const StationView = Type.Composite([
  Station,
  Type.Object({
    lastSeen: Nullable(Type.Integer({ description: 'arrival time of the last reading (epoch ms)' })),
    lastTime: Nullable(Type.Integer({ description: 'data time of the last reading (epoch ms)' })),
    stale: Type.Boolean({ description: 'no data for the configured stale minutes' }),
  }),
]);
export type StationView = Static<typeof StationView>;

export const StationsQuery = Type.Object(
  { city: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), kind: Type.Optional(Station.properties.kind) },
  { additionalProperties: false },
);
export type StationsQuery = Static<typeof StationsQuery>;
export const StationsResponse = Type.Object({ stations: Type.Array(StationView) });
export type StationsResponse = Static<typeof StationsResponse>;

export const LatestQuery = Type.Object(
  {
    city: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    station: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type LatestQuery = Static<typeof LatestQuery>;

/** Latest state of one station: its last raw reading and its last completed hour with AQI. */
export const LatestStation = Type.Object({
  station: Type.String(),
  city: Nullable(Type.String()),
  stale: Type.Boolean(),
  lastSeen: Nullable(Type.Integer()),
  reading: Nullable(Reading),
  hour: Nullable(HourPoint),
});
export type LatestStation = Static<typeof LatestStation>;

/** Latest completed hour of one city (mean of its national stations). */
export const LatestCity = Type.Object({
  city: Type.String(),
  stations: Type.Integer({ description: 'national stations registered in the city' }),
  fresh: Type.Integer({ description: 'of which not stale' }),
  hour: Nullable(HourPoint),
});
export type LatestCity = Static<typeof LatestCity>;

export const LatestResponse = Type.Object({
  now: Type.Integer(),
  stations: Type.Array(LatestStation),
  cities: Type.Array(LatestCity),
});
export type LatestResponse = Static<typeof LatestResponse>;

// ---------------------------------------------------------------------------------------------
// Series and AQI

export const SeriesQuery = Type.Object(
  {
    station: Type.Optional(Id),
    city: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    from: TimeParam,
    to: TimeParam,
    rule: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'rule set; default by date' })),
  },
  { additionalProperties: false },
);
export type SeriesQuery = Static<typeof SeriesQuery>;

export const HourlySeriesResponse = Type.Object({
  scope: Scope,
  id: Type.String(),
  from: Type.Integer(),
  to: Type.Integer(),
  points: Type.Array(HourPoint),
});
export type HourlySeriesResponse = Static<typeof HourlySeriesResponse>;

export const DailySeriesResponse = Type.Object({
  scope: Scope,
  id: Type.String(),
  from: Type.Integer(),
  to: Type.Integer(),
  points: Type.Array(DayPoint),
});
export type DailySeriesResponse = Static<typeof DailySeriesResponse>;

export const AqiQuery = Type.Composite([
  Type.Omit(SeriesQuery, ['rule']),
  Type.Object({
    period: Type.Union([Type.Literal('hour'), Type.Literal('day')], { default: 'hour' }),
    rule: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  }),
], { additionalProperties: false });
export type AqiQuery = Static<typeof AqiQuery>;

export const AqiPoint = Type.Object({
  time: Type.Optional(Type.Integer()),
  day: Type.Optional(Day),
  aqi: AqiValue,
  n: Type.Optional(Type.Record(Type.String(), Type.Integer())),
});
export type AqiPoint = Static<typeof AqiPoint>;

export const AqiResponse = Type.Object({
  scope: Scope,
  id: Type.String(),
  period: Type.Union([Type.Literal('hour'), Type.Literal('day')]),
  points: Type.Array(AqiPoint),
});
export type AqiResponse = Static<typeof AqiResponse>;

// ---------------------------------------------------------------------------------------------
// Episodes

export const EpisodeStatus = Type.Union([Type.Literal('open'), Type.Literal('closed')]);

/** One measure of a heavy-pollution process (common/episodes/types.ts Facet). */
export const EpisodeFacet = Type.Object({
  basis: Type.Union([Type.Literal('calendar-day'), Type.Literal('rolling-24h')]),
  start: Type.String({ description: "day 'YYYY-MM-DD' (calendar) or Beijing hour 'YYYY-MM-DDTHH' (rolling)" }),
  end: Type.String(),
  startTime: Type.Integer(),
  endTime: Type.Integer(),
  durationHours: Type.Integer(),
  hoursOver: Type.Integer(),
  daysOver: Type.Integer(),
  peak: Type.Object({ at: Type.String(), value: Type.Number(), time: Nullable(Type.Integer()) }),
});
export type EpisodeFacet = Static<typeof EpisodeFacet>;

/** A one-hour jump (浓度突升, REF 4.2): an alert on a city or station, attached to an episode. */
export const AlertSummary = Type.Object({
  id: Type.String(),
  kind: Type.Literal('jump'),
  scope: Type.Union([Type.Literal('city'), Type.Literal('station')]),
  city: Type.String(),
  station: Nullable(Type.String()),
  quantity: Type.String(),
  time: Type.Integer({ description: 'hour end of the first jump hour, UTC ms' }),
  at: Type.String({ description: "Beijing hour label 'YYYY-MM-DDTHH'" }),
  hours: Type.Integer(),
  rise: Type.Number({ description: 'largest 1-h rise, ug/m3' }),
  from: Type.Number(),
  to: Type.Number(),
  episodeId: Nullable(Type.String()),
});
export type AlertSummary = Static<typeof AlertSummary>;

/** An episode as the server shows it, from the episode engine (common/episodes/types.ts Episode):
 *  kind o3 | heavy | combined (one episode per event: a heavy process carries its calendar-day and
 *  rolling 24-h measures as `facets`; one-hour jumps are `alerts`); state forming | active | ending |
 *  closed; level light | moderate | heavy | severe | combined. Ids are stable across restarts. */
export const EpisodeSummary = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  scope: Type.String({ description: 'city | region | station' }),
  city: Type.String(),
  members: Type.Array(Type.String()),
  state: Type.String(),
  status: EpisodeStatus,
  level: Type.String(),
  start: Type.Integer({ description: 'UTC ms (start of the first day or hour)' }),
  end: Nullable(Type.Integer({ description: 'UTC ms; null while open' })),
  startLabel: Type.String({ description: "Beijing day 'YYYY-MM-DD' or hour 'YYYY-MM-DDTHH'" }),
  endLabel: Type.String(),
  peak: Type.Object({
    at: Type.String(), value: Type.Number(), metric: Type.String(),
    code: Type.Optional(Type.String({ description: 'aqi | mda8 | pm25 | rolling_aqi | cities (render this, not `metric`)' })),
    hourTime: Nullable(Type.Integer()), hourValue: Nullable(Type.Number()),
  }),
  daysOver: Type.Integer(),
  hours: Type.Integer(),
  driving: Nullable(Type.String()),
  provisional: Type.Boolean(),
  lastUpdate: Type.Integer({ description: 'latest data hour the episode was judged on' }),
  facets: Type.Optional(Nullable(Type.Object({ calendar: Nullable(EpisodeFacet), rolling: Nullable(EpisodeFacet) }))),
  alerts: Type.Optional(Type.Array(Type.String(), { description: 'ids of the one-hour-jump alerts in the episode' })),
});
export type EpisodeSummary = Static<typeof EpisodeSummary>;

export const EpisodeEventType = Type.Union([
  Type.Literal('opened'), Type.Literal('escalated'), Type.Literal('peaked'), Type.Literal('closed'), Type.Literal('updated'),
]);
export type EpisodeEventType = Static<typeof EpisodeEventType>;

/** One lifecycle event of an episode, as pushed live and kept in its timeline. `key` is unique
 *  and stable: a restart never sends a key again. 'updated' covers a withdrawal (late data no
 *  longer supports the episode: detail.withdrawn = true) and changes without a lifecycle step.
 *  Render from `code` + `params` (zh/en in the client); `detail` is the same in machine form.
 *  In an episode's detail the log is re-derived from its current data: `revised` = the values
 *  changed since the entry was pushed (`was` = the pushed ones), `withdrawn` = the data no longer
 *  support it (e.g. an escalation whose day was corrected below the level). */
export const LogParams = Type.Object({
  level: Type.Optional(Type.String()),
  value: Type.Optional(Type.Number()),
  metric: Type.Optional(Type.String({ description: 'aqi (daily AQI) | mda8 (ug/m3) | pm25 (daily mean ug/m3)' })),
  day: Type.Optional(Type.String({ description: "Beijing day 'YYYY-MM-DD' the value belongs to" })),
  time: Type.Optional(Type.Integer({ description: 'UTC ms of the data hour (hour end) the entry refers to' })),
  start: Type.Optional(Type.String()),
  end: Type.Optional(Type.String()),
  daysOver: Type.Optional(Type.Integer()),
});
export type LogParams = Static<typeof LogParams>;

export const TimelineEntry = Type.Object({
  key: Type.String(),
  type: EpisodeEventType,
  time: Type.Integer({ description: 'latest data hour when it fired' }),
  level: Type.String(),
  state: Type.String(),
  detail: Type.String({ description: 'machine form of code + params (not a sentence)' }),
  withdrawn: Type.Optional(Type.Boolean()),
  code: Type.Optional(Type.String({ description: 'episode.opened | episode.escalated | episode.peaked | episode.closed | episode.withdrawn | episode.updated' })),
  params: Type.Optional(LogParams),
  revised: Type.Optional(Type.Boolean()),
  was: Type.Optional(LogParams),
});
export type TimelineEntry = Static<typeof TimelineEntry>;

export const EpisodeDetail = Type.Composite([
  EpisodeSummary,
  Type.Object({
    timeline: Type.Array(TimelineEntry),
    days: Type.Array(Type.Unknown(), { description: 'EpisodeDay[]: per-day value, AQI, primary, PM2.5, MDA8' }),
    hourly: Type.Array(Type.Object({
      time: Type.Integer(), values: Type.Record(Type.String(), Type.Number()), rollingAqi: Nullable(Type.Number()),
    })),
    classification: Type.Array(Type.Unknown(), { description: 'ClassLabel[] with indicators (evidence)' }),
    warning: Type.Unknown({ description: 'recommendation per scheme when the episode was judged' }),
    primary: Type.Record(Type.String(), Type.Number()),
    alertList: Type.Optional(Type.Array(AlertSummary, { description: 'the alerts listed by id in `alerts`' })),
    chart: Type.Optional(Nullable(Type.Object({
      metric: Type.Union([Type.Literal('o3_8h'), Type.Literal('rolling_aqi')]),
      unit: Type.String(),
      thresholds: Type.Array(Type.Object({ value: Type.Number(), code: Type.String({ description: 'o3.exceed | o3.moderate | o3.heavy | aqi.heavy | aqi.severe' }) })),
      city: Type.Array(Type.Object({ time: Type.Integer(), value: Nullable(Type.Number()) })),
      stations: Type.Record(Type.String(), Type.Array(Type.Object({ time: Type.Integer(), value: Nullable(Type.Number()) }))),
      daily: Type.Array(Type.Object({ day: Type.String(), metric: Type.String(), value: Nullable(Type.Number()), provisional: Type.Boolean() })),
    }, { description: "the episode in its own measure: O3 -> O3-8h (city, stations) vs 160/215/265 and each day's MDA8; heavy -> rolling 24-h AQI vs 200/300 and each day's AQI" }))),
  }),
]);
export type EpisodeDetail = Static<typeof EpisodeDetail>;

export const EpisodesQuery = Type.Object(
  {
    kind: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    city: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    status: Type.Optional(EpisodeStatus),
    from: Type.Optional(TimeParam),
    to: Type.Optional(TimeParam),
  },
  { additionalProperties: false },
);
export type EpisodesQuery = Static<typeof EpisodesQuery>;
export const EpisodesResponse = Type.Object({
  episodes: Type.Array(EpisodeSummary),
  alerts: Type.Optional(Type.Array(AlertSummary, { description: 'one-hour-jump alerts of the same filter (city, time)' })),
});
export type EpisodesResponse = Static<typeof EpisodesResponse>;
export const EpisodeParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 160 }) });
export type EpisodeParams = Static<typeof EpisodeParams>;

/** The forecaster's "will today exceed?" for O3, per city (REF 2.3, 4.1): the city O3 8-h moving
 *  mean at the latest hour, today's MDA8 so far (windows complete so far; it can only grow) and
 *  whether that is already over 160 (GB 3095 Grade II; HJ 633 O3 8-h IAQI 100). */
export const TodayO3 = Type.Object({
  city: Type.String(),
  day: Type.String({ description: "Beijing day 'YYYY-MM-DD' in progress" }),
  time: Nullable(Type.Integer({ description: 'latest city hour (hour end, UTC ms)' })),
  o3_8h: Nullable(Type.Number({ description: 'city O3 8-h moving mean ending at `time`, ug/m3 (>= 6 of 8 hours)' })),
  mda8SoFar: Nullable(Type.Number({ description: "max of today's 8-h windows ending 08..24 complete so far" })),
  windows: Type.Integer({ description: 'valid 8-h windows so far (of 17)' }),
  threshold: Type.Number({ description: '160 ug/m3' }),
  levels: Type.Object({ moderate: Type.Number(), heavy: Type.Number() }, { description: '215 / 265 ug/m3' }),
  onTrack: Type.Boolean({ description: 'mda8SoFar > threshold: today is an O3 exceedance day unless data go missing' }),
  complete: Type.Boolean(),
});
export type TodayO3 = Static<typeof TodayO3>;
export const TodayQuery = Type.Object({ city: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }, { additionalProperties: false });
export const TodayResponse = Type.Object({ today: Type.Array(TodayO3) });

// ---------------------------------------------------------------------------------------------
// Warnings and forecasts

export const WarningScheme = Type.Union([Type.Literal('2018'), Type.Literal('2024')]);
export type WarningScheme = Static<typeof WarningScheme>;

/** A rule reference: id + parameters (render the text in zh/en from them). Ids: the scheme rules
 *  ('2018-blue' ... '2024-red'), 'lift-forecast-below' (the lift rule), 'manual' (a person's choice). */
export const WarningRuleRef = Type.Object({ id: Type.String(), params: Type.Record(Type.String(), Type.Unknown()) });

export const WarningStep = Type.Object({
  step: Type.Union([Type.Literal('recommended'), Type.Literal('recommendation-cleared'), Type.Literal('issued'), Type.Literal('changed'), Type.Literal('lifted')]),
  at: Type.Integer(),
  level: Type.String({ description: 'none | blue | yellow | orange | red' }),
  rule: Nullable(WarningRuleRef),
  by: Type.String({ description: "'system' or the person who acted" }),
  note: Type.Optional(Type.String()),
});
export type WarningStep = Static<typeof WarningStep>;

/** Heavy-pollution warning of a city under one scheme (REFERENCE.md 3.1, 3.2): ONE state per city
 *  and scheme, read by every view. `level` = the level the system RECOMMENDS from the forecast days
 *  and today's rolling 24 h (null = none); `inForce` = the warning a person issued (the only one to
 *  show as in force); `status` says which applies. `history` = every step with time, rule and who. */
export const WarningState = Type.Object({
  city: Type.String(),
  scheme: WarningScheme,
  level: Nullable(Type.String({ description: 'recommended level: blue | yellow | orange | red' })),
  since: Nullable(Type.Integer()),
  reason: Type.String({ description: "rule id of the recommendation ('none' when none); render from recommended.rule" }),
  driver: Nullable(Type.String({ description: 'driving pollutant, e.g. pm25, o3, dust' })),
  basis: Type.Unknown({ description: 'series and rule the recommendation rests on' }),
  updated: Type.Integer(),
  status: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('recommended'), Type.Literal('in-force')])),
  recommended: Type.Optional(Nullable(Type.Object({
    level: Type.String(), rule: WarningRuleRef, since: Type.Integer(), from: Type.String(), to: Type.String(),
    leadHours: Type.Integer({ description: 'hours from now to the start of the first day of the process (0 = begun)' }),
    driving: Nullable(Type.String()),
  }))),
  inForce: Type.Optional(Nullable(Type.Object({
    level: Type.String(), issuedAt: Type.Integer(), issuedBy: Type.String(), changedAt: Type.Integer(), rule: Nullable(WarningRuleRef),
  }))),
  liftDue: Type.Optional(Type.Boolean({ description: 'manual lift mode: the forecast no longer meets the level in force' })),
  history: Type.Optional(Type.Array(WarningStep)),
});
export type WarningState = Static<typeof WarningState>;

export const WarningsQuery = Type.Object(
  { city: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), scheme: Type.Optional(WarningScheme) },
  { additionalProperties: false },
);
export type WarningsQuery = Static<typeof WarningsQuery>;
export const WarningsResponse = Type.Object({ warnings: Type.Array(WarningState) });

/** A person's warning action: issue (a level), change (to a level), lift. */
export const WarningActionIn = Type.Object(
  {
    city: Type.String({ minLength: 1, maxLength: 64 }),
    scheme: WarningScheme,
    action: Type.Union([Type.Literal('issue'), Type.Literal('change'), Type.Literal('lift')]),
    level: Type.Optional(Type.Union([Type.Literal('blue'), Type.Literal('yellow'), Type.Literal('orange'), Type.Literal('red')])),
    by: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'ignored: the signed-in identity acts (kept so older clients still validate)' })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type WarningActionIn = Static<typeof WarningActionIn>;
export const WarningActionAccepted = Type.Object({ warning: WarningState });
export type WarningsResponse = Static<typeof WarningsResponse>;

/** A forecast of daily AQI for a city, posted by forecasters (REFERENCE.md 6.2). */
export const ForecastDay = Type.Object(
  {
    day: Day,
    aqi: Type.Integer({ minimum: 0, maximum: 500 }),
    aqiHigh: Type.Optional(Type.Integer({ minimum: 0, maximum: 500, description: 'upper end of a range forecast' })),
    primary: Type.Optional(Type.Array(Type.String({ maxLength: 16 }), { maxItems: 6 })),
  },
  { additionalProperties: false },
);
export type ForecastDay = Static<typeof ForecastDay>;

export const ForecastIn = Type.Object(
  {
    city: Type.String({ minLength: 1, maxLength: 64 }),
    issued: Type.Optional(Type.Integer({ description: 'epoch ms; default now' })),
    source: Type.Optional(Type.String({ maxLength: 64 })),
    days: Type.Array(ForecastDay, { minItems: 1, maxItems: 15 }),
  },
  { additionalProperties: false },
);
export type ForecastIn = Static<typeof ForecastIn>;

export const Forecast = Type.Composite([
  Type.Omit(ForecastIn, ['issued']),
  Type.Object({ id: Type.String(), issued: Type.Integer() }),
]);
export type Forecast = Static<typeof Forecast>;

export const ForecastAccepted = Type.Object({ forecast: Forecast, warnings: Type.Array(WarningState) });
export type ForecastAccepted = Static<typeof ForecastAccepted>;
export const ForecastsQuery = Type.Object(
  { city: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false },
);
export const ForecastsResponse = Type.Object({ forecasts: Type.Array(Forecast) });
export type ForecastsResponse = Static<typeof ForecastsResponse>;

// ---------------------------------------------------------------------------------------------
// Dead letters

export const DeadLetterSummary = Type.Object({
  available: Type.Boolean({ description: 'false when no dead-letter store is wired to this server' }),
  total: Type.Integer(),
  byReason: Type.Array(Type.Object({
    reason: Type.String(),
    count: Type.Integer(),
    last: Nullable(Type.Integer()),
    example: Type.Optional(Type.String()),
  })),
});
export type DeadLetterSummary = Static<typeof DeadLetterSummary>;

// ---------------------------------------------------------------------------------------------
// VOC (latest cycles; the VOC analytics routes live in server/routes/voc.ts)

export const VocLatestResponse = Type.Object({ cycles: Type.Array(VocCycle) });
export type VocLatestResponse = Static<typeof VocLatestResponse>;
