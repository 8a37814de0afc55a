/**
 * Geometry of the box-model charts (pure, tested in tests/client/obm-chart.test.ts): the RIR bars
 * by precursor group and the EKMA isopleth diagram (filled contours of the peak O3 over the VOC and
 * NOx scalings, via d3-contour), with the ridge, the day's point (100 %, 100 %) and the recommended
 * reduction path, and the P(O3) curve through the day. Colours are a blue ramp and greys: never the HJ 633 level colours (UX.md).
 */
import { ticks } from 'd3-array';
import { contours } from 'd3-contour';
import type { Po3Curve } from '#common/obm/po3-curve.ts';
import type { ObmResult } from '#common/schemas/obm.ts';
import type { Box, Tick } from './chartData.ts';

export const RIR_POSITIVE = '#2f6db5';
export const RIR_NEGATIVE = '#8c6bb1';

export interface RirBar { name: string; label: string; value: number | null; x: number; y: number; width: number; height: number; colour: string }

/** Horizontal bars around a zero line: RIR > 0 (cutting it lowers O3) to the right. */
export function rirBars(groups: readonly { name: string; rir: number | null }[], b: Box, label: (name: string) => string): { bars: RirBar[]; zeroX: number; ticks: Tick[]; range: [number, number] } {
  const vals = groups.map((g) => g.rir).filter((v): v is number => v != null && Number.isFinite(v));
  const lo = Math.min(0, ...vals), hi = Math.max(0, ...vals);
  const span = hi - lo || 1;
  const pad = span * 0.05;
  const range: [number, number] = [lo < 0 ? lo - pad : 0, hi > 0 ? hi + pad : 0.1];
  const x0 = b.margin.left, x1 = b.width - b.margin.right;
  const sx = (v: number) => x0 + ((v - range[0]) / (range[1] - range[0])) * (x1 - x0);
  const rowH = (b.height - b.margin.top - b.margin.bottom) / Math.max(1, groups.length);
  const zeroX = sx(0);
  const bars = groups.map((g, i) => {
    const v = g.rir;
    const xa = v == null ? zeroX : sx(Math.min(0, v)), xb = v == null ? zeroX : sx(Math.max(0, v));
    return { name: g.name, label: label(g.name), value: v, x: xa, width: xb - xa, y: b.margin.top + i * rowH + rowH * 0.15, height: rowH * 0.7, colour: v != null && v < 0 ? RIR_NEGATIVE : RIR_POSITIVE };
  });
  return { bars, zeroX, ticks: ticks(range[0], range[1], 5).map((v) => ({ at: sx(v), label: String(Number(v.toFixed(2))) })), range };
}

