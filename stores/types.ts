/**
 * The time-series store contract. Two adapters implement it: InfluxDB 1.x (stores/influx.ts) and
 * the embedded SQLite store (stores/sqlite.ts); one contract suite (tests/stores/contract.test.ts)
 * runs against both. Shared by the gateway (writes) and the server (reads); apps never import
 * each other, so adapters live here rather than in either app.
 *
 * Identity of a stored reading: (station, interval, source, time). Writing the same identity again
 * replaces it with identical content, so replays and re-imports are idempotent; values from another
 * source are a different identity and are never overwritten.
 */
import type { Interval, Reading, Source, VocCycle } from '../common/schemas/reading.ts';
import type { Quantity } from '../common/pollutants.ts';

export interface ReadingQuery {
  stations?: readonly string[];
  interval?: Interval;
  source?: Source;
  /** inclusive, UTC epoch ms (interval end) */
  from: number;
  /** exclusive */
  to: number;
}

/**
 * A station-hour as the server's live engine resolved it (server/live/hours.ts): the final hourly
 * values of every quantity that has one (an 'hour' reading wins pollutant by pollutant, else the
 * valid sub-hourly mean) and how they were obtained. Derived data the server writes so that its
 * start-up rebuild reads stations x hours, not every raw reading (server/services/rebuild.ts).
 * Identity: (station, time); writing it again replaces it whole (a quantity absent from the new
 * values is gone, in both adapters).
 */
export interface StationHourRecord {
  station: string;
  /** hour END, UTC epoch ms, a whole hour */
  time: number;
  basis: 'hour' | 'derived';
  /** canonical quantity keys (common/pollutants.ts QUANTITIES) -> finite number */
  values: Partial<Record<Quantity, number>>;
}

export interface StationHourQuery {
  stations?: readonly string[];
  /** inclusive, hour end */
  from: number;
  /** exclusive */
  to: number;
}

export interface VocQuery {
  analyzer?: string;
  station?: string;
  from: number;
  to: number;
}

/**
 * Readings already in the store's own text form, `count` lines joined by "\n", made by a pure
 * `encodeReadings(readings)` that the store's module exports (it validates as writeReadings does).
 * Why: the gateway's store thread would otherwise read every reading back from the spool and parse
 * its JSON again, ~9 µs a reading (bench/peer); the ingest thread, which holds the objects, encodes
 * them in ~3 µs and hands the text over.
 */
export interface EncodedReadings {
  count: number;
  text: string;
}

/** A store module's pure encoder (stores/influx.ts `encodeReadings`). */
export type ReadingsEncoder = (readings: readonly Reading[]) => string;

export interface TimeSeriesStore {
  readonly kind: 'influx' | 'sqlite';
  init(): Promise<void>;
  /** Durable when the promise resolves. Idempotent (see above). */
  writeReadings(readings: readonly Reading[]): Promise<void>;
  /** Optional, for stores that write text (InfluxDB line protocol): write readings that were
   *  already encoded with the store's `encodeReadings` (see EncodedReadings). Same contract as
   *  writeReadings. */
  writeEncodedReadings?(chunks: readonly EncodedReadings[]): Promise<void>;
  writeVocCycles(cycles: readonly VocCycle[]): Promise<void>;
  /** Ordered by time, then station. */
  queryReadings(q: ReadingQuery): Promise<Reading[]>;
  queryVocCycles(q: VocQuery): Promise<VocCycle[]>;
  /** Number of stored readings per station (for exact-count checks). */
  countReadings(q: ReadingQuery): Promise<Record<string, number>>;
  /** The latest reading of every station in [from, to) (one per station: the latest time, and of
   *  readings at that time the last in queryReadings order). Cost: a seek per series, not a scan. */
  latestReadings(q: { from: number; to: number; stations?: readonly string[] }): Promise<Reading[]>;
  /** Station-hour aggregates (StationHourRecord), replacing any with the same identity; then the
   *  `sealed` hour ends, marking hours whose aggregates are complete (written after the records,
   *  so a seal never precedes its hour's aggregates). Validated whole first (STORE_INVALID_INPUT). */
  writeStationHours(hours: readonly StationHourRecord[], sealed?: readonly number[]): Promise<void>;
  /** Ordered by time, then station. A stored row that is not a valid record: STORE_QUERY_FAILED. */
  queryStationHours(q: StationHourQuery): Promise<StationHourRecord[]>;
  /** Sealed hour ends in [from, to), ascending. */
  querySealedHours(q: { from: number; to: number }): Promise<number[]>;
  /** True when the store answers; never throws. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
