/**
 * Consultation rooms (`app.consult`, server/services/consult.ts): the service, its socket events
 * (rooms `consult:<id>`, presence, ops with acks) and the routes of /api/consultations and
 * /api/forecast/official. Ops arrive by socket (the room) or REST (scripts, tests): the same
 * service applies both, one at a time per room, and tells the room either way.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ErrorBody } from '#common/schemas/api.ts';
import {
  BulletinResponse, ConsultDocResponse, ConsultListQuery, ConsultListResponse, ConsultOp, ConsultOpenIn, ConsultParams,
  JoinArg, OfficialQuery, OfficialResponse, OpArg, OpResult, TypingArg,
  type ConsultDoc, type ConsultListQuery as CLQ, type ConsultOp as CO, type ConsultOpenIn as COI, type ConsultParams as CP,
  type Presence,
} from '#common/schemas/consult.ts';
import type { Editor } from '#common/consult/doc.ts';

import { ConsultService, officialOf } from '../services/consult.ts';
import type { Identity } from '../services/auth.ts';
import { RecordsError } from '../../records/errors.ts';
import { appError } from '../errors.ts';
import { pinoOf } from './core.ts';

declare module 'fastify' {
  interface FastifyInstance {
    consult: ConsultService;
  }
}

export const consultRoom = (id: number) => `consult:${id}`;

export function editorOf(who: Identity | null): Editor {
  return { name: who?.person ?? 'anonymous', canEdit: !!who?.actions.has('forecast.write'), canSign: !!who?.actions.has('forecast.signoff') };
}

const checkJoin = TypeCompiler.Compile(JoinArg);
const checkOp = TypeCompiler.Compile(OpArg);
const checkTyping = TypeCompiler.Compile(TypingArg);

/** Routes that take no query parameters: an unknown one is a 400, as everywhere in the API. */
const NoQuery = { type: 'object', properties: {}, additionalProperties: false } as const;

/** HTTP status of a refusal. */
const STATUS = { conflict: 409, stale: 409, locked: 409, forbidden: 403, invalid: 400, incomplete: 422, unknown: 404 } as const;

