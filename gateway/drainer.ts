/**
 * Spool -> store, in batches, oldest first. A batch leaves the spool only after the store's
 * write promise resolved (durable per the TimeSeriesStore contract). Store writes are idempotent
 * (same station, interval, source, time = same point), so a batch re-sent after a crash between
 * "store has it" and "spool forgot it" creates no duplicate. While the store is down, retries back
 * off to a few seconds and the backlog stays on disk; when it returns, full batches go out
 * back to back, which drains far faster than live ingest (one write of thousands of points).
 */
import type { Logger } from 'pino';
import type { EncodedReadings, TimeSeriesStore } from '../stores/types.ts';
import type { Reading, VocCycle } from '#common/schemas/reading.ts';
import { readingIsValid, validateReading } from '../stores/validate.ts';
import type { PendingBatch, Spool } from './spool.ts';

/** A reading or cycle the store refused as invalid, found by splitting its batch. */
export interface Refused {
  kind: 'reading' | 'voc';
  /** its JSON (what the spool held) */
  body: string;
  /** the store's reason */
  error: string;
}

/** The store refuses the data itself (never the same answer on a retry): split, do not retry. */
function isRefusal(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'STORE_INVALID_INPUT';
}

/** Committed readings kept in memory for the store, spool ids first..first+count-1: the objects
 *  (a drainer in the ingest thread) or their text in the store's own form (the store thread, which
 *  gets it from the ingest thread: stores/types.ts EncodedReadings). */
interface MemBatch {
  first: number;
  count: number;
  items?: readonly Reading[];
  text?: string;
}

/** What one drain step writes: objects (from the spool or memory) or encoded text (memory). */
type Take = PendingBatch<Reading> | { first: number; last: number; chunks: EncodedReadings[] };

export interface DrainerOptions {
  /** longest pause between retries while the store is down; default 5000 ms */
  maxBackoffMs?: number;
  /** readings held in memory for the store (offer/offerEncoded); default max(2 batches, 10,000) */
  memMax?: number;
  /** after each store write that moved something (the store thread reports its stats then) */
  onWrite?: () => void;
  /**
   * Wait up to this long after the last write for `fullWrite` readings to gather before writing
   * fewer; default 0 (write at once). Why: each InfluxDB write request costs the server a WAL
   * fsync and a request's overhead whatever its size. Writing every group commit as it came
   * (~900 readings) made 3.4x the requests of 5,000-point batches and cost influxd ~2 s more CPU
   * per 200k readings (bench/peer), CPU the whole machine shares.
   */
  lingerMs?: number;
  /** readings that make a full write (InfluxDB's advice: 5,000-10,000 points); default 5000 */
  fullWrite?: number;
  /**
   * Readings/cycles the store refused as invalid. Must keep them durably (dead letters) before
   * returning: the drainer then marks their spool rows done with the rest of the batch. Without
   * it refused items are only logged and counted.
   */
  onRefused?: (refused: Refused[]) => void;
}

export interface DrainerStats {
  stored: number;
  storedVoc: number;
  storeErrors: number;
  storeUp: boolean;
  lastError: string | null;
  /** readings and cycles the store refused as invalid (dead-lettered as store.refused) */
  refused: number;
}

export class Drainer {
  readonly stats: DrainerStats = { stored: 0, storedVoc: 0, storeErrors: 0, storeUp: true, lastError: null, refused: 0 };
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private kicked = false;
  private needInit = false;
  // Readings just committed, handed over in memory so the live path does not read back and
  // re-parse what it has just written. The spool stays the truth: memory is used only while it
  // lines up exactly with the oldest pending ids, else (restart, outage, memory cap) the drainer
  // reads the spool as before.
  private mem: MemBatch[] = [];
  private memCount = 0;

  private readonly maxBackoffMs: number;
  private readonly memMax: number;
  private readonly onWrite?: () => void;
  private readonly onRefused?: (refused: Refused[]) => void;
  private readonly lingerMs: number;
  private readonly fullWrite: number;
  private lastWrite = 0;
  private draining = false;

  constructor(
    private readonly spool: Spool,
    private readonly store: TimeSeriesStore,
    private readonly log: Logger,
    private readonly batch: number,
    o: DrainerOptions = {},
  ) {
    this.maxBackoffMs = o.maxBackoffMs ?? 5000;
    // Two store batches: enough to keep the store busy from memory, little enough for the heap
    // (a Reading is ~1 KB there; 200k held pushed the gateway past 600 MB RSS). Beyond it the
    // drainer reads the spool, which is where a backlog belongs.
    this.memMax = o.memMax ?? Math.max(2 * batch, 10_000);
    this.onWrite = o.onWrite;
    this.onRefused = o.onRefused;
    this.lingerMs = o.lingerMs ?? 0;
    this.fullWrite = Math.min(o.fullWrite ?? 5000, batch);
  }

