/**
 * What the map draws per station, kept between renders and updated in place: a batch of readings
 * recomputes the entries of the stations it touched (Store.changedSince), plus, in live mode, those
 * whose freshness moved with the clock (a cheap numeric sweep over a cached last-hour array). A new
 * metric, replay hour, connection state or station list recomputes everything.
 *
 * The drawn attributes (fill colour RGBA, marker shown, halo) are kept as typed arrays indexed like
 * `stations`, so the deck accessors are array reads, and `drawVersion` moves only when one of them
 * changed: an update that changes no colour leaves the deck attributes alone. The stations drawn as
 * "no data" and those with a halo are small subsets in a healthy network; they are kept as their own
 * arrays (rebuilt only when membership changes) so the map does not draw 10,000 invisible markers.
 */
import { LEVELS, levelOf } from '#common/standards/levels.ts';
import { freshnessOf } from '../lib/freshness.ts';
import { NO_DATA_RGBA } from '../lib/colour.ts';
import type { MetricKey } from '../lib/metrics.ts';
import type { StationMeta, Store } from './store.ts';
import { stationState, type StationState } from './view.ts';

export interface DeriveKey {
  metric: MetricKey;
  /** replay hour (hour end) or null for live */
  at: number | null;
  connUp: boolean;
}

export interface StationStates {
  readonly stations: readonly StationMeta[];
  readonly key: DeriveKey;
  /** entry per station, same index as `stations` (replaced, never mutated, when recomputed) */
  readonly entries: StationState[];
  /** code -> index */
  readonly pos: ReadonlyMap<string, number>;
  /** fill colour as drawn: RGBA per station (level colour, or the no-data grey) */
  readonly fill: Uint8Array;
  /** 1 where the station is drawn in its level colour */
  readonly coloured: Uint8Array;
  /** 1 where the station has a halo (VOC site or QC flag) */
  readonly halo: Uint8Array;
  /** stations drawn grey with the dashed ring (not coloured) */
  nodata: StationMeta[];
  /** stations with a halo */
  haloed: StationMeta[];
  /** latest hour per station when its entry was computed (NaN = none): the freshness sweep */
  readonly last: Float64Array;
  /** store version these entries reflect */
  storeVersion: number;
  /** moves when any drawn attribute (colour, marker, halo, value) changed */
  drawVersion: number;
  /** moves when which stations are coloured changed (marker radius) */
  colouredVersion: number;
  /** moves when `nodata` or `haloed` got a new member list */
  subsetVersion: number;
  /** entries recomputed by the last derive/update (tests and the bench read it) */
  recomputed: number;
  get(code: string): StationState | undefined;
}

export function sameKey(a: DeriveKey, b: DeriveKey): boolean {
  return a.metric === b.metric && a.at === b.at && a.connUp === b.connUp;
}

/** Every station's entry from scratch. */
export function deriveStates(store: Store, key: DeriveKey, now: number): StationStates {
  const stations = store.stations;
  const n = stations.length;
  const pos = new Map<string, number>();
  stations.forEach((s, i) => pos.set(s.code, i));
  const entries = new Array<StationState>(n);
  const ds: StationStates = {
    stations, key, entries, pos,
    fill: new Uint8Array(n * 4), coloured: new Uint8Array(n), halo: new Uint8Array(n),
    nodata: [], haloed: [], last: new Float64Array(n),
    storeVersion: store.version, drawVersion: 0, colouredVersion: 0, subsetVersion: 0, recomputed: 0,
    get: (code) => { const i = pos.get(code); return i === undefined ? undefined : entries[i]; },
  };
  for (let i = 0; i < n; i++) computeEntry(ds, store, i, now);
  ds.recomputed = n;
  rebuildSubsets(ds);
  return ds;
}

/** Bring `ds` up to the store's current version in place: recompute the entries of the stations
 *  changed since ds.storeVersion and, live, those whose freshness changed by `now`. Returns false
 *  when it cannot (other station list or key, or the store's journal no longer reaches back): then
 *  call deriveStates. */
