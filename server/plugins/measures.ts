/**
 * Measures (`app.measures`, server/services/measures.ts): fed with every warning change so a
 * warning issued, changed or lifted creates or ends its warning response; each change pushed as
 * `measure:changed`, each live evaluation as `measure:evaluated`; re-evaluated at every new hour
 * of a city's data, and by a timer from start until close.
 */
import fp from 'fastify-plugin';
import { MeasureService } from '../services/measures.ts';
import { pinoOf } from './core.ts';

declare module 'fastify' {
  interface FastifyInstance {
    measures: MeasureService;
  }
}

export default fp(async (app) => {
  const measures = new MeasureService({
    records: app.records, store: app.store, stations: app.stations, logger: pinoOf(app).child({ module: 'measures' }),
    clock: app.clock, config: app.config.measureEval,
    changed: (e) => { app.io.emit('measure:changed', e); app.metrics.events.inc({ event: 'measure:changed' }); },
    evaluated: (e) => { app.io.emit('measure:evaluated', e); app.metrics.events.inc({ event: 'measure:evaluated' }); },
  });
  app.decorate('measures', measures);
  app.episodes.on((ev) => {
    if (ev.kind === 'warning') measures.warningChanged(ev.e);
  });
  // A new hour of a city's data: its measures in force are evaluated again ("every hour" of data,
  // so a simulation at --speed 600 updates every few seconds, not every real hour). The timer in
  // start() is the backstop when data stop.
  app.engine.on((ev) => {
    if (ev.type === 'city:hour' && !app.engine.replaying) measures.dataHour(ev.city, ev.time);
  });
  app.addHook('onReady', async () => { measures.start(); });
  // preClose: before the records close (onClose), so nothing in flight waits on a closed database.
  app.addHook('preClose', async () => { await measures.close(); });
}, { name: 'measures', dependencies: ['core', 'metrics', 'live-engine', 'episodes', 'realtime'] });
