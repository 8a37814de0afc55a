/**
 * Pure data -> chart geometry for the VOC panel (tested without a browser): stacked group
 * composition, ranking bars, diurnal lines and the regime-vs-O3 series. d3-scale/d3-shape only.
 */
import { scaleBand, scaleLinear, scaleTime } from 'd3-scale';
import { area, line, stack } from 'd3-shape';
import type { RankedSpecies } from '#common/voc/metrics.ts';
import type { DiurnalCurve, RegimeHour, TimelinePoint } from '#common/voc/analysis.ts';
import type { SpeciesGroup } from '#common/voc/species.ts';

/** Group colours: none of them is an AQI level colour (UX.md keeps those for levels). */
export const GROUP_COLOURS: Readonly<Record<SpeciesGroup, string>> = {
  alkane: '#7f8c9a', alkene: '#2f7ed8', alkyne: '#9b7fd1', aromatic: '#c2569b',
  ovoc: '#2aa198', halocarbon: '#b58900', biogenic: '#3c9a3c', other: '#999999',
};

export interface Box { width: number; height: number; margin: { top: number; right: number; bottom: number; left: number } }
export const box = (width: number, height: number): Box => ({ width, height, margin: { top: 8, right: 8, bottom: 22, left: 44 } });

export interface StackLayer { group: SpeciesGroup; path: string; colour: string }

/** Stacked areas of group concentration (ppbv or OFP) over time. */
export function stackedComposition(points: readonly TimelinePoint[], groups: readonly SpeciesGroup[], b: Box, field: 'groupsPpbv' | 'groupsOfp' = 'groupsPpbv'): { layers: StackLayer[]; yMax: number } {
  if (!points.length) return { layers: [], yMax: 0 };
  const rows = points.map((p) => ({ time: p.time, ...Object.fromEntries(groups.map((g) => [g, p[field][g] ?? 0])) })) as Array<Record<string, number>>;
  const series = stack<Record<string, number>>().keys(groups as string[])(rows);
  const yMax = Math.max(0, ...series.flatMap((s) => s.map((d) => d[1])));
  const x = scaleTime().domain([points[0].time, points[points.length - 1].time]).range([b.margin.left, b.width - b.margin.right]);
  const y = scaleLinear().domain([0, yMax || 1]).range([b.height - b.margin.bottom, b.margin.top]).nice();
  const gen = area<[number, number] & { data: Record<string, number> }>().x((d) => x(d.data.time)).y0((d) => y(d[0])).y1((d) => y(d[1]));
  return { layers: series.map((s) => ({ group: s.key as SpeciesGroup, path: gen(s as never) ?? '', colour: GROUP_COLOURS[s.key as SpeciesGroup] })), yMax };
}

export interface Bar { id: string; label: string; value: number; x: number; y: number; width: number; height: number; colour: string }
export interface Tick { at: number; label: string }

/** Left edge of the bars (species names to its left) and the room kept right of the longest bar
 *  for its value ("62.8" was cut to "6" when the longest bar reached the edge). */
export const BAR_LEFT = 110;
export const BAR_VALUE_ROOM = 48;

/** Horizontal bars of a ranking, largest first (the order of `ranked` is kept). */
export function rankingBars(ranked: readonly RankedSpecies[], b: Box, lang: 'zh' | 'en'): Bar[] {
  const y = scaleBand<string>().domain(ranked.map((r) => r.id)).range([b.margin.top, b.height - b.margin.bottom]).padding(0.15);
  const x = barScale(ranked, b);
  return ranked.map((r) => ({ id: r.id, label: lang === 'zh' ? r.zh : r.name, value: r.value, x: BAR_LEFT, y: y(r.id)!, width: x(r.value) - BAR_LEFT, height: y.bandwidth(), colour: GROUP_COLOURS[r.group] }));
}
function barScale(ranked: readonly { value: number }[], b: Box) {
  const max = Math.max(0, ...ranked.map((r) => r.value));
  return scaleLinear().domain([0, max || 1]).range([BAR_LEFT, b.width - b.margin.right - BAR_VALUE_ROOM]).nice();
}
/** Value axis ticks of the ranking bars (x in px). */
export function barTicks(ranked: readonly { value: number }[], b: Box, n = 4): Tick[] {
  const x = barScale(ranked, b);
  return x.ticks(n).map((v) => ({ at: x(v), label: String(v) }));
}

