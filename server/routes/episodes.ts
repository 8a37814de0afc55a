/** Episodes (list, detail with timeline and evidence), warning recommendations, forecasts in. */
import type { FastifyInstance } from 'fastify';
import {
  EpisodeDetail, EpisodeParams, EpisodesQuery, EpisodesResponse, ErrorBody, ForecastAccepted, ForecastIn,
  ForecastsQuery, ForecastsResponse, TodayQuery, TodayResponse, WarningActionAccepted, WarningActionIn, WarningsQuery, WarningsResponse,
  type EpisodeParams as EP, type EpisodesQuery as EQ, type ForecastIn as FI, type WarningActionIn as WA, type WarningsQuery as WQ,
} from '#common/schemas/api.ts';
import { appError } from '../errors.ts';
import { parseTime } from '../time-param.ts';

export async function episodeRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: EQ }>('/episodes', {
    config: { permission: 'read' },
    schema: {
      tags: ['episodes'], description: 'Episodes, filtered by kind, city, status and time (overlapping [from, to))',
      querystring: EpisodesQuery, response: { 200: EpisodesResponse, 400: ErrorBody },
    },
  }, async (req) => {
    const q = req.query;
    const from = q.from !== undefined ? parseTime('from', q.from) : undefined;
    const to = q.to !== undefined ? parseTime('to', q.to) : undefined;
    if (from !== undefined && to !== undefined && !(from < to)) throw appError('AIRDESK_BAD_RANGE', 'from must be before to');
    return { episodes: app.episodes.list({ city: q.city, kind: q.kind, status: q.status, from, to }), alerts: app.episodes.alerts({ city: q.city, from, to }) };
  });

  app.get<{ Params: EP }>('/episodes/:id', {
    config: { permission: 'read' },
    schema: {
      tags: ['episodes'], description: 'One episode: days, hourly city means, lifecycle timeline, classification evidence',
      params: EpisodeParams, response: { 200: EpisodeDetail, 400: ErrorBody, 404: ErrorBody },
    },
  }, async (req) => {
    const d = app.episodes.detail(req.params.id);
    if (!d) throw appError('AIRDESK_EPISODE_NOT_FOUND', JSON.stringify(req.params.id));
    return d;
  });

  app.get<{ Querystring: WQ }>('/warnings', {
    config: { permission: 'read' },
    schema: {
      tags: ['warnings'], description: 'Recommended heavy-pollution warning level per city under the 2018 and 2024 schemes',
      querystring: WarningsQuery, response: { 200: WarningsResponse, 400: ErrorBody },
    },
  }, async (req) => ({ warnings: app.episodes.warnings(req.query) }));

  app.post<{ Body: FI }>('/forecasts', {
    config: { permission: 'forecast.write' },
    schema: {
      tags: ['warnings'], description: 'Post a daily AQI forecast for a city; returns the warning recommendations it leads to',
      body: ForecastIn, response: { 201: ForecastAccepted, 400: ErrorBody, 404: ErrorBody },
    },
  }, async (req, reply) => {
    const f = req.body;
    if (!app.engine.cityNames().includes(f.city)) throw appError('AIRDESK_UNKNOWN_CITY', JSON.stringify(f.city));
    const days = f.days.map((d) => d.day);
    if (new Set(days).size !== days.length) throw appError('AIRDESK_BAD_BODY', 'days repeat a day');
    for (const d of days) if (Number.isNaN(Date.parse(`${d}T00:00:00Z`))) throw appError('AIRDESK_BAD_BODY', `day ${d} is not a date`);
    // Recorded as a new forecast version, audited in the same transaction, as the signed-in identity.
    const res = app.episodes.addForecast({ ...f, days: [...f.days].sort((a, b) => a.day.localeCompare(b.day)) }, false, req.actor());
    await app.episodes.lastWrite;
    req.markAudited();
    return reply.status(201).send(res);
  });

  app.post<{ Body: WA }>('/warnings/actions', {
    config: { permission: 'warning.act' },
    schema: {
      tags: ['warnings'], description: 'A person issues, changes or lifts a warning (lifecycle: recommended -> issued -> in force -> changed -> lifted)',
      body: WarningActionIn, response: { 200: WarningActionAccepted, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (req) => {
    if (!app.engine.cityNames().includes(req.body.city)) throw appError('AIRDESK_UNKNOWN_CITY', JSON.stringify(req.body.city));
    // The actor is the signed-in identity (the person behind a token), never a name the body claims;
    // the step is recorded with its audit line in one transaction.
    const warning = app.episodes.warningAction({ ...req.body, by: req.identity!.person }, req.ip);
    await app.episodes.lastWrite;
    req.markAudited();
    return { warning };
  });

  app.get<{ Querystring: { city?: string } }>('/today', {
    config: { permission: 'read' },
    schema: {
      tags: ['episodes'], description: 'O3 "will today exceed?": city O3 8-h now, today\'s MDA8 so far, on track to exceed 160',
      querystring: TodayQuery, response: { 200: TodayResponse, 400: ErrorBody, 404: ErrorBody },
    },
  }, async (req) => {
    const city = req.query.city;
    if (city !== undefined && !app.engine.cityNames().includes(city)) throw appError('AIRDESK_UNKNOWN_CITY', JSON.stringify(city));
    return { today: app.episodes.today(city) };
  });

  app.get<{ Querystring: { city?: string } }>('/forecasts', {
    config: { permission: 'read' },
    schema: { tags: ['warnings'], querystring: ForecastsQuery, response: { 200: ForecastsResponse, 400: ErrorBody } },
  }, async (req) => ({ forecasts: app.episodes.forecastList(req.query.city) }));
}
