/** Dead-letter summary: what the gateway rejected, by reason (the gateway keeps them in its spool). */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DeadLetterSummary, ErrorBody } from '#common/schemas/api.ts';
import type { RouteCtx } from '../app.ts';

/** What the server needs from the gateway's dead-letter store (adapted in main.ts). */
export interface DeadLetterSource {
  summary(opts: { since?: number }): DeadLetterSummary | Promise<DeadLetterSummary>;
}

const Q = Type.Object({ since: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false });

export async function deadLetterRoutes(app: FastifyInstance, ctx: RouteCtx): Promise<void> {
  app.get<{ Querystring: { since?: number } }>('/dead-letters/summary', {
    schema: { tags: ['ingest'], querystring: Q, response: { 200: DeadLetterSummary, 400: ErrorBody } },
  }, async (req) => {
    if (!ctx.deadLetters) return { available: false, total: 0, byReason: [] };
    return ctx.deadLetters.summary({ since: req.query.since });
  });
}