/** A light-to-dark blue ramp (not a level colour), t in 0..1. */
export function ramp(t: number): string {
  const a = [238, 243, 251], z = [29, 63, 120];
  const c = a.map((v, i) => Math.round(v + (z[i]! - v) * Math.min(1, Math.max(0, t))));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

export interface Isopleth {
  /** Filled bands, lowest first: each the area where the value >= `value`. */
  bands: { value: number; path: string; fill: string }[];
  levels: number[];
  ridge: string;
  point: { x: number; y: number };
  /** The recommended path from the day's point (EKMA monotone ratio), or null. */
  path: string | null;
  pathEnd: { x: number; y: number } | null;
  xTicks: Tick[];
  yTicks: Tick[];
  sx: (voc: number) => number;
  sy: (nox: number) => number;
}

/** EKMA isopleth geometry for a square plot box. The grid is value[iNox][iVoc] on axes in scalings
 *  (1 = as observed); d3-contour puts sample i at i + 0.5 in its own coordinates. */
export function isopleth(e: ObmResult['ekma'], b: Box, nLevels = 8): Isopleth {
  const { voc, nox, value } = e.grid;
  const n = voc.length, m = nox.length;
  const flat = value.flat();
  const lo = Math.min(...flat), hi = Math.max(...flat);
  const levels = ticks(lo, hi, nLevels).filter((v) => v > lo && v < hi);
  const vmax = voc[n - 1]!, nmax = nox[m - 1]!;
  const x0 = b.margin.left, x1 = b.width - b.margin.right, y0 = b.height - b.margin.bottom, y1 = b.margin.top;
  const sx = (v: number) => x0 + (v / vmax) * (x1 - x0);
  const sy = (v: number) => y0 - (v / nmax) * (y0 - y1);
  const stepX = n > 1 ? voc[1]! - voc[0]! : 1, stepY = m > 1 ? nox[1]! - nox[0]! : 1;
  const gx = (x: number) => sx(Math.min(vmax, Math.max(0, (x - 0.5) * stepX)));
  const gy = (y: number) => sy(Math.min(nmax, Math.max(0, (y - 0.5) * stepY)));
  const gen = contours().size([n, m]).thresholds(levels);
  const bands = gen(flat).map((c, k) => ({
    value: c.value,
    fill: ramp((k + 1) / (levels.length + 1)),
    path: c.coordinates.map((poly) => poly.map((ring) => ring.map(([x, y], i) => `${i ? 'L' : 'M'}${gx(x!).toFixed(1)},${gy(y!).toFixed(1)}`).join('') + 'Z').join('')).join(''),
  }));
  const ridgePts = e.ridge.filter((p) => p.interior);
  const ridge = ridgePts.map((p, i) => `${i ? 'L' : 'M'}${sx(p.voc).toFixed(1)},${sy(p.nox).toFixed(1)}`).join('');
  const rec = e.paths.find((p) => p.ratio === e.monotoneRatio && e.monotoneRatio != null);
  const pts = rec ? rec.points.filter((q) => Math.max(q.vocCut, q.noxCut) <= 0.6 + 1e-9) : [];
  const path = pts.length > 1 ? pts.map((q, i) => `${i ? 'L' : 'M'}${sx(1 - q.vocCut).toFixed(1)},${sy(1 - q.noxCut).toFixed(1)}`).join('') : null;
  const last = pts.at(-1);
  // Every 25 % (every 50 % on a wider grid), so 100 % (the observed day) is always a tick.
  const axisTicks = (max: number, s: (v: number) => number) => {
    const st = max <= 2 ? 0.25 : 0.5;
    return Array.from({ length: Math.floor(max / st + 1e-9) + 1 }, (_, k) => ({ at: s(k * st), label: `${Math.round(k * st * 100)}` }));
  };
  return {
    bands, levels, ridge, point: { x: sx(1), y: sy(1) }, path,
    pathEnd: last && path ? { x: sx(1 - last.vocCut), y: sy(1 - last.noxCut) } : null,
    xTicks: axisTicks(vmax, sx), yTicks: axisTicks(nmax, sy), sx, sy,
  };
}

/** The ratio in words' numbers: 2 -> '2:1', 'VOC-only' -> null (the caller words it). */
export function ratioText(r: number | 'VOC-only' | null): string | null {
  if (r == null || r === 'VOC-only') return null;
  return r >= 1 ? `${Number(r.toFixed(2))}:1` : `1:${Number((1 / r).toFixed(2))}`;
}

/** The P(O3) chart: production, loss and net lines over the local hours 0-23 (ppb h-1), a zero
 *  line (net is negative at night), y ticks from the lowest net to the largest P or L. */
export function po3Chart(c: Po3Curve, b: Box): { p: string; l: string; net: string; zeroY: number; yTicks: Tick[]; xTicks: Tick[]; peak: { x: number; y: number } | null } {
  const lo = Math.min(0, ...c.points.map((x) => x.net));
  const hi = Math.max(1, c.max);
  const yt = ticks(lo, hi, 4);
  const y0 = Math.min(lo, yt[0] ?? lo), y1 = Math.max(hi, yt.at(-1) ?? hi);
  const X = (h: number) => b.margin.left + (h / 23) * (b.width - b.margin.left - b.margin.right);
  const Y = (v: number) => b.height - b.margin.bottom - ((v - y0) / (y1 - y0 || 1)) * (b.height - b.margin.top - b.margin.bottom);
  const line = (k: 'p' | 'l' | 'net') => c.points.map((x, i) => `${i ? 'L' : 'M'}${X(x.hour).toFixed(1)},${Y(x[k]).toFixed(1)}`).join('');
  return {
    p: line('p'), l: line('l'), net: line('net'), zeroY: Y(0),
    yTicks: yt.map((v) => ({ at: Y(v), label: String(v) })),
    xTicks: [0, 6, 12, 18].map((h) => ({ at: X(h), label: `${String(h).padStart(2, '0')}:00` })),
    peak: c.peak ? { x: X(c.peak.hour), y: Y(c.peak.p) } : null,
  };
}
