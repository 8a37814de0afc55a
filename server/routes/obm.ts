/**
 * Box-model routes (Fastify plugin, registered under /api):
 *   POST /obm/runs      start a run for a station-day (202), or join the one running (200), or
 *                       answer with an earlier run over the same data (200)
 *   GET  /obm/runs/:id  status, progress and, once done, the result
 * Permissions are declared in each route's `config.permission` (read by the auth hook).
 * Errors are coded (server/errors.ts): 400 bad body/grid, 404 unknown station or run, 422 a day
 * with nothing to model (saying why), 503 queue full or store down.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorBody } from '#common/schemas/api.ts';
import { ObmRun, ObmRunBody } from '#common/schemas/obm.ts';
import type { Actor } from '../../records/check.ts';
import { appError } from '../errors.ts';

export const ObmRunParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }, { additionalProperties: false });

/** Who asked: the authenticated user when the auth hook has set one, otherwise 'anonymous'; from the client address. */
export function requestActor(req: FastifyRequest): Actor {
  const u = (req as FastifyRequest & { user?: { login?: string; name?: string; id?: string | number } | null }).user;
  const who = u?.login ?? u?.name ?? (u?.id != null ? String(u.id) : 'anonymous');
  return { who: String(who).slice(0, 128) || 'anonymous', from: req.ip || 'unknown' };
}

export async function obmRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: ObmRunBody }>('/obm/runs', {
    config: { permission: 'analysis.run' },
    schema: {
      tags: ['obm'], summary: 'Run the observation-based box model (RIR, EKMA, VOC:NOx ratio) for a station-day',
      body: ObmRunBody,
      response: { 200: ObmRun, 202: ObmRun, 400: ErrorBody, 404: ErrorBody, 422: ErrorBody, 503: ErrorBody },
    },
  }, async (req, reply) => {
    const { run, created } = await app.obm.start(req.body, requestActor(req));
    return reply.status(created ? 202 : 200).send(run);
  });

  app.get<{ Params: Static<typeof ObmRunParams> }>('/obm/runs/:id', {
    config: { permission: 'read' },
    schema: {
      tags: ['obm'], summary: 'A box-model run: state, progress, result',
      params: ObmRunParams, response: { 200: ObmRun, 400: ErrorBody, 404: ErrorBody },
    },
  }, async (req) => {
    const run = await app.obm.get(req.params.id);
    if (!run) throw appError('AIRDESK_OBM_RUN_NOT_FOUND', String(req.params.id));
    return run;
  });
}

export default obmRoutes;
