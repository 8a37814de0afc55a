/**
 * socket.io: typed events (common/schemas/events.ts), city rooms, batched live readings, and a full
 * `state:sync` on every (re)connect. Client arguments are validated here (the edge), never trusted.
 */
import { Server, type Socket } from 'socket.io';
import type { Server as HttpServer } from 'node:http';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { Logger } from 'pino';
import type { Reading } from '#common/schemas/reading.ts';
import {
  ALL_CITIES, CityArg, cityRoom, type Ack, type ClientToServerEvents, type ServerToClientEvents, type StateSyncEvt,
} from '#common/schemas/events.ts';
import { AppError } from './errors.ts';
import { TokenBucket } from '#common/token-bucket.ts';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const cityCheck = TypeCompiler.Compile(CityArg);

export interface SocketDeps {
  logger: Logger;
  /** Known cities ('*' is always allowed). */
  cities: () => string[];
  /** Full state for a socket in these rooms. */
  sync: (rooms: string[]) => StateSyncEvt;
  onConnections?: (n: number) => void;
  /** a socket was disconnected for holding too many unsent bytes or sending too many events */
  onDropped?: (why: 'buffered' | 'events') => void;
  limits?: Partial<SocketLimits>;
}

/**
 * Per-socket limits. Why: each `state:request` answered with the full state (~440 KB); 3,000
 * requests from one client that never read (57 KB sent) queued 799 MB and the server died with
 * "Reached heap limit". Now a socket's syncs are coalesced (one pending at a time) and rate
 * limited, and a socket whose unsent bytes pass `maxBufferedBytes` is disconnected.
 */
export interface SocketLimits {
  /** state:sync answers at once (burst), then one per `syncEveryMs`; more requests coalesce into one */
  syncBurst: number;
  syncEveryMs: number;
  /** a sync is held back while the socket has more than this unsent (it waits for the client) */
  syncMaxBufferedBytes: number;
  /** disconnect a socket with more than this unsent (a client that does not read) */
  maxBufferedBytes: number;
  /** events a socket may send: a burst, then this many a second; beyond: disconnected */
  eventBurst: number;
  eventsPerSecond: number;
  /** how often buffered bytes are checked */
  sweepMs: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  syncBurst: 3,
  syncEveryMs: 2000,
  syncMaxBufferedBytes: 1 << 20,
  // A few full states: a client on a slow link still catches up; one that never reads is gone
  // before it costs more than this.
  maxBufferedBytes: 8 << 20,
  eventBurst: 200,
  eventsPerSecond: 50,
  sweepMs: 1000,
};

interface EngineLike {
  writeBuffer?: { data?: unknown }[];
  transport?: { socket?: { _socket?: { writableLength?: number } } };
}

/** Bytes a socket holds that the client has not taken: engine.io's write buffer (packets waiting
 *  for the transport) plus, for WebSocket, what sits in the TCP socket's user-space buffer. */
export function bufferedBytes(socket: { conn: unknown }): number {
  const conn = socket.conn as EngineLike;
  let n = conn.transport?.socket?._socket?.writableLength ?? 0;
  const wb = conn.writeBuffer;
  if (wb) {
    for (let i = 0; i < wb.length; i++) {
      const d = wb[i].data;
      if (typeof d === 'string') n += d.length;
      else if (d && typeof (d as ArrayBufferView).byteLength === 'number') n += (d as ArrayBufferView).byteLength;
    }
  }
  return n;
}

function errAck(message: string): Ack {
  const e = new AppError('AIRDESK_BAD_SOCKET_ARG', message);
  return { ok: false, error: { code: e.code, message: e.message } };
}

function roomsOf(s: IoSocket): string[] {
  return [...s.rooms].filter((r) => r.startsWith('city:')).map((r) => r.slice(5)).sort();
}

