/**
 * Pure data -> layer functions of the client: level colours, IDW surface and hull clipping, wind
 * arrow geometry, freshness, GCJ-02, moving means, the dictionary. Expected values come from the
 * standards' tables (HJ 633 Appendix A colours, Table 1 breakpoints), hand derivations, and the
 * published GCJ-02 reference pair.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { levelHex, levelRgba, NO_DATA_RGBA, stationRgba, textOn, episodeLevelIndex } from '../../client/src/lib/colour.ts';
import { metricIndex } from '../../client/src/lib/metrics.ts';
import { convexHull, inConvex } from '../../client/src/lib/hull.ts';
import { idwAt, idwRaster, idwSurface } from '../../client/src/lib/idw.ts';
import { arrowLengthKm, windArrow } from '../../client/src/lib/wind.ts';
import { colourable, freshnessOf, globalFreshness } from '../../client/src/lib/freshness.ts';
import { outOfChina, projectorFor, wgs84ToGcj02 } from '../../client/src/lib/gcj02.ts';
import { alignHourly, movingMean } from '../../client/src/lib/series.ts';
import { dictEntry, dictionaryKeys, loadLang, saveLang, t } from '../../client/src/lib/i18n.ts';

describe('level colours (HJ 633 Appendix A)', () => {
  it.each([
    [0, '#00E400'], [50, '#00E400'], [51, '#FFFF00'], [100, '#FFFF00'], [101, '#FF7E00'], [150, '#FF7E00'],
    [151, '#FF0000'], [200, '#FF0000'], [201, '#99004C'], [300, '#99004C'], [301, '#7E0023'], [500, '#7E0023'],
  ])('AQI %i -> %s (level boundaries, HJ 633 Table 2)', (aqi, hex) => {
    expect(levelHex(aqi)).toBe(hex);
  });
  it('missing or negative values are the no-data grey, never a level colour', () => {
    expect(levelRgba(null)).toEqual(NO_DATA_RGBA);
    expect(levelRgba(-1)).toEqual(NO_DATA_RGBA);
    expect(levelHex(null)).toBe('#80868C');
  });
  it('a station that is not fresh is grey whatever its value', () => {
    expect(stationRgba('aqi', 320, false)).toEqual(NO_DATA_RGBA);
    expect(stationRgba('aqi', 320, true)).toEqual([126, 0, 35, 255]);
  });
  it('text on yellow is dark; on red and darker white', () => {
    expect(textOn(2)).toBe('#111111');
    expect(textOn(4)).toBe('#FFFFFF');
  });
  it('episode levels map into the matching AQI level', () => {
    expect(levelHex(episodeLevelIndex('heavy'))).toBe('#99004C');
    expect(levelHex(episodeLevelIndex('severe'))).toBe('#7E0023');
    expect(episodeLevelIndex('combined')).toBeNull();
  });
});

describe('colour by pollutant: IAQI under HJ 633-2026 Table 1', () => {
  it.each([
    // O3 8-h: 160 is IAQI 100, 215 is 150 (Table 1 row O3 8-h); 170 -> 100 + (10/55)*50 = 109.09 -> 110
    ['o3_8h', 160, 100], ['o3_8h', 170, 110], ['o3_8h', 215, 150],
    // PM2.5 (1-h indexed on the 24-h column, 2026): 60 -> 100, 115 -> 150
    ['pm25', 60, 100], ['pm25', 115, 150], ['pm25_24h', 35, 50],
    // CO 1-h mg/m3: 10 -> 100
    ['co', 10, 100],
    // NO2 1-h: 200 -> 100
    ['no2', 200, 100],
  ] as const)('%s %d -> IAQI %d', (k, c, i) => {
    expect(metricIndex(k, c)).toBe(i);
  });
  it('AQI passes through; missing stays missing', () => {
    expect(metricIndex('aqi', 87)).toBe(87);
    expect(metricIndex('pm25', null)).toBeNull();
  });
  it('IAQI never decreases as the concentration rises (property)', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 500, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (c, d) => {
      const a = metricIndex('pm25', c)!;
      const b = metricIndex('pm25', c + d)!;
      return b >= a;
    }));
  });
});

describe('convex hull and clipping', () => {
  it('hull of a square with an inside point is the square, counter-clockwise', () => {
    const h = convexHull([[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0.5]]);
    expect(h).toEqual([[0, 0], [1, 0], [1, 1], [0, 1]]);
  });
  it('collinear points give no area', () => {
    expect(convexHull([[0, 0], [1, 1], [2, 2]]).length).toBeLessThan(3);
  });
  it('every input point is inside or on its hull (property)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -50, max: 50 })), { minLength: 3, maxLength: 30 }), (pts) => {
      const h = convexHull(pts);
      if (h.length < 3) return true;
      return pts.every((p) => inConvex(h, p));
    }));
  });
});

describe('IDW surface', () => {
  const pts = [
    { lon: 116.0, lat: 40.0, value: 100 },
    { lon: 116.2, lat: 40.0, value: 200 },
    { lon: 116.1, lat: 40.2, value: 300 },
  ];
  it('takes the station value on a station', () => {
    expect(idwAt(pts, 116.2, 40.0)).toBe(200);
  });
  it('midpoint between two equal-distance stations and a far one: hand-derived weights', () => {
    // At (116.1, 40.0): d to A and B = 0.1 deg lon * 111.32 * cos(40) = 8.527 km; to C = 0.2 * 110.574 = 22.115 km.
    const kx = 111.32 * Math.cos((40 * Math.PI) / 180);
    const wAB = 1 / (0.1 * kx) ** 2;
    const wC = 1 / (0.2 * 110.574) ** 2;
    const expected = (wAB * 100 + wAB * 200 + wC * 300) / (2 * wAB + wC);
    expect(idwAt(pts, 116.1, 40.0)).toBeCloseTo(expected, 9);
  });
  it('stays within the range of the station values (property)', () => {
    fc.assert(fc.property(fc.double({ min: 116.0, max: 116.2, noNaN: true }), fc.double({ min: 40.0, max: 40.2, noNaN: true }), (x, y) => {
      const v = idwAt(pts, x, y)!;
      return v >= 100 - 1e-9 && v <= 300 + 1e-9;
    }));
  });
  it('cells exist only inside the network hull (no extrapolation)', () => {
    const cells = idwSurface(pts, 0.01);
    const hull = convexHull(pts.map((p) => [p.lon, p.lat] as [number, number]));
    expect(cells.length).toBeGreaterThan(100);
    for (const c of cells) expect(inConvex(hull, [c.lon, c.lat])).toBe(true);
    // The triangle's area is half its 0.2 x 0.2 bounding box: about half the 400 grid cells.
    expect(cells.length).toBeGreaterThan(170);
    expect(cells.length).toBeLessThan(230);
  });
  it('no surface from fewer than three stations', () => {
    expect(idwSurface(pts.slice(0, 2), 0.01)).toEqual([]);
    expect(idwRaster(pts.slice(0, 2), 50, () => [0, 0, 0, 255])).toBeNull();
  });
  it('raster pixels outside the hull are transparent, inside coloured', () => {
    const r = idwRaster(pts, 40, () => [10, 20, 30, 200])!;
    expect(r.data.length).toBe(r.width * r.height * 4);
    // top-left corner (116.0, 40.2) is outside the triangle; bottom centre inside.
    expect(r.data[3]).toBe(0);
    const o = ((r.height - 1) * r.width + Math.floor(r.width / 2)) * 4;
    expect(Array.from(r.data.slice(o, o + 4))).toEqual([10, 20, 30, 200]);
  });
});

describe('wind arrows', () => {
  it('a northerly (wd 0) points south; an easterly (wd 90) points west', () => {
    const n = windArrow(116.4, 39.9, 5, 0)!;
    expect(n.bearing).toBe(180);
    const [tail, head] = n.paths[0];
    expect(head[1]).toBeLessThan(tail[1]);
    expect(head[0]).toBeCloseTo(tail[0], 9);
    const e = windArrow(116.4, 39.9, 5, 90)!;
    expect(e.paths[0][1][0]).toBeLessThan(e.paths[0][0][0]);
  });
  it('shaft length in km matches the speed scale', () => {
    const a = windArrow(116.4, 39.9, 12, 0)!;
    const [tail, head] = a.paths[0];
    expect(((tail[1] - head[1]) * 110.574)).toBeCloseTo(arrowLengthKm(12), 6);
    expect(arrowLengthKm(30)).toBe(arrowLengthKm(12));
  });
  it('calm, missing or invalid wind draws nothing', () => {
    expect(windArrow(116, 40, 0.1, 90)).toBeNull();
    expect(windArrow(116, 40, null, 90)).toBeNull();
    expect(windArrow(116, 40, 3, Number.NaN)).toBeNull();
  });
});

describe('freshness', () => {
  const H = 3_600_000;
  const last = Date.UTC(2026, 6, 1, 6); // 14:00 Beijing
  it.each([
    [last + 80 * 60_000, 'fresh'], // 15:20: the 15:00 hour is still within its 25-min grace
    [last + 90 * 60_000, 'late'], // 15:30: one hour missing
    [last + 3 * H + 24 * 60_000, 'late'], // 17:24: two missing
    [last + 3 * H + 30 * 60_000, 'stale'], // 17:30: three missing
  ] as const)('last 14:00, now %d -> %s', (now, f) => {
    expect(freshnessOf(last, now)).toBe(f);
  });
  it('no data is nodata, and only fresh/late may carry a level colour', () => {
    expect(freshnessOf(null, last)).toBe('nodata');
    expect(colourable('stale')).toBe(false);
    expect(colourable('nodata')).toBe(false);
    expect(colourable('late')).toBe(true);
  });
  it('the network is as fresh as its newest station; no data at all is nodata', () => {
    expect(globalFreshness([null, last, last - 5 * H], last + 10 * 60_000)).toBe('fresh');
    expect(globalFreshness([null, null], last)).toBe('nodata');
  });
});

describe('WGS84 -> GCJ-02', () => {
  it('matches the published reference pair (wandergis/coordtransform README)', () => {
    const [x, y] = wgs84ToGcj02(116.404, 39.915);
    expect(x).toBeCloseTo(116.41024449916938, 10);
    expect(y).toBeCloseTo(39.91640428150164, 10);
  });
  it('passes points outside China through; the offset inside is a few hundred metres', () => {
    expect(outOfChina(-0.1246, 51.5007)).toBe(true);
    expect(wgs84ToGcj02(-0.1246, 51.5007)).toEqual([-0.1246, 51.5007]);
    fc.assert(fc.property(fc.double({ min: 100, max: 125, noNaN: true }), fc.double({ min: 20, max: 45, noNaN: true }), (lon, lat) => {
      const [x, y] = wgs84ToGcj02(lon, lat);
      return Math.abs(x - lon) < 0.02 && Math.abs(y - lat) < 0.02;
    }));
  });
  it('the wgs84 projector is the identity', () => {
    expect(projectorFor('wgs84')(116.4, 39.9)).toEqual([116.4, 39.9]);
    expect(projectorFor('gcj02')(116.404, 39.915)[0]).toBeCloseTo(116.41024449916938, 10);
  });
});

describe('moving means (GB 3095-2026 Table 4 validity)', () => {
  it('trailing mean with a validity minimum', () => {
    expect(movingMean([1, 2, 3], 2, 2)).toEqual([null, 1.5, 2.5]);
    expect(movingMean([1, null, 3, 5], 2, 1)).toEqual([1, 1, 3, 4]);
  });
  it('8-h needs 6 valid hours', () => {
    const v = [10, 10, 10, 10, null, null, null, 10]; // 5 valid of 8
    expect(movingMean(v, 8, 6)[7]).toBeNull();
    expect(movingMean([...v.slice(0, 6), 10, 10], 8, 6)[7]).toBe(10);
  });
  it('equals the direct mean of each window (property)', () => {
    fc.assert(fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }), { minLength: 1, maxLength: 60 }), (vals) => {
      const got = movingMean(vals, 8, 6);
      return got.every((g, i) => {
        const w = vals.slice(Math.max(0, i - 7), i + 1).filter((x): x is number => x !== null);
        const want = w.length >= 6 ? w.reduce((a, b) => a + b, 0) / w.length : null;
        return want === null ? g === null : g !== null && Math.abs(g - want) < 1e-9;
      });
    }));
  });
  it('aligns points on the hours, missing hours null', () => {
    const H = 3_600_000;
    expect(alignHourly([{ time: 0, value: 1 }, { time: 2 * H, value: 3 }], 0, 3 * H)).toEqual([1, null, 3, null]);
  });
});

describe('dictionary', () => {
  it('every key has Chinese and English', () => {
    for (const k of dictionaryKeys()) {
      const e = dictEntry(k);
      expect(e.zh.length, k).toBeGreaterThan(0);
      expect(e.en.length, k).toBeGreaterThan(0);
    }
  });
  it('fills placeholders', () => {
    expect(t('en', 'dataAsOf', { t: '14:00' })).toBe('Data as of 14:00');
    expect(t('zh', 'connectionLost', { t: '14:02' })).toBe('连接中断，自 14:02 起');
  });
  it('defaults to Chinese and remembers English', () => {
    const m = new Map<string, string>();
    const st = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
    expect(loadLang(st)).toBe('zh');
    saveLang(st, 'en');
    expect(loadLang(st)).toBe('en');
    expect(loadLang(null)).toBe('zh');
  });
});
