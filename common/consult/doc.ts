/**
 * The consultation document model (issue 17): who may change which field, per-field revisions,
 * sign-off locking and corrections. Pure: the server applies ops here, records them
 * (records/consultations.ts) and broadcasts what this returns; the client runs the same function
 * on the changes it receives, so both sides agree on the document by construction.
 *
 * Why a server-authoritative document with per-field revisions and not a CRDT (Yjs): a forecast
 * is a form of small typed fields (an AQI range, levels, primary pollutants), not running text.
 * Each field must be validated, attributed and audited at the moment it changes, the lead's
 * signature must freeze an exact state, and each participant writes mostly their own proposal.
 * A CRDT would merge two AQI ranges into a value nobody typed and move validation to after the
 * merge; per-field revisions keep the server the one judge. Edits of different fields never
 * conflict; an edit made over a newer value of the same field is refused with that value, and
 * the client keeps its author's edit visible to re-apply or drop: nobody's change is lost
 * silently. (Free text, the one place a CRDT would shine, is one field per person here.)
 *
 * Paths name the fields: `proposals.<name>.<field>` (a participant's own) and `official.<field>`
 * (the lead's draft), where <field> is one of
 *   days.<0-2>.aqi | days.<i>.levels | days.<i>.primary | days.<i>.pm25 | days.<i>.o3_8h |
 *   days.<i>.segments.<night|morning|afternoon> | trend.<0-3>.levels | text | process | warning
 */
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import {
  ConsultDay, ConsultForecast, TrendDay, type AppliedOp, type Comment, type ConsultDoc, type ConsultOp,
  type OpResult, type Publication, type Refusal,
} from '../schemas/consult.ts';
import { addDays } from '../forecast/history.ts';
import { levelOf, type Level } from '../standards/levels.ts';
import { averageForecasts, emptyForecast, guidanceToForecast } from './merge.ts';

/** What the person applying an op may do (from their roles, common/auth/permissions.ts). */
export interface Editor {
  name: string;
  /** forecast.write: propose and comment */
  canEdit: boolean;
  /** forecast.signoff: build, sign and correct the official forecast */
  canSign: boolean;
}

/** The system's own name in a document (reminders, deadlines). */
export const SYSTEM = 'airdesk';

type Refused = Extract<OpResult, { ok: false }>;
export type Applied = { ok: true; doc: ConsultDoc; applied: AppliedOp };

const refuse = (refusal: Refusal, message: string, current?: Refused['current']): Refused => ({ ok: false, refusal, message, ...(current ? { current } : {}) });

// --- fields

const DAY_FIELDS = ['aqi', 'levels', 'primary', 'pm25', 'o3_8h'] as const;
const SEGMENT_NAMES = ['night', 'morning', 'afternoon'] as const;
const TOP_FIELDS = ['text', 'process', 'warning'] as const;

/** Every field path of one forecast, relative ('days.0.aqi', ...). */
export const FORECAST_FIELDS: readonly string[] = Object.freeze([
  ...[0, 1, 2].flatMap((i) => [...DAY_FIELDS.map((f) => `days.${i}.${f}`), ...SEGMENT_NAMES.map((s) => `days.${i}.segments.${s}`)]),
  ...[0, 1, 2, 3].map((i) => `trend.${i}.levels`),
  ...TOP_FIELDS,
]);
const FIELD_SET = new Set(FORECAST_FIELDS);
const FIELDS_LONGEST_FIRST = [...FORECAST_FIELDS].sort((a, b) => b.length - a.length);

/** The schema of a relative field path. */
function schemaOf(field: string): TSchema {
  const p = field.split('.');
  if (p[0] === 'days') return p[2] === 'segments' ? ConsultDay.properties.segments.properties[p[3] as 'night'] : ConsultDay.properties[p[2] as (typeof DAY_FIELDS)[number]];
  if (p[0] === 'trend') return TrendDay.properties.levels;
  return ConsultForecast.properties[p[0] as (typeof TOP_FIELDS)[number]];
}

/** Checks beyond the shape: ranges low <= high, levels adjacent and ascending, process start <= end. */
function semanticError(field: string, v: unknown): string | null {
  const range = (r: unknown) => Array.isArray(r) && r.length === 2 && (r[0] as number) > (r[1] as number);
  const leaf = field.split('.').pop();
  if ((leaf === 'aqi' || leaf === 'pm25' || leaf === 'o3_8h') && range(v)) return `${field}: low must not be above high`;
  if (leaf === 'levels' && Array.isArray(v) && v.length === 2 && v[1] !== v[0] + 1) return `${field}: two levels must be adjacent and ascending`;
  if (field.includes('.segments.') && v && range((v as { aqi: unknown }).aqi)) return `${field}: low must not be above high`;
  if (leaf === 'process' && v && (v as { start: string }).start > (v as { end: string }).end) return `${field}: start must not be after end`;
  return null;
}

