/**
 * The live engine (`app.engine`: hourly values and AQI, city means, daily statistics, freshness)
 * and what it says, pushed to the socket rooms: aqi:hour to the city's room, aqi:day and
 * freshness to all. Station-hours go on to the episode plugin.
 */
import fp from 'fastify-plugin';
import { cityRoom, ALL_CITIES } from '#common/schemas/events.ts';
import { LiveEngine } from '../live/engine.ts';

declare module 'fastify' {
  interface FastifyInstance {
    engine: LiveEngine;
  }
}

export default fp(async (app) => {
  const c = app.config;
  const engine = new LiveEngine({
    staleMinutes: c.staleMinutes, graceMinutes: c.graceMinutes,
    retentionHours: Math.max(c.rebuildDays * 24, 72) + 24,
    rules: { hourly: c.hourlyRule, daily: c.dailyRule },
  }, app.stations());
  app.decorate('engine', engine);
  // app.io is decorated by the realtime plugin; events flow only once the server has started.
  engine.on((ev) => {
    switch (ev.type) {
      case 'aqi:hour': {
        const rooms = ev.e.city ? [cityRoom(ev.e.city), cityRoom(ALL_CITIES)] : [cityRoom(ALL_CITIES)];
        app.io.to(rooms).emit('aqi:hour', ev.e);
        app.metrics.events.inc({ event: 'aqi:hour' });
        break;
      }
      case 'aqi:day':
        app.io.emit('aqi:day', ev.e);
        app.metrics.events.inc({ event: 'aqi:day' });
        break;
      case 'freshness':
        app.io.emit('freshness', ev.e);
        app.metrics.stale.set(ev.e.stations.filter((s) => s.stale).length);
        app.metrics.events.inc({ event: 'freshness' });
        break;
    }
  });
}, { name: 'live-engine', dependencies: ['core', 'metrics'] });
