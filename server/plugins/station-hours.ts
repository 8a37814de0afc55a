/**
 * Station-hour aggregates (`app.stationHours`, server/services/station-hours.ts): every hour the
 * live engine resolves goes to the time-series store, off the live path, so the next start-up
 * rebuild reads stations x hours instead of every raw reading. The last queued ones are written at
 * close (after the live input stopped).
 */
import fp from 'fastify-plugin';
import { StationHourWriter } from '../services/station-hours.ts';
import { pinoOf } from './core.ts';

declare module 'fastify' {
  interface FastifyInstance {
    stationHours: StationHourWriter;
  }
}

export default fp(async (app) => {
  const writer = new StationHourWriter({
    store: app.store, logger: pinoOf(app).child({ module: 'station-hours' }), graceMs: app.config.graceMinutes * 60_000, metrics: app.metrics,
  });
  app.decorate('stationHours', writer);
  // Not during the rebuild: the engine emits nothing then (rebuild.ts persists what it rebuilt).
  app.engine.on((ev) => {
    if (ev.type === 'hour:resolved') writer.put(ev.e);
  });
  app.addHook('onClose', async () => {
    await writer.close();
  });
}, { name: 'station-hours', dependencies: ['core', 'metrics', 'live-engine'] });
