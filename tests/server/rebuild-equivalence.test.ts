/**
 * The start-up rebuild from station-hour aggregates ends in EXACTLY the state a replay of every
 * raw reading gives (server/services/rebuild.ts): city and station hours with their rolling
 * 24 h / 8 h values and AQI, daily statistics, episodes (ids, starts, peaks, timelines), warnings,
 * /api/latest and freshness. The history has hours the aggregates do not cover: half a day written
 * before any server ran (history from before this change; the first server rebuilds and seals it
 * at its start), and 14 hours written while the server was down (the gap the restart under test
 * meets, rebuilt from raw readings, then persisted and sealed, so the next start reads them as
 * aggregates and still ends the same).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../stores/sqlite.ts';
import { beijingMidnight } from '../../simulators/model.ts';
import { DAY_MS, HOUR_MS } from '#common/time.ts';
import type { Built } from '../../server/app.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { makeServer } from './helpers.ts';
import { smallCity } from './rebuild-sim.ts';

const MIN = 60_000;
const NOW = Date.UTC(2026, 0, 13, 5, 37); // mid-hour: the open hour has 7 of its 12 rt readings
const DAYS = 4;
const START = beijingMidnight(NOW) - DAYS * DAY_MS;
const city = smallCity(START);
const config = (rebuildFrom: 'aggregates' | 'raw') => ({ rebuildDays: DAYS, rebuildFrom, statePath: null, graceMinutes: 10 });

/** Everything a client or the episode engine can see, as plain data. */
async function snapshot(s: Built, now: number) {
  const e = s.engine;
  const entity = (ent: ReturnType<typeof e.cityEntity>) => ent && {
    points: [...ent.points.values()].sort((a, b) => a.time - b.time),
    days: [...ent.days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)),
  };
  const episodes = s.episodes.list();
  return {
    cities: e.cityNames().map((c) => ({ c, ...entity(e.cityEntity(c)) })),
    stations: city.stations.map((st) => ({ c: st.code, ...entity(e.stationEntity(st.code)) })),
    latest: (await s.app.inject('/api/latest')).json(),
    freshness: e.freshness(now),
    cityDays: e.cityDays(),
    episodes,
    details: episodes.map((x) => s.episodes.detail(x.id)),
    warnings: s.episodes.warnings(),
    alerts: s.episodes.alerts(),
    today: s.episodes.today(),
  };
}

async function restart(store: TimeSeriesStore, from: 'aggregates' | 'raw') {
  const s = await makeServer({ store, stations: city.stations, clock: () => NOW, config: config(from) });
  await s.start();
  const snap = await snapshot(s, NOW);
  const m = await s.metrics.registry.getSingleMetricAsString('airdesk_rebuild_hours');
  await s.close(); // writes what the rebuild persisted
  return { snap, hours: parseHours(m) };
}

function parseHours(text: string): { aggregates: number; raw: number } {
  const get = (k: string) => Number(new RegExp(`from="${k}"} (\\d+)`).exec(text)?.[1] ?? NaN);
  return { aggregates: get('aggregates'), raw: get('raw') };
}

describe('rebuild from station-hour aggregates', () => {
  const stores: TimeSeriesStore[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  it('ends exactly as the raw replay, gaps included, and again once the gaps are sealed', async () => {
    const store = await openSqliteStore(':memory:');
    stores.push(store);
    const first = START + HOUR_MS;
    const openHour = Math.ceil(NOW / HOUR_MS) * HOUR_MS;
    const liveFrom = first + 12 * HOUR_MS; // hours before: written before any server ran
    const downFrom = openHour - 14 * HOUR_MS; // then the server is down until NOW
    const clock = { now: first };
    let live: Built | null = null;
    for (let t = first; t <= openHour; t += HOUR_MS) {
      const rs = city.hour(t).filter((r) => r.time <= NOW);
      await store.writeReadings(rs); // the gateway always writes
      const up = t >= liveFrom && t < downFrom;
      if (up && !live) {
        clock.now = t - HOUR_MS + MIN;
        live = await makeServer({ store, stations: city.stations, clock: () => clock.now, config: config('aggregates') });
        await live.start();
      }
      if (!up && live) {
        await live.close();
        live = null;
      }
      if (!live) continue;
      // Live: the hour's readings as they come, then the clock past the grace period.
      for (let m = 5; m <= 60; m += 5) {
        clock.now = t - HOUR_MS + m * MIN;
        const batch = rs.filter((r) => r.time > clock.now - 5 * MIN && r.time <= clock.now);
        if (batch.length) live.ingest(batch);
      }
      clock.now = t + 11 * MIN;
      live.engine.tick(clock.now);
      live.app.stationHours.tick(clock.now);
      live.episodes.flush(false);
      await live.app.stationHours.flush();
    }
    if (live) await live.close();
    const sealed = await store.querySealedHours({ from: 0, to: NOW + 1 });
    // The live server sealed its hours, and at its start the 12 it rebuilt from raw readings
    // (written before it ran); nothing after it stopped.
    expect(sealed).toContain(first + HOUR_MS);
    expect(sealed).toContain(downFrom - HOUR_MS);
    expect(sealed.filter((t) => t >= downFrom)).toEqual([]);

    const b = await restart(store, 'aggregates');
    // B persisted and sealed the hours it rebuilt from raw readings: the next start reads them as
    // aggregates; only the open hour and the window's first are raw.
    const c = await restart(store, 'aggregates');
    const raw = await restart(store, 'raw');
    // Sanity: the scenario is not trivial (an episode, warnings, hours of both bases).
    expect(raw.snap.episodes.length).toBeGreaterThan(0);
    expect(raw.snap.warnings.some((w) => w.level !== null)).toBe(true);
    const bases = new Set(raw.snap.stations.flatMap((s) => s.points?.map((p) => p.basis) ?? []));
    expect([...bases].sort()).toEqual(['derived', 'hour']);

    expect(b.snap).toEqual(raw.snap);
    // The gap came from raw readings: the 15 hour ends since the server stopped (downFrom to the
    // open hour) and the window's first hour; every other hour of the window from aggregates.
    const from = Math.floor((NOW - DAYS * DAY_MS) / HOUR_MS) * HOUR_MS;
    const window = (openHour - from) / HOUR_MS + 1;
    expect(b.hours).toEqual({ raw: 15 + 1, aggregates: window - 16 });
    expect(c.hours.raw).toBe(2);
    expect(c.snap).toEqual(raw.snap);
  }, 60_000);
});