async function routes(app: FastifyInstance): Promise<void> {
  const found = async (id: string): Promise<ConsultDoc> => {
    const d = await app.consult.get(Number(id));
    if (!d) throw appError('AIRDESK_CONSULT_NOT_FOUND', id);
    return d;
  };
  const knownCity = (city: string | undefined) => {
    if (city !== undefined && !app.engine.cityNames().includes(city)) throw appError('AIRDESK_UNKNOWN_CITY', JSON.stringify(city));
  };

  app.get<{ Querystring: CLQ }>('/consultations', {
    config: { permission: 'read' },
    schema: { tags: ['consultation'], description: 'Consultations, newest first, by city and issue day', querystring: ConsultListQuery, response: { 200: ConsultListResponse, 400: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    knownCity(req.query.city);
    return { consultations: await app.consult.list(req.query) };
  });

  app.get<{ Params: CP }>('/consultations/:id', {
    config: { permission: 'read' },
    schema: { tags: ['consultation'], description: 'One consultation: guidance, observations, scores, proposals, official draft, thread, publications', params: ConsultParams, querystring: NoQuery, response: { 200: ConsultDocResponse, 400: ErrorBody, 404: ErrorBody } },
  }, async (req) => ({ doc: await found(req.params.id) }));

  app.post<{ Body: COI }>('/consultations', {
    config: { permission: 'forecast.signoff' },
    schema: { tags: ['consultation'], description: "Open a consultation now: the day's regular one, or an extra emergency cycle with a shorter deadline", body: ConsultOpenIn, response: { 201: ConsultDocResponse, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody } },
  }, async (req, reply) => {
    knownCity(req.body.city);
    try {
      const doc = await app.consult.open(req.body.city, req.body.kind ?? 'emergency', req.actor(), req.body.minutes);
      req.markAudited();
      return reply.status(201).send({ doc });
    } catch (err) {
      if (err instanceof RecordsError && err.code === 'RECORDS_CONFLICT') throw appError('AIRDESK_CONSULT_CONFLICT', err.message.replace(/^[A-Z_]+: /, ''));
      throw err;
    }
  });

  app.post<{ Params: CP; Body: CO }>('/consultations/:id/ops', {
    config: { permission: 'forecast.write' },
    schema: {
      tags: ['consultation'], description: 'Apply one op (set a field, comment, adopt, sign, reopen) as the signed-in person; a resent opId answers with its first outcome',
      params: ConsultParams, body: ConsultOp,
      response: { 200: OpResult, 400: Type400, 403: OpResult, 404: OpResult, 409: OpResult, 422: OpResult },
    },
  }, async (req, reply) => {
    const r = await app.consult.apply(Number(req.params.id), req.body, editorOf(req.identity), req.actor());
    // Recorded with its audit line by records/consultations.ts (or refused: nothing changed).
    req.markAudited();
    return reply.status(r.ok ? 200 : STATUS[r.refusal]).send(r);
  });

  app.get<{ Params: CP }>('/consultations/:id/bulletin', {
    config: { permission: 'read' },
    schema: { tags: ['consultation'], description: 'The public release text of the latest signed version (zh and en)', params: ConsultParams, querystring: NoQuery, response: { 200: BulletinResponse, 400: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    const f = officialOf(await found(req.params.id));
    if (!f) throw appError('AIRDESK_CONSULT_NOT_SIGNED', req.params.id);
    return f.bulletin;
  });

  app.get<{ Querystring: { city?: string } }>('/forecast/official', {
    config: { permission: 'read' },
    schema: { tags: ['consultation'], description: 'The latest signed official forecast of each city (or one)', querystring: OfficialQuery, response: { 200: OfficialResponse, 400: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    knownCity(req.query.city);
    return { forecasts: app.consult.official(req.query.city) };
  });
}

/** Body validation errors come from the one error handler as ErrorBody. */
const Type400 = { anyOf: [ErrorBody, OpResult] };

/** Who is in each room, by socket (this process's sockets; docs/consultation.md). */
class Rooms {
  private rooms = new Map<number, Map<string, Presence['people'][number]>>();
  enter(id: number, socket: string, p: Presence['people'][number]) {
    let m = this.rooms.get(id);
    if (!m) this.rooms.set(id, (m = new Map()));
    m.set(socket, p);
  }
  leave(id: number, socket: string): boolean {
    return this.rooms.get(id)?.delete(socket) ?? false;
  }
  typing(id: number, socket: string, path: string | null): boolean {
    const p = this.rooms.get(id)?.get(socket);
    if (!p || p.path === path) return false;
    p.path = path;
    return true;
  }
  of(socket: string): number[] {
    return [...this.rooms].filter(([, m]) => m.has(socket)).map(([id]) => id);
  }
  presence(id: number): Presence {
    // One entry per person (several tabs count once), the first to arrive first.
    const byName = new Map<string, Presence['people'][number]>();
    for (const p of this.rooms.get(id)?.values() ?? []) {
      const cur = byName.get(p.name);
      if (!cur) byName.set(p.name, { ...p });
      else if (p.path && !cur.path) cur.path = p.path;
    }
    return { id, people: [...byName.values()].sort((a, b) => a.since - b.since || a.name.localeCompare(b.name)) };
  }
}

export default fp(async (app) => {
  const io = app.io;
  const notice = (doc: ConsultDoc) => ({ id: doc.id, city: doc.city, issueDay: doc.issueDay, kind: doc.kind, cycle: doc.cycle, deadline: doc.deadline, state: doc.state });
  const consult = new ConsultService({
    records: app.records, logger: pinoOf(app).child({ module: 'consult' }), clock: app.clock, config: app.config.consult,
    cities: () => app.engine.cityNames(),
    days: (city) => [...(app.engine.cityEntity(city)?.days.values() ?? [])],
    warningInForce: (city) => {
      const w = app.episodes.warnings({ city }).find((x) => x.scheme === '2024' && x.inForce);
      return w?.inForce ? { level: w.inForce.level, rule: w.inForce.rule?.id ?? null, since: w.inForce.issuedAt } : null;
    },
    recommendFrom: (f) => {
      app.episodes.addForecast({
        city: f.city, issued: f.signedAt, source: 'official',
        days: f.days.map((d) => ({ day: d.target, aqi: Math.round((d.aqi[0] + d.aqi[1]) / 2), aqiHigh: d.aqi[1], primary: [...d.primary] })),
      }, false, { who: f.signedBy, from: `consultation:${f.consultation}` }, { recorded: true });
    },
    changed: (id, op) => { io.to(consultRoom(id)).emit('consult:change', { id, op }); app.metrics.events.inc({ event: 'consult:change' }); },
    notice: (kind, doc) => { io.emit(`consult:${kind}`, notice(doc)); app.metrics.events.inc({ event: `consult:${kind}` }); },
    published: (f) => { io.emit('forecast:published', { v: 1, forecast: f }); app.metrics.events.inc({ event: 'forecast:published' }); },
  });
  app.decorate('consult', consult);

  const rooms = new Rooms();
  const tellPresence = (id: number) => io.to(consultRoom(id)).emit('consult:presence', rooms.presence(id));
  const bad = (message: string) => ({ ok: false as const, error: { code: 'AIRDESK_BAD_SOCKET_ARG', message } });
  io.on('connection', (socket) => {
    const who = () => (socket.data.identity ?? null) as Identity | null;
    const ackOf = <T>(ack: unknown) => (typeof ack === 'function' ? (ack as (r: T) => void) : () => {});
    socket.on('consult:join', (a: unknown, ack?: unknown) => {
      const reply = ackOf<unknown>(ack);
      if (!checkJoin.Check(a)) return reply(bad('consult:join takes { id: positive integer }'));
      void (async () => {
        const doc = await consult.get(a.id);
        if (!doc) return reply({ ok: false, error: { code: 'AIRDESK_CONSULT_NOT_FOUND', message: `no consultation ${a.id}` } });
        await socket.join(consultRoom(a.id));
        const me = editorOf(who());
        rooms.enter(a.id, socket.id, { name: me.name, roles: [...(who()?.roles ?? [])], path: null, since: app.clock() });
        // The document as the room has it now: later changes reach this socket in order after it.
        reply({ ok: true, doc: (await consult.get(a.id))!, you: me });
        tellPresence(a.id);
      })().catch((err: unknown) => reply({ ok: false, error: { code: 'AIRDESK_INTERNAL', message: (err as Error).message } }));
    });
    socket.on('consult:leave', (a: unknown, ack?: unknown) => {
      if (!checkJoin.Check(a)) return ackOf<unknown>(ack)(bad('consult:leave takes { id }'));
      void socket.leave(consultRoom(a.id));
      if (rooms.leave(a.id, socket.id)) tellPresence(a.id);
      ackOf<unknown>(ack)({ ok: true });
    });
    socket.on('consult:typing', (a: unknown) => {
      if (checkTyping.Check(a) && rooms.typing(a.id, socket.id, a.path)) tellPresence(a.id);
    });
    socket.on('consult:op', (a: unknown, ack?: unknown) => {
      const reply = ackOf<unknown>(ack);
      if (!checkOp.Check(a)) {
        const e = [...checkOp.Errors(a)][0];
        return reply({ ok: false, refusal: 'invalid', message: `consult:op: ${e ? `${e.path} ${e.message}` : 'invalid'}` });
      }
      const id = who();
      void consult.apply(a.id, a.op, editorOf(id), { who: id?.name ?? 'anonymous', from: socket.handshake.address || 'socket' })
        .then(reply, (err: unknown) => {
          pinoOf(app).error({ err: (err as Error).message, id: a.id }, 'consultation op failed');
          reply({ ok: false, refusal: 'unknown', message: 'the op could not be recorded; try again' });
        });
    });
    socket.on('disconnect', () => {
      for (const id of rooms.of(socket.id)) if (rooms.leave(id, socket.id)) tellPresence(id);
    });
  });

  app.addHook('preClose', async () => { await consult.close(); });
  await app.register(routes, { prefix: '/api' });
}, { name: 'consult', dependencies: ['core', 'metrics', 'live-engine', 'episodes', 'realtime'] });
