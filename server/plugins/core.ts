/**
 * The server's inputs as decorations every plugin and route reads (`app.config`, `app.store`...):
 * what buildServer was given, validated once. Nothing here does I/O.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Station } from '#common/schemas/station.ts';
import type { DeadLetterSummary } from '#common/schemas/api.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import type { ServerConfig } from '../config.ts';
import type { Subscriber } from '../mqtt.ts';
import type { Records } from '../../records/open.ts';

/** What the server needs from the gateway's dead-letter store (system/ wires gateway/dead-letters.ts). */
export interface DeadLetterSource {
  summary(opts: { since?: number }): DeadLetterSummary | Promise<DeadLetterSummary>;
}

/** Where the process stands: /readyz reads it, the live input plugin writes it. */
export interface ServerState {
  ready: boolean;
  rebuilt: boolean;
  mqtt: Subscriber | null;
  started: number;
  /** Internal messages not computed on (bad signature, bad schema), by reason: the server's own
   *  dead letters, counted with the newest example (bounded: one entry per reason code). */
  rejected: Map<string, { count: number; last: number; example: string }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Readonly<ServerConfig>;
    /** Clock (epoch ms); tests pass a fixed or stepped one. */
    clock: () => number;
    store: TimeSeriesStore;
    /** The station registry as loaded at build time. */
    stations: () => Station[];
    /** null = the dead-letter route says unavailable. */
    deadLetters: DeadLetterSource | null;
    /** The system of record (forecasts, warnings, audit, settings, identities). */
    records: Records;
    serverState: ServerState;
  }
}

export interface CoreOptions {
  config: Readonly<ServerConfig>;
  clock: () => number;
  store: TimeSeriesStore;
  stations: Station[];
  deadLetters: DeadLetterSource | null;
  records: Records;
}

export default fp<CoreOptions>(async (app, o) => {
  app.decorate('config', o.config);
  app.decorate('clock', o.clock);
  app.decorate('store', o.store);
  app.decorate('stations', () => o.stations);
  app.decorate('deadLetters', o.deadLetters);
  app.decorate('records', o.records);
  app.decorate('serverState', { ready: false, rebuilt: false, mqtt: null, started: o.clock(), rejected: new Map() });
}, { name: 'core' });

/** The instance's logger is the pino logger buildServer was given (its Fastify type is narrower). */
export const pinoOf = (app: FastifyInstance): Logger => app.log as unknown as Logger;
