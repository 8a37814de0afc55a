/**
 * socket.io contract between the server and the client: event names (noun:verb), payload schemas
 * and the typed event maps socket.io's generics take (`Server<ClientToServerEvents,
 * ServerToClientEvents>`, `Socket<ServerToClientEvents, ClientToServerEvents>`).
 *
 * Rooms: a socket joins city rooms with `city:join` ('*' = every city). `reading:batch` and
 * `aqi:hour` go to city rooms only; episode, warning, freshness and VOC events go to everyone.
 * On every (re)connect the server sends `state:sync` first: a client never has to replay missed
 * events, it replaces its state with the sync and applies events from then on.
 *
 * Validate at the edge: the server checks client arguments against the *Arg schemas; the client
 * should check payloads against these schemas (Value.Check) before trusting them.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Reading, VocCycle } from './reading.ts';
import type { ObmCompletedEvt, ObmProgressEvt } from './obm.ts';
import type { ChangeEvt, ConsultNoticeEvt, JoinAck, JoinArg, OpAck, OpArg, Presence, PublishedEvt, TypingArg } from './consult.ts';
import {
  AqiValue, DayPoint, EpisodeEventType, EpisodeSummary, HourPoint, LatestResponse, Scope, TimelineEntry,
  TodayO3, WarningState,
} from './api.ts';
import type { GuidanceIssuedEvt, VerificationCompletedEvt } from './forecast.ts';
import type { MeasureChangedEvt, MeasureEvaluation } from './measures.ts';

export const EVENT_NAMES = {
  readingBatch: 'reading:batch',
  aqiHour: 'aqi:hour',
  aqiDay: 'aqi:day',
  episodeOpened: 'episode:opened',
  episodeEscalated: 'episode:escalated',
  episodePeaked: 'episode:peaked',
  episodeClosed: 'episode:closed',
  episodeUpdated: 'episode:updated',
  warningChanged: 'warning:changed',
  freshness: 'freshness',
  vocCycle: 'voc:cycle',
  obmProgress: 'obm:progress',
  obmCompleted: 'obm:completed',
  stateSync: 'state:sync',
  cityJoin: 'city:join',
  cityLeave: 'city:leave',
  guidanceIssued: 'guidance:issued',
  verificationCompleted: 'verification:completed',
} as const;

/** Room name for a city ('*' = all cities). */
export const cityRoom = (city: string) => `city:${city}`;
export const ALL_CITIES = '*';

// ---------------------------------------------------------------------------------------------
// Server -> client

/** Live readings as they arrive (before the store write), batched per city room every few tens of
 *  milliseconds. `city` is null for stations not in the registry (sent to the '*' room only). */
export const ReadingBatchEvt = Type.Object({
  city: Type.Union([Type.String(), Type.Null()]),
  readings: Type.Array(Reading),
});
export type ReadingBatchEvt = Static<typeof ReadingBatchEvt>;

/** An hour of a station or a city was completed or recomputed (late data). Sent again with the same
 *  (scope, id, time) when a late reading changes it: the client replaces, never adds. */
export const AqiHourEvt = Type.Object({
  scope: Scope,
  id: Type.String({ description: 'station code or city name' }),
  city: Type.Union([Type.String(), Type.Null()]),
  point: HourPoint,
  revision: Type.Boolean({ description: 'true when it replaces a value sent before' }),
});
export type AqiHourEvt = Static<typeof AqiHourEvt>;

/** Daily statistics and daily AQI of a city (sent when an hour of the day changes them). */
export const AqiDayEvt = Type.Object({
  scope: Scope,
  id: Type.String(),
  city: Type.Union([Type.String(), Type.Null()]),
  point: DayPoint,
});
export type AqiDayEvt = Static<typeof AqiDayEvt>;

export const EpisodeEvt = Type.Object({
  type: EpisodeEventType,
  episode: EpisodeSummary,
  entry: TimelineEntry,
});
export type EpisodeEvt = Static<typeof EpisodeEvt>;

export const WarningChangedEvt = Type.Composite([
  WarningState,
  Type.Object({ previous: Type.Union([Type.String(), Type.Null()]) }),
]);
export type WarningChangedEvt = Static<typeof WarningChangedEvt>;

export const FreshnessEvt = Type.Object({
  now: Type.Integer(),
  staleMinutes: Type.Number(),
  stations: Type.Array(Type.Object({
    station: Type.String(),
    city: Type.Union([Type.String(), Type.Null()]),
    lastSeen: Type.Union([Type.Integer(), Type.Null()]),
    stale: Type.Boolean(),
  })),
  cities: Type.Array(Type.Object({ city: Type.String(), stations: Type.Integer(), fresh: Type.Integer() })),
});
export type FreshnessEvt = Static<typeof FreshnessEvt>;

