/**
 * Naming rules for the files the importer reads and the stations they name.
 *
 * Station codes: national files (china_sites_*) name stations by CNEMC code. Beijing municipal
 * files (beijing_all_*, beijing_extra_*) name them in Chinese: the 12 national stations get their
 * CNEMC code (beijing-stations.ts) so their data joins the national series; the 23 municipal
 * stations, which have no code in any registry here, get a stable code derived from the name:
 * 'BJ-' + the name as written (e.g. 'BJ-前门'), so re-imports land on the same identity.
 */
import { beijingNationalCode } from './beijing-stations.ts';

/** Code for a Beijing-file station column: CNEMC code for the 12 national stations, else 'BJ-<name>'. */
export function beijingStationCode(name: string): string {
  const n = name.trim();
  return beijingNationalCode(n) ?? `BJ-${n}`;
}

/** True when a wide-file header names stations by CNEMC code (1001A, 2846A, ...), not by name. */
export function headerHasCodes(stations: readonly string[]): boolean {
  const coded = stations.filter((s) => /^\d{4}[A-Z]$/.test(s.trim())).length;
  return coded > 0 && coded >= stations.length / 2;
}

/** Station code for a wide-file column: codes as written; names mapped by beijingStationCode. */
export function wideStationCode(column: string, byCode: boolean): string {
  return byCode ? column.trim() : beijingStationCode(column);
}

/** The 1-hour concentration types of CNEMC wide files stored as readings; `_24h`, `_8h` and AQI are
 *  derived from these and are recomputed, not stored. */
export const WIDE_HOURLY_TYPES = ['PM2.5', 'PM10', 'SO2', 'NO2', 'O3', 'CO'] as const;
