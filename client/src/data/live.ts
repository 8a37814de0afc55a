/**
 * The client's edge: REST fetches and the socket.io connection, each payload checked against the
 * shared schemas (common/schemas) before it touches the store. A payload that fails is counted and
 * logged once per event name, never applied (STYLE.md: validate at every edge).
 */
import { io, type Socket } from 'socket.io-client';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import {
  EpisodeDetail, EpisodesResponse, HourlySeriesResponse, LatestResponse, StationsResponse, WarningsResponse,
} from '#common/schemas/api.ts';
import {
  AqiHourEvt, EpisodeEvt, FreshnessEvt, ReadingBatchEvt, StateSyncEvt, VocCycleEvt, WarningChangedEvt,
  type ClientToServerEvents, type ServerToClientEvents,
} from '#common/schemas/events.ts';
import type { Store } from './store.ts';

export const rejected = new Map<string, number>();
/** Counts of events received per name (debug hook: window.__airdesk.events). */
export const received = new Map<string, number>();

/** Message-to-frame latency probe, read by bench/client.ts through window.__airdesk.perf. */
export const perf = {
  pendingAt: null as number | null,
  pendingVersion: 0,
  /** version of the store the current deck layers were built from */
  layersVersion: 0,
  samples: [] as number[],
  /** message -> deck layers rebuilt for it (JS only, no GPU) */
  jsSamples: [] as number[],
  jsPending: null as number | null,
  /** called by the map after each deck frame */
  afterRender(): void {
    if (perf.pendingAt !== null && perf.layersVersion >= perf.pendingVersion) {
      perf.samples.push(performance.now() - perf.pendingAt);
      perf.pendingAt = null;
    }
  },
};

function check<T>(schema: TSchema, name: string, x: unknown): x is T {
  received.set(name, (received.get(name) ?? 0) + 1);
  if (Value.Check(schema, x)) return true;
  const n = (rejected.get(name) ?? 0) + 1;
  rejected.set(name, n);
  if (n === 1) console.warn(`airdesk: ${name} payload does not match its schema; ignored`, [...Value.Errors(schema, x)].slice(0, 3));
  return false;
}

async function getJson<T>(url: string, schema: TSchema): Promise<T> {
  const r = await fetch(url, { headers: { accept: 'application/json' } });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  const body = await r.json();
  if (!check<T>(schema, url.split('?')[0], body)) throw new Error(`${url}: unexpected response shape`);
  return body;
}

export const api = {
  stations: () => getJson<StationsResponse>('/api/stations', StationsResponse),
  latest: () => getJson<LatestResponse>('/api/latest', LatestResponse),
  series: (q: { station?: string; city?: string; from: number; to: number }) => {
    const p = new URLSearchParams();
    if (q.station) p.set('station', q.station);
    if (q.city) p.set('city', q.city);
    p.set('from', String(q.from));
    p.set('to', String(q.to));
    return getJson<HourlySeriesResponse>(`/api/series/hourly?${p}`, HourlySeriesResponse);
  },
  episodes: () => getJson<EpisodesResponse>('/api/episodes', EpisodesResponse),
  episode: (id: string) => getJson<EpisodeDetail>(`/api/episodes/${encodeURIComponent(id)}`, EpisodeDetail),
  warnings: () => getJson<WarningsResponse>('/api/warnings', WarningsResponse),
};

export interface Live {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  close(): void;
}

/** Load stations, then connect; socket.io reconnects by itself (with backoff) and every connect
 *  brings a full state:sync, so missed events never need replaying. */
export async function connectLive(store: Store, opts: { url?: string } = {}): Promise<Live> {
  const loadStations = async () => {
    try {
      store.setStations((await api.stations()).stations);
    } catch (e) {
      console.warn('airdesk: stations not loaded yet', e);
    }
  };
  const w = window as unknown as { __airdesk?: Record<string, unknown> };
  w.__airdesk = { ...(w.__airdesk ?? {}), rejected, received, perf };
  await loadStations();
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(opts.url ?? '/', {
    transports: ['websocket', 'polling'],
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10_000,
    timeout: 10_000,
  });
  socket.onAny((name: string) => received.set(`any:${name}`, (received.get(`any:${name}`) ?? 0) + 1));
  socket.on('connect', () => {
    store.setConn('up');
    socket.emit('city:join', '*');
    if (store.stations.length === 0) void loadStations();
  });
  socket.on('disconnect', () => store.setConn('down'));
  socket.io.on('reconnect_attempt', () => store.setConn(store.conn.state === 'up' ? 'down' : store.conn.state));
  socket.on('connect_error', () => store.setConn('down'));

  socket.on('state:sync', (e) => {
    if (!check<StateSyncEvt>(StateSyncEvt, 'state:sync', e)) return;
    store.staleMinutes = e.staleMinutes;
    store.applyLatest(e.latest, e.now - Date.now());
    store.episodes = [...e.episodes];
    store.warnings = [...e.warnings];
    store.changed();
  });
  socket.on('reading:batch', (e) => {
    const t = performance.now();
    if (!check<ReadingBatchEvt>(ReadingBatchEvt, 'reading:batch', e)) return;
    store.applyReadings(e.readings);
    // Update latency probe (bench/client.ts): first message of a burst -> first frame showing it.
    if (perf.pendingAt === null) { perf.pendingAt = t; perf.pendingVersion = store.version; }
    if (perf.jsPending === null) perf.jsPending = t;
  });
  socket.on('aqi:hour', (e) => {
    if (check<AqiHourEvt>(AqiHourEvt, 'aqi:hour', e)) store.applyHour(e.scope, e.id, e.point);
  });
  for (const name of ['episode:opened', 'episode:escalated', 'episode:peaked', 'episode:closed', 'episode:updated'] as const) {
    socket.on(name, (e) => {
      if (check<EpisodeEvt>(EpisodeEvt, name, e)) store.upsertEpisode(e.episode);
    });
  }
  socket.on('warning:changed', (e) => {
    if (check<WarningChangedEvt>(WarningChangedEvt, 'warning:changed', e)) {
      const { previous: _p, ...w } = e;
      store.setWarning(w);
    }
  });
  socket.on('freshness', (e) => {
    if (!check<FreshnessEvt>(FreshnessEvt, 'freshness', e)) return;
    store.staleMinutes = e.staleMinutes;
    for (const s of e.stations) store.lastSeen.set(s.station, s.lastSeen);
    store.skew = e.now - Date.now();
    store.changed();
  });
  socket.on('voc:cycle', (e) => {
    if (!check<VocCycleEvt>(VocCycleEvt, 'voc:cycle', e)) return;
    store.voc.set(e.station, e);
    store.markVoc(e.station);
    store.changed();
  });
  return { socket, close: () => socket.close() };
}
