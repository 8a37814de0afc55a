/** MapLibre map with the deck.gl overlay on top (MapboxOverlay, not interleaved; one deck draw per
 *  map frame, drawGate.ts). */
import { useEffect, useRef, useState } from 'react';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { CONFIG } from './config.ts';
import { perf } from '../data/live.ts';
import { drawGate, type GateDeck, type GateMap } from './drawGate.ts';
import { loadLand, offlineStyle, THEMES } from './basemap.ts';

maplibregl.setWorkerUrl(workerUrl);

export interface MapViewProps {
  layers: Layer[];
  dark: boolean;
  interactive?: boolean;
  onZoom?: (z: number) => void;
  onPick?: (info: PickingInfo | null) => void;
  getTooltip?: (info: PickingInfo) => { html: string; style?: Record<string, string> } | null;
  /** fit these [lon, lat] points once they are known */
  fit?: readonly [number, number][];
  padding?: number | { top: number; bottom: number; left: number; right: number };
  /** refit (animated) when this changes */
  fitKey?: string;
  /** keep this [lon, lat] in view (e.g. the station whose drawer opened): pans, never zooms, and
   *  only when it would be hidden under the panels given as `reveal` padding */
  reveal?: { at: readonly [number, number]; padding: { top: number; bottom: number; left: number; right: number } } | null;
}

export function MapView(p: MapViewProps) {
  const div = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const fitted = useRef<string | null>(null);
  const [ready, setReady] = useState(false);
  const cb = useRef(p);
  cb.current = p;

  useEffect(() => {
    const theme = THEMES[p.dark ? 'dark' : 'light'];
    const map = new maplibregl.Map({
      container: div.current!,
      style: CONFIG.basemapStyleUrl ?? offlineStyle(theme),
      center: CONFIG.center,
      zoom: CONFIG.zoom,
      attributionControl: false,
      interactive: p.interactive !== false,
      dragRotate: false,
      pitchWithRotate: false,
      fadeDuration: 0,
    });
    mapRef.current = map;
    // Test/debug hook: screen position of a [lon, lat] (CSS pixels, relative to the map).
    const w = window as unknown as { __airdesk?: Record<string, unknown> };
    w.__airdesk = { ...(w.__airdesk ?? {}), map, mapProject: (lon: number, lat: number) => {
      const r = div.current!.getBoundingClientRect();
      const p = map.project([lon, lat]);
      return { x: p.x + r.left, y: p.y + r.top };
    } };
    // Overlaid (deck's own canvas over the map's), with deck's draws gated so that a layer change
    // and a camera move in the same frame draw once, in the map's render (drawGate.ts).
    const gate = CONFIG.deckDrawGate ? drawGate() : null;
    gate?.attachBefore(map as unknown as GateMap);
    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      // Not in MapboxOverlayProps' type, passed on to Deck at runtime as the interleaved mode does.
      ...(gate ? ({ _customRender: gate.render } as object) : {}),
      onClick: (info) => cb.current.onPick?.(info.object ? info : null),
      getTooltip: (info) => cb.current.getTooltip?.(info) ?? null,
      onAfterRender: () => perf.afterRender(),
    });
    overlayRef.current = overlay;
    map.addControl(overlay as unknown as maplibregl.IControl);
    const deck = (overlay as unknown as { _deck: GateDeck })._deck;
    gate?.attachAfter(map as unknown as GateMap, deck);
    // Debug hook (bench/client.ts BENCH_DIAG): the inner Deck and the gate's counts.
    w.__airdesk = { ...(w.__airdesk ?? {}), deck, drawGate: gate?.stats ?? null };
    if (p.interactive !== false) map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
    map.on('zoomend', () => cb.current.onZoom?.(map.getZoom()));
    map.on('load', async () => {
      if (!CONFIG.basemapStyleUrl) {
        try {
          map.addSource('land', { type: 'geojson', data: (await loadLand()) as GeoJSON.FeatureCollection });
          map.addLayer({ id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': theme.land } });
        } catch (e) {
          console.warn('airdesk: offline land layer not loaded', e);
        }
      }
      if (CONFIG.districtsUrl) {
        map.addSource('districts', { type: 'geojson', data: CONFIG.districtsUrl });
        map.addLayer({ id: 'districts', type: 'line', source: 'districts', paint: { 'line-color': theme.district, 'line-width': 1, 'line-dasharray': [3, 2] } });
      }
      setReady(true);
      cb.current.onZoom?.(map.getZoom());
    });
    return () => {
      gate?.detach(map as unknown as GateMap);
      map.remove();
      mapRef.current = null;
      overlayRef.current = null;
    };
    // The map is created once per theme; everything else flows through props and refs.
  }, [p.dark]);

  useEffect(() => {
    overlayRef.current?.setProps({ layers: p.layers });
  }, [p.layers]);

  // A kiosk map (not interactive) refits when its box changes size: the wall's banner appears after
  // the first sync and shrinks the map, which otherwise keeps a fit made for the taller box and cuts
  // the top and bottom stations.
  const [boxKey, setBoxKey] = useState('');
  useEffect(() => {
    if (p.interactive !== false || !div.current || typeof ResizeObserver === 'undefined') return;
    const el = div.current;
    const ro = new ResizeObserver(() => setBoxKey(`${el.clientWidth}x${el.clientHeight}`));
    ro.observe(el);
    return () => ro.disconnect();
  }, [p.interactive]);
  useEffect(() => {
    if (boxKey && fitted.current !== null) fitted.current = null;
  }, [boxKey]);

  useEffect(() => {
    const map = mapRef.current;
    const key = p.fitKey ?? 'once';
    if (!map || !ready || fitted.current === key || !p.fit || p.fit.length < 2) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const [x, y] of p.fit) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
    map.resize(); // the box may have changed since maplibre last measured it
    map.fitBounds([[x0, y0], [x1, y1]], { padding: p.padding ?? 60, animate: fitted.current !== null, duration: 400, maxZoom: 11 });
    fitted.current = key;
    cb.current.onZoom?.(map.getZoom());
  }, [ready, p.fit, p.fitKey, boxKey]);

  const revealKey = p.reveal ? `${p.reveal.at[0]},${p.reveal.at[1]}` : '';
  useEffect(() => {
    const map = mapRef.current;
    const rv = cb.current.reveal;
    if (!map || !ready || !rv) return;
    const c = map.getContainer();
    const pt = map.project([rv.at[0], rv.at[1]]);
    const { top, bottom, left, right } = rv.padding;
    const w = c.clientWidth, h = c.clientHeight;
    if (pt.x >= left && pt.x <= w - right && pt.y >= top && pt.y <= h - bottom) return;
    // Pan so the point sits in the middle of the free area; the zoom the user chose stays.
    const cx = (left + w - right) / 2, cy = (top + h - bottom) / 2;
    map.panBy([pt.x - cx, pt.y - cy], { duration: 400 });
  }, [ready, revealKey]);

  return <div ref={div} className="map" data-testid="map" data-ready={ready ? '1' : '0'} />;
}
