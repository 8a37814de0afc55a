/**
 * deck.gl layers of the map, built on every render from the derived per-station state
 * (data/derived.ts). Data arrays stay the same objects between renders (the station list; the
 * no-data and halo subsets until their membership changes), and the colour/size attributes are
 * recomputed only when `drawVersion` moves, by accessors that read the derived typed arrays by index:
 * a live update re-runs a few array reads per station, it never re-uploads positions or recomputes
 * a level (see bench/client.ts for the measurement).
 */
import { BitmapLayer, IconLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { levelOf } from '#common/standards/levels.ts';
import type { StationMeta } from '../data/store.ts';
import type { StationStates } from '../data/derived.ts';
import { levelRgba, textOn, type Rgba } from '../lib/colour.ts';
import { labelWidth, mercatorPx, placeLabels, type LabelOffset } from '../lib/labels.ts';
import { arrowLengthPx, arrowOffsetPx } from '../lib/wind.ts';
import { convexHull, type Pt } from '../lib/hull.ts';
import type { IdwRaster } from '../lib/idw.ts';
import { metricIndex, METRIC, type MetricKey } from '../lib/metrics.ts';
import type { WindArrow } from '../lib/wind.ts';

export interface LayerInput {
  /** derived per-station state (its `stations` are the data of the station layers) */
  states: StationStates;
  metric: MetricKey;
  project: (lon: number, lat: number) => [number, number];
  /** interpolated surface as an image (canvas) with its bounds */
  surface: { image: HTMLCanvasElement | ImageData; raster: IdwRaster } | null;
  wind: readonly WindArrow[] | null;
  /** stations of the open episode, and its level colour */
  footprint: { codes: readonly string[]; level: number | null } | null;
  selected: string | null;
  zoom: number;
  dark: boolean;
  /** marker radius multiplier (the wall draws bigger markers) */
  scale?: number;
}

/** Arrow pointing up (north); IconLayer rotates it to the direction of travel, tinted (mask). */
const ARROW = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><path d="M32 62 V8 M14 26 L32 6 L50 26" fill="none" stroke="#fff" stroke-width="7" stroke-linecap="round" stroke-linejoin="round"/></svg>',
);

/** Name placement per (station list, zoom, radius, size): recomputed when the view scale changes,
 *  not for every data update. */
let labelMemo: { key: string; stations: readonly StationMeta[]; out: LabelOffset[] } | null = null;
function labelOffsets(stations: readonly StationMeta[], zoom: number, r: number, size: number, project: (lon: number, lat: number) => [number, number]): LabelOffset[] {
  const key = `${zoom.toFixed(2)}:${r}:${size}`;
  if (labelMemo && labelMemo.stations === stations && labelMemo.key === key) return labelMemo.out;
  const pts = stations.map((s) => {
    const [lon, lat] = project(s.lon, s.lat);
    const [x, y] = mercatorPx(lon, lat, zoom);
    return { x, y, w: labelWidth(s.name, size) + 8, h: size * 1.35 + 2 };
  });
  const out = placeLabels(pts, r, Math.max(3, size * 0.3));
  labelMemo = { key, stations, out };
  return out;
}

function windClear(wind: readonly WindArrow[], stations: readonly StationMeta[], zoom: number, r: number, s: number, project: (lon: number, lat: number) => [number, number]): WindArrow[] {
  const px = (lon: number, lat: number) => { const [a, b] = project(lon, lat); return mercatorPx(a, b, zoom); };
  const markers = stations.map((st) => px(st.lon, st.lat));
  return wind.filter((a) => {
    const len = arrowLengthPx(a.ws) * s;
    const [x, y] = px(a.lon, a.lat);
    const [dx, dy] = arrowOffsetPx(a.bearing, r, len, 8 * s);
    const cx = x + dx, cy = y + dy, half = len / 2;
    return !markers.some(([mx, my]) => (mx !== x || my !== y) && Math.abs(mx - cx) < r + half * 0.8 && Math.abs(my - cy) < r + half * 0.8);
  });
}