export function getField(f: ConsultForecast, field: string): unknown {
  let o: unknown = f;
  for (const k of field.split('.')) o = (o as Record<string, unknown>)[k];
  return o;
}

function setField(f: ConsultForecast, field: string, v: unknown): ConsultForecast {
  const out = structuredClone(f);
  const keys = field.split('.');
  let o = out as unknown as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) o = o[k] as Record<string, unknown>;
  o[keys[keys.length - 1]] = structuredClone(v);
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

// A proposal is looked up as an own property only, and stored as one: `proposals` is a plain
// object keyed by user name, and a name such as 'constructor' or 'toString' would otherwise read
// Object.prototype's member (adopt { proposal: 'constructor' } threw, an average of 'toString'
// threw from averageForecasts) and '__proto__' would set the prototype instead of a key.
const proposalOf = (doc: ConsultDoc, name: string): ConsultForecast | undefined => (Object.hasOwn(doc.proposals, name) ? doc.proposals[name] : undefined);
function putProposal(doc: ConsultDoc, name: string, f: ConsultForecast): void {
  Object.defineProperty(doc.proposals, name, { value: f, enumerable: true, writable: true, configurable: true });
}

/** Split an absolute path into (whose forecast, field): ['official', 'days.0.aqi'] or ['proposals.alice', ...]. */
export function parsePath(path: string): { owner: 'official' | { proposal: string }; field: string } | null {
  if (path.startsWith('official.')) {
    const field = path.slice(9);
    return FIELD_SET.has(field) ? { owner: 'official', field } : null;
  }
  if (!path.startsWith('proposals.')) return null;
  // A person's name may contain dots ('wang.fang', records/users.ts): the field is the longest
  // known field the path ends with, the name what stands before it.
  const rest = path.slice(10);
  for (const field of FIELDS_LONGEST_FIRST) {
    if (!rest.endsWith(`.${field}`)) continue;
    const name = rest.slice(0, -field.length - 1);
    return name.length >= 1 && name.length <= 64 ? { owner: { proposal: name }, field } : null;
  }
  return null;
}

// --- a new document

export type NewDoc = Omit<ConsultDoc, 'id' | 'v' | 'state' | 'seq' | 'proposals' | 'official' | 'revs' | 'thread' | 'published' | 'remindedAt' | 'missedAt'>;

/** A consultation as it opens: no proposals, an empty official draft, revision 0. */
export function openDoc(init: NewDoc): Omit<ConsultDoc, 'id'> {
  return {
    v: 1, ...structuredClone(init), state: 'open', seq: 0,
    proposals: {}, official: emptyForecast(init.issueDay), revs: {}, thread: [], published: [], remindedAt: null, missedAt: null,
  };
}

// --- applying ops

function next(doc: ConsultDoc, by: string, at: number, opId: string, kind: string, changes: AppliedOp['changes'], extra: Partial<AppliedOp> = {}): Applied {
  const d = structuredClone(doc);
  const seq = d.seq + 1;
  d.seq = seq;
  for (const c of changes) {
    const p = parsePath(c.path);
    if (!p) continue; // 'state'
    if (p.owner === 'official') d.official = setField(d.official, p.field, c.after);
    else putProposal(d, p.owner.proposal, setField(proposalOf(d, p.owner.proposal) ?? emptyForecast(d.issueDay), p.field, c.after));
    d.revs[c.path] = { rev: seq, by, at };
  }
  if (extra.state) d.state = extra.state;
  if (extra.comment) d.thread.push(extra.comment);
  if (extra.publication) d.published.push(extra.publication);
  return { ok: true, doc: d, applied: { seq, opId, kind, by, at, changes, ...extra, state: d.state } };
}

/** The value of an absolute path now (a proposal not begun reads as empty). */
export function valueAt(doc: ConsultDoc, path: string): unknown {
  const p = parsePath(path);
  if (!p) return undefined;
  const f = p.owner === 'official' ? doc.official : proposalOf(doc, p.owner.proposal) ?? emptyForecast(doc.issueDay);
  return getField(f, p.field);
}

export const revOf = (doc: ConsultDoc, path: string): number => doc.revs[path]?.rev ?? 0;
const draftOpen = (doc: ConsultDoc) => doc.state === 'open' || doc.state === 'correcting';

/** Levels to publish for a day: as given, or those its AQI range touches when it touches at most
 *  two (a range over three or more levels is the forecaster's to narrow, not the system's to cut). */
export function publishLevels(day: { aqi: [number, number] | null; levels: number[] }): Level[] | null {
  if (day.levels.length) return day.levels as Level[];
  if (!day.aqi) return null;
  const lo = levelOf(day.aqi[0])!;
  const hi = levelOf(day.aqi[1])!;
  return hi - lo > 1 ? null : lo === hi ? [lo] : [lo, hi];
}

