/**
 * Interpolated concentration surface between stations: inverse distance weighting on a regular
 * lon/lat grid, cells kept only when their centre lies inside the network's convex hull (no
 * extrapolation beyond the stations, which would invent pollution where nobody measures).
 */
import { convexHull, inConvex, type Pt } from './hull.ts';

export interface IdwPoint { lon: number; lat: number; value: number }
export interface IdwCell {
  /** cell polygon corners [lon, lat], closed ring not repeated */
  polygon: [number, number][];
  lon: number;
  lat: number;
  value: number;
}

/** IDW estimate at (lon, lat) with weights 1/d^power; distance in km on a local equirectangular
 *  projection (good to < 0.5 % across a city). A grid point on a station takes its value. */
export function idwAt(points: readonly IdwPoint[], lon: number, lat: number, power = 2): number | null {
  if (points.length === 0) return null;
  const kx = 111.32 * Math.cos((lat * Math.PI) / 180);
  let num = 0;
  let den = 0;
  for (const p of points) {
    const dx = (p.lon - lon) * kx;
    const dy = (p.lat - lat) * 110.574;
    const d2 = dx * dx + dy * dy;
    if (d2 < 1e-12) return p.value;
    const w = power === 2 ? 1 / d2 : 1 / Math.pow(d2, power / 2);
    num += w * p.value;
    den += w;
  }
  return num / den;
}

/** Grid of cells of `cellDeg` degrees over the points' bounding box, clipped to their convex hull.
 *  Needs 3 non-collinear points; otherwise no surface (returns []). */
export function idwSurface(points: readonly IdwPoint[], cellDeg: number, power = 2): IdwCell[] {
  const valid = points.filter((p) => Number.isFinite(p.value));
  const hull = convexHull(valid.map((p) => [p.lon, p.lat] as Pt));
  if (hull.length < 3 || !(cellDeg > 0)) return [];
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of hull) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  const out: IdwCell[] = [];
  const h = cellDeg / 2;
  for (let y = y0 + h; y < y1; y += cellDeg) {
    for (let x = x0 + h; x < x1; x += cellDeg) {
      if (!inConvex(hull, [x, y])) continue;
      const v = idwAt(valid, x, y, power)!;
      out.push({
        lon: x, lat: y, value: v,
        polygon: [[x - h, y - h], [x + h, y - h], [x + h, y + h], [x - h, y + h]],
      });
    }
  }
  return out;
}

export interface IdwRaster {
  /** [west, south, east, north] in degrees */
  bounds: [number, number, number, number];
  width: number;
  height: number;
  /** RGBA rows from north to south (image order); alpha 0 outside the hull */
  data: Uint8ClampedArray;
}

/** Distance (degrees, x scaled by kx) from q inside a convex CCW polygon to its nearest edge. */
function insideDistance(poly: readonly Pt[], q: Pt, kx: number): number {
  let best = Infinity;
  for (let i = 0; i < poly.length; i++) {
    const a = poly[i], b = poly[(i + 1) % poly.length];
    const ex = (b[0] - a[0]) * kx, ey = b[1] - a[1];
    const len = Math.hypot(ex, ey);
    if (len === 0) continue;
    // signed distance to the edge's line (positive inside a CCW polygon)
    const d = (ex * (q[1] - a[1]) - ey * (q[0] - a[0]) * kx) / len;
    if (d < best) best = d;
  }
  return best;
}

/** The same surface as an image for drawing: `width` pixels across the hull's bounding box, each
 *  pixel centre interpolated and coloured by `colour`, transparent outside the convex hull.
 *  `feather` (0..0.5, a fraction of the hull's larger side) fades the alpha to 0 towards the hull's
 *  edge, so the clipped edge reads as a soft boundary instead of the raster's pixel stairs when the
 *  image is stretched over a city at zoom 11. */
export function idwRaster(
  points: readonly IdwPoint[], width: number, colour: (v: number) => readonly [number, number, number, number], power = 2,
  feather = 0,
): IdwRaster | null {
  const valid = points.filter((p) => Number.isFinite(p.value));
  const hull = convexHull(valid.map((p) => [p.lon, p.lat] as Pt));
  if (hull.length < 3 || width < 2) return null;
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of hull) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  const kx = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const height = Math.max(2, Math.round((width * (y1 - y0)) / ((x1 - x0) * kx)));
  const data = new Uint8ClampedArray(width * height * 4);
  const dx = (x1 - x0) / width;
  const dy = (y1 - y0) / height;
  const fw = feather > 0 ? feather * Math.max((x1 - x0) * kx, y1 - y0) : 0;
  for (let j = 0; j < height; j++) {
    const y = y1 - (j + 0.5) * dy;
    for (let i = 0; i < width; i++) {
      const x = x0 + (i + 0.5) * dx;
      if (!inConvex(hull, [x, y])) continue;
      const c = colour(idwAt(valid, x, y, power)!);
      const o = (j * width + i) * 4;
      const f = fw > 0 ? Math.min(1, insideDistance(hull, [x, y], kx) / fw) : 1;
      data[o] = c[0]; data[o + 1] = c[1]; data[o + 2] = c[2]; data[o + 3] = Math.round(c[3] * f * f * (3 - 2 * f));
    }
  }
  return { bounds: [x0, y0, x1, y1], width, height, data };
}
