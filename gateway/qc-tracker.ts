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
  private readonly last = new Map<string, Last>();

  /** Add 'flat' / 'spike' flags to `r` in place, and remember its values. */
  apply(r: Reading): void {
    const prefix = `${r.station}\u0000${r.interval}\u0000${r.source}\u0000`;
    for (const q in r.values) {
      const v = r.values[q];
      if (v === null) continue;
      const key = prefix + q;
      const prev = this.last.get(key);
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
      } else this.last.set(key, { time: r.time, v, run: 1 });
    }
  }

  get size(): number {
    return this.last.size;
  }
}
