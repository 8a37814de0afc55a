/**
 * The offline basemap: Natural Earth land (world-atlas land-50m TopoJSON, bundled as an asset and
 * turned into GeoJSON with topojson-client) over a water background, plus the city's district
 * outlines when configured. No national boundaries are drawn (a boundary on an official map must
 * come from an approved source). No glyphs or sprites: labels are drawn by deck.gl.
 */
import type { StyleSpecification } from 'maplibre-gl';
import { feature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import landUrl from 'world-atlas/land-50m.json?url';

export interface BasemapTheme { water: string; land: string; district: string }
export const THEMES: Record<'light' | 'dark', BasemapTheme> = {
  light: { water: '#B9CCDB', land: '#EEF0EC', district: '#8A9099' },
  dark: { water: '#0B1622', land: '#1C2430', district: '#5B6778' },
};

export function offlineStyle(theme: BasemapTheme): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'water', type: 'background', paint: { 'background-color': theme.water } }],
  };
}

let landCache: Promise<GeoJSON.FeatureCollection | GeoJSON.Feature> | null = null;
export function loadLand(): Promise<GeoJSON.FeatureCollection | GeoJSON.Feature> {
  landCache ??= fetch(landUrl)
    .then((r) => r.json())
    .then((topo: Topology) => feature(topo, topo.objects.land) as unknown as GeoJSON.FeatureCollection);
  return landCache;
}
