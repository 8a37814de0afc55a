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

/** quantity -> its last value, for one station, interval and source */
type Series = Map<string, Last>;

/** Slot of (interval, source) in a station's array: 4 intervals x 3 sources; -1 outside the
 *  schema's unions (not reachable through the normaliser; such readings use a keyed map). */
function slotOf(interval: string, source: string): number {
  const i = interval === 'rt' ? 0 : interval === 'hour' ? 1 : interval === 'min' ? 2 : interval === 'day' ? 3 : -1;
  const s = source === 'live' ? 0 : source === 'sim' ? 1 : source === 'import' ? 2 : -1;
  return i < 0 || s < 0 ? -1 : i * 3 + s;
}
const SLOTS = 12;

export class QcTracker {
  // Runs for every accepted message. Per reading: one lookup by station code, then a fixed slot
  // for (interval, source), then a small map by quantity; no key string is built per reading
  // (concatenating and hashing station/interval/source cost more than the rules themselves).
  private readonly byStation = new Map<string, (Series | undefined)[]>();
  private readonly other = new Map<string, Series>();
  private count = 0;

  private series(r: Reading): Series {
    const slot = slotOf(r.interval, r.source);
    if (slot < 0) {
      const key = `${r.station}\u0000${r.interval}\u0000${r.source}`;
      let s = this.other.get(key);
      if (s === undefined) this.other.set(key, (s = new Map<string, Last>()));
      return s;
    }
    let slots = this.byStation.get(r.station);
    if (slots === undefined) {
      slots = new Array<Series | undefined>(SLOTS).fill(undefined);
      this.byStation.set(r.station, slots);
    }
    let s = slots[slot];
    if (s === undefined) slots[slot] = s = new Map<string, Last>();
    return s;
  }

  /** Add 'flat' / 'spike' flags to `r` in place, and remember its values. */
  apply(r: Reading): void {
    const series = this.series(r);
    for (const q in r.values) {
      const v = r.values[q];
      if (v === null) continue;
      const prev = series.get(q);
      if (prev === undefined) {
        // First value of the series: nothing to compare with (isFlatLine and isSpike need a
        // previous value).
        series.set(q, { time: r.time, v, run: 1 });
        this.count++;
        continue;
      }
      // Out-of-order or repeated (replayed) values are not compared: only a newer value moves on.
      if (r.time <= prev.time) continue;
      const pv = prev.v;
      const run = prev.run;
      let f: string[] | undefined;
      // isFlatLine is false unless v equals the previous value: skip the call otherwise.
      if (pv === v && isFlatLine(q as Quantity, r.interval, pv, run, v)) (f ??= r.flags[q] ?? (r.flags[q] = [])).push('flat');
      if (isSpike(q as Quantity, pv, v)) (f ??= r.flags[q] ?? (r.flags[q] = [])).push('spike');
      prev.run = pv === v ? run + 1 : 1;
      prev.time = r.time;
      prev.v = v;
    }
  }

  /** Number of tracked series (station, interval, source, quantity). */
  get size(): number {
    return this.count;
  }
}
