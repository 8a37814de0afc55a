/**
 * The client's edge: REST fetches and the socket.io connection, each payload checked against the
 * shared schemas (common/schemas) before it touches the store. A payload that fails is counted and
 * logged once per event name, never applied (STYLE.md: validate at every edge).
 *
 * Checks use TypeBox's compiled checkers (a 10,000-reading batch: ~10 ms instead of ~200 ms with the
 * interpreting Value.Check; see docs/benchmarks.md), falling back to Value.Check where the page may
 * not compile code. Reading batches are validated on arrival and applied to the store once per
 * animation frame, however many arrived since the last one (a hidden tab, which gets no frames,
 * applies them on a timer).
 */
import { io, type Socket } from 'socket.io-client';
import { authFetch, onSession, refresh as refreshSession, sessionState, signedOut, wallToken } from './session.ts';
import { Value } from '@sinclair/typebox/value';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import type { Reading } from '#common/schemas/reading.ts';
import type { TodayO3 } from '#common/schemas/api.ts';
import {
  EpisodeDetail, EpisodesResponse, HourlySeriesResponse, LatestResponse, StationsResponse, TodayResponse, WarningsResponse,
} from '#common/schemas/api.ts';
import {
  AqiHourEvt, EpisodeEvt, FreshnessEvt, ReadingBatchEvt, StateSyncEvt, VocCycleEvt, WarningChangedEvt,
  type ClientToServerEvents, type ServerToClientEvents,
} from '#common/schemas/events.ts';
import { OfficialResponse, PublishedEvt } from '#common/schemas/consult.ts';
import { ObmCompletedEvt, ObmProgressEvt } from '#common/schemas/obm.ts';
import { obmFeed } from './obmFeed.ts';
import type { Store } from './store.ts';

export const rejected = new Map<string, number>();
/** Counts of events received per name (debug hook: window.__airdesk.events). */
export const received = new Map<string, number>();

/** Message-to-frame latency probe, read by bench/client.ts through window.__airdesk.perf. */
export const perf = {
  /** arrival of the oldest message not yet on screen */
  pendingAt: null as number | null,
  /** store version that carries it (Infinity until the frame-coalesced apply has run) */
  pendingVersion: Infinity,
  /** version of the store the current deck layers were built from */
  layersVersion: 0,
  samples: [] as number[],
  /** message -> deck layers rebuilt for it (JS only, no GPU) */
  jsSamples: [] as number[],
  jsPending: null as number | null,
  /** deck frames drawn (a frame with two deck draws costs two rasterisations in SwiftShader) */
  draws: 0,
  /** called by the map after each deck frame */
  afterRender(): void {
    perf.draws++;
    if (perf.pendingAt !== null && perf.layersVersion >= perf.pendingVersion) {
      perf.samples.push(performance.now() - perf.pendingAt);
      perf.pendingAt = null;
    }
  },
};

const compiled = new WeakMap<TSchema, (x: unknown) => boolean>();
/** A schema's checker, compiled once (interpreted where the page may not compile code). */
export function checker(schema: TSchema): (x: unknown) => boolean {
  let f = compiled.get(schema);
  if (!f) {
    try {
      const c = TypeCompiler.Compile(schema);
      f = (x) => c.Check(x);
    } catch {
      // A Content-Security-Policy without 'unsafe-eval' forbids compiling: interpret instead.
      f = (x) => Value.Check(schema, x);
    }
    compiled.set(schema, f);
  }
  return f;
}

function check<T>(schema: TSchema, name: string, x: unknown): x is T {
  received.set(name, (received.get(name) ?? 0) + 1);
  if (checker(schema)(x)) return true;
  const n = (rejected.get(name) ?? 0) + 1;
  rejected.set(name, n);
  if (n === 1) console.warn(`airdesk: ${name} payload does not match its schema; ignored`, [...Value.Errors(schema, x)].slice(0, 3));
  return false;
}

async function getJson<T>(url: string, schema: TSchema): Promise<T> {
  const r = await authFetch(url, { headers: { accept: 'application/json' } });
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
  today: () => getJson<{ today: TodayO3[] }>('/api/today', TodayResponse),
};

/** Alerts (one-hour jumps) and today's O3 are not pushed as events of their own: refetch them
 *  after a sync, an episode event or a city hour, at most once per `ms`. */
