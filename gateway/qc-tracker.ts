/**
 * The per-station state the flat-line and spike rules need (the previous value and the length
 * of its identical run, per station, interval, source and quantity). The rules themselves are
 * pure (common/ingest/qc.ts). State is in memory: after a restart the first values of each series
 * are judged without history, which can only miss a flag, never invent one.
 */
import type { Quantity } from '#common/pollutants.ts';
import { isFlatLine, isSpike } from '#common/ingest/qc.ts';
import type { Reading } from '#common/schemas/reading.ts';

interface Last {
  time: number;
  v: number;
  run: number;
}

export class QcTracker {
  // One lookup per reading (station/interval/source), then a small object keyed by quantity:
  // this runs for every accepted message, and building a key string per quantity cost more than
  // the rules themselves.
  private readonly last = new Map<string, Record<string, Last>>();
  private count = 0;

  /** Add 'flat' / 'spike' flags to `r` in place, and remember its values. */
  apply(r: Reading): void {
    const key = `${r.station}\u0000${r.interval}\u0000${r.source}`;
    let series = this.last.get(key);
    if (series === undefined) {
      series = Object.create(null) as Record<string, Last>;
      this.last.set(key, series);
    }
    for (const q in r.values) {
      const v = r.values[q];
      if (v === null) continue;
      const prev = series[q];
      // Out-of-order or repeated (replayed) values are not compared: only a newer value moves on.
      if (prev && r.time <= prev.time) continue;
      const pv = prev ? prev.v : null;
      const run = prev ? prev.run : 0;
      let f: string[] | undefined;
      if (isFlatLine(q as Quantity, r.interval, pv, run, v)) (f ??= r.flags[q] ?? (r.flags[q] = [])).push('flat');
      if (isSpike(q as Quantity, pv, v)) (f ??= r.flags[q] ?? (r.flags[q] = [])).push('spike');
      if (prev) {
        prev.run = pv === v ? run + 1 : 1;
        prev.time = r.time;
        prev.v = v;
      } else {
        series[q] = { time: r.time, v, run: 1 };
        this.count++;
      }
    }
  }

  /** Number of tracked series (station, interval, source, quantity). */
  get size(): number {
    return this.count;
  }
}
