/**
 * Emergency and control measures: list, one, create, change or end, and the live evaluation.
 * Each route names the permission it needs (`config.permission`, read by the one auth hook) for the
 * auth hook; who acted comes from server/actor.ts. Records errors become coded HTTP errors here.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from '#common/schemas/api.ts';
import {
  MeasureEvaluationResponse, MeasureIn, MeasureParams, MeasurePatchIn, MeasureResponse, MeasuresQuery, MeasuresResponse,
  type MeasureIn as MI, type MeasureParams as MP, type MeasurePatchIn as MPI, type MeasuresQuery as MQ,
} from '#common/schemas/measures.ts';
import { RecordsError } from '../../records/errors.ts';
import { requestActor } from '../actor.ts';
import { appError } from '../errors.ts';

/** A refusal of the records as the API's coded error (anything else passes on to the one handler). */
function coded(err: unknown): never {
  if (err instanceof RecordsError) {
    const detail = err.message.replace(/^[A-Z_]+: [^:]+: /, '');
    if (err.code === 'RECORDS_INVALID_INPUT') throw appError('AIRDESK_BAD_MEASURE', detail);
    if (err.code === 'RECORDS_CONFLICT' || err.code === 'RECORDS_INVALID_STATE') throw appError('AIRDESK_MEASURE_CONFLICT', detail);
  }
  throw err;
}

export async function measureRoutes(app: FastifyInstance): Promise<void> {
  const found = async (id: string) => {
    const m = await app.records.measures.get(Number(id));
    if (!m) throw appError('AIRDESK_MEASURE_NOT_FOUND', id);
    return m;
  };

  app.get<{ Querystring: MQ }>('/measures', {
    config: { permission: 'read' },
    schema: {
      tags: ['measures'], description: 'Emergency and control measures, newest start first; active=true: only those in force now',
      querystring: MeasuresQuery, response: { 200: MeasuresResponse, 400: ErrorBody },
    },
  }, async (req) => {
    const q = req.query;
    const measures = await app.records.measures.list({
      city: q.city, kind: q.kind, limit: q.limit ?? 100, ...(q.active ? { activeAt: app.clock() } : {}),
    });
    return { measures: q.active === false ? measures.filter((m) => m.measure.end !== null && m.measure.end <= app.clock()) : measures };
  });

  app.get<{ Params: MP }>('/measures/:id', {
    config: { permission: 'read' },
    schema: { tags: ['measures'], params: MeasureParams, response: { 200: MeasureResponse, 400: ErrorBody, 404: ErrorBody } },
  }, async (req) => ({ measure: await found(req.params.id) }));

  app.post<{ Body: MI }>('/measures', {
    config: { permission: 'measure.write' },
    schema: {
      tags: ['measures'], description: 'Declare a measure (a warning response, campaign, event guarantee or single action); audited',
      body: MeasureIn, response: { 201: MeasureResponse, 400: ErrorBody, 404: ErrorBody },
    },
  }, async (req, reply) => {
    if (!app.engine.cityNames().includes(req.body.area.city)) throw appError('AIRDESK_UNKNOWN_CITY', JSON.stringify(req.body.area.city));
    const m = await app.measures.create(req.body, requestActor(req)).catch(coded);
    return reply.status(201).send({ measure: m });
  });

  app.patch<{ Params: MP; Body: MPI }>('/measures/:id', {
    config: { permission: 'measure.write' },
    schema: {
      tags: ['measures'], description: 'Change a measure, or end it (`end`); `version` = the version you edited (409 if it moved); audited',
      params: MeasureParams, body: MeasurePatchIn, response: { 200: MeasureResponse, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (req) => {
    await found(req.params.id);
    const { version, ...patch } = req.body;
    if (patch.area && !app.engine.cityNames().includes(patch.area.city)) throw appError('AIRDESK_UNKNOWN_CITY', JSON.stringify(patch.area.city));
    if (Object.keys(patch).length === 0) throw appError('AIRDESK_BAD_BODY', 'nothing to change: give at least one field besides version');
    const m = await app.measures.update(Number(req.params.id), patch, requestActor(req), version).catch(coded);
    return { measure: m };
  });

  app.get<{ Params: MP }>('/measures/:id/evaluation', {
    config: { permission: 'read' },
    schema: {
      tags: ['measures'],
      description: 'The live evaluation: observed vs weather-adjusted counterfactual PM2.5 so far, with its band and verdict; or a coded reason why not (not enough history...)',
      params: MeasureParams, response: { 200: MeasureEvaluationResponse, 400: ErrorBody, 404: ErrorBody },
    },
  }, async (req) => {
    await found(req.params.id);
    const evaluation = await app.measures.evaluation(Number(req.params.id));
    if (!evaluation) throw appError('AIRDESK_MEASURE_NOT_FOUND', req.params.id);
    return { evaluation };
  });
}
