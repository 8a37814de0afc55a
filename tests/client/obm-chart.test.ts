/** Geometry of the box-model charts (client/src/voc/obmChart.ts) and the panel's day choice. */
import { describe, expect, it } from 'vitest';
import { contours } from 'd3-contour';
import type { ObmResult } from '../../common/schemas/obm.ts';
import { isopleth, po3Chart, ramp, ratioText, rirBars, RIR_NEGATIVE, RIR_POSITIVE } from '../../client/src/voc/obmChart.ts';
import { po3Curve } from '../../common/obm/po3-curve.ts';
import { obmDays } from '../../client/src/voc/VocPanel.tsx';
import { LEVELS } from '../../common/standards/levels.ts';
import type { Box } from '../../client/src/voc/chartData.ts';

const box: Box = { width: 300, height: 300, margin: { top: 10, right: 10, bottom: 40, left: 50 } };

/** An EKMA-like surface: O3 = 40 + 60 v n / (0.3 + n^2) over 0..1.5: a ridge at n ~ 0.55 for every v. */
function ekma(step = 0.25): ObmResult['ekma'] {
  const axis = Array.from({ length: Math.round(1.5 / step) + 1 }, (_, i) => i * step);
  const f = (v: number, n: number) => 40 + (60 * v * n) / (0.3 + n * n);
  return {
    metric: 'peakO3', grid: { voc: axis, nox: axis, value: axis.map((n) => axis.map((v) => f(v, n))) },
    ridge: axis.map((v) => ({ voc: v, nox: 0.55, value: f(v, 0.55), interior: v > 0 })),
    regime: 'VOC-limited', baseValue: f(1, 1), target: 0.9 * f(1, 1), monotoneRatio: 2, targetRatio: 2, band: [1.5, 3],
    paths: [{ ratio: 2, monotone: true, maxRise: 0, totalCutToTarget: 0.3, points: Array.from({ length: 10 }, (_, k) => ({ vocCut: k / 10, noxCut: k / 20, value: f(1 - k / 10, 1 - k / 20) })) }],
  };
}

