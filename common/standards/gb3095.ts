/**
 * GB 3095 concentration limits by date, and "exceeds the standard" judged against the limits in
 * force on that day. ug/m3, CO mg/m3. Gases at 298.15 K / 1013.25 hPa (GB 3095-2012 amendment of
 * 2018 and GB 3095-2026), particles at actual conditions.
 *
 *  - GB 3095-2012 Table 1 (with the 2018 amendment):        until 2026-02-28
 *  - GB 3095-2026 Table 1, transition limits:              2026-03-01 .. 2030-12-31
 *  - GB 3095-2026 Table 1, final limits:                   from 2031-01-01
 */
import type { Pollutant } from '../pollutants.ts';
import { DEFAULT_ROUNDING, roundConcentration, type RoundingMode } from './rounding.ts';

export type LimitSet = 'gb3095-2012' | 'gb3095-2026-transition' | 'gb3095-2026-final';
/** Averaging period: annual mean, 24-h (daily) mean, 1-h mean, O3 daily max 8-h ('8h'). */
export type Averaging = 'annual' | '24h' | '1h' | '8h';
export type Grade = 1 | 2;

/** [Grade I, Grade II]; a missing averaging period has no limit. */
type Row = Partial<Record<Averaging, readonly [number, number]>>;

export const GB3095_LIMITS: Readonly<Record<LimitSet, Readonly<Record<Pollutant, Row>>>> = Object.freeze({
  // GB 3095-2012 Table 1 (basic items)
  'gb3095-2012': {
    so2: { annual: [20, 60], '24h': [50, 150], '1h': [150, 500] },
    no2: { annual: [40, 40], '24h': [80, 80], '1h': [200, 200] },
    co: { '24h': [4, 4], '1h': [10, 10] },
    o3: { '8h': [100, 160], '1h': [160, 200] },
    pm10: { annual: [40, 70], '24h': [50, 150] },
    pm25: { annual: [15, 35], '24h': [35, 75] },
  },
  // GB 3095-2026 Table 1, transition stage (to 2030-12-31)
  'gb3095-2026-transition': {
    so2: { annual: [20, 60], '24h': [50, 150], '1h': [150, 500] },
    no2: { annual: [40, 40], '24h': [80, 80], '1h': [200, 200] },
    co: { '24h': [4, 4], '1h': [10, 10] },
    o3: { '8h': [100, 160], '1h': [160, 200] },
    pm10: { annual: [40, 60], '24h': [50, 120] },
    pm25: { annual: [15, 30], '24h': [35, 60] },
  },
  // GB 3095-2026 Table 1, final stage (from 2031-01-01)
  'gb3095-2026-final': {
    so2: { annual: [20, 20], '24h': [50, 50], '1h': [150, 150] },
    no2: { annual: [30, 30], '24h': [50, 50], '1h': [200, 200] },
    co: { '24h': [4, 4], '1h': [10, 10] },
    o3: { '8h': [100, 160], '1h': [160, 200] },
    pm10: { annual: [20, 50], '24h': [50, 100] },
    pm25: { annual: [10, 25], '24h': [25, 50] },
  },
});

/** Limit set in force on a Beijing day 'YYYY-MM-DD' (or year string for annual values: use the
 *  year's first day). Example: limitSetFor('2031-01-01') -> 'gb3095-2026-final'. */
export function limitSetFor(day: string): LimitSet {
  if (day >= '2031-01-01') return 'gb3095-2026-final';
  if (day >= '2026-03-01') return 'gb3095-2026-transition';
  return 'gb3095-2012';
}

/** The limit for a pollutant, averaging period and grade in force on `day`; null if none. */
export function limitFor(p: Pollutant, avg: Averaging, day: string, grade: Grade = 2): number | null {
  const row = GB3095_LIMITS[limitSetFor(day)][p][avg];
  return row ? row[grade - 1] : null;
}

/** Whether a concentration exceeds the standard in force on `day` (strictly above the limit, after
 *  rounding the concentration like HJ 633). null when there is no limit or no value.
 *  Example: exceedsStandard('pm25', '24h', 70, '2026-03-01') -> true (limit 60); on 2025-12-01 false (75). */
export function exceedsStandard(
  p: Pollutant, avg: Averaging, c: number | null, day: string, grade: Grade = 2, rounding: RoundingMode = DEFAULT_ROUNDING,
): boolean | null {
  const lim = limitFor(p, avg, day, grade);
  if (lim === null || c === null || !Number.isFinite(c)) return null;
  return roundConcentration(p, c, rounding) > lim;
}
