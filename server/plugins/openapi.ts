/** The OpenAPI document (/docs/json) and its UI (/docs); registered before the routes it describes. */
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export default fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'AirDesk API', version: '1', description: 'Live air quality, AQI (HJ 633), episodes and warnings. Errors: { error: { code, message, statusCode } }.' },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}, { name: 'openapi' });
