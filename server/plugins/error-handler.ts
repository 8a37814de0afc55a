/**
 * The one error handler: anything thrown by a route becomes `{ error: { code, message, statusCode } }`
 * with a code from server/errors.ts; 4xx keep their message, 5xx say only "internal error" (the
 * detail goes to the log). Registered with fastify-plugin so it covers every route, VOC included.
 */
import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { AppError, ERRORS } from '../errors.ts';

export default fp(async (app) => {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    let status = err.statusCode ?? 500;
    let code: string;
    let message: string;
    if (err instanceof AppError) {
      code = err.code;
      message = err.message;
    } else if ((err as FastifyError).validation) {
      const ctx = (err as FastifyError).validationContext;
      code = ctx === 'body' ? 'AIRDESK_BAD_BODY' : ctx === 'params' ? 'AIRDESK_BAD_PARAMS' : 'AIRDESK_BAD_QUERY';
      status = 400;
      message = `${ERRORS[code as keyof typeof ERRORS].message.replace('%s', err.message)}`;
    } else if (status === 413) {
      code = 'AIRDESK_PAYLOAD_TOO_LARGE';
      message = ERRORS.AIRDESK_PAYLOAD_TOO_LARGE.message;
    } else if (status === 415) {
      code = 'AIRDESK_UNSUPPORTED_MEDIA_TYPE';
      message = err.message;
    } else if (status >= 400 && status < 500) {
      code = 'AIRDESK_BAD_REQUEST';
      message = err.message;
    } else {
      status = status === 503 ? 503 : 500;
      code = status === 503 ? 'AIRDESK_STORE_UNAVAILABLE' : 'AIRDESK_INTERNAL';
      message = ERRORS[code as 'AIRDESK_INTERNAL'].message;
      req.log.error({ err }, 'request failed');
    }
    reply.status(status).send({ error: { code, message, statusCode: status } });
  });
}, { name: 'error-handler' });