function refresher(store: Store, ms = 5_000) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  const run = async () => {
    timer = null;
    last = Date.now();
    try { store.setAlerts((await api.episodes()).alerts ?? []); } catch (e) { console.warn('airdesk: alerts not loaded', e); }
    try { store.setToday((await api.today()).today); } catch (e) { console.warn('airdesk: today not loaded', e); }
  };
  return () => {
    if (timer !== null) return;
    timer = setTimeout(run, Math.max(0, last + ms - Date.now()));
  };
}

/** Which stations have a VOC analyzer, known on first load. Neither the registry (kind is
 *  national/municipal/micro/voc) nor state:sync says so today; until they do (docs/client.md),
 *  ask the existing VOC route for each station's last 3 days of cycles, one station at a time,
 *  for networks up to 60 stations. A live voc:cycle marks a station too (Store.markVoc). */
export async function probeVocSites(store: Store, now = Date.now()): Promise<string[]> {
  if (store.stations.length > 60) return [];
  const found: string[] = [];
  for (const s of store.stations) {
    if (s.voc) { found.push(s.code); continue; }
    try {
      const q = new URLSearchParams({ station: s.code, from: String(now - 3 * 86_400_000), to: String(now), top: '1' });
      const r = await authFetch(`/api/voc/analysis?${q}`, { headers: { accept: 'application/json' } });
      if (r.status === 404) return found; // no VOC routes on this server
      if (!r.ok) continue;
      const body = (await r.json()) as { cycles?: unknown };
      if (typeof body.cycles === 'number' && body.cycles > 0) { store.markVoc(s.code); found.push(s.code); }
    } catch {
      // network trouble: a later voc:cycle still marks the station
    }
  }
  return found;
}

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
  void probeVocSites(store);
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(opts.url ?? '/', {
    transports: ['websocket', 'polling'],
    reconnectionDelay: 1000,
    reconnectionDelayMax: 10_000,
    timeout: 10_000,
    // A wall's display token; a signed-in desk's session cookie goes with the handshake by itself.
    auth: (cb: (d: object) => void) => cb(wallToken() ? { token: wallToken() } : {}),
  });
  // The server refuses the handshake (no identity, session over) or ends the socket (logout,
  // revoked token): show the sign-in; connect again once someone is signed in.
  socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
    const code = err.data?.code;
    // A first login that must change its password is signed in: the sign-in gate shows the change
    // dialog, and the socket connects once it is done (onSession below). Only a missing identity
    // means the session is over.
    if (code === 'AIRDESK_UNAUTHENTICATED') signedOut(wallToken() ? 'revoked-wall' : 'expired');
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') void refreshSession(true).then((s) => { if (s.kind === 'signed-in' || s.kind === 'anonymous') socket.connect(); else signedOut(wallToken() ? 'revoked-wall' : 'expired'); });
  });
  onSession(() => {
    const s = sessionState();
    if (((s.kind === 'signed-in' && !s.me.mustChangePassword) || s.kind === 'anonymous') && !socket.connected) {
      socket.connect();
      if (store.stations.length === 0) void loadStations();
    }
  });
  const refresh = refresher(store);
  socket.onAny((name: string) => received.set(`any:${name}`, (received.get(`any:${name}`) ?? 0) + 1));
  socket.on('connect', () => {
    store.setConn('up');
    socket.emit('city:join', '*');
    if (store.stations.length === 0) void loadStations();
    void loadOfficial(store);
  });
  socket.on('disconnect', () => { store.setConn('down'); obmFeed.setUp(false); });
  socket.on('connect', () => obmFeed.setUp(true));
  socket.io.on('reconnect_attempt', () => store.setConn(store.conn.state === 'up' ? 'down' : store.conn.state));
  socket.on('connect_error', () => store.setConn('down'));

  socket.on('state:sync', (e) => {
    if (!check<StateSyncEvt>(StateSyncEvt, 'state:sync', e)) return;
    store.staleMinutes = e.staleMinutes;
    store.hourlyRule = e.rule.hourly;
    store.applyLatest(e.latest, e.now - Date.now());
    store.episodes = [...e.episodes];
    store.warnings = [...e.warnings];
    if (e.today) store.today = [...e.today];
    store.touchUi();
    store.changed();
    refresh();
  });
  const batches = frameBatcher((rs) => {
    store.applyReadings(rs);
    if (perf.pendingAt !== null && perf.pendingVersion === Infinity) perf.pendingVersion = store.version;
  });
  socket.on('reading:batch', (e) => {
    const t = performance.now();
    if (!check<ReadingBatchEvt>(ReadingBatchEvt, 'reading:batch', e)) return;
    // Update latency probe (bench/client.ts): first message of a burst -> first frame showing it.
    if (perf.pendingAt === null) { perf.pendingAt = t; perf.pendingVersion = Infinity; }
    if (perf.jsPending === null) perf.jsPending = t;
    batches.push(e.readings);
  });
  socket.on('aqi:hour', (e) => {
    if (check<AqiHourEvt>(AqiHourEvt, 'aqi:hour', e)) {
      store.applyHour(e.scope, e.id, e.point);
      if (e.scope === 'city') refresh();
    }
  });
  for (const name of ['episode:opened', 'episode:escalated', 'episode:peaked', 'episode:closed', 'episode:updated'] as const) {
    socket.on(name, (e) => {
      if (check<EpisodeEvt>(EpisodeEvt, name, e)) { store.upsertEpisode(e.episode); refresh(); }
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
    store.touchUi();
    store.changed();
  });
  socket.on('voc:cycle', (e) => {
    if (!check<VocCycleEvt>(VocCycleEvt, 'voc:cycle', e)) return;
    store.voc.set(e.station, e);
    store.markVoc(e.station);
    store.touchUi();
    store.changed();
  });
  // Box-model runs: to the O3 panel following its run (client/src/data/obmFeed.ts), not the store.
  socket.on('obm:progress', (e) => {
    if (check<ObmProgressEvt>(ObmProgressEvt, 'obm:progress', e)) obmFeed.emit({ kind: 'progress', e });
  });
  socket.on('obm:completed', (e) => {
    if (check<ObmCompletedEvt>(ObmCompletedEvt, 'obm:completed', e)) obmFeed.emit({ kind: 'completed', e });
  });
  socket.on('forecast:published', (e) => {
    if (!check<PublishedEvt>(PublishedEvt, 'forecast:published', e)) return;
    store.official.set(e.forecast.city, e.forecast);
    store.touchUi();
    store.changed();
  });
  return { socket, close: () => socket.close() };
}

