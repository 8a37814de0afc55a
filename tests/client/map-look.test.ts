/**
 * What makes the map readable (issue 12, "Wall and map"): the surface's continuous ramp through
 * the HJ 633 level colours, its soft clipped edge, name labels that never overlap a label or a
 * marker, wind arrows drawn outside the marker they belong to.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LEVELS } from '#common/standards/levels.ts';
import { rampRgba, RAMP_STOPS, rampGradient } from '../../client/src/lib/colour.ts';
import { idwRaster } from '../../client/src/lib/idw.ts';
import { labelWidth, mercatorPx, placeLabels } from '../../client/src/lib/labels.ts';
import { arrowOffsetPx } from '../../client/src/lib/wind.ts';
import { BEIJING_STATIONS } from '../../simulators/city-beijing.ts';

describe('surface ramp', () => {
  it.each(RAMP_STOPS.map((s) => [s.at, LEVELS[s.level - 1].hex] as const))('AQI %i (middle of its band) is exactly the level colour %s', (at, hex) => {
    const [r, g, b] = rampRgba(at);
    expect('#' + [r, g, b].map((x) => x.toString(16).padStart(2, '0')).join('').toUpperCase()).toBe(hex);
  });
  it('halfway between two stops is the mean of their colours (100: halfway 优 #00E400 -> 良 #FFFF00)', () => {
    expect(rampRgba(50)).toEqual([128, 242, 0, 255]); // 50 = stop 25 + half of (75 - 25)
    expect(rampRgba(100)).toEqual([255, 191, 0, 255]); // halfway #FFFF00 -> #FF7E00
  });
  it('clamps below the first and above the last stop; null is the no-data grey', () => {
    expect(rampRgba(0)).toEqual(rampRgba(25));
    expect(rampRgba(900)).toEqual(rampRgba(350));
    expect(rampRgba(null)[0]).toBe(128);
  });
  it('the legend gradient lists every stop', () => {
    expect(rampGradient(400).match(/#[0-9A-F]{6}/g)).toHaveLength(RAMP_STOPS.length);
  });
});

describe('surface edge', () => {
  const pts = [{ lon: 116.0, lat: 40.0, value: 100 }, { lon: 116.2, lat: 40.0, value: 100 }, { lon: 116.1, lat: 40.2, value: 100 }];
  it('feathered: alpha rises from ~0 at the hull edge to full inside, never above the colour alpha', () => {
    const r = idwRaster(pts, 80, () => [10, 20, 30, 200], 2, 0.1)!;
    const row = r.height - 1; // the bottom edge of the triangle runs along the last row
    const edge = r.data[(row * r.width + Math.floor(r.width / 2)) * 4 + 3];
    const mid = r.data[(Math.floor(r.height * 0.6) * r.width + Math.floor(r.width / 2)) * 4 + 3];
    expect(edge).toBeLessThan(40);
    expect(mid).toBe(200);
    for (let i = 3; i < r.data.length; i += 4) expect(r.data[i]).toBeLessThanOrEqual(200);
  });
});

describe('station names', () => {
  const box = (l: { x: number; y: number; w: number; h: number }, o: [number, number]) => ({ x0: l.x + o[0] - l.w / 2, x1: l.x + o[0] + l.w / 2, y0: l.y + o[1] - l.h / 2, y1: l.y + o[1] + l.h / 2 });
  const overlap = (a: ReturnType<typeof box>, b: ReturnType<typeof box>) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

  it('a lone station gets its name below the marker', () => {
    expect(placeLabels([{ x: 0, y: 0, w: 40, h: 18 }], 15, 4)).toEqual([[0, 15 + 4 + 9]]);
  });
  it('two stations one above the other: the upper name moves aside instead of covering the lower marker', () => {
    const out = placeLabels([{ x: 0, y: 0, w: 40, h: 18 }, { x: 0, y: 36, w: 40, h: 18 }], 15, 4);
    expect(out[0]![1]).toBe(0); // beside, not below
    expect(out[1]).toEqual([0, 28]);
  });
  it('for any layout, placed names overlap neither each other nor another marker (fast-check)', () => {
    fc.assert(fc.property(fc.array(fc.record({ x: fc.integer({ min: 0, max: 400 }), y: fc.integer({ min: 0, max: 300 }), w: fc.integer({ min: 20, max: 80 }) }), { maxLength: 30 }), (ps) => {
      const ls = ps.map((p) => ({ ...p, h: 18 }));
      const r = 12;
      const out = placeLabels(ls, r, 3);
      const boxes = out.flatMap((o, i) => (o ? [{ i, b: box(ls[i], o) }] : []));
      for (let a = 0; a < boxes.length; a++) {
        for (let b = a + 1; b < boxes.length; b++) expect(overlap(boxes[a].b, boxes[b].b)).toBe(false);
        ls.forEach((m, j) => { if (j !== boxes[a].i) expect(overlap(boxes[a].b, { x0: m.x - r, x1: m.x + r, y0: m.y - r, y1: m.y + r })).toBe(false); });
      }
    }));
  });
  it('central Beijing at the wall zoom: 东四, 天坛, 农展馆 and 万寿西宫 names never overlap', () => {
    const z = 10.3, size = 28, r = 32;
    const ls = BEIJING_STATIONS.map((s) => { const [x, y] = mercatorPx(s.lon, s.lat, z); return { x, y, w: labelWidth(s.name, size) + 8, h: size * 1.35 }; });
    const out = placeLabels(ls, r, 8);
    expect(out.filter(Boolean).length).toBeGreaterThanOrEqual(9);
    const boxes = out.flatMap((o, i) => (o ? [box(ls[i], o)] : []));
    for (let a = 0; a < boxes.length; a++) for (let b = a + 1; b < boxes.length; b++) expect(overlap(boxes[a], boxes[b])).toBe(false);
  });
  it('label widths: CJK 1 em, Latin ~0.6 em', () => {
    expect(labelWidth('天坛', 10)).toBe(20);
    expect(labelWidth('AB', 10)).toBe(12);
  });
});

describe('wind arrow beside its marker', () => {
  it.each([[0, [0, -28]], [90, [28, 0]], [180, [0, 28]], [270, [-28, 0]]] as const)('bearing %i -> centre offset %j (r 15, len 20, gap 3)', (b, want) => {
    const [x, y] = arrowOffsetPx(b, 15, 20, 3);
    expect(x).toBeCloseTo(want[0], 9);
    expect(y).toBeCloseTo(want[1], 9);
  });
  it('the arrow never reaches inside the marker: its nearest point is gap px outside the radius', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 360, noNaN: true }), fc.double({ min: 4, max: 40, noNaN: true }), (b, len) => {
      const [x, y] = arrowOffsetPx(b, 15, len, 3);
      expect(Math.hypot(x, y) - len / 2).toBeCloseTo(18, 9);
    }));
  });
});
