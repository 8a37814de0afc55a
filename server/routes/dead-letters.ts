/** Dead-letter summary: what the gateway rejected, by reason (the gateway keeps them in its spool),
 *  and what the server refused on the internal topics (kept in memory, one entry per reason). */
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
    const since = req.query.since ?? 0;
    // The server's own: internal messages it refused (internal.*, schema), with the gateway's.
    // Counted since the server started (kept in memory); `since` keeps the reasons seen since then.
    const own = [...app.serverState.rejected].filter(([, r]) => r.last >= since)
      .map(([reason, r]) => ({ reason, count: r.count, last: r.last, example: r.example }));
    const gw = app.deadLetters ? await app.deadLetters.summary({ since: req.query.since }) : { available: false, total: 0, byReason: [] };
    if (!own.length) return gw;
    return { available: true, total: gw.total + own.reduce((n, r) => n + r.count, 0), byReason: [...gw.byReason, ...own] };
  });
}
