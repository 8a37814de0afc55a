/**
 * Who is making a request, for the audit log. ONE function so the auth hook (another branch: it
 * reads each route's `config.permission` and the session) can replace it: until then every change
 * through the API is recorded as 'anonymous' from the client's address, never from a header a
 * client could set.
 */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../records/check.ts';

export function requestActor(req: FastifyRequest): Actor {
  return { who: 'anonymous', from: req.ip || 'unknown' };
}
