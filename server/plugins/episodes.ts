/**
 * Episodes and warnings (`app.episodes`, server/services/episodes.ts) fed with the live engine's
 * station-hours; their events pushed to every socket; the engine's snapshot kept in the state file,
 * forecasts and warning steps in the system of record.
 */
import fp from 'fastify-plugin';
import { EpisodeService } from '../services/episodes.ts';
import { WarningRecorder } from '../services/warning-record.ts';
import { pinoOf } from './core.ts';

declare module 'fastify' {
  interface FastifyInstance {
    episodes: EpisodeService;
  }
}

export default fp(async (app) => {
  const { config, engine } = app;
  // The same daily rule set as the live engine (AIRDESK_DAILY_RULE), and the warning lift rule.
  const episodes = new EpisodeService({
    logger: pinoOf(app).child({ module: 'episodes' }), statePath: config.statePath, clock: app.clock,
    dailyRule: config.dailyRule, liftRule: config.warningLift,
    // Forecasts and warning steps live in the system of record, not in the state file.
    recorder: new WarningRecorder(app.records, pinoOf(app).child({ module: 'warning-record' })),
  });
  app.decorate('episodes', episodes);

  // The snapshot must survive a SIGKILL and never be older than what the start-up rebuild
  // replays (rebuildDays), whatever the speed of the data (a fast simulation crosses a day in
  // seconds): saved within a second of any new hour, and at close.
  let saveTimer: NodeJS.Timeout | null = null;
  const saveSoon = () => {
    if (saveTimer || !config.statePath || engine.replaying) return;
    saveTimer = setTimeout(() => {
      saveTimer = null;
      episodes.flush(false);
      episodes.save();
    }, 1000);
    saveTimer.unref();
  };
  engine.on((ev) => {
    if (ev.type !== 'station:hour') return;
    episodes.stationHour(ev.e);
    saveSoon();
  });
  episodes.on((ev) => {
    if (ev.kind === 'episode') {
      app.io.emit(`episode:${ev.e.type}`, ev.e);
      app.metrics.events.inc({ event: `episode:${ev.e.type}` });
    } else {
      app.io.emit('warning:changed', ev.e);
      app.metrics.events.inc({ event: 'warning:changed' });
    }
  });
  // After the live input has stopped (its preClose), so nothing arrives after the last save.
  app.addHook('onClose', async () => {
    if (saveTimer) clearTimeout(saveTimer);
    episodes.save();
    await episodes.settled();
  });
}, { name: 'episodes', dependencies: ['core', 'metrics', 'live-engine'] });
