/**
 * Runs of exceeding items with gap merging (REF 3.3 steps 2-3): a run is a maximal stretch of
 * items over the threshold; two runs separated by at most `maxGap` items that all still satisfy
 * `bridge` (e.g. daily AQI > 150) become one. Missing items (null) never exceed and never bridge.
 * Example: AQI 210 180 220 with maxGap 1 and bridge > 150 -> one run [0, 2].
 */
export interface Run {
  from: number;
  to: number;
}

export function findRuns<T>(
  items: readonly (T | null)[],
  over: (x: T) => boolean,
  bridge: (x: T) => boolean,
  maxGap: number,
): Run[] {
  const raw: Run[] = [];
  for (let i = 0; i < items.length; i++) {
    const x = items[i];
    if (x !== null && over(x)) {
      const last = raw[raw.length - 1];
      if (last && last.to === i - 1) last.to = i;
      else raw.push({ from: i, to: i });
    }
  }
  const out: Run[] = [];
  for (const r of raw) {
    const prev = out[out.length - 1];
    if (prev) {
      const gap = r.from - prev.to - 1;
      let joins = gap <= maxGap;
      for (let k = prev.to + 1; joins && k < r.from; k++) {
        const x = items[k];
        if (x === null || !bridge(x)) joins = false;
      }
      if (joins) {
        prev.to = r.to;
        continue;
      }
    }
    out.push({ ...r });
  }
  return out;
}

/** Whether a run ending at `to` can no longer grow, given the items after it.
 *  `complete(i)` says item i is final (not the ongoing day). The run is closed when a complete item
 *  after it breaks the bridge, or `maxGap + 1` complete non-exceeding items follow it. */
export function runClosed<T>(
  items: readonly (T | null)[],
  to: number,
  over: (x: T) => boolean,
  bridge: (x: T) => boolean,
  maxGap: number,
  complete: (i: number) => boolean,
): boolean {
  let quiet = 0;
  for (let j = to + 1; j < items.length; j++) {
    if (!complete(j)) return false;
    const x = items[j];
    if (x !== null && over(x)) return false; // cannot happen for a maximal run; defensive
    if (x === null || !bridge(x)) return true;
    quiet++;
    if (quiet >= maxGap + 1) return true;
  }
  return false;
}
