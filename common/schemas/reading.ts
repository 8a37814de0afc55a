/**
 * Message schemas for readings: one schema per message, versioned (`v: 1`), validated at every
 * edge. TypeBox gives JSON Schema (for Fastify/OpenAPI) and static types from one definition,
 * and its compiled checker is fast enough for the ingest hot path.
 */
import { Type, type Static } from '@sinclair/typebox';

export const Interval = Type.Union(
  [Type.Literal('rt'), Type.Literal('min'), Type.Literal('hour'), Type.Literal('day')],
  { description: 'Averaging interval: real-time, minute, hour or day' },
);
export type Interval = Static<typeof Interval>;

export const INTERVAL_MS: Readonly<Record<Interval, number>> = {
  rt: 0,
  min: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** HJ 212-2017 data flags (Table 6): N normal, F stopped, M maintenance, S set value,
 *  D fault, C calibration, T over range, B comms error. Plus QC flags AirDesk adds. */
export const QcFlag = Type.Union([
  Type.Literal('N'), Type.Literal('F'), Type.Literal('M'), Type.Literal('S'), Type.Literal('D'),
  Type.Literal('C'), Type.Literal('T'), Type.Literal('B'),
  // AirDesk QC: out of plausible range, suspect ceiling value, flat line, spike.
  Type.Literal('range'), Type.Literal('ceiling'), Type.Literal('flat'), Type.Literal('spike'),
]);
export type QcFlag = Static<typeof QcFlag>;

const Num = Type.Number();
// additionalProperties: false on every Record: TypeBox checks a Record's values only for keys
// matching its key pattern (/^(.*)$/, no line breaks); other keys would pass unchecked.
const Values = Type.Record(Type.String({ maxLength: 32 }), Type.Union([Num, Type.Null()]), {
  description: 'quantity -> value; keys like "PM2.5", "pm25", "O3", "CO"',
  additionalProperties: false,
});

/** Station reading as published by a station or the simulator on aq/v1/stations/{id}/readings. */
export const StationReadingMsg = Type.Object(
  {
    v: Type.Literal(1),
    station: Type.String({ minLength: 1, maxLength: 64 }),
    time: Type.String({ format: 'date-time', description: 'ISO 8601 with offset; END of the interval' }),
    interval: Interval,
    values: Values,
    units: Type.Optional(Type.Record(Type.String({ maxLength: 32 }), Type.String({ maxLength: 16 }), { additionalProperties: false })),
    flags: Type.Optional(Type.Record(Type.String({ maxLength: 32 }), Type.String({ maxLength: 8 }), { additionalProperties: false })),
    met: Type.Optional(Values),
  },
  { additionalProperties: false },
);
export type StationReadingMsg = Static<typeof StationReadingMsg>;

/** VOC analyzer cycle on aq/v1/voc/{analyzer}/cycles. */
export const VocCycleMsg = Type.Object(
  {
    v: Type.Literal(1),
    analyzer: Type.String({ minLength: 1, maxLength: 64 }),
    station: Type.String({ minLength: 1, maxLength: 64 }),
    time: Type.String({ format: 'date-time', description: 'END of the sampling cycle' }),
    unit: Type.Union([Type.Literal('ppbv'), Type.Literal('ppbC'), Type.Literal('ugm3')]),
    species: Type.Record(Type.String({ maxLength: 64 }), Type.Union([Num, Type.Null()]), { additionalProperties: false }),
    flags: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.String({ maxLength: 8 }), { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type VocCycleMsg = Static<typeof VocCycleMsg>;

/** Retained station status, also the MQTT last will ("offline"). */
export const StationStatusMsg = Type.Object(
  {
    v: Type.Literal(1),
    station: Type.String({ minLength: 1, maxLength: 64 }),
    state: Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('maintenance')]),
    time: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type StationStatusMsg = Static<typeof StationStatusMsg>;

export const Source = Type.Union([Type.Literal('live'), Type.Literal('import'), Type.Literal('sim')]);
export type Source = Static<typeof Source>;

/**
 * A reading after validation and normalisation: canonical keys (common/pollutants.ts), canonical
 * units (ug/m3; CO mg/m3; gases at 298.15 K, 1013.25 hPa per GB 3095-2026), UTC epoch ms of the
 * interval END. Flags are kept per quantity; a flagged value is stored, not dropped.
 * This is also the payload (in batches) of the internal accepted-readings topic.
 */
export const Reading = Type.Object({
  station: Type.String(),
  time: Type.Integer({ description: 'UTC epoch ms, end of interval' }),
  interval: Interval,
  source: Source,
  values: Type.Record(Type.String(), Type.Union([Num, Type.Null()])),
  flags: Type.Record(Type.String(), Type.Array(Type.String())),
});
export type Reading = Static<typeof Reading>;

/** A VOC cycle after normalisation: species keyed by canonical species id, in ppbv. */
export const VocCycle = Type.Object({
  analyzer: Type.String(),
  station: Type.String(),
  time: Type.Integer(),
  source: Source,
  species: Type.Record(Type.String(), Type.Union([Num, Type.Null()])),
  flags: Type.Record(Type.String(), Type.Array(Type.String())),
});
export type VocCycle = Static<typeof VocCycle>;

/** Batch on the internal accepted-readings topic. */
export const AcceptedBatch = Type.Object({
  v: Type.Literal(1),
  readings: Type.Array(Reading),
});
export type AcceptedBatch = Static<typeof AcceptedBatch>;

/** A rejected message, kept with its reason. */
export interface DeadLetter {
  topic: string;
  raw: Uint8Array;
  reason: string; // machine code, e.g. 'json.invalid', 'value.negative'
  detail: string; // one line for people
  time: number; // when it was rejected (epoch ms)
}
