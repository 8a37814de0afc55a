/** Loads the hours a replay or an episode needs (every station and the city over a range), once
 *  per range; live points already in the store are kept. */
import { useEffect } from 'react';
import { HOUR_MS } from '#common/time.ts';
import { api } from '../data/live.ts';
import type { Store } from '../data/store.ts';
import { useUi } from './ctx.tsx';

const loaded = new Set<string>();

export async function loadRange(store: Store, from: number, to: number): Promise<void> {
  const key = `${from}-${to}`;
  if (loaded.has(key) || store.stations.length > 400) return;
  loaded.add(key);
  const jobs: Promise<void>[] = store.stations.map(async (s) => {
    try {
      const r = await api.series({ station: s.code, from, to });
      store.applySeries('station', s.code, r.points);
    } catch (e) {
      loaded.delete(key);
      console.warn('airdesk: series not loaded', s.code, e);
    }
  });
  if (store.city) {
    jobs.push(api.series({ city: store.city, from, to }).then((r) => store.applySeries('city', store.city!, r.points)).catch(() => undefined));
  }
  await Promise.all(jobs);
}

/** Ensure the hours of `range` (or the last 72 h while replaying live data) are in the store. */
export function useReplayData(range: { from: number; to: number } | null): void {
  const { store, cursor } = useUi();
  const from = range?.from ?? null;
  const to = range?.to ?? null;
  const replaying = cursor !== null;
  useEffect(() => {
    if (from !== null && to !== null) void loadRange(store, from - 24 * HOUR_MS, to);
    else if (replaying) {
      const last = store.latestHour();
      if (last !== null) void loadRange(store, last - 72 * HOUR_MS, last);
    }
  }, [from, to, replaying, store.stations.length]);
}
