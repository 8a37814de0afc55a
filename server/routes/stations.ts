/** Stations with freshness, and the latest readings and hours per station and per city. */
import type { FastifyInstance } from 'fastify';
import {
  LatestQuery, LatestResponse, StationsQuery, StationsResponse, ErrorBody,
  type LatestQuery as LQ, type StationsQuery as SQ,
} from '#common/schemas/api.ts';
import { appError } from '../errors.ts';
import type { RouteCtx } from '../app.ts';

export async function stationRoutes(app: FastifyInstance, ctx: RouteCtx): Promise<void> {
  app.get<{ Querystring: SQ }>('/stations', {
    schema: { tags: ['stations'], querystring: StationsQuery, response: { 200: StationsResponse, 400: ErrorBody } },
  }, async (req) => {
    const now = ctx.clock();
    const { city, kind } = req.query;
    const stations = ctx.stations()
      .filter((s) => (!city || s.city === city) && (!kind || s.kind === kind))
      .map((s) => ({ ...s, ...ctx.engine.stationStatus(s.code, now) }));
    return { stations };
  });

  app.get<{ Querystring: LQ }>('/latest', {
    schema: { tags: ['stations'], querystring: LatestQuery, response: { 200: LatestResponse, 400: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    const now = ctx.clock();
    const { city, station } = req.query;
    if (city && !ctx.engine.cityNames().includes(city)) throw appError('AIRDESK_UNKNOWN_CITY', JSON.stringify(city));
    if (station && !ctx.stations().some((s) => s.code === station) && !ctx.engine.stationEntity(station)) {
      throw appError('AIRDESK_UNKNOWN_STATION', JSON.stringify(station));
    }
    return {
      now,
      stations: ctx.engine.latestStations(now, { city, station }),
      cities: station ? [] : ctx.engine.latestCities(now, { city }),
    };
  });
}
