/**
 * Start-up rebuild: the last AIRDESK_REBUILD_DAYS of data from the store through the live engine
 * (and from there the episode engine), emitting nothing, so the rolling windows, city values and
 * open episodes are as they were. With a saved episode snapshot the engine already knows which
 * events it sent; without one (first start, ':memory:' tests) the replay regenerates the same
 * episode ids (they are derived from the data) and marks their events as sent. No event repeats.
 *
 * What is read (AIRDESK_REBUILD_FROM=aggregates, the default; docs/operations.md "Restart"):
 * - a SEALED hour (station-hour aggregates complete, server/services/station-hours.ts): its
 *   station-hour aggregates, fed to the engine as the hours they were resolved to. Cost: stations
 *   x hours, whatever the reading rate;
 * - every other hour: its raw readings, as before. That is the hour still open and those within
 *   the grace period (not sealed yet), and any gap: hours the server was down for, history
 *   written before aggregates existed, hours whose aggregates could not be written or read. The
 *   hour at the window's very start is always raw (a replay of raw readings sees only its last
 *   instant, and so must this);
 * - the latest reading of every station (a seek per series), for lastSeen, staleness and
 *   /api/latest, which the aggregates do not carry.
 * The engine ends in the same state as after a raw replay (tests/server/rebuild-equivalence.test.ts),
 * and the hours rebuilt from raw readings are written as aggregates and sealed, so the next start
 * reads them as aggregates. AIRDESK_REBUILD_FROM=raw replays raw readings for every hour (and
 * re-derives every aggregate): after a change to how hours are resolved, or to compare.
 */
import type { Logger } from 'pino';
import { DAY_MS, HOUR_MS } from '#common/time.ts';
import type { Reading } from '#common/schemas/reading.ts';
import type { StationHourRecord, TimeSeriesStore } from '../../stores/types.ts';
import type { LiveEngine } from '../live/engine.ts';
import type { EpisodeService } from './episodes.ts';
import type { StationHourWriter } from './station-hours.ts';
import type { ServerConfig } from '../config.ts';

export interface RebuildStats {
  from: 'aggregates' | 'raw';
  /** raw readings replayed */
  readings: number;
  /** station-hour aggregates replayed */
  aggregates: number;
  /** hours read as aggregates / rebuilt from raw readings */
  aggregateHours: number;
  rawHours: number;
  ms: number;
  /** CPU time of the process over the rebuild (user + system): the figure that a loaded machine
   *  inflates least */
  cpuMs: number;
}

export async function rebuild(d: {
  store: TimeSeriesStore; engine: LiveEngine; episodes: EpisodeService; config: Readonly<ServerConfig>;
  clock: () => number; logger: Logger;
  /** Where the hours rebuilt from raw readings are persisted (null: not persisted). */
  hours?: StationHourWriter | null;
}): Promise<RebuildStats> {
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const now = d.clock();
  const mode = d.config.rebuildFrom;
  d.episodes.load();
  await d.episodes.restoreRecords();
  // Whole hours: the window starts at an hour boundary so the first hour is not cut short.
  const from = Math.floor((now - d.config.rebuildDays * DAY_MS) / HOUR_MS) * HOUR_MS;
  const lastHour = Math.ceil(now / HOUR_MS) * HOUR_MS; // the hour still open (or just ended)
  let sealed = new Set<number>();
  if (mode === 'aggregates') {
    try {
      // Sealed hours in (from, now]: the window's first hour is raw, an hour not yet ended cannot be sealed.
      sealed = new Set(await d.store.querySealedHours({ from: from + HOUR_MS, to: now + 1 }));
    } catch (err) {
      d.logger.warn({ err: (err as Error).message }, 'sealed hours unreadable: rebuilding every hour from raw readings');
    }
  }
  const stats: RebuildStats = { from: mode, readings: 0, aggregates: 0, aggregateHours: 0, rawHours: 0, ms: 0, cpuMs: 0 };
  const rawHours = new Set<number>();
  d.engine.replaying = true;
  try {
    // A day of hours at a time keeps memory flat on a big network.
    for (let c = from; c <= lastHour; c += DAY_MS) {
      const hours: number[] = [];
      for (let t = c; t < c + DAY_MS && t <= lastHour; t += HOUR_MS) hours.push(t);
      let items: (Reading | StationHourRecord)[] = [];
      const agg = hours.filter((t) => sealed.has(t));
      let aggOk = agg.length > 0;
      if (aggOk) {
        try {
          const recs = await d.store.queryStationHours({ from: agg[0], to: agg[agg.length - 1] + 1 });
          const want = new Set(agg);
          for (const r of recs) if (want.has(r.time)) items.push(r);
          stats.aggregates += items.length;
        } catch (err) {
          d.logger.warn({ err: (err as Error).message, from: agg[0], to: agg[agg.length - 1] }, 'station-hour aggregates unreadable: these hours come from raw readings');
          items = [];
          aggOk = false;
        }
      }
      const useAgg = aggOk ? new Set(agg) : new Set<number>();
      stats.aggregateHours += useAgg.size;
      // Runs of consecutive raw hours, each one query: readings of hour T are those in (T-1h, T].
      for (let i = 0; i < hours.length;) {
        if (useAgg.has(hours[i])) { i++; continue; }
        let j = i;
        while (j + 1 < hours.length && !useAgg.has(hours[j + 1])) j++;
        for (let k = i; k <= j; k++) rawHours.add(hours[k]);
        const rs = await d.store.queryReadings({ from: Math.max(from, hours[i] - HOUR_MS + 1), to: Math.min(hours[j], now) + 1 });
        stats.readings += rs.length;
        for (const r of rs) items.push(r);
        i = j + 1;
      }
      // Time order (stable: each query's own order kept), as a replay of every reading would go.
      items.sort((a, b) => a.time - b.time);
      d.engine.replay(items, now);
      d.episodes.flush(true);
    }
    try {
      d.engine.restoreLatest(await d.store.latestReadings({ from, to: now + 1 }));
    } catch (err) {
      d.logger.warn({ err: (err as Error).message }, 'latest readings unreadable: lastSeen only from the hours replayed raw');
    }
    d.engine.finishReplay(now);
    d.episodes.flush(true);
  } finally {
    d.engine.replaying = false;
  }
  stats.rawHours = rawHours.size;
  if (d.hours) {
    // The hours rebuilt from raw readings become aggregates (not the window's first, cut short);
    // tick() seals those past their grace period, after these records in the same write.
    rawHours.delete(from);
    d.hours.putAll(d.engine.resolvedAt(rawHours));
    d.hours.startSealing(from + HOUR_MS);
    d.hours.tick(now);
  }
  stats.ms = Date.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  stats.cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  d.logger.info({ ...stats, days: d.config.rebuildDays }, 'state rebuilt from the store');
  return stats;
}
