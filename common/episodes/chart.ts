/**
 * Chart data of an episode, in the measure its kind is judged on:
 * - O3: the O3 8-h moving mean of the city and of each station, hour by hour, against 160 / 215 / 265
 *   ug/m3 (HJ 633 Table 1 O3 8-h IAQI 100 / 150 / 200), and each day's MDA8 (REF 2.3, 4.1);
 * - heavy / combined: the rolling 24-h AQI of the city against 200 / 300, and each day's AQI.
 */
import { o3Moving8h } from '../standards/index.ts';
import { HOUR_MS } from '../time.ts';
import type { CityState } from './city.ts';
import type { EpisodeConfig } from './config.ts';
import type { Episode } from './types.ts';

export interface EpisodeChart {
  metric: 'o3_8h' | 'rolling_aqi';
  unit: 'ug/m3' | 'aqi';
  thresholds: { value: number; code: string }[];
  city: { time: number; value: number | null }[];
  stations: Record<string, { time: number; value: number | null }[]>;
  daily: { day: string; metric: 'mda8' | 'aqi'; value: number | null; provisional: boolean }[];
}

const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

export function episodeChart(e: Episode, cs: CityState, cfg: EpisodeConfig): EpisodeChart {
  const from = e.startTime + HOUR_MS;
  const to = e.endTime;
  const hoursOf = (f: (t: number) => number | null) => {
    const out: { time: number; value: number | null }[] = [];
    for (let t = from; t <= to; t += HOUR_MS) out.push({ time: t, value: round1(f(t)) });
    return out;
  };
  if (e.kind === 'o3') {
    const city = cs.hourly.get('o3')!;
    const stations: EpisodeChart['stations'] = {};
    for (const [st, m] of cs.stations) {
      if (st === '') continue;
      const s = new Map<number, number>();
      for (const [t, v] of m) if (v.o3 !== undefined) s.set(t, v.o3);
      if (s.size) stations[st] = hoursOf((t) => o3Moving8h(s, t).value);
    }
    return {
      metric: 'o3_8h', unit: 'ug/m3',
      thresholds: [{ value: cfg.o3.exceed, code: 'o3.exceed' }, { value: cfg.o3.moderate, code: 'o3.moderate' }, { value: cfg.o3.heavy, code: 'o3.heavy' }],
      city: hoursOf((t) => o3Moving8h(city, t).value), stations,
      daily: e.days.map((d) => ({ day: d.day, metric: 'mda8' as const, value: d.mda8, provisional: d.provisional })),
    };
  }
  return {
    metric: 'rolling_aqi', unit: 'aqi',
    thresholds: [{ value: cfg.heavy.exceed, code: 'aqi.heavy' }, { value: cfg.heavy.severe, code: 'aqi.severe' }],
    city: hoursOf((t) => cs.rolling.get(t)?.aqi ?? null), stations: {},
    daily: e.days.map((d) => ({ day: d.day, metric: 'aqi' as const, value: d.aqi, provisional: d.provisional })),
  };
}
