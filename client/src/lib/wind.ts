/**
 * Wind arrows from station meteorology. Meteorological convention: wd is the direction the wind
 * blows FROM, degrees clockwise from north (WMO No. 8); the arrow points where the air goes
 * (wd + 180). Length grows with speed so calm and gale read differently at a glance.
 */
export interface WindArrow {
  /** polyline: tail -> head, head -> left barb, head -> right barb */
  paths: [number, number][][];
  /** direction of travel, degrees clockwise from north */
  bearing: number;
  ws: number;
  /** the station it belongs to */
  lon: number;
  lat: number;
}

/** Screen length (px, before the marker scale) of the arrow drawn beside a marker: 14 px calm to
 *  30 px at >= 12 m/s. */
export function arrowLengthPx(ws: number): number {
  return 14 + (16 * Math.min(Math.max(ws, 0), 12)) / 12;
}

/** Where the arrow drawn beside a marker of radius r sits: its centre offset (screen px, y down)
 *  along the direction of travel, starting `gap` px outside the marker, so it never covers the
 *  marker or its value. Example: bearing 90 (to the east), r 15, len 20, gap 3 -> [28, 0]. */
export function arrowOffsetPx(bearing: number, r: number, len: number, gap: number): [number, number] {
  const b = (bearing * Math.PI) / 180;
  const d = r + gap + len / 2;
  return [d * Math.sin(b), -d * Math.cos(b)];
}

/** Arrow length in km for a wind speed in m/s: 3 km at calm up to 9 km at >= 12 m/s (clamped), long
 *  enough at city zoom to reach past the station marker it is centred on. */
export function arrowLengthKm(ws: number): number {
  return 3 + (6 * Math.min(Math.max(ws, 0), 12)) / 12;
}

/** Arrow centred on (lon, lat). Null when ws/wd are missing or invalid, or ws < 0.2 m/s (calm:
 *  no direction worth drawing). Example: wd = 0 (northerly) gives an arrow pointing south. */
export function windArrow(lon: number, lat: number, ws: number | null, wd: number | null): WindArrow | null {
  if (ws === null || wd === null || !Number.isFinite(ws) || !Number.isFinite(wd) || ws < 0.2) return null;
  const bearing = (((wd + 180) % 360) + 360) % 360;
  const len = arrowLengthKm(ws);
  const kx = 111.32 * Math.cos((lat * Math.PI) / 180);
  const ky = 110.574;
  const at = (km: number, deg: number, from: [number, number]): [number, number] => {
    const r = (deg * Math.PI) / 180;
    return [from[0] + (km * Math.sin(r)) / kx, from[1] + (km * Math.cos(r)) / ky];
  };
  const tail = at(len / 2, bearing + 180, [lon, lat]);
  const head = at(len / 2, bearing, [lon, lat]);
  const barb = len * 0.35;
  return {
    bearing, ws, lon, lat,
    paths: [[tail, head], [head, at(barb, bearing + 180 - 28, head)], [head, at(barb, bearing + 180 + 28, head)]],
  };
}
