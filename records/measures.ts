/**
 * Emergency and control measures in the system of record (issue 19): a measure is the object of
 * common/measures/schema.ts (kind, area, start/end, sectors and actions, who declared it, linked
 * episodes and warnings), stored whole as JSON with its filter columns beside it and numbered
 * versions. Unlike forecasts and warning events a measure is edited (a team adds actions, corrects
 * the end): every change is one transaction with its audit line holding the measure before and
 * after, so its history is the audit log's `measure:<id>` lines.
 *
 *   const m = await records.measures.create({ kind: 'campaign', title: '冬季攻坚', area, start, end: null, ... }, by);
 *   await records.measures.update(m.id, { actions: [...] }, by, { version: m.version });
 *   await records.measures.end(m.id, Date.now(), by);
 */
import { Value } from '@sinclair/typebox/value';
import type { Selectable } from 'kysely';
import { Measure, checkMeasure, type WarningRef } from '../common/measures/schema.ts';
import { appendAudit } from './audit.ts';
import { type Actor, actor, epochMs, json, limit, parseJson, text } from './check.ts';
import { type RecordsContext, type Trx, lockStream, read, write } from './context.ts';
import { RecordsError } from './errors.ts';
import type { MeasuresTable } from './schema.ts';

/** A measure as given to create: the Measure without its version tag and id (the store numbers it). */
export type MeasureDraft = Omit<Measure, 'v' | 'id'>;
/** The fields a change may set (kind and city are what the measure is; a different one is a new measure). */
export const MEASURE_PATCH_FIELDS = ['title', 'level', 'area', 'start', 'end', 'sectors', 'actions', 'declaredBy', 'episodeIds', 'warningIds', 'warnings', 'note'] as const;
export type MeasurePatch = Partial<Pick<Measure, (typeof MEASURE_PATCH_FIELDS)[number]>>;

export interface MeasureRecord {
  /** the store's id; `measure.id` is the same number as text */
  id: number;
  version: number;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  measure: Measure;
}

export interface MeasureFilter {
  city?: string;
  kind?: Measure['kind'];
  /** in force at this instant (start <= at and (no end or end > at)) */
  activeAt?: number;
  /** overlapping [from, to) */
  from?: number;
  to?: number;
  episodeId?: string;
  warningId?: number;
  warning?: WarningRef;
  /** newest start first, at most this many (default 100, at most 10,000) */
  limit?: number;
}

export interface Measures {
  create(m: MeasureDraft, by: Actor): Promise<MeasureRecord>;
  get(id: number): Promise<MeasureRecord | null>;
  list(filter?: MeasureFilter): Promise<MeasureRecord[]>;
  /** Change some fields. `opts.version`: refuse with RECORDS_CONFLICT unless the stored version is
   *  still this one (the editor saw it). Setting `end` on a measure in force is audited as ended. */
  update(id: number, patch: MeasurePatch, by: Actor, opts?: { version?: number }): Promise<MeasureRecord>;
  /** End a measure in force at `at`; RECORDS_INVALID_STATE when it has ended already. */
  end(id: number, at: number, by: Actor, opts?: { version?: number }): Promise<MeasureRecord>;
}

/** The link key of a live-server warning lifecycle. */
export const lifecycleRef = (w: WarningRef): string => `${w.city}/${w.scheme}/${w.issuedAt}`;

function bad(detail: string): never {
  throw new RecordsError('RECORDS_INVALID_INPUT', detail);
}

/** The whole measure checked against its schema and its cross-field rules, or RECORDS_INVALID_INPUT
 *  naming the first field at fault. */
function checked(m: unknown): Measure {
  if (!Value.Check(Measure, m)) {
    const e = Value.Errors(Measure, m).First();
    bad(`measure${e?.path || ''} ${e?.message ?? 'does not match the Measure schema'}`);
  }
  const rules = checkMeasure(m);
  if (rules.length) bad(`measure: ${rules.join('; ')}`);
  json('measure', m); // NaN and friends are already refused by the schema; this bounds the size
  return m;
}

