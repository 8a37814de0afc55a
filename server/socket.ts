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
  io.on('connection', (socket) => {
    deps.onConnections?.(io.engine.clientsCount);
    // A client may name its rooms in the handshake (?cities=a,b) so the first sync already fits.
    const q = socket.handshake.query.cities;
    const initial = typeof q === 'string' ? q.split(',').filter((c) => cityCheck.Check(c)) : [];
    for (const c of initial) if (c === ALL_CITIES || deps.cities().includes(c)) socket.join(cityRoom(c));
    socket.emit('state:sync', deps.sync(roomsOf(socket)));

    const ackOf = (ack: unknown) => (typeof ack === 'function' ? (ack as (r: Ack) => void) : () => {});
    socket.on('city:join', (city: unknown, ack?: unknown) => {
      const reply = ackOf(ack);
      if (!cityCheck.Check(city)) return reply(errAck('city must be a non-empty string of at most 64 characters'));
      if (city !== ALL_CITIES && !deps.cities().includes(city)) return reply(errAck(`unknown city ${JSON.stringify(city)}`));
      socket.join(cityRoom(city));
      reply({ ok: true, rooms: roomsOf(socket) });
      socket.emit('state:sync', deps.sync(roomsOf(socket)));
    });
    socket.on('city:leave', (city: unknown, ack?: unknown) => {
      const reply = ackOf(ack);
      if (!cityCheck.Check(city)) return reply(errAck('city must be a non-empty string of at most 64 characters'));
      socket.leave(cityRoom(city));
      reply({ ok: true, rooms: roomsOf(socket) });
    });
    socket.on('state:request', (ack?: unknown) => {
      socket.emit('state:sync', deps.sync(roomsOf(socket)));
      ackOf(ack)({ ok: true, rooms: roomsOf(socket) });
    });
    socket.on('disconnect', () => deps.onConnections?.(io.engine.clientsCount));
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