export function updateStates(ds: StationStates, store: Store, key: DeriveKey, now: number): boolean {
  if (ds.stations !== store.stations || !sameKey(ds.key, key)) return false;
  const changed = store.changedSince(ds.storeVersion);
  if (changed === null) return false;
  let drawn = false, members = false, colouredSet = false, k = 0;
  const redo = (i: number) => {
    const was = ds.coloured[i];
    const r = computeEntry(ds, store, i, now);
    drawn ||= r.drawn;
    members ||= r.members;
    colouredSet ||= was !== ds.coloured[i];
    k++;
  };
  const seen = new Set<number>();
  for (const code of changed) {
    const i = ds.pos.get(code);
    if (i !== undefined) { seen.add(i); redo(i); }
  }
  if (key.at === null) {
    const { entries, last } = ds;
    for (let i = 0; i < entries.length; i++) {
      if (seen.has(i)) continue;
      const l = last[i];
      if (freshnessOf(Number.isNaN(l) ? null : l, now) !== entries[i].freshness) redo(i);
    }
  }
  ds.storeVersion = store.version;
  ds.recomputed = k;
  if (drawn) ds.drawVersion++;
  if (colouredSet) ds.colouredVersion++;
  if (members) rebuildSubsets(ds);
  return true;
}

/** ds brought up to date, or a new one when it cannot be (the hook keeps whichever it gets). */
export function refreshStates(ds: StationStates | null, store: Store, key: DeriveKey, now: number): StationStates {
  if (ds && updateStates(ds, store, key, now)) return ds;
  const fresh = deriveStates(store, key, now);
  // Keep the versions moving forward so updateTriggers see the change.
  if (ds) { fresh.drawVersion = ds.drawVersion + 1; fresh.colouredVersion = ds.colouredVersion + 1; fresh.subsetVersion = ds.subsetVersion + 1; }
  return fresh;
}

/** Recompute entry i; says whether anything drawn changed and whether subset membership did. */
function computeEntry(ds: StationStates, store: Store, i: number, now: number): { drawn: boolean; members: boolean } {
  const s = ds.stations[i];
  const prev = ds.entries[i] as StationState | undefined;
  const st = stationState(store, s.code, ds.key.metric, ds.key.at, ds.key.connUp, now);
  ds.entries[i] = st;
  const l = store.lastHour.get(s.code);
  ds.last[i] = l === undefined ? NaN : l;
  const rgba = st.coloured ? levelRgb(st.index) : NO_DATA_RGBA;
  const f = ds.fill, o = i * 4;
  let drawn = !prev || prev.value !== st.value || prev.flagged !== st.flagged;
  for (let c = 0; c < 4; c++) if (f[o + c] !== rgba[c]) { f[o + c] = rgba[c]; drawn = true; }
  const col = st.coloured ? 1 : 0, halo = s.voc || st.flagged ? 1 : 0;
  const members = ds.coloured[i] !== col || ds.halo[i] !== halo || !prev;
  if (members) drawn = true;
  ds.coloured[i] = col;
  ds.halo[i] = halo;
  return { drawn, members };
}

const LEVEL_RGBA = LEVELS.map((l) => [l.rgb[0], l.rgb[1], l.rgb[2], 255] as const);
function levelRgb(index: number | null): readonly number[] {
  const l = levelOf(index);
  return l === null ? NO_DATA_RGBA : LEVEL_RGBA[l - 1];
}

function rebuildSubsets(ds: StationStates): void {
  const nodata: StationMeta[] = [], haloed: StationMeta[] = [];
  for (let i = 0; i < ds.stations.length; i++) {
    if (!ds.coloured[i]) nodata.push(ds.stations[i]);
    if (ds.halo[i]) haloed.push(ds.stations[i]);
  }
  ds.nodata = nodata;
  ds.haloed = haloed;
  ds.subsetVersion++;
}
