/**
 * "Will today exceed?" for O3 (the duty forecaster's question during an O3 episode): the city O3
 * 8-h moving mean at the latest hour, today's MDA8 over the 8-h windows complete so far and whether
 * it is already over the exceedance threshold. A partial MDA8 can only grow as the day goes on
 * (more windows), so "on track" is final unless the day ends with too few valid windows (REF 2.3).
 */
import { o3Moving8h } from '../standards/index.ts';
import { MDA8_WINDOWS } from '../aggregate/index.ts';
import { beijingDayOfHourEnd, endOfBeijingDay } from '../time.ts';
import type { CityState } from './city.ts';
import type { EpisodeConfig } from './config.ts';

export interface TodayO3 {
  city: string;
  day: string;
  time: number | null;
  o3_8h: number | null;
  mda8SoFar: number | null;
  windows: number;
  threshold: number;
  levels: { moderate: number; heavy: number };
  onTrack: boolean;
  complete: boolean;
}

const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

/** Today's O3 state of a city; `day` = the Beijing day in progress (the server's clock). */
export function todayO3(cs: CityState, cfg: EpisodeConfig, day: string): TodayO3 {
  const o3 = cs.hourly.get('o3')!;
  const inDay = Number.isFinite(cs.latest) && beijingDayOfHourEnd(cs.latest) === day;
  const rec = inDay ? cs.days.get(day) ?? null : null;
  // Windows so far: the day record's MDA8 of the ongoing day uses the windows complete so far.
  let windows = 0;
  const end = endOfBeijingDay(day);
  for (let k = 0; k < MDA8_WINDOWS; k++) {
    const t = end - k * 3_600_000;
    if (t <= cs.latest && o3Moving8h(o3, t).value !== null) windows++;
  }
  const mda8SoFar = rec?.mda8 ?? null;
  return {
    city: cs.city, day, time: inDay ? cs.latest : null,
    o3_8h: inDay ? round1(o3Moving8h(o3, cs.latest).value) : null,
    mda8SoFar: round1(mda8SoFar), windows: inDay ? windows : 0,
    threshold: cfg.o3.exceed, levels: { moderate: cfg.o3.moderate, heavy: cfg.o3.heavy },
    onTrack: mda8SoFar !== null && mda8SoFar > cfg.o3.exceed,
    complete: inDay && cs.latest === end,
  };
}
