/**
 * Deployment settings the client reads once: build-time env (VITE_*) overridden by an optional
 * `window.AIRDESK_CONFIG` object the operator can inject into index.html (no rebuild needed).
 *  - basemapStyleUrl: approved basemap (Tianditu style, the bureau's own style, a PMTiles-backed
 *    style); absent -> the built-in offline basemap (world-atlas land + water).
 *  - basemapDatum: 'gcj02' when that basemap is drawn in GCJ-02; stations are then shifted.
 *  - districtsUrl: GeoJSON of the city's districts, served by the AirDesk server.
 *  - deckDrawGate: false turns off the one-deck-draw-per-map-frame gate (map/drawGate.ts), which
 *    reads a private field of maplibre-gl; a switch for a maplibre-gl version that breaks it, and
 *    for measuring its effect (bench/client.ts BENCH_GATE=0).
 */
import type { Datum } from '../lib/gcj02.ts';

export interface ClientConfig {
  basemapStyleUrl: string | null;
  basemapDatum: Datum;
  districtsUrl: string | null;
  center: [number, number];
  zoom: number;
  deckDrawGate: boolean;
}

declare global {
  interface Window { AIRDESK_CONFIG?: Partial<ClientConfig> }
}

const env = (import.meta as unknown as { env?: Record<string, string | undefined> }).env ?? {};

export const CONFIG: Readonly<ClientConfig> = Object.freeze({
  basemapStyleUrl: env.VITE_BASEMAP_STYLE_URL || null,
  basemapDatum: env.VITE_BASEMAP_DATUM === 'gcj02' ? 'gcj02' : 'wgs84',
  districtsUrl: env.VITE_DISTRICTS_URL || null,
  center: [116.40, 40.05] as [number, number],
  zoom: 9,
  deckDrawGate: true,
  ...(typeof window !== 'undefined' ? window.AIRDESK_CONFIG ?? {} : {}),
});
