/**
 * WGS84 -> GCJ-02 (the obfuscated datum Chinese web basemaps such as Tianditu-derived or AMap tiles
 * are drawn in). AirDesk stores WGS84/CGCS2000 (the two differ by centimetres) and converts only when
 * the configured basemap says it is GCJ-02. The formula is the widely published one (Krasovsky 1940
 * ellipsoid, a = 6378245 m, e^2 = 0.00669342162296594323); reference output for (116.404, 39.915)
 * is (116.41024449916938, 39.91640428150164), wandergis/coordtransform README.
 */
const A = 6378245.0;
const EE = 0.00669342162296594323;

/** Outside mainland China's rough bounding box the offset is not applied (the usual convention). */
export function outOfChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function tLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function tLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** [lon, lat] WGS84 -> [lon, lat] GCJ-02 (degrees). Example: wgs84ToGcj02(116.404, 39.915) ->
 *  [116.41024449916938, 39.91640428150164]. Points outside China pass through unchanged. */
export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  if (outOfChina(lon, lat)) return [lon, lat];
  let dLat = tLat(lon - 105, lat - 35);
  let dLon = tLon(lon - 105, lat - 35);
  const radLat = (lat / 180) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/** Basemap datum named in config: 'wgs84' (default, offline basemap, Tianditu) or 'gcj02'. */
export type Datum = 'wgs84' | 'gcj02';

/** Projector for the configured datum, applied to every coordinate drawn on the map. */
export function projectorFor(datum: Datum): (lon: number, lat: number) => [number, number] {
  return datum === 'gcj02' ? wgs84ToGcj02 : (lon, lat) => [lon, lat];
}
