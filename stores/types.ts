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

export interface ReadingQuery {
  stations?: readonly string[];
  interval?: Interval;
  source?: Source;
  /** inclusive, UTC epoch ms (interval end) */
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
  /** True when the store answers; never throws. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
