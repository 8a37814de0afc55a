/**
 * The server as a value: buildServer(deps) registers its plugins (server/plugins/, each a
 * fastify-plugin that decorates the instance) and its routes, without listening, so tests drive it
 * through app.inject() or listen on port 0. system/serve.ts (`airdesk serve`) and system/stack.ts
 * (`npm start`) read the environment and call it.
 *
 *   const s = await buildServer({ store, stations, logger, config });
 *   await s.start();            // rebuild from the store, subscribe to MQTT, start the clock
 *   await s.app.listen({ port: 0 });
 *   ...
 *   await s.close();
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Station } from '#common/schemas/station.ts';
import type { Reading } from '#common/schemas/reading.ts';
import type { TimeSeriesStore } from '../stores/types.ts';
import { openRecords, type Records } from '../records/open.ts';
import { AppError } from './errors.ts';
import { serverConfig, type ServerConfig } from './config.ts';
import type { LiveEngine } from './live/engine.ts';
import type { IoServer } from './socket.ts';
import type { Metrics } from './metrics.ts';
import type { EpisodeService } from './services/episodes.ts';
import type { MeasureService } from './services/measures.ts';
import core, { type DeadLetterSource, type ServerState } from './plugins/core.ts';
import errorHandler from './plugins/error-handler.ts';
import metrics from './plugins/metrics.ts';
import openapi from './plugins/openapi.ts';
import liveEngine from './plugins/live-engine.ts';
import stationHours from './plugins/station-hours.ts';
import episodes from './plugins/episodes.ts';
import cityAlias from './plugins/city-alias.ts';
import realtime from './plugins/realtime.ts';
import liveInput from './plugins/live-input.ts';
import client from './plugins/client.ts';
import forecast from './plugins/forecast.ts';
import obm from './plugins/obm.ts';
import measures from './plugins/measures.ts';
import consult from './plugins/consult.ts';
import auth, { socketAuth } from './plugins/auth.ts';
import { authRoutes } from './routes/auth.ts';
import { adminRoutes } from './routes/admin.ts';
import { auditRoutes } from './routes/audit.ts';
import { healthRoutes } from './routes/health.ts';
import { stationRoutes } from './routes/stations.ts';
import { seriesRoutes } from './routes/series.ts';
import { episodeRoutes } from './routes/episodes.ts';
import { deadLetterRoutes } from './routes/dead-letters.ts';
import { vocRoutes } from './routes/voc.ts';
import { obmRoutes } from './routes/obm.ts';
import { measureRoutes } from './routes/measures.ts';

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
  /** The system of record; absent = a private in-memory SQLite one, closed with the server
   *  (tests and embedding; the processes in system/ open the real one). */
  records?: Records | null;
}

export interface Built {
  app: FastifyInstance;
  io: IoServer;
  engine: LiveEngine;
  episodes: EpisodeService;
  metrics: Metrics;
  measures: MeasureService;
  /** Ingest readings as if they came from MQTT (tests and embedding). */
  ingest(readings: Reading[]): void;
  start(): Promise<void>;
  close(): Promise<void>;
  state: ServerState;
}

export async function buildServer(deps: ServerDeps): Promise<Built> {
  const config = serverConfig({ ...(deps.config ?? {}), ...(deps.mqttUrl !== undefined ? { mqttUrl: deps.mqttUrl } : {}) });
  const stations = Array.isArray(deps.stations) ? [...(deps.stations as readonly Station[])] : await (deps.stations as StationSource).list();
  const app = Fastify({
    loggerInstance: deps.logger,
    // One line per request at info would drown the lifecycle lines; metrics count requests.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
    // Unknown query parameters are an error (400), not silently dropped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }) as unknown as FastifyInstance; // the pino Logger generic differs from FastifyBaseLogger only in type

  const ownRecords = !deps.records;
  const records = deps.records ?? (await openRecords({ sqlitePath: ':memory:', clock: deps.clock ?? Date.now }));
  await app.register(core, { config, clock: deps.clock ?? Date.now, store: deps.store, stations, deadLetters: deps.deadLetters ?? null, records });
  await app.register(errorHandler);
  await app.register(auth);
  await app.register(metrics);
  await app.register(openapi);
  await app.register(liveEngine);
  await app.register(stationHours);
  await app.register(episodes);
  await app.register(realtime);
  await app.register(socketAuth);
  await app.register(liveInput);
  await app.register(forecast);
  await app.register(obm);
  await app.register(measures);
  await app.register(consult);
  await app.register(healthRoutes);
  await app.register(cityAlias);
  await app.register(async (api) => {
    for (const routes of [stationRoutes, seriesRoutes, episodeRoutes, deadLetterRoutes, vocRoutes]) await api.register(routes);
    await api.register(obmRoutes);
    await api.register(measureRoutes);
    for (const routes of [authRoutes, adminRoutes, auditRoutes]) await api.register(routes);
  }, { prefix: '/api' });
  await app.register(client);

  let closed = false;
  return {
    app, io: app.io, engine: app.engine, episodes: app.episodes, metrics: app.metrics, state: app.serverState,
    measures: app.measures,
    ingest: (r) => app.ingest(r),
    // The rooms after the live state: a room opened at start has the days observed.
    start: async () => { await app.startLive(); app.guidance.start(); await app.consult.start(); },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      // After every plugin's onClose (the episode service's last writes go to the record).
      if (ownRecords) await records.close();
    },
  };
}

export { AppError };
export type { Metrics };
