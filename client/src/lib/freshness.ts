/**
 * Freshness of hourly data. A value for the hour ending at T is expected shortly after T. Data is
 * 'fresh' while the latest value is at most one hour plus a grace period old, 'late' when one or
 * two hours are missing, 'stale' from three, and 'nodata' when there never was a value.
 * Late and stale are shown as badges (grey, then striped); a stale or no-data station is drawn
 * grey with a dashed outline, never in its last level colour (UX.md).
 */
import { HOUR_MS } from '#common/time.ts';

export type Freshness = 'fresh' | 'late' | 'stale' | 'nodata';

export interface FreshnessRules {
  /** minutes after the hour's end before it counts as missing (default 25) */
  graceMin: number;
  /** missing hours from which data is stale (default 3) */
  staleHours: number;
}
export const DEFAULT_FRESHNESS: FreshnessRules = { graceMin: 25, staleHours: 3 };

/** Freshness of a series whose latest value ends at `last` (epoch ms) as seen at `now`.
 *  Example: last 14:00, now 15:20 -> fresh; now 15:30 -> late; now 17:30 -> stale. */
export function freshnessOf(last: number | null, now: number, rules: FreshnessRules = DEFAULT_FRESHNESS): Freshness {
  if (last === null || !Number.isFinite(last)) return 'nodata';
  const missing = Math.floor((now - last - rules.graceMin * 60_000) / HOUR_MS);
  if (missing <= 0) return 'fresh';
  return missing < rules.staleHours ? 'late' : 'stale';
}

/** Whether a value may be drawn in its level colour. Late data keeps its colour (with a badge),
 *  stale and missing do not. */
export function colourable(f: Freshness): boolean {
  return f === 'fresh' || f === 'late';
}

/** Freshness of the whole network: the worst of the stations that have data, so one dead station
 *  does not make the city "stale" but a stopped feed does. */
export function globalFreshness(last: readonly (number | null)[], now: number, rules = DEFAULT_FRESHNESS): Freshness {
  const withData = last.filter((t): t is number => t !== null);
  if (withData.length === 0) return 'nodata';
  return freshnessOf(Math.max(...withData), now, rules);
}