const DASHED_RING = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="27" fill="#80868C" fill-opacity="0.55" stroke="#C9CED4" stroke-width="5" stroke-dasharray="9 7"/></svg>',
);

export function buildLayers(inp: LayerInput): Layer[] {
  const { states: ds, metric } = inp;
  const { stations } = ds;
  const version = ds.drawVersion;
  const s = inp.scale ?? 1;
  const r = (inp.zoom >= 9.5 ? 15 : inp.zoom >= 8 ? 9 : 5) * s;
  const pos = (d: StationMeta) => inp.project(d.lon, d.lat);
  const layers: Layer[] = [];

  if (inp.surface) {
    const [w, so, e, n] = inp.surface.raster.bounds;
    const [pw, ps] = inp.project(w, so);
    const [pe, pn] = inp.project(e, n);
    layers.push(new BitmapLayer({
      // Translucent: the land, the district outlines and the markers read through it.
      id: 'surface', image: inp.surface.image as unknown as string, bounds: [pw, ps, pe, pn], opacity: 0.42,
      textureParameters: { minFilter: 'linear', magFilter: 'linear' },
    }));
  }

  if (inp.footprint && inp.footprint.codes.length) {
    const pts = inp.footprint.codes.map((c) => stations[ds.pos.get(c) ?? -1]).filter(Boolean).map((x) => pos(x!) as Pt);
    const hull = convexHull(pts);
    const col = inp.footprint.level === null ? ([30, 95, 216, 255] as Rgba) : levelRgba(inp.footprint.level);
    if (hull.length >= 3) {
      layers.push(new PolygonLayer({
        id: 'footprint', data: [{ polygon: hull }], getPolygon: (d: { polygon: Pt[] }) => d.polygon as [number, number][],
        getFillColor: [col[0], col[1], col[2], 40], getLineColor: [col[0], col[1], col[2], 230],
        lineWidthUnits: 'pixels', getLineWidth: 3 * s, stroked: true, filled: true,
      }));
    }
  }

  if (inp.wind && inp.wind.length) {
    // Beside the marker, pointing where the air goes, starting outside the marker's edge: never over
    // a marker or its value (a geographic arrow centred on the station covered it).
    // An arrow whose box would land on another station's marker is left out (dense centre).
    const arrows = windClear(inp.wind, stations, inp.zoom, r, s, inp.project);
    layers.push(new IconLayer<WindArrow>({
      id: 'wind', data: arrows, getPosition: (a) => inp.project(a.lon, a.lat),
      getIcon: () => ({ url: ARROW, id: 'arrow', width: 64, height: 64, mask: true }),
      sizeUnits: 'pixels', getSize: (a) => arrowLengthPx(a.ws) * s,
      getAngle: (a) => -a.bearing,
      // 8 px clears the VOC / QC halo rings too
      getPixelOffset: (a) => arrowOffsetPx(a.bearing, r, arrowLengthPx(a.ws) * s, 8 * s),
      getColor: inp.dark ? [200, 215, 235, 220] : [40, 60, 90, 210],
      updateTriggers: { getPixelOffset: [r, s], getSize: [s] },
    }));
  }

  const flagged = (d: StationMeta) => ds.get(d.code)?.flagged ?? false;
  // Halo: flagged stations get a ring, VOC sites a second outer ring in a non-level colour. Only the
  // stations that have one are drawn (an empty ring still costs a quad).
  layers.push(new ScatterplotLayer<StationMeta>({
    id: 'station-halo', data: ds.haloed, getPosition: pos,
    radiusUnits: 'pixels', getRadius: (d) => (d.voc ? r + 6 * s : r + 3 * s),
    stroked: true, filled: false, lineWidthUnits: 'pixels', getLineWidth: 3 * s,
    getLineColor: (d) => (flagged(d) ? [20, 20, 20, 255] : [79, 195, 247, 255]),
    updateTriggers: { getLineColor: [version], getRadius: [r, ds.subsetVersion] },
  }));
  layers.push(new ScatterplotLayer<StationMeta>({
    id: 'stations', data: stations as StationMeta[], getPosition: pos, pickable: true,
    radiusUnits: 'pixels', getRadius: (_d, { index }) => (ds.coloured[index] ? r : 0),
    stroked: true, lineWidthUnits: 'pixels', getLineWidth: 1.5 * s,
    getFillColor: (_d, { index, target }) => {
      const f = ds.fill, o = index * 4, t = (target ?? []) as number[];
      t[0] = f[o]; t[1] = f[o + 1]; t[2] = f[o + 2]; t[3] = f[o + 3];
      return t as Rgba;
    },
    getLineColor: (d) => (d.code === inp.selected ? [30, 120, 255, 255] : inp.dark ? [10, 14, 20, 255] : [255, 255, 255, 255]),
    updateTriggers: { getFillColor: [version], getRadius: [ds.colouredVersion, r], getLineColor: [inp.selected, inp.dark] },
  }));
  // 严重 (level 6, #7E0023) and 重度 (level 5, #99004C) are close in hue: a severe marker also gets a
  // white inner ring, shown the same way in the legend.
  const severe = stations.filter((_d, i) => ds.entries[i].coloured && levelOf(ds.entries[i].index) === 6);
  if (severe.length) {
    layers.push(new ScatterplotLayer<StationMeta>({
      id: 'stations-severe', data: severe, getPosition: pos,
      radiusUnits: 'pixels', getRadius: r - 2.5 * s, stroked: true, filled: false,
      lineWidthUnits: 'pixels', getLineWidth: 1.5 * s, getLineColor: [255, 255, 255, 235],
      updateTriggers: { getRadius: [r, s] },
    }));
  }
  // No data / stale: grey with a dashed outline, never the last colour (UX.md). Only those stations.
  layers.push(new IconLayer<StationMeta>({
    id: 'stations-nodata', data: ds.nodata, getPosition: pos, pickable: true,
    getIcon: () => ({ url: DASHED_RING, id: 'dashed', width: 64, height: 64 }),
    sizeUnits: 'pixels', getSize: 2 * r + 2,
  }));
  if (inp.zoom >= 9.5 && stations.length <= 500) {
    const digits = METRIC[metric].digits;
    layers.push(new TextLayer<StationMeta>({
      id: 'station-values', data: stations as StationMeta[], getPosition: pos,
      getText: (_d, { index }) => { const st = ds.entries[index]; return st.coloured && st.value !== null ? st.value.toFixed(digits) : ''; },
      getColor: (_d, { index }) => { const st = ds.entries[index]; const c = textOn(st.coloured ? levelOf(st.index) : 6); return c === '#111111' ? [17, 17, 17, 255] : [255, 255, 255, 255]; },
      getSize: 13 * s, fontWeight: 700, fontFamily: 'Noto Sans CJK SC, Noto Sans, sans-serif',
      updateTriggers: { getText: [version, metric], getColor: [version] },
    }));
    const nameSize = 13 * s;
    const offsets = labelOffsets(stations, inp.zoom, r, nameSize, inp.project);
    layers.push(new TextLayer<StationMeta>({
      id: 'station-names', data: stations as StationMeta[], getPosition: pos,
      getText: (d, { index }) => (offsets[index] ? d.name : ''), characterSet: 'auto',
      getPixelOffset: (_d, { index }) => offsets[index] ?? [0, 0],
      getSize: 13 * s, fontFamily: 'Noto Sans CJK SC, Noto Sans SC, sans-serif', fontWeight: 500,
      getColor: inp.dark ? [225, 230, 238, 255] : [30, 36, 46, 255],
      // A soft pill behind the name keeps it readable over the surface without an SDF halo.
      background: true, getBackgroundColor: inp.dark ? [12, 18, 26, 170] : [255, 255, 255, 190], backgroundPadding: [3, 1],
      updateTriggers: { getColor: [inp.dark], getPixelOffset: [offsets], getText: [offsets], getBackgroundColor: [inp.dark] },
    }));
  }
  return layers;
}
