/**
 * Guidance forecast and verification (`app.guidance`, server/services/guidance.ts): the service
 * (started with the live input, closed before the records), its socket events `guidance:issued`
 * and `verification:completed` (to every socket), and the routes GET /api/guidance and
 * GET /api/verification (common/schemas/forecast.ts).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from '#common/schemas/api.ts';
import {
  GuidanceQuery, GuidanceResponse, VerificationQuery, VerificationResponse,
  type GuidanceQuery as GQ, type GuidanceRecord, type VerificationQuery as VQ,
} from '#common/schemas/forecast.ts';
import { addDays } from '#common/forecast/history.ts';
import { beijingDayOf } from '#common/time.ts';
import { groupBy, levelConfusion, verifySources, type Pair } from '#common/verification/index.ts';
import { GuidanceService, verifiedPair, type RunIssue } from '../services/guidance.ts';
import { appError } from '../errors.ts';
import { pinoOf } from './core.ts';
import { proposalSource } from '../services/consult.ts';

declare module 'fastify' {
  interface FastifyInstance {
    guidance: GuidanceService;
  }
}

export interface ForecastPluginOptions {
  /** how issues run (default a worker thread; tests pass runInline) */
  run?: RunIssue;
}

/** Longest verification period a query may ask for, in days. */
export const MAX_VERIFY_DAYS = 400;

/** A real calendar day (the schema checks the shape only). */
function calendarDay(name: string, v: string | undefined): void {
  if (v === undefined) return;
  const t = Date.parse(`${v}T00:00:00Z`);
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== v) throw appError('AIRDESK_BAD_QUERY', `${name}=${v} is not a calendar day`);
}

function cityOf(app: FastifyInstance, city: string | undefined): string {
  const names = app.engine.cityNames();
  if (city === undefined) {
    if (!names.length) throw appError('AIRDESK_BAD_QUERY', 'no city is registered');
    return names[0];
  }
  if (!names.includes(city)) throw appError('AIRDESK_UNKNOWN_CITY', JSON.stringify(city));
  return city;
}


async function routes(app: FastifyInstance): Promise<void> {
  const errors = { 400: ErrorBody, 404: ErrorBody };

  app.get<{ Querystring: GQ }>('/guidance', {
    config: { permission: 'read' },
    schema: {
      tags: ['forecast'],
      description: 'Guidance forecasts (AirDesk, persistence, climatology): the latest version of each issue day and source, or every version (versions=all); by city, source, issue day or days from..to',
      querystring: GuidanceQuery, response: { 200: GuidanceResponse, ...errors },
    },
  }, async (req) => {
    const q = req.query;
    for (const k of ['issueDay', 'from', 'to'] as const) calendarDay(k, q[k]);
    if (q.issueDay !== undefined && (q.from !== undefined || q.to !== undefined)) throw appError('AIRDESK_BAD_QUERY', 'give issueDay or from/to, not both');
    if (q.from !== undefined && q.to !== undefined && q.from > q.to) throw appError('AIRDESK_BAD_RANGE', 'from must not be after to');
    const city = cityOf(app, q.city);
    const filter = { city, source: q.source, fromDay: q.issueDay ?? q.from, toDay: q.issueDay ?? q.to, limit: q.limit ?? 100 };
    const rows = q.versions === 'all' ? await app.records.forecasts.list(filter) : await app.records.forecasts.latest(filter);
    // Only guidance documents (other producers' forecasts share the table).
    const forecasts = rows.filter((r) => (r.payload as { kind?: unknown } | null)?.kind === 'guidance') as GuidanceRecord[];
    return { forecasts, status: app.guidance.status().filter((s) => s.city === city) };
  });

  app.get<{ Querystring: VQ }>('/verification', {
    config: { permission: 'read' },
    schema: {
      tags: ['forecast'],
      description: 'Verification of every source against the observed days: metrics table (docs/verification.md), level confusion matrix and forecast-vs-observed series, by city, source, lead and target days from..to (default the last 30 days)',
      querystring: VerificationQuery, response: { 200: VerificationResponse, ...errors },
    },
  }, async (req) => {
    const q = req.query;
    calendarDay('from', q.from);
    calendarDay('to', q.to);
    const city = cityOf(app, q.city);
    const today = beijingDayOf(app.clock());
    const to = q.to ?? addDays(today, -1);
    const from = q.from ?? addDays(to, -29);
    if (from > to) throw appError('AIRDESK_BAD_RANGE', 'from must not be after to');
    if (Date.parse(to) - Date.parse(from) > MAX_VERIFY_DAYS * 86_400_000) throw appError('AIRDESK_RANGE_TOO_LARGE', `at most ${MAX_VERIFY_DAYS} days`);
    const all = await app.records.verifications.latest({ city, source: q.source, lead: q.lead, fromDay: from, toDay: to, limit: 20_000 });
    // A forecaster's own proposals are scored (issue 17) and theirs to see: others' only for a lead
    // or an admin (a proposal's record is about a person, not a product).
    const me = req.identity;
    const seesAll = !!me && (me.actions.has('forecast.signoff') || me.actions.has('admin.users'));
    const mine = me ? proposalSource(me.person) : null;
    const rows = seesAll ? all : all.filter((r) => !r.source.startsWith('fc.') || r.source === mine);
    const table: { source: string; lead: number; n: number; metrics: unknown }[] = [];
    const confusion: { source: string; lead: number; matrix: number[][] }[] = [];
    for (const [lead, byLead] of groupBy(rows, (r) => String(r.lead))) {
      const bySource: Record<string, Pair[]> = {};
      for (const r of byLead) (bySource[r.source] ??= []).push({ target: r.targetDay, forecast: r.forecast as Pair['forecast'], observed: r.observed as Pair['observed'] });
      for (const [source, m] of Object.entries(verifySources(bySource))) {
        table.push({ source, lead: Number(lead), n: m.n, metrics: m });
        confusion.push({ source, lead: Number(lead), matrix: levelConfusion(bySource[source]) });
      }
    }
    const order = (a: { source: string; lead: number }, b: { source: string; lead: number }) => a.lead - b.lead || a.source.localeCompare(b.source);
    return { city, from, to, table: table.sort(order), confusion: confusion.sort(order), series: rows.map(verifiedPair) };
  });
}

export default fp<ForecastPluginOptions>(async (app, o) => {
  const c = app.config;
  const guidance = new GuidanceService({
    store: app.store, records: app.records, logger: pinoOf(app).child({ module: 'guidance' }), clock: app.clock,
    cities: () => app.engine.cityNames().map((city) => ({ city, members: app.engine.memberCodes(city) })),
    config: { issueHour: c.issueHour, trainDays: c.guidanceTrainDays, rounds: c.guidanceRounds, checkSeconds: c.guidanceCheckSeconds, graceMinutes: c.graceMinutes },
    run: o.run,
    onIssued: (e) => {
      app.io.emit('guidance:issued', e);
      app.metrics.events.inc({ event: 'guidance:issued' });
      // The consultation rooms (registered after this plugin) take the new guidance.
      if (app.hasDecorator('consult')) void app.consult.guidanceIssued(e.city);
    },
    onVerified: (e) => { app.io.emit('verification:completed', e); app.metrics.events.inc({ event: 'verification:completed' }); },
  });
  app.decorate('guidance', guidance);
  // Before the records close (onClose hooks of the app run after preClose).
  app.addHook('preClose', async () => { await guidance.close(); });
  await app.register(routes, { prefix: '/api' });
}, { name: 'forecast', dependencies: ['core', 'metrics', 'live-engine', 'realtime'] });
