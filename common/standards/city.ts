/**
 * City values (HJ 663): the city value of a pollutant for an hour is the arithmetic mean of the
 * city's national evaluation stations; city daily means and MDA8 are then computed from that city
 * hourly series (CNEMC practice, REFERENCE 2.4; ../shared/data/README.md uses the same order).
 */
import type { HourPoint, HourlySeries } from './hj663.ts';

/** Mean of the station values present (null/negative ignored), or null if fewer than `minStations`.
 *  Example: cityMean([10, null, 20]) -> 15. */
export function cityMean(values: readonly (number | null)[], minStations = 1): number | null {
  let s = 0;
  let n = 0;
  for (const v of values) if (v !== null && Number.isFinite(v) && v >= 0) { s += v; n++; }
  return n >= Math.max(1, minStations) ? s / n : null;
}

/** City hourly series from station series: for every hour end present in any station, the mean of
 *  the stations with a value (null below `minStations`). Output sorted by time. */
export function cityHourlySeries(stations: readonly HourlySeries[], minStations = 1): HourPoint[] {
  const byTime = new Map<number, (number | null)[]>();
  for (const s of stations) {
    for (const p of s) {
      const a = byTime.get(p.time) ?? [];
      a.push(p.value);
      byTime.set(p.time, a);
    }
  }
  return [...byTime.entries()].sort(([a], [b]) => a - b).map(([time, vs]) => ({ time, value: cityMean(vs, minStations) }));
}
