/**
 * Verifications of forecasts (migration 004_guidance). `record` adds, for each forecast/observation
 * pair of one target day, a new version only when the observation or the forecast version changed
 * since the last verification (late data, a review, a corrected forecast): re-running on the same
 * data adds nothing. One transaction per day with one audit line naming what was verified.
 */
import type { Selectable } from 'kysely';
import { appendAudit } from './audit.ts';
import { type Actor, actor, day, epochMs, json, limit, parseJson, text } from './check.ts';
import { type RecordsContext, lockStream, read, write } from './context.ts';
import { RecordsError } from './errors.ts';
import type { VerificationsTable } from './schema.ts';

export interface VerificationIn<F = unknown, O = unknown> {
  source: string;
  lead: number;
  issueDay: string;
  forecastId: number;
  forecast: F;
  observed: O;
  /** fingerprint of the observation; with forecastId decides whether anything changed */
  obsKey: string;
}

export interface VerificationRecord<F = unknown, O = unknown> extends VerificationIn<F, O> {
  id: number;
  city: string;
  targetDay: string;
  version: number;
  computedAt: number;
}

export interface VerificationFilter {
  city?: string;
  source?: string;
  lead?: number;
  /** target_day >= fromDay */
  fromDay?: string;
  toDay?: string;
  /** default 5,000, at most 20,000 */
  limit?: number;
}

export interface Verifications {
  /** Verify one target day: the rows added (empty when nothing changed) and whether any of them
   *  revises an earlier verification. */
  record(city: string, targetDay: string, pairs: readonly VerificationIn[], by: Actor): Promise<{ added: VerificationRecord[]; revision: boolean }>;
  /** The latest version of each (city, target day, source, lead), target day ascending. */
  latest<F = unknown, O = unknown>(filter?: VerificationFilter): Promise<VerificationRecord<F, O>[]>;
}

function decode<F, O>(r: Selectable<VerificationsTable>): VerificationRecord<F, O> {
  return {
    id: Number(r.id), city: r.city, targetDay: r.target_day, source: r.source, lead: Number(r.lead_days), version: Number(r.version),
    issueDay: r.issue_day, forecastId: Number(r.forecast_id), forecast: parseJson(r.forecast) as F, observed: parseJson(r.observed) as O,
    obsKey: r.obs_key, computedAt: Number(r.computed_at),
  };
}

function leadOf(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 30) throw new RecordsError('RECORDS_INVALID_INPUT', `lead ${String(v)} must be an integer 1..30`);
  return v;
}

export function createVerifications(ctx: RecordsContext): Verifications {
  return {
    record: async (cityIn, targetIn, pairs, by) => {
      const city = text('city', cityIn, 64);
      const target = day('targetDay', targetIn);
      const who = actor(by);
      if (!Array.isArray(pairs)) throw new RecordsError('RECORDS_INVALID_INPUT', 'pairs must be an array');
      const rows = pairs.map((p) => ({
        source: text('source', p.source, 64), lead_days: leadOf(p.lead), issue_day: day('issueDay', p.issueDay),
        forecast_id: epochMs('forecastId', p.forecastId), forecast: json('forecast', p.forecast), observed: json('observed', p.observed),
        obs_key: text('obsKey', p.obsKey, 512),
      }));
      return write(ctx, 'verification record', async (trx) => {
        await lockStream(ctx, trx, `verification:${city}/${target}`);
        const now = ctx.clock();
        const added: VerificationRecord[] = [];
        let revision = false;
        for (const r of rows) {
          const prev = await trx.selectFrom('verifications').selectAll()
            .where('city', '=', city).where('target_day', '=', target).where('source', '=', r.source).where('lead_days', '=', r.lead_days)
            .orderBy('version', 'desc').limit(1).executeTakeFirst();
          if (prev && prev.obs_key === r.obs_key && Number(prev.forecast_id) === r.forecast_id) continue;
          if (prev) revision = true;
          const full = { ...r, city, target_day: target, version: prev ? Number(prev.version) + 1 : 1, computed_at: now };
          const { id } = await trx.insertInto('verifications').values(full).returning('id').executeTakeFirstOrThrow();
          added.push(decode({ id, ...full }));
        }
        if (added.length) {
          await appendAudit(trx, now, {
            action: revision ? 'verification.revised' : 'verification.completed',
            target: `verification:${city}/${target}`,
            before: null, after: { pairs: added.map((a) => ({ id: a.id, source: a.source, lead: a.lead, version: a.version, forecastId: a.forecastId })) },
          }, who);
        }
        return { added, revision };
      });
    },
    latest: <F, O>(f: VerificationFilter = {}) => read(ctx, 'verification latest', async (db) => {
      let q = db.selectFrom('verifications as v').selectAll('v');
      if (f.city !== undefined) q = q.where('v.city', '=', text('city', f.city, 64));
      if (f.source !== undefined) q = q.where('v.source', '=', text('source', f.source, 64));
      if (f.lead !== undefined) q = q.where('v.lead_days', '=', leadOf(f.lead));
      if (f.fromDay !== undefined) q = q.where('v.target_day', '>=', day('fromDay', f.fromDay));
      if (f.toDay !== undefined) q = q.where('v.target_day', '<=', day('toDay', f.toDay));
      const rows = await q
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('verifications as w').select('w.id')
          .whereRef('w.city', '=', 'v.city').whereRef('w.target_day', '=', 'v.target_day')
          .whereRef('w.source', '=', 'v.source').whereRef('w.lead_days', '=', 'v.lead_days').whereRef('w.version', '>', 'v.version'))))
        .orderBy('v.target_day').orderBy('v.source').orderBy('v.lead_days')
        .limit(limit(f.limit, 5000, 20_000)).execute();
      return rows.map((r) => decode<F, O>(r));
    }),
  };
}