/** Why a forecast cannot be signed (day and field named), or null when it can. */
export function incompleteness(f: ConsultForecast): string | null {
  for (const [i, d] of f.days.entries()) {
    const name = `D+${i + 1} (${d.target})`;
    if (!d.aqi) return `${name}: no AQI range`;
    if (!publishLevels(d)) return `${name}: the AQI range ${d.aqi[0]}-${d.aqi[1]} spans more than two levels; give the levels`;
    // HJ 633: no primary pollutant when the AQI is at most 50.
    if (d.aqi[1] > 50 && !d.primary.length) return `${name}: no primary pollutant`;
  }
  return null;
}

/**
 * Apply one op of `who` at `at` to `doc`. Returns the new document and the op as applied (what
 * the room is told and the record keeps), or why it is refused. Never throws on bad input.
 */
export function applyOp(doc: ConsultDoc, op: ConsultOp, who: Editor, at: number): Applied | Refused {
  switch (op.kind) {
    case 'set': {
      const p = parsePath(op.path);
      if (!p) return refuse('invalid', `unknown field ${JSON.stringify(op.path)}`);
      if (p.owner === 'official') {
        if (!who.canSign) return refuse('forbidden', 'only a lead forecaster edits the official forecast');
        if (!draftOpen(doc)) return refuse('locked', 'the official forecast is signed; reopen it for a correction');
      } else {
        if (!who.canEdit || p.owner.proposal !== who.name) return refuse('forbidden', 'a proposal is edited by its author only');
        if (doc.state !== 'open') return refuse('locked', 'proposals are closed once the forecast is signed');
      }
      if (!Value.Check(schemaOf(p.field), op.value)) {
        const e = [...Value.Errors(schemaOf(p.field), op.value)][0];
        return refuse('invalid', `${op.path}${e?.path ?? ''}: ${e?.message ?? 'invalid value'}`);
      }
      // Named by the whole path, as the schema errors above are: the relative field alone
      // ('days.0.aqi') does not say whose forecast it is.
      const why = semanticError(p.field, op.value);
      if (why) return refuse('invalid', `${op.path.slice(0, -p.field.length)}${why}`);
      const rev = revOf(doc, op.path);
      const before = valueAt(doc, op.path);
      if (op.base !== rev) return refuse('conflict', `${op.path} changed since revision ${op.base} (now ${rev})`, { path: op.path, value: before, rev });
      return next(doc, who.name, at, op.opId, 'set', [{ path: op.path, before, after: op.value }]);
    }
    case 'comment': {
      if (!who.canEdit) return refuse('forbidden', 'commenting needs forecast.write');
      if (op.replyTo !== undefined && !doc.thread.some((c) => c.id === op.replyTo)) return refuse('invalid', `no comment ${op.replyTo} to reply to`);
      if (op.ref?.target !== undefined && !(op.ref.target > doc.issueDay && op.ref.target <= addDays(doc.issueDay, 7))) return refuse('invalid', `ref.target ${op.ref.target} is not one of D+1..D+7`);
      if (op.ref?.source !== undefined && !doc.guidance.some((g) => g.source === op.ref!.source)) return refuse('invalid', `no guidance source ${JSON.stringify(op.ref.source)} in this consultation`);
      const text = op.text.trim();
      if (!text) return refuse('invalid', 'an empty comment');
      const comment: Comment = { id: doc.thread.reduce((m, c) => Math.max(m, c.id), 0) + 1, by: who.name, at, text, replyTo: op.replyTo ?? null, ref: op.ref ?? null };
      return next(doc, who.name, at, op.opId, 'comment', [], { comment });
    }
    case 'adopt': {
      if (!who.canSign) return refuse('forbidden', 'only a lead forecaster builds the official forecast');
      if (!draftOpen(doc)) return refuse('locked', 'the official forecast is signed; reopen it for a correction');
      let src: ConsultForecast;
      const from = op.from;
      if ('proposal' in from) {
        const f = proposalOf(doc, from.proposal);
        if (!f) return refuse('invalid', `no proposal by ${from.proposal}`);
        src = f;
      } else if ('average' in from) {
        const fs = from.average.map((n) => proposalOf(doc, n));
        const missing = from.average.filter((_, i) => !fs[i]);
        if (missing.length) return refuse('invalid', `no proposal by ${missing.join(', ')}`);
        src = averageForecasts(fs as ConsultForecast[]);
      } else {
        const g = doc.guidance.find((x) => x.source === from.guidance);
        if (!g) return refuse('invalid', `no guidance source ${JSON.stringify(from.guidance)} in this consultation`);
        src = guidanceToForecast(g.days, doc.issueDay);
      }
      const changes = FORECAST_FIELDS.flatMap((field) => {
        const before = getField(doc.official, field);
        const after = getField(src, field);
        return same(before, after) ? [] : [{ path: `official.${field}`, before, after }];
      });
      if (!changes.length) return refuse('invalid', 'the official forecast already says this');
      return next(doc, who.name, at, op.opId, 'adopt', changes);
    }
    case 'sign': {
      if (!who.canSign) return refuse('forbidden', 'signing needs forecast.signoff');
      if (!draftOpen(doc)) return refuse('locked', 'already signed; reopen it for a correction');
      if (op.seen !== doc.seq) return refuse('stale', `the consultation changed since revision ${op.seen} (now ${doc.seq}); look again before signing`);
      const why = incompleteness(doc.official);
      if (why) return refuse('incomplete', why);
      const version = doc.published.length + 1;
      if (version > 1 && !op.reason?.trim()) return refuse('invalid', 'a correction needs a reason');
      const forecast = structuredClone(doc.official);
      for (const d of forecast.days) d.levels = publishLevels(d)!;
      const publication: Publication = { version, forecastId: 0, signedBy: who.name, signedAt: at, reason: version > 1 ? op.reason!.trim() : op.reason?.trim() ?? null, forecast };
      return next(doc, who.name, at, op.opId, 'sign', [{ path: 'state', before: doc.state, after: 'published' }], { state: 'published', publication });
    }
    case 'reopen': {
      if (!who.canSign) return refuse('forbidden', 'a correction needs forecast.signoff');
      if (doc.state !== 'published') return refuse('invalid', 'only a signed forecast is reopened');
      return next(doc, who.name, at, op.opId, 'reopen', [{ path: 'state', before: doc.state, after: 'correcting' }], { state: 'correcting', reason: op.reason.trim() });
    }
  }
  return refuse('invalid', `unknown op ${JSON.stringify((op as { kind?: unknown }).kind)}`);
}

