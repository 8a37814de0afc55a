/**
 * The station-hour aggregates the live engine resolves, persisted in the time-series store
 * (stores/types.ts writeStationHours) so that a restart rebuilds from stations x hours instead of
 * every raw reading (server/services/rebuild.ts).
 *
 * - Off the live path: put() only keeps the latest record per (station, hour) in a map; a timer
 *   writes the map in one batch a second. A re-resolved hour replaces the earlier record before or
 *   after it is written (the store's write is a replace).
 * - Seals: an hour is sealed (its aggregates complete) once its end plus the grace period has
 *   passed on the engine's clock tick: by then the engine has resolved every station's hour (the
 *   tick resolves what the readings did not). A seal goes out in the same write as, and after, every
 *   record queued before it, so a crash never leaves a sealed hour without its aggregates. The
 *   rebuild reads sealed hours from aggregates and every other hour from raw readings.
 * - A failed write is logged (once per run of failures), counted on /metrics, and retried with the
 *   next batch (records and seals kept; newer records win). Past `maxPending` records the oldest
 *   hours are dropped, counted, and never sealed, so the next rebuild takes them from raw readings.
 */
import type { Logger } from 'pino';
import { HOUR_MS } from '#common/time.ts';
import type { StationHourRecord, TimeSeriesStore } from '../../stores/types.ts';
import type { Metrics } from '../metrics.ts';

export class StationHourWriter {
  private pending = new Map<string, StationHourRecord>();
  private seals = new Set<number>();
  /** Hours that lost records (over maxPending): never sealed by this process. */
  private lost = new Set<number>();
  private nextSeal: number | null = null;
  private running: Promise<void> | null = null;
  private failing = false;
  private timer: NodeJS.Timeout | null = null;
  readonly counters = { written: 0, failures: 0, dropped: 0, sealed: 0 };

  constructor(private readonly d: {
    store: TimeSeriesStore; logger: Logger; graceMs: number; metrics?: Metrics | null;
    maxPending?: number; intervalMs?: number;
  }) {}

  put(h: StationHourRecord): void {
    this.pending.set(`${h.station}\u0000${h.time}`, h);
    if (this.pending.size > (this.d.maxPending ?? 500_000)) this.dropOldestHour();
  }

  putAll(hs: readonly StationHourRecord[]): void {
    for (const h of hs) this.put(h);
    this.d.metrics?.stationHoursPending.set(this.pending.size);
  }

  private dropOldestHour(): void {
    let oldest = Infinity;
    for (const h of this.pending.values()) if (h.time < oldest) oldest = h.time;
    let n = 0;
    for (const [k, h] of this.pending) if (h.time === oldest) { this.pending.delete(k); n++; }
    this.lost.add(oldest);
    this.seals.delete(oldest);
    this.counters.dropped += n;
    this.d.metrics?.stationHoursDropped.inc(n);
  }

  /** Seal hours from `hourEnd` on, as tick() reaches them (rebuild: the first hour it rebuilt). */
  startSealing(hourEnd: number): void {
    this.nextSeal = hourEnd;
  }

  /** After the engine's tick at `now`: seal every hour whose end + grace has passed. */
  tick(now: number): void {
    if (this.nextSeal === null) return;
    for (; this.nextSeal + this.d.graceMs <= now; this.nextSeal += HOUR_MS) {
      if (!this.lost.has(this.nextSeal)) this.seals.add(this.nextSeal);
    }
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Write what is queued (one batch; waits for a write already under way first). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    if (this.pending.size === 0 && this.seals.size === 0) return;
    const batch = [...this.pending.values()];
    const seals = [...this.seals].sort((a, b) => a - b);
    this.pending = new Map();
    this.seals = new Set();
    this.running = (async () => {
      try {
        await this.d.store.writeStationHours(batch, seals);
        this.counters.written += batch.length;
        this.counters.sealed += seals.length;
        this.d.metrics?.stationHoursWritten.inc(batch.length);
        if (this.failing) this.d.logger.info({ records: batch.length }, 'station-hour aggregates are written again');
        this.failing = false;
      } catch (err) {
        this.counters.failures++;
        this.d.metrics?.stationHoursFailures.inc();
        if (!this.failing) this.d.logger.warn({ err: (err as Error).message, records: batch.length }, 'writing station-hour aggregates failed; kept for the next try');
        this.failing = true;
        // Back in the queue unless a newer record of the same hour came meanwhile.
        for (const h of batch) {
          const k = `${h.station}\u0000${h.time}`;
          if (!this.pending.has(k)) this.pending.set(k, h);
        }
        for (const t of seals) if (!this.lost.has(t)) this.seals.add(t);
        while (this.pending.size > (this.d.maxPending ?? 500_000)) this.dropOldestHour();
      } finally {
        this.d.metrics?.stationHoursPending.set(this.pending.size);
        this.running = null;
      }
    })();
    await this.running;
  }

  /** Write once a second from now on (the first write at once: what the rebuild queued). */
  start(): void {
    if (this.timer) return;
    void this.flush();
    this.timer = setInterval(() => void this.flush(), this.d.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** Stop the timer and try a last write (close). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