export function createIo(http: HttpServer, deps: SocketDeps): IoServer {
  const io: IoServer = new Server(http, {
    serveClient: false,
    // The dashboard is served by this same server; no cross-origin clients by default.
    cors: undefined,
    maxHttpBufferSize: 64 * 1024,
    // The engine.io default, made explicit: deflating every reading:batch frame per socket would
    // cost CPU on the live push path (bench:live, docs/benchmarks.md).
    perMessageDeflate: false,
  });
  const log = deps.logger.child({ module: 'socket' });
  const lim: SocketLimits = { ...DEFAULT_SOCKET_LIMITS, ...deps.limits };
  // Counted here, not engine.clientsCount: that stayed at 1,000 after every client had left.
  let connected = 0;
  const drop = (socket: IoSocket, why: 'buffered' | 'events', detail: object) => {
    if (!socket.connected) return;
    log.warn({ id: socket.id, why, ...detail }, 'disconnecting a socket.io client that does not read or sends too much');
    deps.onDropped?.(why);
    // close the underlying connection: its buffers go with it
    socket.disconnect(true);
  };
  const sweep = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      const b = bufferedBytes(socket);
      if (b > lim.maxBufferedBytes) drop(socket, 'buffered', { bytes: b });
    }
  }, lim.sweepMs);
  sweep.unref();
  // io.close() closes the HTTP server too.
  http.once('close', () => clearInterval(sweep));
  io.on('connection', (socket) => {
    connected++;
    deps.onConnections?.(connected);
    const events = new TokenBucket(lim.eventBurst, lim.eventsPerSecond);
    const syncs = new TokenBucket(lim.syncBurst, 1000 / lim.syncEveryMs);
    let syncTimer: NodeJS.Timeout | null = null;
    // One pending sync at most: requests while one waits are answered by it (coalesced).
    const requestSync = () => {
      if (syncTimer !== null || !socket.connected) return;
      const now = Date.now();
      const wait = bufferedBytes(socket) > lim.syncMaxBufferedBytes ? lim.syncEveryMs : syncs.waitMs(now);
      if (wait === 0 && syncs.take(now)) {
        socket.emit('state:sync', deps.sync(roomsOf(socket)));
        return;
      }
      syncTimer = setTimeout(() => {
        syncTimer = null;
        requestSync();
      }, Math.max(wait, 50));
    };
    socket.use((_packet, next) => {
      if (events.take(Date.now())) return next();
      drop(socket, 'events', {});
    });
    // A client may name its rooms in the handshake (?cities=a,b) so the first sync already fits.
    const q = socket.handshake.query.cities;
    const initial = typeof q === 'string' ? q.split(',').filter((c) => cityCheck.Check(c)) : [];
    for (const c of initial) if (c === ALL_CITIES || deps.cities().includes(c)) socket.join(cityRoom(c));
    syncs.take(Date.now());
    socket.emit('state:sync', deps.sync(roomsOf(socket)));

    const ackOf = (ack: unknown) => (typeof ack === 'function' ? (ack as (r: Ack) => void) : () => {});
    socket.on('city:join', (city: unknown, ack?: unknown) => {
      const reply = ackOf(ack);
      if (!cityCheck.Check(city)) return reply(errAck('city must be a non-empty string of at most 64 characters'));
      if (city !== ALL_CITIES && !deps.cities().includes(city)) return reply(errAck(`unknown city ${JSON.stringify(city)}`));
      socket.join(cityRoom(city));
      reply({ ok: true, rooms: roomsOf(socket) });
      requestSync();
    });
    socket.on('city:leave', (city: unknown, ack?: unknown) => {
      const reply = ackOf(ack);
      if (!cityCheck.Check(city)) return reply(errAck('city must be a non-empty string of at most 64 characters'));
      socket.leave(cityRoom(city));
      reply({ ok: true, rooms: roomsOf(socket) });
    });
    socket.on('state:request', (ack?: unknown) => {
      requestSync();
      ackOf(ack)({ ok: true, rooms: roomsOf(socket) });
    });
    socket.on('disconnect', () => {
      if (syncTimer !== null) clearTimeout(syncTimer);
      syncTimer = null;
      connected--;
      deps.onConnections?.(connected);
    });
    log.debug({ id: socket.id }, 'socket connected');
  });
  return io;
}

/**
 * Collects live readings per city and sends them as one `reading:batch` per room every `ms`
 * milliseconds (0 = on the next tick). The push never waits for a store write: readings come
 * straight from the MQTT handler.
 */
export class ReadingBatcher {
  private pending = new Map<string | null, Reading[]>();
  private timer: NodeJS.Timeout | null = null;
  batches = 0;

  constructor(private readonly io: IoServer, private readonly ms: number, private readonly cityOf: (s: string) => string | null) {}

  push(readings: readonly Reading[]): void {
    for (const r of readings) {
      const c = this.cityOf(r.station);
      let a = this.pending.get(c);
      if (!a) this.pending.set(c, (a = []));
      a.push(r);
    }
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.ms);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const all: Reading[] = [];
    // socket.io encodes a broadcast before looking for sockets: skip rooms nobody is in.
    const occupied = (room: string) => (this.io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0;
    const allRoom = occupied(cityRoom(ALL_CITIES));
    for (const [city, readings] of this.pending) {
      // A loop, not push(...readings): spreading a very large batch would overflow the call stack.
      if (allRoom) for (const r of readings) all.push(r);
      if (city !== null && occupied(cityRoom(city))) {
        // Sockets in both the city room and '*' get it once: socket.io dedupes across rooms in one emit.
        this.io.to(cityRoom(city)).except(cityRoom(ALL_CITIES)).emit('reading:batch', { city, readings });
        this.batches++;
      }
    }
    if (all.length) {
      // The '*' room gets everything as one batch per flush.
      this.io.to(cityRoom(ALL_CITIES)).emit('reading:batch', { city: null, readings: all });
      this.batches++;
    }
    this.pending.clear();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}
