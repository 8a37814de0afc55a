/** /healthz (process alive), /readyz (store answers, MQTT subscribed, state rebuilt), /metrics. */
import type { FastifyInstance } from 'fastify';
import { Health, Ready } from '#common/schemas/api.ts';
import type { RouteCtx } from '../app.ts';

export async function healthRoutes(app: FastifyInstance, ctx: RouteCtx): Promise<void> {
  app.get('/healthz', { schema: { tags: ['health'], response: { 200: Health } } }, async () => ({
    status: 'ok' as const, uptimeS: Math.round((ctx.clock() - ctx.state.started) / 1000),
  }));
  app.get('/readyz', { schema: { tags: ['health'], response: { 200: Ready, 503: Ready } } }, async (_req, reply) => {
    const store = await ctx.store.ping();
    const mqtt = ctx.config.mqttUrl ? ctx.state.mqtt?.connected() ?? false : true;
    const ready = store && mqtt && ctx.state.rebuilt && ctx.state.ready;
    return reply.status(ready ? 200 : 503).send({ ready, checks: { store, mqtt, rebuilt: ctx.state.rebuilt } });
  });
  app.get('/metrics', { schema: { tags: ['health'], hide: false, description: 'Prometheus text format' } }, async (_req, reply) => {
    reply.header('content-type', ctx.metrics.registry.contentType);
    return ctx.metrics.registry.metrics();
  });
}