  /** Readings committed to the spool with ids first..first+items.length-1. */
  offer(first: number, items: readonly Reading[]): void {
    this.hold({ first, count: items.length, items });
  }

  /** The same, already encoded by the store's `encodeReadings` (the store must have
   *  writeEncodedReadings). */
  offerEncoded(first: number, chunk: EncodedReadings): void {
    this.hold({ first, count: chunk.count, text: chunk.text });
  }

  private hold(b: MemBatch): void {
    if (b.count === 0) return;
    const tail = this.mem[this.mem.length - 1];
    // A gap (a group that was not handed over) is fine: the spool is read for it. Out of order,
    // or too much held: forget what is held, read the spool up to this batch, memory from here on.
    if ((tail && b.first < tail.first + tail.count) || this.memCount + b.count > this.memMax) {
      this.mem = [];
      this.memCount = 0;
      if (b.count > this.memMax) return;
    }
    this.mem.push(b);
    this.memCount += b.count;
  }

  private dropFirst(): void {
    this.memCount -= this.mem.shift()!.count;
  }

  /** The oldest pending readings, about `batch`: from memory when it holds exactly those, else
   *  from the spool. */
  private takeReadings(): Take | null {
    const next = this.spool.firstPendingReading();
    if (next === 0) {
      this.mem = [];
      this.memCount = 0;
      return null;
    }
    while (this.mem.length && this.mem[0].first + this.mem[0].count <= next) this.dropFirst();
    // Text cannot be cut: a text batch the spool has partly given already is read from the spool.
    if (this.mem.length && this.mem[0].text !== undefined && this.mem[0].first < next) this.dropFirst();
    const m = this.mem[0];
    if (!m || m.first > next) return this.spool.peekReadings(m ? Math.min(this.batch, m.first - next) : this.batch);
    if (m.text !== undefined) {
      // Whole chunks, at least one, up to `batch` readings.
      const chunks: EncodedReadings[] = [];
      let at = next;
      while (this.mem.length && this.mem[0].first === at && this.mem[0].text !== undefined && (chunks.length === 0 || at - next + this.mem[0].count <= this.batch)) {
        const e = this.mem[0];
        chunks.push({ count: e.count, text: e.text! });
        at += e.count;
        this.dropFirst();
      }
      return { first: next, last: at - 1, chunks };
    }
    const items: Reading[] = [];
    let at = next;
    while (items.length < this.batch && this.mem.length && this.mem[0].first <= at && this.mem[0].items) {
      const e = this.mem[0];
      const off = at - e.first;
      const n = Math.min(e.count - off, this.batch - items.length);
      for (let i = 0; i < n; i++) items.push(e.items![off + i]);
      at += n;
      if (off + n === e.count) this.dropFirst();
    }
    return { first: next, last: at - 1, items };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.draining = false;
    this.loop = this.run();
  }

