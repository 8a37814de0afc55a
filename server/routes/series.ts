/**
 * Hourly and daily series and AQI of a station or a city over a period, under the configured or a
 * named rule set. History comes from the store, recomputed by the same live-engine code (so a
 * series and the live push never disagree); hours still in memory overlay it, because the live
 * path is ahead of the store write.
 */
import type { FastifyInstance } from 'fastify';
import {
  AqiQuery, AqiResponse, DailySeriesResponse, ErrorBody, HourlySeriesResponse, SeriesQuery,
  type AqiPoint, type AqiQuery as AQ, type DayPoint, type HourPoint, type SeriesQuery as SQ,
} from '#common/schemas/api.ts';
import { DAILY_RULES, hourlyRuleByName, type DailyRuleSet } from '#common/standards/index.ts';
import { beijingDayOfHourEnd, endOfBeijingDay, DAY_MS, HOUR_MS } from '#common/time.ts';
import { appError } from '../errors.ts';
import { parseRange } from '../time-param.ts';
import { LiveEngine } from '../live/engine.ts';
import type { RuleChoice } from '../live/entity.ts';

type Target = { scope: 'station' | 'city'; id: string; codes: string[] };

function target(app: FastifyInstance, q: { station?: string; city?: string }): Target {
  if ((q.station === undefined) === (q.city === undefined)) throw appError('AIRDESK_SCOPE_REQUIRED');
  if (q.station !== undefined) {
    if (!app.stations().some((s) => s.code === q.station) && !app.engine.stationEntity(q.station)) {
      throw appError('AIRDESK_UNKNOWN_STATION', JSON.stringify(q.station));
    }
    return { scope: 'station', id: q.station, codes: [q.station] };
  }
  const codes = app.engine.memberCodes(q.city!);
  if (!codes.length) throw appError('AIRDESK_UNKNOWN_CITY', JSON.stringify(q.city));
  return { scope: 'city', id: q.city!, codes };
}

function rules(app: FastifyInstance, rule: string | undefined, period: 'hour' | 'day'): { rules: RuleChoice; custom: boolean } {
  const base = app.engine.config.rules;
  if (!rule) return { rules: base, custom: false };
  if (period === 'hour') {
    const r = hourlyRuleByName(rule);
    if (!r) throw appError('AIRDESK_UNKNOWN_RULE', JSON.stringify(rule));
    return { rules: { ...base, hourly: r }, custom: r !== base.hourly };
  }
  const d = (DAILY_RULES as Record<string, DailyRuleSet>)[rule];
  if (!d) throw appError('AIRDESK_UNKNOWN_RULE', JSON.stringify(rule));
  return { rules: { ...base, daily: d }, custom: d !== base.daily };
}

/** Recompute a target over [from, to] from the store with the live-engine code. */
async function history(app: FastifyInstance, t: Target, from: number, to: number, r: RuleChoice) {
  // 24 h before `from` feed the moving means; whole Beijing days feed the daily statistics.
  const dayStart = endOfBeijingDay(beijingDayOfHourEnd(from + HOUR_MS)) - DAY_MS;
  const qFrom = Math.min(from - 24 * HOUR_MS, dayStart);
  const qTo = Math.max(to, endOfBeijingDay(beijingDayOfHourEnd(to))) + 1;
  let readings;
  try {
    readings = await app.store.queryReadings({ stations: t.codes, from: qFrom, to: qTo });
  } catch (err) {
    throw Object.assign(appError('AIRDESK_STORE_UNAVAILABLE'), { cause: err });
  }
  const eng = new LiveEngine({ ...app.engine.config, rules: r, retentionHours: 1e9 },
    app.stations().filter((s) => t.codes.includes(s.code) || (t.scope === 'city' && s.city === t.id)));
  eng.replaying = true;
  eng.ingest(readings, app.clock());
  eng.finishReplay(app.clock());
  return t.scope === 'station' ? eng.stationEntity(t.id) : eng.cityEntity(t.id);
}