/** Time-axis ticks (x px) over [from, to] at Beijing midnights and noons, labelled MM-DD or HH:00. */
export function timeTicks(from: number, to: number, b: Box): Tick[] {
  if (!(to > from)) return [];
  const x = scaleTime().domain([from, to]).range([b.margin.left, b.width - b.margin.right]);
  const H = 3_600_000, BJ = 8 * H;
  const span = to - from;
  const step = span > 3 * 86_400_000 ? 86_400_000 : span > 36 * H ? 12 * H : 6 * H;
  const out: Tick[] = [];
  for (let t = Math.ceil((from + BJ) / step) * step - BJ; t <= to; t += step) {
    const d = new Date(t + BJ).toISOString();
    out.push({ at: x(t), label: d.slice(11, 13) === '00' ? d.slice(5, 10) : `${d.slice(11, 13)}:00` });
  }
  return out;
}

/** Linear y ticks (px) of [0, max] in a box. */
export function yTicks(max: number, b: Box, n = 3): Tick[] {
  const y = scaleLinear().domain([0, max || 1]).range([b.height - b.margin.bottom, b.margin.top]).nice();
  return y.ticks(n).map((v) => ({ at: y(v), label: String(v) }));
}

/** Diurnal lines (hour 0..23), gaps where an hour has no data. */
export function diurnalPaths(curves: readonly DiurnalCurve[], b: Box): { id: string; path: string; max: number }[] {
  const max = Math.max(0, ...curves.flatMap((c) => c.ppbv.filter((v): v is number => v !== null)));
  const x = scaleLinear().domain([0, 23]).range([b.margin.left, b.width - b.margin.right]);
  const y = scaleLinear().domain([0, max || 1]).range([b.height - b.margin.bottom, b.margin.top]).nice();
  const gen = line<number | null>().defined((v) => v !== null).x((_v, i) => x(i)).y((v) => y(v ?? 0));
  return curves.map((c) => ({ id: c.id, path: gen(c.ppbv) ?? '', max }));
}

/** VOC/NOx ratio (log scale, 0.5..200) and O3 (linear) over time, plus the band lines. */
export function regimeSeries(hours: readonly RegimeHour[], band: { vocLimitedBelow: number; noxLimitedAbove: number }, b: Box, o3Limit = 160) {
  const pts = hours.filter((h) => h.ratio !== null || h.o3 !== null);
  if (!pts.length) return null;
  const x = scaleTime().domain([pts[0].time, pts[pts.length - 1].time]).range([b.margin.left, b.width - b.margin.right]);
  const yR = (v: number) => {
    const lo = Math.log10(0.5), hi = Math.log10(200);
    const f = (Math.log10(Math.min(200, Math.max(0.5, v))) - lo) / (hi - lo);
    return b.height - b.margin.bottom - f * (b.height - b.margin.bottom - b.margin.top);
  };
  const o3Max = Math.max(200, ...pts.map((h) => h.o3 ?? 0));
  const yO = scaleLinear().domain([0, o3Max]).range([b.height - b.margin.bottom, b.margin.top]);
  const ratio = line<RegimeHour>().defined((h) => h.ratio !== null).x((h) => x(h.time)).y((h) => yR(h.ratio!))(pts) ?? '';
  const o3 = line<RegimeHour>().defined((h) => h.o3 !== null).x((h) => x(h.time)).y((h) => yO(h.o3!))(pts) ?? '';
  return {
    ratio, o3, vocLine: yR(band.vocLimitedBelow), noxLine: yR(band.noxLimitedAbove), o3Limit: yO(o3Limit),
    ratioTicks: [1, 10, 100].map((v) => ({ at: yR(v), label: String(v) })),
    o3Ticks: yO.ticks(3).map((v) => ({ at: yO(v), label: String(v) })),
    from: pts[0].time, to: pts[pts.length - 1].time,
  };
}
