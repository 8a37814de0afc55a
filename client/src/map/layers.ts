/**
 * deck.gl layers of the map, built on every render from the derived per-station state
 * (data/derived.ts). Data arrays stay the same objects between renders (the station list; the
 * no-data and halo subsets until their membership changes), and the colour/size attributes are
 * recomputed only when `drawVersion` moves, by accessors that read the derived typed arrays by index:
 * a live update re-runs a few array reads per station, it never re-uploads positions or recomputes
 * a level (see bench/client.ts for the measurement).
 */
import { BitmapLayer, IconLayer, PathLayer, PolygonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { levelOf } from '#common/standards/levels.ts';
import type { StationMeta } from '../data/store.ts';
import type { StationStates } from '../data/derived.ts';
import { levelRgba, textOn, type Rgba } from '../lib/colour.ts';
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
      id: 'surface', image: inp.surface.image as unknown as string, bounds: [pw, ps, pe, pn], opacity: 0.55,
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
    const segs = inp.wind.flatMap((a) => a.paths.map((p) => ({ path: p.map(([x, y]) => inp.project(x, y)) })));
    layers.push(new PathLayer<{ path: [number, number][] }>({
      id: 'wind', data: segs, getPath: (d) => d.path,
      getColor: inp.dark ? [200, 215, 235, 200] : [40, 60, 90, 190],
      widthUnits: 'pixels', getWidth: 2 * s, capRounded: true, jointRounded: true,
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
    layers.push(new TextLayer<StationMeta>({
      id: 'station-names', data: stations as StationMeta[], getPosition: pos,
      getText: (d) => d.name, characterSet: 'auto', getPixelOffset: [0, r + 10 * s],
      getSize: 13 * s, fontFamily: 'Noto Sans CJK SC, Noto Sans SC, sans-serif', fontWeight: 500,
      getColor: inp.dark ? [225, 230, 238, 255] : [30, 36, 46, 255],
      // A soft pill behind the name keeps it readable over the surface without an SDF halo.
      background: true, getBackgroundColor: inp.dark ? [12, 18, 26, 170] : [255, 255, 255, 190], backgroundPadding: [3, 1],
      updateTriggers: { getColor: [inp.dark], getPixelOffset: [r], getBackgroundColor: [inp.dark] },
    }));
  }
  return layers;
}
