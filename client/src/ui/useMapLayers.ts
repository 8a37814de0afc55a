/**
 * Map layers for the current store state, metric and cursor (shared by the desk and the wall).
 * The per-station state lives in a ref and is updated in place for the stations a store version
 * touched (data/derived.ts); the layers are rebuilt only when something drawn changed. The IDW
 * surface (small networks only) is recomputed at most every SURFACE_MS while data streams in, at once
 * when the metric, hour or toggle changes: it moves with the hour anyway, and a 220-px raster over
 * 400 stations is the costliest thing on the update path.
 */
import { useMemo, useRef } from 'react';
import type { Store } from '../data/store.ts';
import { refreshStates, type StationStates } from '../data/derived.ts';
import { buildLayers } from '../map/layers.ts';
import { perf } from '../data/live.ts';
import { CONFIG } from '../map/config.ts';
import { projectorFor } from '../lib/gcj02.ts';
import { idwRaster } from '../lib/idw.ts';
import { metricIndex } from '../lib/metrics.ts';
import { windArrow, type WindArrow } from '../lib/wind.ts';
import type { MetricKey } from '../lib/metrics.ts';
import { rgbaToHex, levelRgba, NO_DATA_RGBA, rampRgba } from '../lib/colour.ts';

const project = projectorFor(CONFIG.basemapDatum);

/** Minimum interval between surface recomputations caused by data alone, ms. */
const SURFACE_MS = 5_000;

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
  /** clock tick (ms) that re-judges live freshness; defaults to the store's clock at render */
  now?: number;
}

export function useMapLayers(o: MapLayerOpts) {
  const { store, version, metric, cursor, connUp } = o;
  const ref = useRef<StationStates | null>(null);
  // Updated in place: the same object comes back unless the key or the station list changed, so
  // drawVersion (not the object) is what the memos below depend on.
  const states = useMemo(() => {
    ref.current = refreshStates(ref.current, store, { metric, at: cursor, connUp }, store.now());
    return ref.current;
  }, [store, version, metric, cursor, connUp, o.now]);
  const drawn = `${states.drawVersion}:${states.subsetVersion}`;

  // Surface: recomputed at once when the metric/hour/station list changes; for data alone at most
  // every SURFACE_MS (the desk re-renders on a 5-s clock, so the last change is picked up).
  const surfaceAt = useRef({ at: 0, key: '', drawn: -1 });
  const surfaceKey = `${metric}:${cursor}:${connUp}:${o.surface}:${states.stations.length}`;
  {
    const t = Date.now(), prev = surfaceAt.current;
    if (prev.key !== surfaceKey || (prev.drawn !== states.drawVersion && t - prev.at >= SURFACE_MS)) {
      surfaceAt.current = { at: t, key: surfaceKey, drawn: states.drawVersion };
    }
  }
  const surfaceTick = `${surfaceAt.current.key}@${surfaceAt.current.at}`;
  const surface = useMemo(() => {
    if (!o.surface || states.stations.length > 400) return null;
    const pts = states.stations.flatMap((s, i) => {
      const st = states.entries[i];
      return st.coloured && st.value !== null ? [{ lon: s.lon, lat: s.lat, value: st.value }] : [];
    });
    // Continuous ramp through the level colours, soft edge (feather 6 % of the network's extent);
    // finer for small networks, where the raster is stretched over few stations.
    const r = idwRaster(pts, pts.length <= 60 ? 320 : 220, (v) => rampRgba(metricIndex(metric, v)), 2, 0.06);
    if (!r || typeof document === 'undefined') return null;
    const canvas = document.createElement('canvas');
    canvas.width = r.width; canvas.height = r.height;
    canvas.getContext('2d')!.putImageData(new ImageData(r.data as unknown as Uint8ClampedArray<ArrayBuffer>, r.width, r.height), 0, 0);
    return { image: canvas, raster: r };
  }, [states, surfaceTick]);

  const wind = useMemo(() => {
    if (!o.wind || states.stations.length > 400) return null;
    const out: WindArrow[] = [];
    for (const s of states.stations) {
      const p = store.hourAt(s.code, cursor);
      const met = cursor === null ? store.met.get(s.code) : p ? { ws: p.values.ws ?? null, wd: p.values.wd ?? null } : null;
      const a = met ? windArrow(s.lon, s.lat, met.ws, met.wd) : null;
      if (a) out.push(a);
    }
    return out;
    // Small networks only (<= 400 stations): per version is cheap there.
  }, [states, o.wind, o.wind && states.stations.length <= 400 ? version : 0]);

  const layers = useMemo(() => (perf.layersVersion = states.storeVersion, buildLayersTimed)({
    states, metric, project, surface, wind, footprint: o.footprint, selected: o.selected, zoom: o.zoom, dark: o.dark, scale: o.scale,
  }), [states, drawn, surface, wind, o.footprint, o.selected, o.zoom, o.dark, o.scale]);
  // A version that changed nothing drawn keeps the layers; the frame after it shows that version.
  perf.layersVersion = states.storeVersion;

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
      get: () => states.stations.map((s, i) => {
        const st = states.entries[i];
        return { code: s.code, name: s.name, value: st.value, freshness: st.freshness, coloured: st.coloured, color: rgbaToHex(st.coloured ? levelRgba(st.index) : NO_DATA_RGBA) };
      }),
    });
    w.__airdesk = hook;
  }
  return { layers, states };
}