  /** New rows were committed: drain now rather than at the next idle poll. */
  kick(): void {
    this.kicked = true;
    // During an outage, new rows do not cut the retry back-off short (stop() still does).
    if (!this.stats.storeUp && this.running) return;
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Stop after the current write. With `drainMs`, first keep draining for up to that long. */
  async stop(drainMs = 0): Promise<void> {
    this.draining = true;
    this.kick();
    if (drainMs > 0 && this.stats.storeUp) {
      const until = Date.now() + drainMs;
      while (Date.now() < until && this.pending() > 0 && this.stats.storeUp) await sleep(20);
    }
    this.running = false;
    this.kick();
    await this.loop;
  }

  pending(): number {
    const b = this.spool.backlog();
    return b.readings + b.voc;
  }

  private idle(ms: number): Promise<void> {
    if (this.kicked) {
      this.kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  /**
   * A batch the store refused as invalid: write what it will take, hand over what it will not
   * (onRefused), return how many were refused. Readings the store's own check refuses are set aside
   * first (no request); the rest is bisected: a refused half is split again, down to single items,
   * so one culprit in 5,000 costs about 2 x log2(5,000) = 26 writes and every other reading is
   * written. A retryable failure on the way (the store went down) throws: the batch stays in the
   * spool and is tried again whole (writes are idempotent).
   */
  private async writeSplitting(items: readonly (Reading | VocCycle)[], kind: Refused['kind'], first: unknown): Promise<number> {
    const out: Refused[] = [];
    let rest = items;
    if (kind === 'reading') {
      rest = [];
      for (let i = 0; i < items.length; i++) {
        const x = items[i] as Reading;
        if (readingIsValid(x)) (rest as (Reading | VocCycle)[]).push(x);
        else {
          let error = 'invalid';
          try {
            validateReading(x, i);
          } catch (e) {
            error = (e as Error).message;
          }
          out.push({ kind, body: JSON.stringify(x), error });
        }
      }
    }
    const write = (xs: readonly (Reading | VocCycle)[]) =>
      kind === 'reading' ? this.store.writeReadings(xs as Reading[]) : this.store.writeVocCycles(xs as VocCycle[]);
    const split = async (xs: readonly (Reading | VocCycle)[]): Promise<void> => {
      if (xs.length === 0) return;
      try {
        await write(xs);
      } catch (err) {
        if (!isRefusal(err)) throw err;
        if (xs.length === 1) {
          out.push({ kind, body: JSON.stringify(xs[0]), error: (err as Error).message });
          return;
        }
        const mid = xs.length >> 1;
        await split(xs.slice(0, mid));
        await split(xs.slice(mid));
      }
    };
    await split(rest);
    if (out.length) {
      this.stats.refused += out.length;
      this.log.warn({ kind, refused: out.length, of: items.length, first: (first as Error).message, reason: out[0].error }, 'store refused items as invalid; dead-lettered as store.refused, the rest written');
      this.onRefused?.(out);
    }
    return out.length;
  }

  private async run(): Promise<void> {
    let backoff = 100;
    while (this.running) {
      this.kicked = false;
      let moved = 0;
      try {
        // After a failure (or a store that was down at start) make sure the database exists.
        if (this.needInit) {
          await this.store.init();
          this.needInit = false;
        }
        // Linger: a small backlog waits (kicks re-check it) until it makes a full write or the
        // last write is lingerMs old; a full one, a backlog, or a stop goes at once.
        if (this.lingerMs > 0 && !this.draining) {
          const wait = this.lastWrite + this.lingerMs - Date.now();
          if (wait > 0 && this.pending() < this.fullWrite) {
            await this.idle(wait);
            continue;
          }
        }
        let r = this.takeReadings();
        if (r) {
          let n = 'items' in r ? r.items.length : r.chunks.reduce((a, c) => a + c.count, 0);
          try {
            if ('items' in r) await this.store.writeReadings(r.items);
            else await this.store.writeEncodedReadings!(r.chunks);
          } catch (err) {
            if (!isRefusal(err)) throw err;
            // Text cannot be split per reading here: the same rows as objects, from the spool.
            if (!('items' in r)) r = this.spool.peekReadings(r.last - r.first + 1) ?? r;
            if (!('items' in r)) throw err;
            n = r.items.length - (await this.writeSplitting(r.items, 'reading', err));
          }
          this.spool.doneReadings(r);
          this.stats.stored += n;
          moved += n;
        }
        const v = this.spool.peekVoc(this.batch);
        if (v) {
          let n = v.items.length;
          try {
            await this.store.writeVocCycles(v.items);
          } catch (err) {
            if (!isRefusal(err)) throw err;
            n -= await this.writeSplitting(v.items, 'voc', err);
          }
          this.spool.doneVoc(v);
          this.stats.storedVoc += n;
          moved += v.items.length;
        }
        if (!this.stats.storeUp) {
          this.log.info({ backlog: this.pending() }, 'store is back; draining the spool');
          this.stats.storeUp = true;
        }
        backoff = 100;
        if (moved > 0) {
          this.lastWrite = Date.now();
          this.onWrite?.();
        }
      } catch (err) {
        this.stats.storeErrors++;
        this.needInit = true;
        this.stats.lastError = (err as Error).message;
        if (this.stats.storeUp) {
          this.log.warn({ err: (err as Error).message }, 'store write failed; keeping readings in the spool and retrying');
          this.stats.storeUp = false;
        }
        this.kicked = false;
        await this.idle(backoff);
        backoff = Math.min(backoff * 2, this.maxBackoffMs);
        continue;
      }
      // A full batch means more is waiting: go again at once. Otherwise wait for a kick.
      if (moved === 0 || moved < this.batch) await this.idle(moved === 0 ? 1000 : 0);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
