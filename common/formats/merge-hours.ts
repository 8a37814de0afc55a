/**
 * Merge station-hours from several wide files. BJMEMC splits one day across two files
 * (beijing_all_* with PM and AQI, beijing_extra_* with the gases): merging by station and hour
 * end puts every type of a station-hour back together, whatever the file order.
 */
import type { StationHour } from './cnemc-wide.ts';

export interface MergeResult {
  hours: StationHour[];
  /** type cells given twice with different values (the later file's value is kept) */
  conflicts: number;
}

/** Merge by (station, time); output ordered by time, then station name. */
export function mergeStationHours(lists: readonly (readonly StationHour[])[]): MergeResult {
  const m = new Map<string, StationHour>();
  let conflicts = 0;
  for (const list of lists) {
    for (const sh of list) {
      const k = `${sh.station}\u0000${sh.time}`;
      const e = m.get(k);
      if (!e) {
        m.set(k, { station: sh.station, time: sh.time, byType: { ...sh.byType } });
        continue;
      }
      for (const [type, v] of Object.entries(sh.byType)) {
        const old = e.byType[type];
        if (old !== undefined && old !== null && v !== null && old !== v) conflicts++;
        if (v !== null || old === undefined) e.byType[type] = v;
      }
    }
  }
  const hours = [...m.values()].sort((a, b) => a.time - b.time || (a.station < b.station ? -1 : a.station > b.station ? 1 : 0));
  return { hours, conflicts };
}