describe('isopleth', () => {
  it('puts the day point at 100 %/100 % and the axes on the box', () => {
    const iso = isopleth(ekma(), box);
    // x: 50..290 for 0..1.5, so 1.0 -> 50 + 240 / 1.5; y: 260..10
    expect(iso.point.x).toBeCloseTo(50 + 240 / 1.5, 6);
    expect(iso.point.y).toBeCloseTo(260 - 250 / 1.5, 6);
    expect(iso.xTicks[0]).toEqual({ at: 50, label: '0' });
    expect(iso.xTicks.at(-1)!.label).toBe('150');
  });
  it('one band per level inside the value range, each path within the plot', () => {
    const e = ekma();
    const iso = isopleth(e, box);
    const flat = e.grid.value.flat();
    expect(iso.levels.length).toBeGreaterThanOrEqual(3);
    expect(iso.levels.every((l) => l > Math.min(...flat) && l < Math.max(...flat))).toBe(true);
    expect(iso.bands.map((b) => b.value)).toEqual(iso.levels);
    for (const b of iso.bands) {
      const nums = [...b.path.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
      expect(nums.length).toBeGreaterThan(2);
      for (const [x, y] of nums) { expect(x).toBeGreaterThanOrEqual(50 - 1e-6); expect(x).toBeLessThanOrEqual(290 + 1e-6); expect(y).toBeGreaterThanOrEqual(10 - 1e-6); expect(y).toBeLessThanOrEqual(260 + 1e-6); }
    }
  });
  it('d3-contour samples sit at i + 0.5: a level crossing between two nodes lands halfway between them on screen', () => {
    // the premise the mapping rests on
    expect(contours().size([2, 1]).thresholds([0.5])([0, 1])[0]!.coordinates[0]![0]).toContainEqual([1, 0.5]);
    const g: ObmResult['ekma'] = { ...ekma(), grid: { voc: [0, 0.75, 1.5], nox: [0, 0.75, 1.5], value: [[0, 1, 2], [0, 1, 2], [0, 1, 2]] }, ridge: [], paths: [], monotoneRatio: null };
    const iso = isopleth(g, box, 2);
    const band1 = iso.bands.find((b) => b.value === 1)!; // crossing at x node 1 exactly (value 1)
    const xs = [...band1.path.matchAll(/[ML](-?[\d.]+),/g)].map((m) => Number(m[1]));
    expect(Math.min(...xs)).toBeCloseTo(iso.sx(0.75), 0);
  });
  it('draws the recommended path from the day point towards smaller VOC and NOx, and the interior ridge', () => {
    const iso = isopleth(ekma(), box);
    expect(iso.path!.startsWith(`M${iso.point.x.toFixed(1)},${iso.point.y.toFixed(1)}`)).toBe(true);
    expect(iso.pathEnd!.x).toBeLessThan(iso.point.x);
    expect(iso.pathEnd!.y).toBeGreaterThan(iso.point.y); // screen y grows downwards: less NOx
    expect(iso.ridge.split('L')).toHaveLength(ekma().grid.voc.length - 1);
  });
  it('no path when no ratio qualifies', () => {
    expect(isopleth({ ...ekma(), monotoneRatio: null }, box).path).toBeNull();
  });
  it('never uses an AQI level colour', () => {
    const lv = new Set(LEVELS.map((l) => l.hex.toLowerCase()));
    const toHex = (rgb: string) => '#' + rgb.match(/\d+/g)!.map((n) => Number(n).toString(16).padStart(2, '0')).join('');
    for (let t = 0; t <= 1; t += 0.05) expect(lv.has(toHex(ramp(t)))).toBe(false);
    expect(lv.has(RIR_POSITIVE.toLowerCase()) || lv.has(RIR_NEGATIVE.toLowerCase())).toBe(false);
  });
});

describe('rirBars', () => {
  it('negative RIR to the left of zero in its own colour, null as an empty bar at zero', () => {
    const b: Box = { width: 400, height: 100, margin: { top: 0, right: 0, bottom: 0, left: 100 } };
    const { bars, zeroX } = rirBars([{ name: 'AVOC', rir: 0.6 }, { name: 'NOx', rir: -0.3 }, { name: 'CO', rir: null }], b, (n) => n);
    expect(bars[0]!.x).toBeCloseTo(zeroX, 6);
    expect(bars[0]!.colour).toBe(RIR_POSITIVE);
    expect(bars[1]!.x + bars[1]!.width).toBeCloseTo(zeroX, 6);
    expect(bars[1]!.colour).toBe(RIR_NEGATIVE);
    // lengths in proportion to |RIR|
    expect(bars[0]!.width / bars[1]!.width).toBeCloseTo(2, 6);
    expect(bars[2]!.width).toBe(0);
  });
});

describe('ratioText', () => {
  it.each([[2, '2:1'], [1, '1:1'], [0.5, '1:2'], [2.345, '2.35:1'], ['VOC-only', null], [null, null]] as const)('%s -> %s', (r, s) => expect(ratioText(r)).toBe(s));
});

describe('obmDays', () => {
  const H = 3_600_000;
  const d0 = Date.UTC(2026, 6, 9, 16); // 2026-07-10 00:00 Beijing
  it('days of the cycles (00:00 belongs to the day before); prefers the latest day with 18+ hours', () => {
    const full = Array.from({ length: 24 }, (_, k) => d0 + (k + 1) * H); // 07-10 whole day
    const part = Array.from({ length: 6 }, (_, k) => d0 + (25 + k) * H); // 07-11 01..06
    expect(obmDays([...full, ...part])).toEqual({ days: ['2026-07-10', '2026-07-11'], preferred: '2026-07-10' });
    expect(obmDays(part).preferred).toBe('2026-07-11');
    expect(obmDays([])).toEqual({ days: [], preferred: undefined });
  });
});

describe('po3Chart', () => {
  const b: Box = { width: 240, height: 120, margin: { top: 10, right: 10, bottom: 20, left: 40 } };
  // P rises to 20 ppb/h at 12:00, L a flat 4: net from -4 to 16.
  const hours = Array.from({ length: 24 }, (_, h) => ({ hour: h, pO3: h >= 6 && h <= 18 ? 20 * (1 - Math.abs(h - 12) / 6) : 0, lO3: 4 }));
  const g = po3Chart(po3Curve(hours), b);
  it('hours 0 and 23 at the plot edges, the peak at noon at the top, zero inside (net goes negative)', () => {
    expect(g.p.startsWith('M40.0,')).toBe(true);
    expect(g.p.includes('L230.0,')).toBe(true);
    expect(g.peak!.x).toBeCloseTo(40 + (12 / 23) * 190, 6);
    expect(g.peak!.y).toBeCloseTo(10, 6); // 20 is the top of the ticks 
    expect(g.zeroY).toBeGreaterThan(10);
    expect(g.zeroY).toBeLessThan(100);
    expect(g.yTicks.map((t) => t.label)).toContain('0');
  });
  it('no hours: empty paths, no peak, still finite', () => {
    const e = po3Chart(po3Curve([]), b);
    expect(e.p).toBe('');
    expect(e.peak).toBeNull();
    expect(Number.isFinite(e.zeroY)).toBe(true);
  });
});
