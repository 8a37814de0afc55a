/**
 * The built client, with SPA fallback (so /wall and other client routes load index.html), and the
 * coded 404 for everything else.
 */
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';

export default fp(async (app) => {
  const clientDir = path.resolve(app.config.clientDir);
  const haveClient = existsSync(path.join(clientDir, 'index.html'));
  if (haveClient) await app.register(fastifyStatic, { root: clientDir, wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0];
    const apiLike = /^\/(api|docs|metrics|healthz|readyz|socket\.io)(\/|$)/.test(url);
    if (haveClient && req.method === 'GET' && !apiLike && !path.extname(url)) return reply.sendFile('index.html');
    const e = new AppError('AIRDESK_ROUTE_NOT_FOUND', `${req.method} ${url}`);
    return reply.status(404).send({ error: { code: e.code, message: e.message, statusCode: 404 } });
  });
}, { name: 'client', dependencies: ['core'] });
