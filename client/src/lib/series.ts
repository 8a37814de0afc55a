/** Hourly series helpers for the charts and the replay: alignment and moving means with the
 *  validity minimums of GB 3095-2026 Table 4 (8-h: >= 6 of 8 hours; 24-h: >= 20 of 24). */
import { HOUR_MS } from '#common/time.ts';

/** Values aligned on the hours from `from` to `to` inclusive (hour-end epoch ms); null where missing. */
export function alignHourly(points: readonly { time: number; value: number | null }[], from: number, to: number): (number | null)[] {
  const n = Math.max(0, Math.floor((to - from) / HOUR_MS) + 1);
  const out: (number | null)[] = new Array(n).fill(null);
  for (const p of points) {
    const k = Math.round((p.time - from) / HOUR_MS);
    if (k >= 0 && k < n && p.value !== null && Number.isFinite(p.value)) out[k] = p.value;
  }
  return out;
}

/** Trailing moving mean over `window` hours ending at each hour; null when fewer than `minValid`
 *  valid hours. Example: movingMean([1,2,3], 2, 2) -> [null, 1.5, 2.5]. */
export function movingMean(values: readonly (number | null)[], window: number, minValid: number): (number | null)[] {
  const out: (number | null)[] = [];
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null) { sum += v; n++; }
    if (i >= window) {
      const old = values[i - window];
      if (old !== null) { sum -= old; n--; }
    }
    out.push(n >= minValid ? sum / n : null);
  }
  return out;
}

/** Hour end (epoch ms) at or before t. */
export function floorHour(t: number): number {
  return Math.floor(t / HOUR_MS) * HOUR_MS;
}
