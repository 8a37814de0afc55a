/**
 * Meteorology conversions shared by the importers (UCI PRSA files), the episode importer and the
 * simulator. Pure.
 */

/** Saturation vapour pressure over water (hPa) at tC degC, Magnus form with the Alduchov &
 *  Eskridge (1996, J. Appl. Meteor. 35:601) coefficients 6.1094 hPa, 17.625, 243.04 degC
 *  (within 0.4 % of the Goff-Gratch values for -40..50 degC). */
export function magnusEs(tC: number): number {
  return 6.1094 * Math.exp((17.625 * tC) / (tC + 243.04));
}

/** Relative humidity (%) from air temperature and dew point (degC): es(Td) / es(T), Magnus form
 *  (magnusEs). Not clamped: a dew point above the temperature gives more than 100 %, and each
 *  caller decides how to treat it. Example: T 20, Td 10 -> 100 x 12.2605 / 23.3351 = 52.5 %. */
export function rhFromDewPoint(tC: number, dewC: number): number {
  return (100 * magnusEs(dewC)) / magnusEs(tC);
}

/** The 16 points of the compass, clockwise from north, 22.5 degrees apart. */
export const COMPASS_16 = ['N', 'NNE', 'NE', 'ENE', 'E', 'ESE', 'SE', 'SSE', 'S', 'SSW', 'SW', 'WSW', 'W', 'WNW', 'NW', 'NNW'] as const;

/** Degrees clockwise from north of a 16-point compass name, any case ("NW" -> 315), null if not
 *  one; "C" (calm, no direction) is null too. */
export function compassToDegrees(name: string): number | null {
  const i = COMPASS_16.indexOf(name.trim().toUpperCase() as (typeof COMPASS_16)[number]);
  return i < 0 ? null : i * 22.5;
}
