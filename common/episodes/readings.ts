/**
 * Normalised readings (common/schemas/reading.ts) -> engine points, for the live server.
 * Only hourly readings enter (the engine's rules are on hourly means, HJ 663). A value whose
 * quantity carries an exclusion flag is left out of the episode statistics (it stays stored).
 */
import type { Reading } from '../schemas/reading.ts';
import { QUANTITIES, type Quantity } from '../pollutants.ts';
import type { HourlyPoint } from './types.ts';

/** Flags that keep a value out of episode statistics: HJ 212 F stopped, M maintenance, S set value,
 *  D fault, C calibration, B comms error; AirDesk QC 'range' and 'ceiling' (REF 7.2; data README:
 *  ceiling values are suspect). 'T' (over range) and 'spike' stay in: real episodes produce them. */
export const EXCLUDE_FLAGS: readonly string[] = ['F', 'M', 'S', 'D', 'C', 'B', 'range', 'ceiling'];

/** Points from readings; `cityOf(station)` names the station's city (null: not part of any city). */
export function readingsToPoints(
  readings: readonly Reading[],
  cityOf: (station: string) => string | null,
  exclude: readonly string[] = EXCLUDE_FLAGS,
): HourlyPoint[] {
  const out: HourlyPoint[] = [];
  for (const r of readings) {
    if (r.interval !== 'hour') continue;
    const city = cityOf(r.station);
    if (!city) continue;
    const values: Partial<Record<Quantity, number | null>> = {};
    for (const [k, v] of Object.entries(r.values)) {
      if (!(QUANTITIES as readonly string[]).includes(k)) continue;
      const bad = (r.flags[k] ?? []).some((f) => exclude.includes(f));
      values[k as Quantity] = bad ? null : v;
    }
    out.push({ city, station: r.station, time: r.time, values });
  }
  return out;
}
