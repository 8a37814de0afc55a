/** Dead-letter summary: what the gateway rejected, by reason (the gateway keeps them in its spool). */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { DeadLetterSummary, ErrorBody } from '#common/schemas/api.ts';

// The source (`app.deadLetters`, plugins/core.ts) is the gateway's reader, wired by system/.
const Q = Type.Object({ since: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false });

export async function deadLetterRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: { since?: number } }>('/dead-letters/summary', {
    config: { permission: 'read' },
    schema: { tags: ['ingest'], querystring: Q, response: { 200: DeadLetterSummary, 400: ErrorBody } },
  }, async (req) => {
    if (!app.deadLetters) return { available: false, total: 0, byReason: [] };
    return app.deadLetters.summary({ since: req.query.since });
  });
}
