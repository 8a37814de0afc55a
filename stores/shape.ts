/**
 * What a stored reading looks like when read back, the same for every adapter.
 * InfluxDB cannot store a null field (a null is an omitted field), so "null" and "absent" are the
 * same thing once stored. Reading back, `values` holds the six AQI pollutants ALWAYS (null when
 * not measured, so `values.pm25 === null` works) plus every other quantity that has a number.
 * VOC `species` hold only the species that have a number. Flags come back exactly as written.
 */
import { POLLUTANTS } from '../common/pollutants.ts';
import type { Reading, VocCycle } from '../common/schemas/reading.ts';

export function storedValues(values: Readonly<Record<string, number | null>>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const p of POLLUTANTS) out[p] = values[p] ?? null;
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

export function storedSpecies(species: Readonly<Record<string, number | null>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(species)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Contract order for readings: time, then station (then interval, source, for determinism). */
export function compareReadings(a: Reading, b: Reading): number {
  return a.time - b.time || cmp(a.station, b.station) || cmp(a.interval, b.interval) || cmp(a.source, b.source);
}

/** Order for VOC cycles: time, then analyzer, station, source. */
export function compareVoc(a: VocCycle, b: VocCycle): number {
  return a.time - b.time || cmp(a.analyzer, b.analyzer) || cmp(a.station, b.station) || cmp(a.source, b.source);
}

/** Flags are stored as compact JSON; empty lists are kept so a round trip is exact. */
export function encodeFlags(flags: Readonly<Record<string, readonly string[]>>): string {
  return JSON.stringify(flags);
}

export function decodeFlags(s: unknown): Record<string, string[]> {
  if (typeof s !== 'string' || s === '') return {};
  try {
    const v = JSON.parse(s);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}
