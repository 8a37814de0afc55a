/**
 * The permission each route declares in its options (`config: { permission: 'read' }`), for the
 * one auth hook that checks it (another branch). Declared here so routes can say it now; when the
 * auth branch lands its own declaration replaces this file.
 */
export type RoutePermission = 'read' | 'measure.write';

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: RoutePermission;
  }
}
