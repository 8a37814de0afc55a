/** Stations with freshness, and the latest readings and hours per station and per city. */
import type { FastifyInstance } from 'fastify';
import {
  LatestQuery, LatestResponse, StationsQuery, StationsResponse, ErrorBody,
  type LatestQuery as LQ, type StationsQuery as SQ,
} from '#common/schemas/api.ts';
import { appError } from '../errors.ts';

export async function stationRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: SQ }>('/stations', {
    config: { permission: 'read' },
    schema: { tags: ['stations'], querystring: StationsQuery, response: { 200: StationsResponse, 400: ErrorBody } },
  }, async (req) => {
    const now = app.clock();
    const { city, kind } = req.query;
    const stations = app.stations()
      .filter((s) => (!city || s.city === city) && (!kind || s.kind === kind))
      .map((s) => ({ ...s, ...app.engine.stationStatus(s.code, now) }));
    return { stations };
  });

  app.get<{ Querystring: LQ }>('/latest', {
    config: { permission: 'read' },
    schema: { tags: ['stations'], querystring: LatestQuery, response: { 200: LatestResponse, 400: ErrorBody, 404: ErrorBody } },
  }, async (req) => {
    const now = app.clock();
    const { city, station } = req.query;
    if (city && !app.engine.cityNames().includes(city)) throw appError('AIRDESK_UNKNOWN_CITY', JSON.stringify(city));
    if (station && !app.stations().some((s) => s.code === station) && !app.engine.stationEntity(station)) {
      throw appError('AIRDESK_UNKNOWN_STATION', JSON.stringify(station));
    }
    return {
      now,
      stations: app.engine.latestStations(now, { city, station }),
      cities: station ? [] : app.engine.latestCities(now, { city }),
    };
  });
}
