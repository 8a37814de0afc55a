/**
 * City aliases at the edge: a `city` in a query string or a JSON body may be the registry's name
 * (北京) or its pinyin / English name ("Beijing", common/cities.ts); it is rewritten to the
 * registry's name before validation, so every route (series, latest, stations, episodes, warnings,
 * forecasts, today) takes both and nothing downstream sees an alias. An unknown name is left as it
 * is, so the route still answers 404 AIRDESK_UNKNOWN_CITY with the name the caller sent.
 */
import fp from 'fastify-plugin';
import { resolveCity } from '#common/cities.ts';

export default fp(async (app) => {
  const known = (): string[] => [...new Set([...app.stations().map((s) => s.city), ...app.engine.cityNames()])];
  const fix = (o: unknown) => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return;
    const r = o as Record<string, unknown>;
    if (typeof r.city !== 'string') return;
    const cities = known();
    if (cities.includes(r.city)) return;
    const zh = resolveCity(r.city, cities);
    if (zh) r.city = zh;
  };
  app.addHook('preValidation', async (req) => {
    fix(req.query);
    fix(req.body);
  });
}, { name: 'city-alias', dependencies: ['core', 'live-engine'] });
