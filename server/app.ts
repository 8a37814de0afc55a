/**
 * The server as a value: buildServer(deps) wires Fastify (REST + OpenAPI), socket.io and the live
 * engine, without listening, so tests drive it through app.inject() or listen on port 0.
 * server/main.ts reads the environment and calls it.
 *
 *   const s = await buildServer({ store, stations, logger, config });
 *   await s.start();            // rebuild from the store, subscribe to MQTT, start the clock
 *   await s.app.listen({ port: 0 });
 *   ...
 *   await s.close();
 */
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Station } from '#common/schemas/station.ts';
import type { Reading, VocCycle } from '#common/schemas/reading.ts';
import type { StateSyncEvt } from '#common/schemas/events.ts';
import { cityRoom, ALL_CITIES } from '#common/schemas/events.ts';
import type { TimeSeriesStore } from '../stores/types.ts';
import { AppError, ERRORS } from './errors.ts';
import { serverConfig, ruleLabel, type ServerConfig } from './config.ts';
import { LiveEngine } from './live/engine.ts';
import { createIo, ReadingBatcher, type IoServer } from './socket.ts';
import { subscribe, type Subscriber } from './mqtt.ts';
import { vocCycleEvent } from './routes/voc.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { EpisodeService } from './services/episodes.ts';
import { rebuild } from './services/rebuild.ts';
import { healthRoutes } from './routes/health.ts';
import { stationRoutes } from './routes/stations.ts';
import { seriesRoutes } from './routes/series.ts';
import { episodeRoutes } from './routes/episodes.ts';
import { deadLetterRoutes, type DeadLetterSource } from './routes/dead-letters.ts';

/** Station registry as the server needs it (stores/stations.ts provides one). */
export interface StationSource {
  list(): Station[] | Promise<Station[]>;
}

export interface ServerDeps {
  store: TimeSeriesStore;
  stations: StationSource | readonly Station[];
  mqttUrl?: string | null;
  logger: Logger;
  config?: Partial<ServerConfig> | Readonly<ServerConfig>;
  /** Clock (epoch ms); tests pass a fixed or stepped one. */
  clock?: () => number;
  /** Dead-letter summary source (the gateway's spool); absent = the route says unavailable. */
  deadLetters?: DeadLetterSource | null;
  /** Optional extra Fastify plugin for VOC routes (server/routes/voc.ts), registered under /api. */
  vocRoutes?: ((app: FastifyInstance, opts: Record<string, unknown>) => Promise<void>) | null;
}

export interface Built {
  app: FastifyInstance;
  io: IoServer;
  engine: LiveEngine;
  episodes: EpisodeService;
  metrics: Metrics;
  /** Ingest readings as if they came from MQTT (tests and embedding). */
  ingest(readings: Reading[]): void;
  start(): Promise<void>;
  close(): Promise<void>;
  state: { ready: boolean; rebuilt: boolean; mqtt: Subscriber | null; started: number };
}

/** Everything the route plugins need, passed as plugin options. */
export interface RouteCtx {
  config: Readonly<ServerConfig>;
  store: TimeSeriesStore;
  engine: LiveEngine;
  episodes: EpisodeService;
  metrics: Metrics;
  clock: () => number;
  stations: () => Station[];
  state: Built['state'];
  deadLetters: DeadLetterSource | null;
  latestVoc: () => VocCycle[];
}

