/** Shared test helpers for the server: stations, hour series notation, a built server on SQLite. */
import pino from 'pino';
import { openSqliteStore } from '../../stores/sqlite.ts';
import { buildServer, type Built } from '../../server/app.ts';
import type { ServerConfig } from '../../server/config.ts';
import type { Reading } from '../../common/schemas/reading.ts';
import type { Station } from '../../common/schemas/station.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import type { Records } from '../../records/open.ts';
import { beijingToUtc, HOUR_MS } from '../../common/time.ts';

export const STATIONS: Station[] = [
  { code: 'X1', name: 'X one', city: 'Xcity', province: 'P', lon: 116.1, lat: 39.9, kind: 'national' },
  { code: 'X2', name: 'X two', city: 'Xcity', province: 'P', lon: 116.2, lat: 39.9, kind: 'national' },
  { code: 'X3', name: 'X micro', city: 'Xcity', province: 'P', lon: 116.3, lat: 39.9, kind: 'micro' },
  { code: 'Y1', name: 'Y one', city: 'Ycity', province: 'P', lon: 117.1, lat: 39.1, kind: 'national' },
];

/** UTC ms of the end of Beijing hour label `h` (1..24) on day 'YYYY-MM-DD'. */
export function bj(day: string, h: number): number {
  const [y, m, d] = day.split('-').map(Number);
  return beijingToUtc(y, m, d, h);
}

/** Hourly readings of one station from `start` (hour end): `values` per hour; null = missing hour. */
export function hourly(station: string, start: number, values: (Record<string, number | null> | null)[]): Reading[] {
  const out: Reading[] = [];
  values.forEach((v, k) => {
    if (v) out.push({ station, time: start + k * HOUR_MS, interval: 'hour', source: 'sim', values: v, flags: {} });
  });
  return out;
}

export const quiet = () => pino({ level: 'silent' });

export async function makeServer(opts: {
  store?: TimeSeriesStore; stations?: Station[]; clock?: () => number; config?: Partial<ServerConfig>;
  mqttUrl?: string | null;
  /** The system of record (default: the server's own in-memory one). */
  records?: Records;
} = {}): Promise<Built & { store: TimeSeriesStore }> {
  const store = opts.store ?? (await openSqliteStore(':memory:'));
  const s = await buildServer({
    store, stations: opts.stations ?? STATIONS, logger: quiet(), clock: opts.clock,
    config: { tickSeconds: 3600, socketBatchMs: 10, ...(opts.config ?? {}) }, mqttUrl: opts.mqttUrl ?? null,
    ...(opts.records ? { records: opts.records } : {}),
  });
  return Object.assign(s, { store });
}
