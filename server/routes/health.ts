/** /healthz (process alive), /readyz (store answers, MQTT subscribed, state rebuilt), /metrics. */
import type { FastifyInstance } from 'fastify';
import { Health, Ready } from '#common/schemas/api.ts';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', { config: { permission: 'public' }, schema: { tags: ['health'], response: { 200: Health } } }, async () => ({
    status: 'ok' as const, uptimeS: Math.round((app.clock() - app.serverState.started) / 1000),
  }));
  app.get('/readyz', { config: { permission: 'public' }, schema: { tags: ['health'], response: { 200: Ready, 503: Ready } } }, async (_req, reply) => {
    const store = await app.store.ping();
    const mqtt = app.config.mqttUrl ? app.serverState.mqtt?.connected() ?? false : true;
    const ready = store && mqtt && app.serverState.rebuilt && app.serverState.ready;
    return reply.status(ready ? 200 : 503).send({ ready, checks: { store, mqtt, rebuilt: app.serverState.rebuilt } });
  });
  app.get('/metrics', { config: { permission: 'read' }, schema: { tags: ['health'], hide: false, description: 'Prometheus text format' } }, async (_req, reply) => {
    reply.header('content-type', app.metrics.registry.contentType);
    return app.metrics.registry.metrics();
  });
}