/** The signed forecasts (after every (re)connect: one published while away is not missed). */
async function loadOfficial(store: Store): Promise<void> {
  try {
    const r = await authFetch('/api/forecast/official');
    if (!r.ok) return;
    const body = (await r.json()) as unknown;
    if (!check<{ forecasts: import('#common/schemas/consult.ts').OfficialForecast[] }>(OfficialResponse, 'GET /api/forecast/official', body)) return;
    store.official = new Map(body.forecasts.map((f) => [f.city, f]));
    store.touchUi();
    store.changed();
  } catch {
    // offline: the next connect tries again
  }
}

/** At most one store update per animation frame: a message that arrives when none was applied in
 *  the current frame is applied at once; those arriving after it wait for the next frame and are
 *  applied together. A page that gets no frames (a hidden tab) applies them after `maxWaitMs`. */
export function frameBatcher(apply: (rs: Reading[]) => void, maxWaitMs = 250) {
  let queue: Reading[][] = [];
  /** an update was applied in the current frame */
  let busy = false;
  let raf: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const hasRaf = typeof requestAnimationFrame !== 'undefined';
  const drain = () => {
    const q = queue;
    queue = [];
    if (q.length) apply(q.length === 1 ? q[0] : q.flat());
  };
  // Next frame (or the timer, whichever first): apply what waited, and hold the frame after it.
  const frame = () => {
    if (raf !== null && hasRaf) cancelAnimationFrame(raf);
    if (timer !== null) clearTimeout(timer);
    raf = timer = null;
    if (queue.length === 0) { busy = false; return; }
    drain();
    arm();
  };
  const arm = () => {
    busy = true;
    if (hasRaf) raf = requestAnimationFrame(frame);
    timer = setTimeout(frame, maxWaitMs);
  };
  return {
    push(rs: readonly Reading[]): void {
      queue.push(rs as Reading[]);
      if (busy) return;
      drain();
      arm();
    },
    /** apply whatever waits now */
    flush: () => { drain(); },
    pending: () => queue.length,
  };
}
