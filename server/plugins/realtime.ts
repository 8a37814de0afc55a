/**
 * socket.io on the same HTTP server (`app.io`, server/socket.ts: typed events, city rooms, a full
 * `state:sync` on every (re)connect) and the per-room batcher of live readings (`app.readingBatcher`).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { StateSyncEvt } from '#common/schemas/events.ts';
import { ALL_CITIES } from '#common/schemas/events.ts';
import { createIo, ReadingBatcher, type IoServer } from '../socket.ts';
import { ruleLabel } from '../config.ts';
import { pinoOf } from './core.ts';

declare module 'fastify' {
  interface FastifyInstance {
    io: IoServer;
    readingBatcher: ReadingBatcher;
  }
}

/** Everything a client in these rooms needs to draw the present. */
function stateSync(app: FastifyInstance, rooms: string[]): StateSyncEvt {
  const now = app.clock();
  const all = rooms.includes(ALL_CITIES);
  const inRoom = (c: string | null) => all || (c !== null && rooms.includes(c));
  return {
    now,
    staleMinutes: app.config.staleMinutes,
    rule: ruleLabel(app.config, now),
    latest: {
      now,
      stations: app.engine.latestStations(now).filter((s) => inRoom(s.city)),
      cities: app.engine.latestCities(now),
    },
    cityDays: app.engine.cityDays(),
    episodes: app.episodes.recent(),
    warnings: app.episodes.warnings(),
    today: app.episodes.today(),
    rooms,
  };
}

export default fp(async (app) => {
  const io = createIo(app.server, {
    logger: pinoOf(app),
    cities: () => app.engine.cityNames(),
    sync: (rooms) => stateSync(app, rooms),
    onConnections: (n) => app.metrics.clients.set(n),
    onDropped: (why) => app.metrics.dropped.inc({ why }),
  });
  app.decorate('io', io);
  app.decorate('readingBatcher', new ReadingBatcher(io, app.config.socketBatchMs, (s) => app.engine.cityOf(s)));
  // Before the HTTP server closes: open websockets would keep it waiting.
  app.addHook('preClose', async () => {
    app.readingBatcher.close();
    io.close();
  });
}, { name: 'realtime', dependencies: ['core', 'metrics', 'live-engine', 'episodes'] });
