/**
 * The box-model service as `app.obm` (server/obm/service.ts): runs go to worker threads, progress
 * and completion go out as socket.io `obm:progress` / `obm:completed` to every client. Runs a
 * stopped process left queued or running are marked failed when the server is ready, and queued
 * runs are failed and workers stopped when it closes.
 */
import fp from 'fastify-plugin';
import { createObmAuto, type ObmAuto } from '../obm/auto.ts';
import { createObmService, type ObmService } from '../obm/service.ts';
import { pinoOf } from './core.ts';

declare module 'fastify' {
  interface FastifyInstance {
    obm: ObmService;
    /** Automatic runs on new VOC cycles of O3 episode days (server/obm/auto.ts). */
    obmAuto: ObmAuto;
  }
}

export default fp(async (app) => {
  const svc = createObmService({
    store: app.store, stations: app.stations, runs: app.records.obmRuns, config: app.config.obm,
    logger: pinoOf(app), clock: app.clock,
    emitProgress: (e) => app.io.emit('obm:progress', e),
    emitCompleted: (e) => app.io.emit('obm:completed', e),
  });
  app.decorate('obm', svc);
  app.decorate('obmAuto', createObmAuto({
    obm: svc, store: app.store, stations: app.stations, mda8: app.config.obm.autoMda8,
    afterHour: app.config.obm.autoAfterHour, logger: pinoOf(app),
  }));
  const n = await app.records.obmRuns.failInterrupted();
  if (n) app.log.warn({ runs: n }, 'box-model runs left unfinished by a stopped server marked failed');
  app.addHook('preClose', async () => { await svc.close(); });
}, { name: 'obm', dependencies: ['core', 'realtime'] });
