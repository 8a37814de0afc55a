/**
 * The simulated city: Beijing's 12 national monitoring stations at their real coordinates, with the
 * per-station character (urban core, traffic, suburban, background) that makes their series differ
 * the way real ones do. Hard-coded so the simulator runs from a fresh clone without ../shared.
 *
 * Source of codes, names and coordinates: ../shared/data/stations/cnemc-stations.csv (national
 * station list), rows 1001A..1012A. Five stations carry longer names there (海淀万柳, 顺义新城,
 * 怀柔镇, 昌平镇, 定陵(对照点)); the short names below are the ones the Beijing municipal files use.
 */
import type { Station } from '#common/schemas/station.ts';

export type SiteType = 'urban' | 'suburban' | 'background';

export interface SimStation extends Station {
  lon: number;
  lat: number;
  site: SiteType;
  /** Multiplicative offsets on the city field; 1 = city average. Hand-set from the site type and
   *  position (south and west of the core carry more PM in winter, the northern background sites
   *  less PM and NO2 and more O3), not fitted to data. */
  factor: { pm: number; no2: number; o3: number; co: number; so2: number };
}

const f = (pm: number, no2: number, o3: number, co: number, so2: number) => ({ pm, no2, o3, co, so2 });

/** The 12 national stations of Beijing (cnemc-stations.csv, 经度/纬度 columns). */
export const BEIJING_STATIONS: readonly SimStation[] = [
  { code: '1001A', name: '万寿西宫', lon: 116.3621, lat: 39.8784, site: 'urban', factor: f(1.12, 1.05, 0.95, 1.08, 1.05) },
  { code: '1002A', name: '定陵', lon: 116.2202, lat: 40.2915, site: 'background', factor: f(0.72, 0.45, 1.18, 0.7, 0.8) },
  { code: '1003A', name: '东四', lon: 116.4174, lat: 39.9289, site: 'urban', factor: f(1.06, 1.18, 0.9, 1.12, 1.05) },
  { code: '1004A', name: '天坛', lon: 116.4072, lat: 39.8863, site: 'urban', factor: f(1.08, 1.0, 0.98, 1.04, 1.0) },
  { code: '1005A', name: '农展馆', lon: 116.462, lat: 39.9365, site: 'urban', factor: f(1.07, 1.15, 0.92, 1.1, 1.08) },
  { code: '1006A', name: '官园', lon: 116.3392, lat: 39.9295, site: 'urban', factor: f(1.05, 1.1, 0.93, 1.06, 1.0) },
  { code: '1007A', name: '万柳', lon: 116.2878, lat: 39.9611, site: 'urban', factor: f(1.02, 1.05, 0.97, 1.0, 0.95) },
  { code: '1008A', name: '顺义', lon: 116.6636, lat: 40.135, site: 'suburban', factor: f(0.95, 0.85, 1.05, 0.95, 1.1) },
  { code: '1009A', name: '怀柔', lon: 116.6275, lat: 40.3275, site: 'suburban', factor: f(0.8, 0.6, 1.12, 0.8, 0.9) },
  { code: '1010A', name: '昌平', lon: 116.2296, lat: 40.217, site: 'suburban', factor: f(0.85, 0.75, 1.08, 0.88, 0.9) },
  { code: '1011A', name: '奥体中心', lon: 116.3966, lat: 39.9821, site: 'urban', factor: f(1.0, 1.02, 1.0, 1.0, 1.0) },
  { code: '1012A', name: '古城', lon: 116.184, lat: 39.9136, site: 'urban', factor: f(1.05, 1.0, 0.97, 1.05, 1.12) },
].map((s) => ({ ...s, site: s.site as SiteType, city: '北京', province: '北京市', kind: 'national' as const }));

/** City centre used for spatial gradients: Tiananmen, roughly the centroid of the urban stations. */
export const CITY_CENTRE = { lon: 116.397, lat: 39.909 } as const;

/** km east and north of the city centre (equirectangular; fine at city scale). */
export function kmFromCentre(lon: number, lat: number): { x: number; y: number } {
  const kmPerDegLat = 111.2;
  const kmPerDegLon = 111.2 * Math.cos((CITY_CENTRE.lat * Math.PI) / 180);
  return { x: (lon - CITY_CENTRE.lon) * kmPerDegLon, y: (lat - CITY_CENTRE.lat) * kmPerDegLat };
}

/** The two simulated VOC analyzers: one at an urban traffic-influenced site, one at the
 *  background site (where biogenic isoprene matters relatively more). */
export const VOC_ANALYZERS: readonly { analyzer: string; station: string; scale: number; biogenic: number }[] = [
  { analyzer: 'voc-1003A', station: '1003A', scale: 1.0, biogenic: 1.0 },
  { analyzer: 'voc-1002A', station: '1002A', scale: 0.45, biogenic: 2.2 },
];

/**
 * N synthetic stations scattered around the city for load tests (`--stations N`), codes SIM0001..
 * Positions come from `rand` (seeded by the caller); factors are the inverse-distance-weighted
 * mean of the real stations' factors, so a synthetic station looks like its neighbours.
 */
export function syntheticStations(n: number, rand: () => number): SimStation[] {
  const out: SimStation[] = [];
  for (let i = 0; i < n; i++) {
    // Uniform in a disc of 45 km radius around the centre.
    const r = 45 * Math.sqrt(rand());
    const a = 2 * Math.PI * rand();
    const x = r * Math.cos(a);
    const y = r * Math.sin(a);
    const lat = CITY_CENTRE.lat + y / 111.2;
    const lon = CITY_CENTRE.lon + x / (111.2 * Math.cos((CITY_CENTRE.lat * Math.PI) / 180));
    let wsum = 0;
    const acc = { pm: 0, no2: 0, o3: 0, co: 0, so2: 0 };
    for (const s of BEIJING_STATIONS) {
      const d = kmFromCentre(s.lon, s.lat);
      const w = 1 / (1 + (d.x - x) ** 2 + (d.y - y) ** 2);
      wsum += w;
      for (const k of Object.keys(acc) as (keyof typeof acc)[]) acc[k] += w * s.factor[k];
    }
    for (const k of Object.keys(acc) as (keyof typeof acc)[]) acc[k] = Math.round((acc[k] / wsum) * 1000) / 1000;
    out.push({
      code: `SIM${String(i + 1).padStart(4, '0')}`,
      name: `模拟站${i + 1}`,
      city: '北京',
      province: '北京市',
      lon: Math.round(lon * 1e4) / 1e4,
      lat: Math.round(lat * 1e4) / 1e4,
      kind: 'micro',
      site: r < 15 ? 'urban' : 'suburban',
      factor: acc,
    });
  }
  return out;
}