export const VocCycleEvt = VocCycle;
export type VocCycleEvt = Static<typeof VocCycleEvt>;

/** Full state, sent on every (re)connect and in answer to `city:join`. */
export const StateSyncEvt = Type.Object({
  now: Type.Integer(),
  staleMinutes: Type.Number(),
  rule: Type.Object({ hourly: Type.String(), daily: Type.String(), override: Type.Boolean() }),
  latest: LatestResponse,
  cityDays: Type.Array(Type.Object({ city: Type.String(), point: DayPoint })),
  episodes: Type.Array(EpisodeSummary, { description: 'open episodes and those closed in the last days' }),
  warnings: Type.Array(WarningState),
  today: Type.Optional(Type.Array(TodayO3, { description: 'O3 "will today exceed?" per city' })),
  rooms: Type.Array(Type.String()),
});
export type StateSyncEvt = Static<typeof StateSyncEvt>;

// ---------------------------------------------------------------------------------------------
// Client -> server

export const CityArg = Type.String({ minLength: 1, maxLength: 64, description: "city name or '*'" });
export const Ack = Type.Union([
  Type.Object({ ok: Type.Literal(true), rooms: Type.Array(Type.String()) }),
  Type.Object({ ok: Type.Literal(false), error: Type.Object({ code: Type.String(), message: Type.String() }) }),
]);
export type Ack = Static<typeof Ack>;

// ---------------------------------------------------------------------------------------------
// Typed maps for socket.io generics

export interface ServerToClientEvents {
  'reading:batch': (e: ReadingBatchEvt) => void;
  'aqi:hour': (e: AqiHourEvt) => void;
  'aqi:day': (e: AqiDayEvt) => void;
  'episode:opened': (e: EpisodeEvt) => void;
  'episode:escalated': (e: EpisodeEvt) => void;
  'episode:peaked': (e: EpisodeEvt) => void;
  'episode:closed': (e: EpisodeEvt) => void;
  'episode:updated': (e: EpisodeEvt) => void;
  'warning:changed': (e: WarningChangedEvt) => void;
  freshness: (e: FreshnessEvt) => void;
  'voc:cycle': (e: VocCycleEvt) => void;
  /** Box-model runs (common/schemas/obm.ts), to everyone. */
  'obm:progress': (e: ObmProgressEvt) => void;
  'obm:completed': (e: ObmCompletedEvt) => void;
  'state:sync': (e: StateSyncEvt) => void;
  'guidance:issued': (e: GuidanceIssuedEvt) => void;
  'verification:completed': (e: VerificationCompletedEvt) => void;
  'measure:changed': (e: MeasureChangedEvt) => void;
  'measure:evaluated': (e: MeasureEvaluation) => void;
  /** Consultation rooms (common/schemas/consult.ts): to the room `consult:<id>` ... */
  'consult:change': (e: ChangeEvt) => void;
  'consult:presence': (e: Presence) => void;
  /** ... and to everyone: a room opened, the lead reminded, a deadline missed, a forecast published. */
  'consult:opened': (e: ConsultNoticeEvt) => void;
  'consult:reminder': (e: ConsultNoticeEvt) => void;
  'consult:missed': (e: ConsultNoticeEvt) => void;
  'forecast:published': (e: PublishedEvt) => void;
}

export interface ClientToServerEvents {
  /** Join a city room ('*' for all); the ack says which rooms the socket is in, or why not. */
  'city:join': (city: string, ack?: (r: Ack) => void) => void;
  'city:leave': (city: string, ack?: (r: Ack) => void) => void;
  /** Ask for a fresh `state:sync` (e.g. after the tab was hidden a long time). */
  'state:request': (ack?: (r: Ack) => void) => void;
  /** Enter a consultation room: the ack has the whole document and what you may do in it. */
  'consult:join': (a: JoinArg, ack?: (r: JoinAck) => void) => void;
  'consult:leave': (a: JoinArg, ack?: (r: { ok: boolean }) => void) => void;
  /** Change the document (common/consult/doc.ts); the ack says applied, duplicate or why not. */
  'consult:op': (a: OpArg, ack?: (r: OpAck) => void) => void;
  /** Presence: the field the person is in (null = none). */
  'consult:typing': (a: TypingArg) => void;
}

export type { AqiValue };