export async function buildServer(deps: ServerDeps): Promise<Built> {
  const config = serverConfig({ ...(deps.config ?? {}), ...(deps.mqttUrl !== undefined ? { mqttUrl: deps.mqttUrl } : {}) });
  const clock = deps.clock ?? Date.now;
  const logger = deps.logger;
  const metrics = createMetrics();
  const stationList: Station[] = Array.isArray(deps.stations)
    ? [...(deps.stations as readonly Station[])]
    : await (deps.stations as StationSource).list();

  const app = Fastify({
    loggerInstance: logger,
    // One line per request at info would drown the lifecycle lines; metrics count requests.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
    // Unknown query parameters are an error (400), not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });

  const engine = new LiveEngine({
    staleMinutes: config.staleMinutes, graceMinutes: config.graceMinutes,
    retentionHours: Math.max(config.rebuildDays * 24, 72) + 24,
    rules: { hourly: config.hourlyRule, daily: config.dailyRule },
  }, stationList);
  const episodes = new EpisodeService({ logger: logger.child({ module: 'episodes' }), statePath: config.statePath, clock, dailyRule: config.dailyRule, liftRule: config.warningLift });
  const state: Built['state'] = { ready: false, rebuilt: false, mqtt: null, started: clock() };
  const latestVoc = new Map<string, VocCycle>();

  // --- socket.io
  const io = createIo(app.server, {
    logger,
    cities: () => engine.cityNames(),
    sync: (rooms) => stateSync(rooms),
    onConnections: (n) => metrics.clients.set(n),
  });
  const batcher = new ReadingBatcher(io, config.socketBatchMs, (s) => engine.cityOf(s));

  function stateSync(rooms: string[]): StateSyncEvt {
    const now = clock();
    const all = rooms.includes(ALL_CITIES);
    const inRoom = (c: string | null) => all || (c !== null && rooms.includes(c));
    return {
      now,
      staleMinutes: config.staleMinutes,
      rule: ruleLabel(config, now),
      latest: {
        now,
        stations: engine.latestStations(now).filter((s) => inRoom(s.city)),
        cities: engine.latestCities(now),
      },
      cityDays: engine.cityDays(),
      episodes: episodes.recent(),
      warnings: episodes.warnings(),
      today: episodes.today(),
      rooms,
    };
  }

  engine.on((ev) => {
    switch (ev.type) {
      case 'aqi:hour': {
        const rooms = ev.e.city ? [cityRoom(ev.e.city), cityRoom(ALL_CITIES)] : [cityRoom(ALL_CITIES)];
        io.to(rooms).emit('aqi:hour', ev.e);
        metrics.events.inc({ event: 'aqi:hour' });
        break;
      }
      case 'aqi:day':
        io.emit('aqi:day', ev.e);
        metrics.events.inc({ event: 'aqi:day' });
        break;
      case 'freshness':
        io.emit('freshness', ev.e);
        metrics.stale.set(ev.e.stations.filter((s) => s.stale).length);
        metrics.events.inc({ event: 'freshness' });
        break;
      case 'station:hour':
        episodes.stationHour(ev.e);
        break;
    }
  });
  episodes.on((ev) => {
    if (ev.kind === 'episode') {
      io.emit(`episode:${ev.e.type}`, ev.e);
      metrics.events.inc({ event: `episode:${ev.e.type}` });
    } else {
      io.emit('warning:changed', ev.e);
      metrics.events.inc({ event: 'warning:changed' });
    }
  });

  function ingest(readings: Reading[]): void {
    metrics.readings.inc(readings.length);
    // Live push first: the socket path never waits for the engine, the store or anything else.
    batcher.push(readings);
    engine.ingest(readings, clock());
    episodes.flush(false);
  }

  // --- HTTP
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'AirDesk API', version: '1', description: 'Live air quality, AQI (HJ 633), episodes and warnings. Errors: { error: { code, message, statusCode } }.' },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    let status = err.statusCode ?? 500;
    let code: string;
    let message: string;
    if (err instanceof AppError) {
      code = err.code;
      message = err.message;
    } else if ((err as FastifyError).validation) {
      const ctx = (err as FastifyError).validationContext;
      code = ctx === 'body' ? 'AIRDESK_BAD_BODY' : ctx === 'params' ? 'AIRDESK_BAD_PARAMS' : 'AIRDESK_BAD_QUERY';
      status = 400;
      message = `${ERRORS[code as keyof typeof ERRORS].message.replace('%s', err.message)}`;
    } else if (status === 413) {
      code = 'AIRDESK_PAYLOAD_TOO_LARGE';
      message = ERRORS.AIRDESK_PAYLOAD_TOO_LARGE.message;
    } else if (status === 415) {
      code = 'AIRDESK_UNSUPPORTED_MEDIA_TYPE';
      message = err.message;
    } else if (status >= 400 && status < 500) {
      code = 'AIRDESK_BAD_REQUEST';
      message = err.message;
    } else {
      status = status === 503 ? 503 : 500;
      code = status === 503 ? 'AIRDESK_STORE_UNAVAILABLE' : 'AIRDESK_INTERNAL';
      message = ERRORS[code as 'AIRDESK_INTERNAL'].message;
      req.log.error({ err }, 'request failed');
    }
    reply.status(status).send({ error: { code, message, statusCode: status } });
  });

  app.addHook('onResponse', async (req, reply) => {
    metrics.http.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const ctx: RouteCtx = {
    config, store: deps.store, engine, episodes, metrics, clock, stations: () => stationList, state,
    deadLetters: deps.deadLetters ?? null, latestVoc: () => [...latestVoc.values()],
  };
  await app.register(healthRoutes, ctx);
  await app.register(async (api) => {
    await api.register(stationRoutes, ctx);
    await api.register(seriesRoutes, ctx);
    await api.register(episodeRoutes, ctx);
    await api.register(deadLetterRoutes, ctx);
    if (deps.vocRoutes) await api.register(deps.vocRoutes, ctx as unknown as Record<string, unknown>);
  }, { prefix: '/api' });

  // The built client, with SPA fallback (so /wall and other client routes load index.html).
  const clientDir = path.resolve(config.clientDir);
  const haveClient = existsSync(path.join(clientDir, 'index.html'));
  if (haveClient) await app.register(fastifyStatic, { root: clientDir, wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0];
    const apiLike = /^\/(api|docs|metrics|healthz|readyz|socket\.io)(\/|$)/.test(url);
    if (haveClient && req.method === 'GET' && !apiLike && !path.extname(url)) return reply.sendFile('index.html');
    const e = new AppError('AIRDESK_ROUTE_NOT_FOUND', `${req.method} ${url}`);
    return reply.status(404).send({ error: { code: e.code, message: e.message, statusCode: 404 } });
  });

  let tickTimer: NodeJS.Timeout | null = null;
  let closed = false;

  async function start(): Promise<void> {
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
          for (const c of cycles) {
            latestVoc.set(c.analyzer, c);
            // With its OFP/L_OH metrics, so the panel updates without another request.
            io.emit('voc:cycle', vocCycleEvent(c));
          }
          metrics.events.inc({ event: 'voc:cycle' }, cycles.length);
        },
        rejected: (reason) => metrics.rejected.inc({ reason }),
      });
    }
    await rebuild({ store: deps.store, engine, episodes, config, clock, logger });
    state.rebuilt = true;
    holding = false;
    for (const r of held) engine.ingest(r, clock());
    episodes.flush(false);
    metrics.readings.inc(held.reduce((n, r) => n + r.length, 0));
    state.ready = true;
    tickTimer = setInterval(() => {
      try {
        engine.tick(clock());
        episodes.flush(false);
        episodes.tick(clock());
      } catch (err) {
        logger.error({ err }, 'tick failed');
      }
    }, config.tickSeconds * 1000);
    tickTimer.unref();
    logger.info({ stations: stationList.length, cities: engine.cityNames().length }, 'server started');
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    state.ready = false;
    if (tickTimer) clearInterval(tickTimer);
    batcher.close();
    await state.mqtt?.close();
    episodes.save();
    io.close();
    await app.close();
  }

  return {
    // The pino Logger generic differs from FastifyBaseLogger only in type; the instance is the same.
    app: app as unknown as FastifyInstance, io, engine, episodes, metrics, ingest, start, close, state,
  };
}

export { AppError };
export type { Metrics };