async function hourPoints(app: FastifyInstance, t: Target, from: number, to: number, rule?: string): Promise<HourPoint[]> {
  const { rules: r, custom } = rules(app, rule, 'hour');
  const e = await history(app, t, from, to, r);
  const pts = new Map<number, HourPoint>();
  if (e) for (const p of e.points.values()) if (p.time >= from && p.time <= to) pts.set(p.time, p);
  if (!custom) {
    const live = t.scope === 'station' ? app.engine.stationEntity(t.id) : app.engine.cityEntity(t.id);
    if (live) for (const p of app.engine.hourPoints(live, from, to)) pts.set(p.time, p);
  }
  return [...pts.values()].sort((a, b) => a.time - b.time);
}

async function dayPoints(app: FastifyInstance, t: Target, from: number, to: number, rule?: string): Promise<DayPoint[]> {
  const { rules: r, custom } = rules(app, rule, 'day');
  const e = await history(app, t, from, to, r);
  const first = beijingDayOfHourEnd(from + HOUR_MS);
  const last = beijingDayOfHourEnd(to);
  const out = new Map<string, DayPoint>();
  const now = app.clock();
  if (e) {
    for (let d = first; d <= last; d = beijingDayOfHourEnd(endOfBeijingDay(d) + HOUR_MS)) {
      const p = e.recomputeDay(d, now, r) ?? e.days.get(d);
      if (p && p.hours > 0) out.set(d, p);
    }
  }
  if (!custom) {
    const live = t.scope === 'station' ? app.engine.stationEntity(t.id) : app.engine.cityEntity(t.id);
    if (live) for (const [d, p] of live.days) if (d >= first && d <= last && p.hours > 0 && p.hours >= (out.get(d)?.hours ?? 0)) out.set(d, p);
  }
  return [...out.values()].sort((a, b) => a.day.localeCompare(b.day));
}

export async function seriesRoutes(app: FastifyInstance): Promise<void> {
  const errors = { 400: ErrorBody, 404: ErrorBody, 503: ErrorBody };
  app.get<{ Querystring: SQ }>('/series/hourly', {
    config: { permission: 'read' },
    schema: {
      tags: ['series'], description: 'Hourly values (1-h means, O3 8-h, PM 24-h moving) with AQI, hour ends in [from, to]',
      querystring: SeriesQuery, response: { 200: HourlySeriesResponse, ...errors },
    },
  }, async (req) => {
    const t = target(app, req.query);
    const { from, to } = parseRange(req.query, app.config.maxRangeDays);
    return { scope: t.scope, id: t.id, from, to, points: await hourPoints(app, t, from, to, req.query.rule) };
  });

  app.get<{ Querystring: SQ }>('/series/daily', {
    config: { permission: 'read' },
    schema: {
      tags: ['series'], description: 'HJ 663 daily statistics (24-h means, O3 max 1-h, MDA8) and daily AQI of the Beijing days overlapping [from, to]',
      querystring: SeriesQuery, response: { 200: DailySeriesResponse, ...errors },
    },
  }, async (req) => {
    const t = target(app, req.query);
    const { from, to } = parseRange(req.query, app.config.maxRangeDays);
    return { scope: t.scope, id: t.id, from, to, points: await dayPoints(app, t, from, to, req.query.rule) };
  });

  app.get<{ Querystring: AQ }>('/aqi', {
    config: { permission: 'read' },
    schema: {
      tags: ['series'], description: 'AQI of a station or city per hour or per day, under the rule set in force or a named one',
      querystring: AqiQuery, response: { 200: AqiResponse, ...errors },
    },
  }, async (req) => {
    const t = target(app, req.query);
    const { from, to } = parseRange(req.query, app.config.maxRangeDays);
    const period = req.query.period ?? 'hour';
    let points: AqiPoint[];
    if (period === 'hour') {
      points = (await hourPoints(app, t, from, to, req.query.rule))
        .filter((p) => p.aqi).map((p) => ({ time: p.time, aqi: p.aqi!, ...(p.n ? { n: p.n } : {}) }));
    } else {
      points = (await dayPoints(app, t, from, to, req.query.rule))
        .filter((p) => p.aqi).map((p) => ({ day: p.day, aqi: p.aqi!, ...(p.n ? { n: p.n } : {}) }));
    }
    return { scope: t.scope, id: t.id, period, points };
  });
}
