/**
 * Parsed archive rows -> wire messages (StationReadingMsg), so imported data goes through the same
 * normaliser as live data. Only the 1-h concentrations are carried (WIDE_HOURLY_TYPES); the
 * `_24h`, `_8h` and AQI columns are derived values that AirDesk recomputes.
 *
 * Hour labels: CNEMC labels an hour by its END ("16" = 15:00-16:00 Beijing), which is the wire
 * convention too; `hourLabel: 'start'` reads labels as the START of the hour (adds one hour).
 */
import type { StationReadingMsg } from '#common/schemas/reading.ts';
import { HOUR_MS, beijingToUtc, isoBeijing } from '#common/time.ts';
import { parseCnemcWide, pivotWide, WideFormatError } from '#common/formats/cnemc-wide.ts';
import { parsePrsa, PrsaFormatError } from '#common/formats/prsa.ts';
import { PRSA_STATIONS } from '#common/formats/beijing-stations.ts';
import { headerHasCodes, wideStationCode, WIDE_HOURLY_TYPES } from '#common/formats/beijing-files.ts';
import type { FileFormat } from './read.ts';

export type HourLabel = 'start' | 'end';

export interface LineReject {
  line: number;
  reason: string;
  detail: string;
}

export interface FileMessages {
  msgs: { msg: StationReadingMsg; where: string }[];
  lineRejects: LineReject[];
  /** station-hours with only derived columns (AQI, _24h) and no 1-h value */
  noHourly: number;
  /** cells present but not numbers, stored as missing */
  badCells: number;
}

/** Text of a CNEMC wide or PRSA file -> messages. Throws only for a header of the wrong format. */
export function fileToMessages(text: string, format: FileFormat, hourLabel: HourLabel = 'end'): FileMessages {
  const shift = hourLabel === 'start' ? HOUR_MS : 0;
  const out: FileMessages = { msgs: [], lineRejects: [], noHourly: 0, badCells: 0 };
  if (format === 'cnemc-wide') {
    const wide = parseCnemcWide(text);
    out.lineRejects.push(...wide.rejects);
    out.badCells = wide.badCells;
    const byCode = headerHasCodes(wide.stations);
    const codeOf = new Map(wide.stations.map((s) => [s, wideStationCode(s, byCode)]));
    for (const sh of pivotWide(wide)) {
      const values: Record<string, number | null> = {};
      let any = false;
      for (const type of WIDE_HOURLY_TYPES) {
        if (!(type in sh.byType)) continue;
        values[type] = sh.byType[type];
        if (sh.byType[type] !== null) any = true;
      }
      if (!any) {
        out.noHourly++;
        continue;
      }
      const time = isoBeijing(sh.time + shift);
      const station = codeOf.get(sh.station)!;
      out.msgs.push({ msg: { v: 1, station, time, interval: 'hour', values, units: { CO: 'mg/m3' } }, where: `${station}@${time}` });
    }
  } else {
    const prsa = parsePrsa(text);
    out.lineRejects.push(...prsa.rejects);
    for (const r of prsa.rows) {
      const t = beijingToUtc(r.year, r.month, r.day, r.hour) + shift;
      const station = PRSA_STATIONS[r.station] ?? `PRSA-${r.station}`;
      const time = isoBeijing(t);
      if (Object.values(r.values).every((v) => v === null) && Object.values(r.met).every((v) => v === null)) {
        out.noHourly++;
        continue;
      }
      out.msgs.push({
        msg: { v: 1, station, time, interval: 'hour', values: { ...r.values }, units: { CO: 'mg/m3' }, met: { ...r.met } },
        where: `${station}@${time} (line ${r.line})`,
      });
    }
  }
  return out;
}

export { WideFormatError, PrsaFormatError };
