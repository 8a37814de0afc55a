/**
 * Parsed archive rows -> wire messages (StationReadingMsg), so imported data goes through the same
 * normaliser as live data. Only the 1-h concentrations are carried (WIDE_HOURLY_TYPES); the
 * `_24h`, `_8h` and AQI columns are derived values that AirDesk recomputes.
 *
 * Hour labels: CNEMC labels an hour by its END ("16" = 15:00-16:00 Beijing), which is the wire
 * convention too; `hourLabel: 'start'` reads labels as the START of the hour (adds one hour).
 */
import type { StationReadingMsg } from '#common/schemas/reading.ts';
import { isoBeijing } from '#common/time.ts';
import { WideFormatError } from '#common/formats/cnemc-wide.ts';
import { PrsaFormatError } from '#common/formats/prsa.ts';
import { MappingError } from '#common/formats/column-mapping.ts';
import { WIDE_HOURLY_TYPES } from '#common/formats/beijing-files.ts';
import { archiveHours, type ArchiveOptions } from '#common/formats/archive-hours.ts';
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

/** Types carried as readings: the 1-h concentrations (and NO / NOx where a table maps them). */
const CARRIED = [...WIDE_HOURLY_TYPES, 'NO', 'NOx'] as const;

/**
 * Text of a CNEMC wide, PRSA or mapped-table file -> messages, read by the one importer
 * (common/formats/archive-hours.ts). Throws only for a header of the wrong format, or a table
 * without a usable mapping (MappingError, with what is missing).
 */
export function fileToMessages(text: string, format: FileFormat, hourLabel: HourLabel = 'end', opts: Omit<ArchiveOptions, 'hourLabel'> = {}): FileMessages {
  const out: FileMessages = { msgs: [], lineRejects: [], noHourly: 0, badCells: 0 };
  const a = archiveHours(text, format, { ...opts, hourLabel });
  out.lineRejects.push(...a.rejects);
  out.badCells = a.badCells;
  for (const h of a.hours) {
    const values: Record<string, number | null> = {};
    let any = false;
    for (const type of CARRIED) {
      if (!(type in h.byType)) continue;
      values[type] = h.byType[type];
      if (h.byType[type] !== null) any = true;
    }
    const met = h.met && Object.keys(h.met).length ? h.met : undefined;
    const anyMet = met ? Object.values(met).some((v) => v !== null) : false;
    if (!any && !(format !== 'cnemc-wide' && anyMet)) {
      out.noHourly++;
      continue;
    }
    const time = isoBeijing(h.time);
    const msg: StationReadingMsg = { v: 1, station: h.station, time, interval: 'hour', values, units: { CO: 'mg/m3' }, ...(met ? { met: { ...met } } : {}) };
    out.msgs.push({ msg, where: h.line !== undefined && format !== 'cnemc-wide' ? `${h.station}@${time} (line ${h.line})` : `${h.station}@${time}` });
  }
  return out;
}

export { WideFormatError, PrsaFormatError, MappingError };
