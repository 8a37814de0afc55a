/**
 * A small simulated city for the rebuild tests and bench: the simulated Beijing (simulators/,
 * as tests/client/harness.ts startDemo) cut to a few stations, each reporting in a different way,
 * so the station-hour aggregates meet every way an hour is resolved (server/live/hours.ts):
 * - 'hour' readings only;
 * - 'rt' readings every 5 minutes (the hour's mean), some hours missing slots (9 of 12 needed) and
 *   some values flagged D (fault) and left out;
 * - an 'hour' reading with PM2.5 missing plus 'rt' readings (the hour wins, PM2.5 from the mean);
 * - a micro station (not in the city mean) with 'rt' readings.
 */
import { createSim, simulateHour, type SimState } from '../../simulators/model.ts';
import { normaliseStationReading } from '#common/ingest/normalise.ts';
import type { Reading } from '#common/schemas/reading.ts';
import type { Station } from '#common/schemas/station.ts';
import { HOUR_MS } from '#common/time.ts';

const MIN = 60_000;

export interface SmallCity {
  sim: SimState;
  stations: Station[];
  /** Readings of hour end t (times in (t-1h, t]), in time order. */
  hour(t: number): Reading[];
}

export function smallCity(start: number, opts: { national?: number; seed?: string } = {}): SmallCity {
  const sim = createSim({ seed: opts.seed ?? 'rebuild', scenario: 'pm', start });
  const n = opts.national ?? 5;
  const base = sim.stations.slice(0, n);
  const stations: Station[] = base.map((s) => ({ code: s.code, name: s.name, city: s.city, province: s.province, lon: s.lon, lat: s.lat, kind: s.kind }));
  const micro = { ...stations[0], code: 'M1', name: 'micro', kind: 'micro' as const };
  stations.push(micro);
  const hour = (t: number): Reading[] => {
    const h = simulateHour(sim, t);
    const out: Reading[] = [];
    const hourly = new Map<string, Reading>();
    for (const m of h.readings) {
      const r = normaliseStationReading(m, { source: 'sim', now: t + MIN });
      if (r.ok) hourly.set(r.reading.station, r.reading);
    }
    const k = Math.round(t / HOUR_MS);
    base.forEach((s, i) => {
      const r = hourly.get(s.code);
      if (!r) return;
      const style = i % 3; // 0: hour only, 1: rt only, 2: hour (PM2.5 missing) + rt
      if (style === 0) out.push(r);
      if (style === 2) out.push({ ...r, values: { ...r.values, pm25: null } });
      if (style >= 1) out.push(...rt(r, s.code, t, k + i));
    });
    const r0 = hourly.get(base[0].code);
    if (r0) out.push(...rt(r0, 'M1', t, k + 7));
    return out.sort((a, b) => a.time - b.time || (a.station < b.station ? -1 : 1));
  };
  return { sim, stations, hour };
}

/** Twelve 5-minute 'rt' readings around an hourly reading's values (mean ~ the hour's value). */
function rt(r: Reading, station: string, t: number, k: number): Reading[] {
  const out: Reading[] = [];
  // Every 5th hour misses four slots: 8 of 12, not a valid hour for any quantity.
  const gap = k % 5 === 0;
  for (let j = 0; j < 12; j++) {
    if (gap && j >= 4 && j < 8) continue;
    const values: Record<string, number | null> = {};
    for (const [q, v] of Object.entries(r.values)) {
      if (v === null) continue;
      values[q] = q === 'wd' ? (v + 10 * (j - 6) + 360) % 360 : q === 'temp' ? v + 0.1 * (j - 6) : Math.max(0, v * (1 + 0.08 * Math.sin(k + j)));
    }
    const flags: Record<string, string[]> = (k + j) % 11 === 0 ? { pm25: ['D'] } : {};
    out.push({ station, time: t - HOUR_MS + (j + 1) * 5 * MIN, interval: 'rt', source: 'sim', values, flags });
  }
  return out;
}
