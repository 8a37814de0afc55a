/** /api/audit (newest first, filtered, paged) and /api/audit.csv (every matching entry, oldest
 *  first, RFC 4180), for admins. There is no route that edits or deletes an entry. */
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from '#common/schemas/api.ts';
import { AuditQuery, AuditResponse, type AuditQuery as AQ } from '#common/schemas/auth.ts';
import type { AuditFilter } from '../../records/audit.ts';
import { appError } from '../errors.ts';
import { parseTime } from '../time-param.ts';

function filterOf(q: AQ): AuditFilter {
  const from = q.from !== undefined ? parseTime('from', q.from) : undefined;
  const to = q.to !== undefined ? parseTime('to', q.to) : undefined;
  if (from !== undefined && to !== undefined && !(from < to)) throw appError('AIRDESK_BAD_RANGE', 'from must be before to');
  if (q.action !== undefined && !/^[a-z][a-z0-9_.:-]*$/.test(q.action)) throw appError('AIRDESK_BAD_QUERY', `action ${JSON.stringify(q.action)}: lowercase letters, digits and _ . : -`);
  return { actor: q.actor, action: q.action, target: q.target, from, to, limit: q.limit, beforeId: q.beforeId };
}

export async function auditRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: AQ }>('/audit', {
    config: { permission: 'audit.read' },
    schema: { tags: ['audit'], description: 'The audit log, newest first: who, when, from where, action, target, before and after', querystring: AuditQuery, response: { 200: AuditResponse, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (req) => ({ entries: await app.records.audit.list(filterOf(req.query)) }));

  app.get<{ Querystring: AQ }>('/audit.csv', {
    config: { permission: 'audit.read' },
    schema: { tags: ['audit'], description: 'The audit log as CSV (Beijing time and epoch ms), oldest first', querystring: AuditQuery, response: { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody } },
  }, async (req, reply) => {
    const { limit: _l, beforeId: _b, ...f } = filterOf(req.query);
    const csv = await app.records.audit.exportCsv(f);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="airdesk-audit.csv"').send(csv);
  });
}
