/**
 * IAQI breakpoint tables of HJ 633-2012 Table 1 and HJ 633-2026 Table 1 (read from the standards'
 * texts; see ../shared/domain/REFERENCE.md 1.1). Units ug/m3, CO mg/m3.
 *
 * A table is a list of (concentration, IAQI) rows; IAQI between rows is linear (HJ 633 formula 1).
 * The two editions differ only in the IAQI = 100 row of the PM columns (PM10 150 -> 120,
 * PM2.5 75 -> 60). Columns that the standards cut short (SO2 1-h above 800, O3 8-h above 800) end
 * at their last row; what happens above is an edition's special case (see iaqi.ts).
 */
import type { Pollutant } from '../pollutants.ts';

export type Edition = '2012' | '2026';

/** One row of a breakpoint column: IAQI value `i` is reached at concentration `c`. */
export interface Breakpoint {
  readonly c: number;
  readonly i: number;
}

/** The columns of HJ 633 Table 1 (averaging period as the standard names it). */
export type Column =
  | 'so2_24h' | 'so2_1h' | 'no2_24h' | 'no2_1h' | 'co_24h' | 'co_1h'
  | 'o3_1h' | 'o3_8h' | 'pm10_24h' | 'pm25_24h';

export const COLUMN_POLLUTANT: Readonly<Record<Column, Pollutant>> = {
  so2_24h: 'so2', so2_1h: 'so2', no2_24h: 'no2', no2_1h: 'no2', co_24h: 'co', co_1h: 'co',
  o3_1h: 'o3', o3_8h: 'o3', pm10_24h: 'pm10', pm25_24h: 'pm25',
};

/** IAQI levels of HJ 633 Table 1, first column (both editions). */
export const IAQI_STEPS = [0, 50, 100, 150, 200, 300, 400, 500] as const;

// One array per column, in the order of IAQI_STEPS; `null` marks a cell the table leaves empty.
// HJ 633-2012 Table 1 and HJ 633-2026 Table 1 (identical except the PM columns, marked).
type Col = readonly (number | null)[];
const COMMON: Readonly<Record<Exclude<Column, 'pm10_24h' | 'pm25_24h'>, Col>> = {
  so2_24h: [0, 50, 150, 475, 800, 1600, 2100, 2620], // Table 1 row "SO2 24-hour average"
  so2_1h: [0, 150, 500, 650, 800, null, null, null], // Table 1 row "SO2 1-hour average" (note 2: > 800 special case)
  no2_24h: [0, 40, 80, 180, 280, 565, 750, 940], // Table 1 row "NO2 24-hour average"
  no2_1h: [0, 100, 200, 700, 1200, 2340, 3090, 3840], // Table 1 row "NO2 1-hour average"
  co_24h: [0, 2, 4, 14, 24, 36, 48, 60], // Table 1 row "CO 24-hour average" (mg/m3)
  co_1h: [0, 5, 10, 35, 60, 90, 120, 150], // Table 1 row "CO 1-hour average" (mg/m3)
  o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200], // Table 1 row "O3 1-hour average"
  o3_8h: [0, 100, 160, 215, 265, 800, null, null], // Table 1 row "O3 8-hour moving average" (note 3: > 800 special case)
};
const PM: Readonly<Record<Edition, Record<'pm10_24h' | 'pm25_24h', Col>>> = {
  '2012': {
    pm10_24h: [0, 50, 150, 250, 350, 420, 500, 600], // HJ 633-2012 Table 1 row "PM10 24-hour average"
    pm25_24h: [0, 35, 75, 115, 150, 250, 350, 500], // HJ 633-2012 Table 1 row "PM2.5 24-hour average"
  },
  '2026': {
    pm10_24h: [0, 50, 120, 250, 350, 420, 500, 600], // HJ 633-2026 Table 1 row "PM10 24-hour average" (100: 150 -> 120)
    pm25_24h: [0, 35, 60, 115, 150, 250, 350, 500], // HJ 633-2026 Table 1 row "PM2.5 24-hour average" (100: 75 -> 60)
  },
};

function toRows(col: Col): readonly Breakpoint[] {
  const rows: Breakpoint[] = [];
  col.forEach((c, k) => {
    if (c !== null) rows.push(Object.freeze({ c, i: IAQI_STEPS[k] }));
  });
  return Object.freeze(rows);
}

function build(edition: Edition): Readonly<Record<Column, readonly Breakpoint[]>> {
  const all = { ...COMMON, ...PM[edition] } as Record<Column, Col>;
  const out = {} as Record<Column, readonly Breakpoint[]>;
  for (const k of Object.keys(all) as Column[]) out[k] = toRows(all[k]);
  return Object.freeze(out);
}

/** Breakpoint columns by edition: `BREAKPOINTS['2026'].pm25_24h` -> [{c:0,i:0},{c:35,i:50},...]. */
export const BREAKPOINTS: Readonly<Record<Edition, Readonly<Record<Column, readonly Breakpoint[]>>>> = Object.freeze({
  '2012': build('2012'),
  '2026': build('2026'),
});