function decode(r: Selectable<MeasuresTable>): MeasureRecord {
  const doc = parseJson(r.doc) as MeasureDraft;
  const id = Number(r.id);
  return {
    id, version: Number(r.version), createdAt: Number(r.created_at), createdBy: r.created_by, updatedAt: Number(r.updated_at),
    measure: { v: 1, id: String(id), ...doc },
  };
}

const docOf = (m: Measure): string => {
  const { v: _v, id: _id, ...doc } = m;
  return JSON.stringify(doc);
};

function links(m: Measure): { kind: string; ref: string }[] {
  const out = new Map<string, { kind: string; ref: string }>();
  const add = (kind: string, ref: string) => out.set(`${kind}|${ref}`, { kind, ref });
  for (const e of m.episodeIds) add('episode', e);
  for (const w of m.warningIds) add('warning', String(w));
  for (const w of m.warnings ?? []) add('lifecycle', lifecycleRef(w));
  return [...out.values()];
}

async function writeLinks(trx: Trx, id: number, m: Measure): Promise<void> {
  // The links are an index of the document: rewritten from it on every change.
  await trx.deleteFrom('measure_links').where('measure_id', '=', id).execute();
  const rows = links(m).map((l) => ({ measure_id: id, ...l }));
  if (rows.length) await trx.insertInto('measure_links').values(rows).execute();
}

function checkFilter(f: MeasureFilter): void {
  if (!f || typeof f !== 'object') bad('filter must be an object');
  if (f.city !== undefined) text('city', f.city, 64);
  if (f.kind !== undefined) text('kind', f.kind, 32);
  if (f.activeAt !== undefined) epochMs('activeAt', f.activeAt);
  if (f.from !== undefined) epochMs('from', f.from);
  if (f.to !== undefined) epochMs('to', f.to);
  if (f.episodeId !== undefined) text('episodeId', f.episodeId, 64);
  if (f.warningId !== undefined) epochMs('warningId', f.warningId);
  if (f.warning !== undefined) {
    text('warning.city', f.warning?.city, 64);
    text('warning.scheme', f.warning.scheme, 8);
    epochMs('warning.issuedAt', f.warning.issuedAt);
  }
}

