/**
 * Start-up rebuild: replay the last days of readings from the store through the live engine (and
 * from there the episode engine), emitting nothing, so the rolling windows, city values and open
 * episodes are as they were. With a saved episode snapshot the engine already knows which events
 * it sent; without one (first start, ':memory:' tests) the replay regenerates the same episode ids
 * (they are derived from the data) and marks their events as sent. Either way no event repeats.
 */
import type { Logger } from 'pino';
import { DAY_MS, HOUR_MS } from '#common/time.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import type { LiveEngine } from '../live/engine.ts';
import type { EpisodeService } from './episodes.ts';
import type { ServerConfig } from '../config.ts';

export async function rebuild(d: {
  store: TimeSeriesStore; engine: LiveEngine; episodes: EpisodeService; config: Readonly<ServerConfig>;
  clock: () => number; logger: Logger;
}): Promise<{ readings: number; ms: number }> {
  const t0 = Date.now();
  const now = d.clock();
  d.episodes.load();
  await d.episodes.restoreRecords();
  // Whole hours: the window starts at an hour boundary so the first hour is not cut short.
  const from = Math.floor((now - d.config.rebuildDays * DAY_MS) / HOUR_MS) * HOUR_MS;
  let n = 0;
  d.engine.replaying = true;
  try {
    // One day at a time keeps memory flat on a big network.
    for (let t = from; t <= now; t += DAY_MS) {
      const readings = await d.store.queryReadings({ from: t, to: Math.min(t + DAY_MS, now + 1) });
      n += readings.length;
      d.engine.ingest(readings, now);
      d.episodes.flush(true);
    }
    d.engine.finishReplay(now);
    d.episodes.flush(true);
  } finally {
    d.engine.replaying = false;
  }
  const ms = Date.now() - t0;
  d.logger.info({ readings: n, days: d.config.rebuildDays, ms }, 'state rebuilt from the store');
  return { readings: n, ms };
}