/** The system's notes: the lead reminded (19:30), the deadline missed unsigned. Null when already noted.
 *  System ops have ids starting with '~', which a client's op id (common/schemas/consult.ts OpId)
 *  cannot, so they never collide with one. */
export function noteDeadline(doc: ConsultDoc, what: 'remind' | 'missed', at: number): Applied | null {
  if (what === 'remind' ? doc.remindedAt !== null : doc.missedAt !== null) return null;
  const field = what === 'remind' ? 'remindedAt' : 'missedAt';
  const r = next(doc, SYSTEM, at, `~${what}`, what, [{ path: field, before: null, after: at }]);
  r.doc[field] = at;
  return r;
}

/** What the system keeps current in an open room: the guidance, the days observed, the scores. */
export type RoomInputs = Partial<Pick<ConsultDoc, 'guidance' | 'observed' | 'scores'>>;
const INPUT_KEYS = ['guidance', 'observed', 'scores'] as const;

/** The system refreshes the room's inputs (a newer guidance issue, another day observed): one op
 *  with a change per input that differs, every participant told. Null when nothing differs. */
export function refreshInputs(doc: ConsultDoc, inputs: RoomInputs, at: number): Applied | null {
  const changes = INPUT_KEYS.filter((k) => inputs[k] !== undefined && !same(doc[k], inputs[k]))
    .map((k) => ({ path: k, before: doc[k], after: inputs[k] }));
  if (!changes.length) return null;
  const r = next(doc, SYSTEM, at, `~inputs-${doc.seq + 1}`, 'refresh', changes);
  for (const c of changes) (r.doc as Record<string, unknown>)[c.path] = structuredClone(c.after);
  return r;
}

/**
 * Apply an op someone else made (a `consult:change` the room broadcast) to a copy of the
 * document: the client's way to follow the room. Returns null when it does not follow on
 * (a gap: the client must resynchronise).
 */
export function replay(doc: ConsultDoc, op: AppliedOp): ConsultDoc | null {
  if (op.seq !== doc.seq + 1) return null;
  const d = structuredClone(doc);
  d.seq = op.seq;
  for (const c of op.changes) {
    const p = parsePath(c.path);
    if (p) {
      if (p.owner === 'official') d.official = setField(d.official, p.field, c.after);
      else putProposal(d, p.owner.proposal, setField(proposalOf(d, p.owner.proposal) ?? emptyForecast(d.issueDay), p.field, c.after));
      d.revs[c.path] = { rev: op.seq, by: op.by, at: op.at };
    } else if (c.path === 'remindedAt' || c.path === 'missedAt') d[c.path] = c.after as number;
    else if ((INPUT_KEYS as readonly string[]).includes(c.path)) (d as Record<string, unknown>)[c.path] = structuredClone(c.after);
  }
  if (op.comment) d.thread.push(op.comment);
  if (op.publication) d.published.push(op.publication);
  d.state = op.state;
  return d;
}
