/**
 * Hourly values of one station from whatever readings arrive, in any order.
 *
 * What the server chose (docs/api.md, "Live engine"):
 * - An 'hour' reading (interval end T) is the station's value for hour T. It wins over sub-hourly
 *   readings of the same hour, pollutant by pollutant; a null in it falls back to the sub-hourly mean.
 * - Without one, the hour's value is the mean of its 'rt'/'min' readings, valid when they cover at
 *   least 45 minutes (GB 3095 Table 4, hourlyValid): a 'min' reading covers the minute ending at its
 *   time, an 'rt' reading the minute it falls in; 'rt' samples sparser than one a minute also count as
 *   valid when at least 9 of the hour's twelve 5-minute slots hold one (the same 75 %).
 * - 'day' readings are not used for hours.
 * - Values flagged invalid by the instrument (HJ 212 flags F stopped, M maintenance, S set value,
 *   D fault, C calibration, B comms error) or by QC as out of range are left out; 'T' (over range),
 *   'ceiling', 'flat' and 'spike' are suspect but kept, as the stored reading keeps them.
 * - A hour is resolved when an 'hour' reading for it arrives, when the station sends a reading of a
 *   later hour, or when the clock passes the hour end plus a grace period. Late readings re-resolve.
 */
import { QUANTITIES, type Quantity } from '#common/pollutants.ts';
import { hourlyValid } from '#common/standards/index.ts';
import { HOUR_MS } from '#common/time.ts';
import type { Reading } from '#common/schemas/reading.ts';

/** Flags that make a value unusable for statistics (HJ 212-2017 Table 6; AirDesk QC 'range'). */
export const INVALID_FLAGS: ReadonlySet<string> = new Set(['F', 'M', 'S', 'D', 'C', 'B', 'range']);

interface SubAcc {
  sum: number;
  /** wind direction: vector sums (a circular mean; 350 and 10 average to 0, not 180) */
  sin: number;
  cos: number;
  n: number;
  minutes: Uint8Array; // 60 minute slots of the hour
  minuteCount: number;
  slots5: number; // bitmask of 12 five-minute slots
  rt: boolean;
}

export interface HourCell {
  /** Values from an 'hour' reading (null when it reported the pollutant as missing). */
  hour: Partial<Record<Quantity, number | null>> | null;
  sub: Partial<Record<Quantity, SubAcc>>;
  /** The hour as resolved before a restart (a stored station-hour aggregate, rebuild.ts): its
   *  values stand in for the readings it was made of. A late 'hour' reading still wins; a late
   *  sub-hourly reading only fills a quantity the aggregate lacks (its mean cannot be re-taken
   *  without the readings it averaged). */
  stored?: { values: HourValues; basis: Basis };
}

export type HourValues = Partial<Record<Quantity, number>>;
export type Basis = 'hour' | 'derived';

/** Hour end (UTC ms) of the hour a reading ending at t belongs to. */
export function hourEndOf(t: number): number {
  return Math.ceil(t / HOUR_MS) * HOUR_MS;
}

function usable(r: Reading, p: string): number | null {
  const v = r.values[p];
  // Negative values are impossible for every quantity but temperature.
  if (v === null || v === undefined || !Number.isFinite(v) || (v < 0 && p !== 'temp')) return null;
  const f = r.flags[p];
  if (f) for (const x of f) if (INVALID_FLAGS.has(x)) return null;
  return v;
}

/** Add one reading to its hour cell; returns the hour end it touched, or null if not used. */
export function addReading(cells: Map<number, HourCell>, r: Reading): number | null {
  if (r.interval === 'day') return null;
  const T = hourEndOf(r.time);
  let cell = cells.get(T);
  if (!cell) {
    cell = { hour: null, sub: {} };
    cells.set(T, cell);
  }
  if (r.interval === 'hour') {
    // The hour reading is keyed on its end; a re-sent hour replaces the earlier one.
    const h: Partial<Record<Quantity, number | null>> = {};
    for (const p of QUANTITIES) if (p in r.values) h[p] = usable(r, p);
    cell.hour = h;
    return T;
  }
  // Sub-hourly: minute slot of the hour (0..59) holding the reading's end time.
  const minute = Math.min(59, Math.floor((r.time - 1 - (T - HOUR_MS)) / 60_000));
  for (const p of QUANTITIES) {
    if (!(p in r.values)) continue;
    const v = usable(r, p);
    if (v === null) continue;
    let a = cell.sub[p];
    if (!a) a = cell.sub[p] = { sum: 0, sin: 0, cos: 0, n: 0, minutes: new Uint8Array(60), minuteCount: 0, slots5: 0, rt: false };
    a.sum += v;
    if (p === 'wd') {
      a.sin += Math.sin((v * Math.PI) / 180);
      a.cos += Math.cos((v * Math.PI) / 180);
    }
    a.n++;
    if (r.interval === 'rt') a.rt = true;
    if (!a.minutes[minute]) {
      a.minutes[minute] = 1;
      a.minuteCount++;
    }
    a.slots5 |= 1 << Math.floor(minute / 5);
  }
  return T;
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}

/** The resolved hourly values of a cell and how they were obtained. */
export function resolveCell(cell: HourCell): { values: HourValues; basis: Basis | null } {
  const values: HourValues = {};
  let fromHour = false;
  let derived = false;
  for (const p of QUANTITIES) {
    const hv = cell.hour?.[p];
    if (hv !== undefined && hv !== null) {
      values[p] = hv;
      fromHour = true;
      continue;
    }
    const sv = cell.stored?.values[p];
    if (sv !== undefined) {
      values[p] = sv;
      continue;
    }
    const a = cell.sub[p];
    if (a && a.n > 0 && (hourlyValid(a.minuteCount) || (a.rt && popcount(a.slots5) >= 9))) {
      values[p] = p === 'wd' ? ((Math.atan2(a.sin, a.cos) * 180) / Math.PI + 360) % 360 : a.sum / a.n;
      derived = true;
    }
  }
  return { values, basis: fromHour ? 'hour' : cell.stored ? cell.stored.basis : derived ? 'derived' : null };
}