export function createMeasures(ctx: RecordsContext): Measures {
  const getIn = async (db: Trx | RecordsContext['db'], id: number) => {
    const r = await db.selectFrom('measures').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? decode(r) : null;
  };

  /** One change of a stored measure: lock it, check the version, validate, write, audit. */
  const change = (what: string, id: number, by: Actor, opts: { version?: number }, fn: (cur: MeasureRecord) => { next: Measure; action: string }) => {
    const mid = epochMs('id', id);
    const who = actor(by);
    if (opts.version !== undefined && (!Number.isInteger(opts.version) || opts.version < 1)) bad(`version ${String(opts.version)} must be an integer >= 1`);
    return write(ctx, what, async (trx) => {
      await lockStream(ctx, trx, `measure:${mid}`);
      const cur = await getIn(trx, mid);
      if (!cur) bad(`measure ${mid} does not exist`);
      if (opts.version !== undefined && cur.version !== opts.version) {
        throw new RecordsError('RECORDS_CONFLICT', `measure ${mid} is at version ${cur.version}, not ${opts.version}: someone changed it; reload and edit again`);
      }
      const { next, action } = fn(cur);
      const m = checked({ ...next, v: 1, id: String(mid) });
      const now = ctx.clock();
      const row = { level: m.level ?? null, start_at: m.start, end_at: m.end, doc: docOf(m), version: cur.version + 1, updated_at: now };
      await trx.updateTable('measures').set(row).where('id', '=', mid).execute();
      await writeLinks(trx, mid, m);
      const after: MeasureRecord = { ...cur, version: row.version, updatedAt: now, measure: m };
      await appendAudit(trx, now, { action, target: `measure:${mid}`, before: cur, after }, who);
      return after;
    }, { retry: false });
  };

  return {
    create: async (draft, by) => {
      const who = actor(by);
      if (!draft || typeof draft !== 'object' || Array.isArray(draft)) bad('measure must be an object');
      if ('id' in draft || 'v' in draft) bad('a new measure has no id or v: the store numbers it');
      // An absent optional field may come as undefined (a spread); it means absent, as in JSON.
      const given = Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== undefined));
      // Checked with a placeholder id; the real one is the row's.
      const m = checked({ ...given, v: 1, id: 'new' });
      return write(ctx, 'measure create', async (trx) => {
        const now = ctx.clock();
        const row = {
          city: m.area.city, kind: m.kind, level: m.level ?? null, start_at: m.start, end_at: m.end, doc: docOf(m),
          version: 1, created_at: now, created_by: who.who, updated_at: now,
        };
        const { id } = await trx.insertInto('measures').values(row).returning('id').executeTakeFirstOrThrow();
        const rec = decode({ id, ...row });
        await writeLinks(trx, rec.id, rec.measure);
        await appendAudit(trx, now, { action: 'measure.created', target: `measure:${rec.id}`, before: null, after: rec }, who);
        return rec;
      }, { retry: false });
    },

    get: (id) => read(ctx, 'measure get', (db) => getIn(db, epochMs('id', id))),

    list: (f = {}) => read(ctx, 'measure list', async (db) => {
      checkFilter(f);
      let q = db.selectFrom('measures as m').selectAll('m');
      if (f.city !== undefined) q = q.where('m.city', '=', f.city);
      if (f.kind !== undefined) q = q.where('m.kind', '=', f.kind);
      if (f.activeAt !== undefined) {
        const at = f.activeAt;
        q = q.where('m.start_at', '<=', at).where((eb) => eb.or([eb('m.end_at', 'is', null), eb('m.end_at', '>', at)]));
      }
      if (f.to !== undefined) q = q.where('m.start_at', '<', f.to);
      if (f.from !== undefined) {
        const from = f.from;
        q = q.where((eb) => eb.or([eb('m.end_at', 'is', null), eb('m.end_at', '>', from)]));
      }
      const linked = (kind: string, ref: string) => {
        q = q.where('m.id', 'in', db.selectFrom('measure_links').select('measure_id').where('kind', '=', kind).where('ref', '=', ref));
      };
      if (f.episodeId !== undefined) linked('episode', f.episodeId);
      if (f.warningId !== undefined) linked('warning', String(f.warningId));
      if (f.warning !== undefined) linked('lifecycle', lifecycleRef(f.warning));
      const rows = await q.orderBy('m.start_at', 'desc').orderBy('m.id', 'desc').limit(limit(f.limit, 100, 10_000)).execute();
      return rows.map(decode);
    }),

    update: async (id, patch, by, opts = {}) => {
      if (!patch || typeof patch !== 'object' || Array.isArray(patch)) bad('patch must be an object');
      const keys = Object.keys(patch);
      if (keys.length === 0) bad('patch changes nothing: give at least one field');
      const unknown = keys.filter((k) => !(MEASURE_PATCH_FIELDS as readonly string[]).includes(k));
      if (unknown.length) bad(`patch cannot set ${unknown.join(', ')} (allowed: ${MEASURE_PATCH_FIELDS.join(', ')})`);
      return change('measure update', id, by, opts, (cur) => {
        const next = { ...cur.measure } as Record<string, unknown>;
        // `level: undefined` in a patch takes the level away (a measure that is no warning response).
        for (const k of keys) {
          const v = (patch as Record<string, unknown>)[k];
          if (v === undefined) delete next[k];
          else next[k] = v;
        }
        const ended = cur.measure.end === null && next.end !== null && next.end !== undefined;
        return { next: next as Measure, action: ended ? 'measure.ended' : 'measure.updated' };
      });
    },

    end: async (id, at, by, opts = {}) => {
      const t = epochMs('at', at);
      return change('measure end', id, by, opts, (cur) => {
        if (cur.measure.end !== null) throw new RecordsError('RECORDS_INVALID_STATE', `measure ${cur.id} ended already (at ${cur.measure.end})`);
        if (t <= cur.measure.start) throw new RecordsError('RECORDS_INVALID_STATE', `measure ${cur.id} cannot end at ${t}, not after its start ${cur.measure.start}`);
        return { next: { ...cur.measure, end: t }, action: 'measure.ended' };
      });
    },
  };
}
