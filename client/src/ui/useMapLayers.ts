/** Map layers for the current store state, metric and cursor (shared by the desk and the wall). */
import { useMemo } from 'react';
import type { Store } from '../data/store.ts';
import { stationState, type StationState } from '../data/view.ts';
import { buildLayers } from '../map/layers.ts';
import { perf } from '../data/live.ts';
import { CONFIG } from '../map/config.ts';
import { projectorFor } from '../lib/gcj02.ts';
import { idwRaster } from '../lib/idw.ts';
import { metricIndex } from '../lib/metrics.ts';
import { windArrow, type WindArrow } from '../lib/wind.ts';
import type { MetricKey } from '../lib/metrics.ts';
import { rgbaToHex, levelRgba, NO_DATA_RGBA } from '../lib/colour.ts';

const project = projectorFor(CONFIG.basemapDatum);

/** buildLayers, closing the JS half of the update-latency probe (bench/client.ts). */
function buildLayersTimed(inp: Parameters<typeof buildLayers>[0]) {
  const out = buildLayers(inp);
  if (perf.jsPending !== null && perf.layersVersion >= perf.pendingVersion) {
    perf.jsSamples.push(performance.now() - perf.jsPending);
    perf.jsPending = null;
  }
  return out;
}

export interface MapLayerOpts {
  store: Store;
  version: number;
  metric: MetricKey;
  cursor: number | null;
  connUp: boolean;
  zoom: number;
  dark: boolean;
  surface: boolean;
  wind: boolean;
  selected: string | null;
  footprint: { codes: readonly string[]; level: number | null } | null;
  scale?: number;
}

export function useMapLayers(o: MapLayerOpts) {
  const { store, version, metric, cursor, connUp } = o;
  // Per-render cache of station states: each accessor call is a Map lookup.
  const states = useMemo(() => {
    const m = new Map<string, StationState>();
    for (const s of store.stations) m.set(s.code, stationState(store, s.code, metric, cursor, connUp));
    return m;
  }, [store, version, metric, cursor, connUp]);

  const surface = useMemo(() => {
    if (!o.surface || store.stations.length > 400) return null;
    const pts = store.stations.flatMap((s) => {
      const st = states.get(s.code)!;
      return st.coloured && st.value !== null ? [{ lon: s.lon, lat: s.lat, value: st.value }] : [];
    });
    const r = idwRaster(pts, 220, (v) => levelRgba(metricIndex(metric, v)));
    if (!r || typeof document === 'undefined') return null;
    const canvas = document.createElement('canvas');
    canvas.width = r.width; canvas.height = r.height;
    canvas.getContext('2d')!.putImageData(new ImageData(r.data as unknown as Uint8ClampedArray<ArrayBuffer>, r.width, r.height), 0, 0);
    return { image: canvas, raster: r };
  }, [states, o.surface]);

  const wind = useMemo(() => {
    if (!o.wind || store.stations.length > 400) return null;
    const out: WindArrow[] = [];
    for (const s of store.stations) {
      const p = store.hourAt(s.code, cursor);
      const met = cursor === null ? store.met.get(s.code) : p ? { ws: p.values.ws ?? null, wd: p.values.wd ?? null } : null;
      const a = met ? windArrow(s.lon, s.lat, met.ws, met.wd) : null;
      if (a) out.push(a);
    }
    return out;
  }, [states, o.wind]);

  const layers = useMemo(() => (perf.layersVersion = version, buildLayersTimed)({
    stations: store.stations,
    state: (c) => states.get(c)!,
    version: version + (cursor ?? 0) + (connUp ? 0 : 0.5),
    metric, project, surface, wind, footprint: o.footprint, selected: o.selected, zoom: o.zoom, dark: o.dark, scale: o.scale,
  }), [states, surface, wind, o.footprint, o.selected, o.zoom, o.dark, o.scale]);

  // Test/debug hook: what the map shows, per station (colour as drawn). A getter, so the O(n)
  // list is only built when someone reads it.
  if (typeof window !== 'undefined') {
    const w = window as unknown as { __airdesk?: Record<string, unknown> };
    // Copy the other hooks without invoking the previous `stations` getter.
    const { stations: _old, ...others } = Object.getOwnPropertyDescriptors(w.__airdesk ?? {});
    const hook: Record<string, unknown> = Object.defineProperties({}, others);
    Object.assign(hook, {
      version, metric, cursor,
      markerRadius: (o.zoom >= 9.5 ? 15 : o.zoom >= 8 ? 9 : 5) * (o.scale ?? 1),
      labels: o.zoom >= 9.5 && store.stations.length <= 500,
    });
    Object.defineProperty(hook, 'stations', {
      enumerable: true, configurable: true,
      get: () => store.stations.map((s) => {
        const st = states.get(s.code)!;
        return { code: s.code, name: s.name, value: st.value, freshness: st.freshness, coloured: st.coloured, color: rgbaToHex(st.coloured ? levelRgba(st.index) : NO_DATA_RGBA) };
      }),
    });
    w.__airdesk = hook;
  }
  return { layers, states };
}
