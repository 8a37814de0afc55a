/**
 * What feeds the engine: `app.ingest(readings)` (the internal MQTT topic, or tests), and
 * `app.startLive()`: subscribe, rebuild from the store (server/services/rebuild.ts), then run the
 * clock tick. Stopped before anything else closes.
 */
import fp from 'fastify-plugin';
import type { Reading } from '#common/schemas/reading.ts';
import { subscribe } from '../mqtt.ts';
import { rebuild } from '../services/rebuild.ts';
import { vocCycleEvent } from '../routes/voc.ts';
import { pinoOf } from './core.ts';
import type { ServerConfig } from '../config.ts';
import type { KeyRing } from '#common/schemas/internal-sig.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Readings as if they came from MQTT. */
    ingest(readings: Reading[]): void;
    startLive(): Promise<void>;
  }
}

/** The configured keys as the verifier's ring: the previous key counts `previousHours` from now (start). */
function keyRing(k: ServerConfig['internalKeys'], start: number): KeyRing | null {
  if (!k) return null;
  return { current: k.current, previous: k.previous, previousUntil: k.previous ? start + k.previousHours * 3_600_000 : null, windowMs: k.windowSeconds * 1000 };
}

export default fp(async (app) => {
  const { config, engine, episodes, metrics, readingBatcher: batcher, serverState: state } = app;
  const logger = pinoOf(app);

  function ingest(readings: Reading[]): void {
    metrics.readings.inc(readings.length);
    // Live push first: the socket path never waits for the engine, the store or anything else.
    batcher.push(readings);
    engine.ingest(readings, app.clock());
    episodes.flush(false);
  }
  app.decorate('ingest', ingest);

  let tickTimer: NodeJS.Timeout | null = null;
  app.decorate('startLive', async () => {
    // Rebuild before subscribing would lose what arrives meanwhile; subscribe first and hold
    // live readings until the replay is done, then apply them (idempotent per hour).
    const held: Reading[][] = [];
    let holding = true;
    if (config.mqttUrl) {
      state.mqtt = await subscribe(config.mqttUrl, logger, {
        readings: (r) => {
          if (holding) {
            batcher.push(r);
            held.push(r);
          } else ingest(r);
        },
        voc: (cycles) => {
          // With its OFP/L_OH metrics, so the panel updates without another request.
          for (const c of cycles) app.io.emit('voc:cycle', vocCycleEvent(c));
          metrics.events.inc({ event: 'voc:cycle' }, cycles.length);
          // O3 episode days get their box-model run by themselves (bounded, as 'system').
          app.obmAuto.onCycles(cycles);
        },
        rejected: (reason, detail, topic) => {
          metrics.rejected.inc({ reason });
          const r = state.rejected.get(reason) ?? { count: 0, last: 0, example: '' };
          state.rejected.set(reason, { count: r.count + 1, last: Date.now(), example: `${topic}: ${detail}`.slice(0, 300) });
        },
      }, { keys: keyRing(config.internalKeys, Date.now()) });
      if (!config.internalKeys) logger.warn('AIRDESK_INTERNAL_KEY is not set: messages on aq/v1/internal/# are computed on unsigned (anyone the broker lets publish there can feed the engine)');
    }
    const rb = await rebuild({ store: app.store, engine, episodes, config, clock: app.clock, logger, hours: app.stationHours });
    metrics.rebuildSeconds.set(rb.ms / 1000);
    metrics.rebuildHours.set({ from: 'aggregates' }, rb.aggregateHours);
    metrics.rebuildHours.set({ from: 'raw' }, rb.rawHours);
    app.stationHours.start();
    state.rebuilt = true;
    holding = false;
    for (const r of held) engine.ingest(r, app.clock());
    episodes.flush(false);
    metrics.readings.inc(held.reduce((n, r) => n + r.length, 0));
    state.ready = true;
    tickTimer = setInterval(() => {
      try {
        engine.tick(app.clock());
        app.stationHours.tick(app.clock());
        episodes.flush(false);
        episodes.tick(app.clock());
      } catch (err) {
        app.log.error({ err }, 'tick failed');
      }
    }, config.tickSeconds * 1000);
    tickTimer.unref();
    app.log.info({ stations: app.stations().length, cities: engine.cityNames().length }, 'server started');
  });

  app.addHook('preClose', async () => {
    state.ready = false;
    if (tickTimer) clearInterval(tickTimer);
    await state.mqtt?.close();
  });
}, { name: 'live-input', dependencies: ['core', 'metrics', 'live-engine', 'episodes', 'realtime', 'station-hours'] });
