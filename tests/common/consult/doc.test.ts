/**
 * The consultation document model (common/consult/doc.ts): who may set which field, per-field
 * revisions and conflicts, sign-off locking and corrections, adopting a proposal / an average /
 * a guidance source, the comment thread, deadline notes, and replay (the client's way to follow
 * the room) reproducing the server's document exactly over a seeded random sequence of ops.
 * Every document produced is checked against the ConsultDoc schema, every applied op against
 * AppliedOp, and the input document is checked to be left untouched.
 */
import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import {
  applyOp, FORECAST_FIELDS, getField, noteDeadline, openDoc, refreshInputs, replay, SYSTEM, type Applied, type Editor,
} from '../../../common/consult/doc.ts';
import { averageForecasts, emptyForecast, guidanceToForecast } from '../../../common/consult/merge.ts';
import {
  AppliedOp, ConsultDoc, DRIVERS, PRIMARY_KEYS, type ConsultForecast, type ConsultOp, type GuidanceIn, type OpResult,
} from '../../../common/schemas/consult.ts';
import type { GuidanceDay } from '../../../common/schemas/forecast.ts';
import { addDays } from '../../../common/forecast/history.ts';
import { LEVELS, levelOf } from '../../../common/standards/levels.ts';

const ISSUE = '2026-12-02';
const D = (k: number) => addDays(ISSUE, k);
/** 16:00 Beijing on the issue day */
const T0 = Date.UTC(2026, 11, 2, 8, 0);
/** HJ 633: no primary pollutant at AQI <= 50 (the top of level 1). */
const NO_PRIMARY_MAX = LEVELS[0].max;

const alice: Editor = { name: 'alice', canEdit: true, canSign: false };
const bob: Editor = { name: 'bob', canEdit: true, canSign: false };
const lead: Editor = { name: 'lead', canEdit: true, canSign: true };
const lead2: Editor = { name: 'lead2', canEdit: true, canSign: true };
const viewer: Editor = { name: 'viewer', canEdit: false, canSign: false };

function gday(k: number, aqi: [number, number], primary: string[]): GuidanceDay {
  const lo = levelOf(aqi[0])!;
  const hi = levelOf(aqi[1])!;
  return {
    target: D(k), lead: k, aqi, central: Math.round((aqi[0] + aqi[1]) / 2), levels: lo === hi ? [lo] : [lo, hi], primary,
    conc: { pm25_24h: [aqi[0] / 2, (aqi[0] + aqi[1]) / 4, aqi[1] / 2], o3_mda8: null },
  };
}
const GUIDANCE: GuidanceIn[] = [
  { source: 'cams', forecastId: 11, version: 1, issuedAt: T0 - 3_600_000, days: [1, 2, 3, 4, 5, 6, 7].map((k) => gday(k, [60 + 10 * k, 90 + 10 * k], ['pm25'])) },
  { source: 'airdesk', forecastId: 12, version: 1, issuedAt: T0 - 1_800_000, days: [1, 2, 3].map((k) => gday(k, [20, 45], [])) },
];

/** A fresh consultation as the room opens it (id 1). */
function start(): ConsultDoc {
  const d: ConsultDoc = {
    id: 1,
    ...openDoc({
      city: 'shanghai', issueDay: ISSUE, kind: 'regular', cycle: 1, openedAt: T0, openedBy: 'lead', deadline: T0 + 4 * 3_600_000,
      guidance: structuredClone(GUIDANCE), observed: [], scores: [], warning: null,
    }),
  };
  expectValid(d);
  return d;
}

function expectValid(d: ConsultDoc) {
  expect(Value.Errors(ConsultDoc, d).First()).toBeUndefined();
}

let opCounter = 0;
const opId = () => `op-${String(++opCounter).padStart(6, '0')}`;

type Refused = Extract<OpResult, { ok: false }>;

/** applyOp, checking that the input is left as it was and the output is valid. */
function run(doc: ConsultDoc, op: ConsultOp, who: Editor, at = T0 + 60_000): Applied | Refused {
  // JSON, not toStrictEqual: a proposal keyed 'constructor' would make that compare constructors
  const before = JSON.stringify(doc);
  const r = applyOp(doc, op, who, at);
  expect(JSON.stringify(doc)).toBe(before);
  if (r.ok) {
    expectValid(r.doc);
    expect(Value.Errors(AppliedOp, r.applied).First()).toBeUndefined();
    expect(r.applied.seq).toBe(doc.seq + 1);
    expect(r.doc.seq).toBe(doc.seq + 1);
    expect(r.applied).toMatchObject({ opId: op.opId, kind: op.kind, by: who.name, at });
  }
  return r;
}
function ok(doc: ConsultDoc, op: ConsultOp, who: Editor, at?: number): Applied {
  const r = run(doc, op, who, at);
  if (!r.ok) throw new Error(`expected ${op.kind} to apply, refused ${r.refusal}: ${r.message}`);
  return r;
}
function refused(doc: ConsultDoc, op: ConsultOp, who: Editor): Refused {
  const r = run(doc, op, who);
  if (r.ok) throw new Error(`expected ${op.kind} to be refused, it applied: ${JSON.stringify(r.applied.changes)}`);
  return r;
}

const set = (path: string, value: unknown, base = 0): ConsultOp => ({ kind: 'set', opId: opId(), path, value, base });
const sign = (seen: number, reason?: string): ConsultOp => ({ kind: 'sign', opId: opId(), seen, ...(reason !== undefined ? { reason } : {}) });
const reopen = (reason = 'a correction'): ConsultOp => ({ kind: 'reopen', opId: opId(), reason });
const adopt = (from: Extract<ConsultOp, { kind: 'adopt' }>['from']): ConsultOp => ({ kind: 'adopt', opId: opId(), from });
const comment = (text: string, extra: { replyTo?: number; ref?: { target?: string; source?: string } | null } = {}): ConsultOp => ({ kind: 'comment', opId: opId(), text, ...extra });

/** Apply ops in turn (each must apply); the last doc. */
function chain(doc: ConsultDoc, steps: [ConsultOp, Editor][]): ConsultDoc {
  for (const [op, who] of steps) doc = ok(doc, op, who).doc;
  return doc;
}

// ---------------------------------------------------------------------------------------------

describe('set: who may set which field', () => {
  it('a participant\'s first set creates their proposal from the empty forecast', () => {
    const d0 = start();
    expect(d0.proposals).toEqual({});
    const r = ok(d0, set('proposals.alice.days.0.aqi', [60, 90]), alice, T0 + 5000);
    const want = emptyForecast(ISSUE);
    want.days[0].aqi = [60, 90];
    expect(r.doc.proposals).toStrictEqual({ alice: want });
    expect(r.doc.official).toStrictEqual(emptyForecast(ISSUE));
    expect(r.applied.changes).toStrictEqual([{ path: 'proposals.alice.days.0.aqi', before: null, after: [60, 90] }]);
    expect(r.doc.revs).toStrictEqual({ 'proposals.alice.days.0.aqi': { rev: 1, by: 'alice', at: T0 + 5000 } });
    expect(r.applied.state).toBe('open');
  });

  it('someone else\'s proposal is forbidden, and so is any proposal without forecast.write', () => {
    const d = ok(start(), set('proposals.alice.text', 'mine'), alice).doc;
    expect(refused(d, set('proposals.alice.text', 'yours', 1), bob).refusal).toBe('forbidden');
    expect(refused(d, set('proposals.alice.text', 'yours', 1), lead).refusal).toBe('forbidden');
    expect(refused(d, set('proposals.viewer.text', 'hello'), viewer).refusal).toBe('forbidden');
  });

  it('the official draft: forbidden to a participant, set by a lead', () => {
    const d = start();
    expect(refused(d, set('official.days.0.aqi', [60, 90]), alice).refusal).toBe('forbidden');
    expect(refused(d, set('official.days.0.aqi', [60, 90]), viewer).refusal).toBe('forbidden');
    const r = ok(d, set('official.days.0.aqi', [60, 90]), lead);
    expect(r.doc.official.days[0].aqi).toEqual([60, 90]);
    expect(r.doc.proposals).toEqual({});
    expect(r.doc.revs['official.days.0.aqi']).toMatchObject({ rev: 1, by: 'lead' });
  });

  it('a user whose name is an Object.prototype member has a proposal like anyone', () => {
    // Regression: proposals were read with doc.proposals[name], which for 'constructor' is a function.
    const c: Editor = { name: 'constructor', canEdit: true, canSign: false };
    const p: Editor = { name: '__proto__', canEdit: true, canSign: false };
    let d = ok(start(), set('proposals.constructor.days.0.aqi', [60, 90]), c).doc;
    d = ok(d, set('proposals.__proto__.text', 'x'), p).doc;
    expect(Object.keys(d.proposals).sort()).toEqual(['__proto__', 'constructor']);
    expect(d.proposals['constructor' as string].days[0].aqi).toEqual([60, 90]);
    expect(Object.getPrototypeOf(d.proposals)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(d.proposals, '__proto__')?.value.text).toBe('x');
  });

  const bad: [string, unknown, RegExp][] = [
    ['days.0.aqi', [60, 501], /./],
    ['days.0.aqi', [-1, 60], /./],
    ['days.0.aqi', [60.5, 90], /./],
    ['days.0.segments.night', { aqi: [80, 120], primary: ['pm25', 'pm25'] }, /./],
    ['days.0.primary', null, /./],
    ['days.0.aqi', [60, 90, 120], /./],
    ['days.0.aqi', 'moderate', /./],
    ['days.0.aqi', [90, 60], /low must not be above high/],
    ['days.1.pm25', [80, 40], /low must not be above high/],
    ['days.2.o3_8h', [5001, 5002], /./],
    ['days.0.levels', [2, 4], /adjacent/],
    ['days.0.levels', [3, 2], /ascending/],
    ['days.0.levels', [3, 3], /adjacent/],
    ['days.0.levels', [0], /./],
    ['days.0.levels', [1, 2, 3], /./],
    ['trend.3.levels', [1, 3], /adjacent/],
    ['days.0.primary', ['pm25', 'pm25'], /./],
    ['days.0.primary', ['dust'], /./],
    ['days.0.primary', ['pm25', 'pm10', 'o3', 'no2'], /./],
    ['days.0.segments.morning', { aqi: [120, 80], primary: [] }, /low must not be above high/],
    ['days.0.segments.night', { aqi: [80, 120], primary: [], extra: 1 }, /./],
    ['text', 'x'.repeat(4001), /./],
    ['text', 42, /./],
    ['process', { start: D(3), end: D(2), area: 'north', driver: 'stagnation', pollutant: 'pm25' }, /start must not be after end/],
    ['process', { start: D(2), end: D(3), area: 'north', driver: 'volcano', pollutant: 'pm25' }, /./],
    ['warning', { level: 'purple', rule: 'x' }, /./],
    ['warning', undefined, /./],
  ];
  it.each(bad)('%s = %j is invalid, the message naming the path', (field, value, why) => {
    for (const [owner, who] of [['proposals.alice', alice], ['official', lead]] as const) {
      const path = `${owner}.${field}`;
      const r = refused(start(), set(path, value), who);
      expect(r.refusal).toBe('invalid');
      expect(r.message.startsWith(path)).toBe(true);
      expect(r.message).toMatch(why);
    }
  });

  const paths = [
    'proposals.alice.days.3.aqi', 'proposals.alice.days.0.foo', 'proposals.alice.trend.4.levels', 'proposals.alice.trend.0.target',
    'proposals.alice.days.0.target', 'proposals.alice', 'proposals.alice.', 'proposals..text',
    'official.days.0', 'official.days', 'official.days.0.segments', 'official.days.0.segments.evening', 'official.trend.0',
    'official', 'official.', 'state', 'seq', 'remindedAt', 'revs.official.text', '', 'official.__proto__', `proposals.${'a'.repeat(65)}.text`,
  ];
  it.each(paths)('path %j is unknown: invalid, named in the message', (path) => {
    for (const who of [alice, lead]) {
      const r = refused(start(), set(path, 'x'), who);
      expect(r.refusal).toBe('invalid');
      expect(r.message).toContain(JSON.stringify(path));
    }
  });

  it('every valid field takes a valid value (FORECAST_FIELDS are all settable)', () => {
    let d = start();
    const v = (field: string): unknown => {
      const leaf = field.split('.').pop()!;
      if (leaf === 'aqi') return [101, 150];
      if (leaf === 'levels') return [3];
      if (leaf === 'primary') return ['pm25', 'o3'];
      if (leaf === 'pm25' || leaf === 'o3_8h') return [40.5, 75];
      if (['night', 'morning', 'afternoon'].includes(leaf)) return { aqi: [101, 130], primary: ['o3'] };
      if (leaf === 'text') return '区域静稳 stagnant';
      if (leaf === 'process') return { start: D(2), end: D(2), area: '北部', driver: 'stagnation', pollutant: 'pm25' };
      return { level: 'orange', rule: '2024:orange:pm25-3d-200' };
    };
    expect(FORECAST_FIELDS).toHaveLength(3 * 8 + 4 + 3);
    for (const f of FORECAST_FIELDS) d = ok(d, set(`proposals.alice.${f}`, v(f)), alice).doc;
    for (const f of FORECAST_FIELDS) expect(getField(d.proposals.alice, f)).toStrictEqual(v(f));
    expect(d.seq).toBe(FORECAST_FIELDS.length);
    // null clears a nullable field
    d = ok(d, set('proposals.alice.days.1.aqi', null, d.revs['proposals.alice.days.1.aqi'].rev), alice).doc;
    expect(d.proposals.alice.days[1].aqi).toBeNull();
  });
});

describe('set: per-field revisions', () => {
  it('two leads on different fields, both from revision 0, both land', () => {
    const d0 = start();
    const a = set('official.text', 'cold front on D+2');
    const b = set('official.days.0.aqi', [80, 120]);
    const r1 = ok(d0, a, lead, T0 + 1000);
    const r2 = ok(r1.doc, b, lead2, T0 + 2000);
    expect(r2.doc.official.text).toBe('cold front on D+2');
    expect(r2.doc.official.days[0].aqi).toEqual([80, 120]);
    expect(r2.doc.revs).toStrictEqual({
      'official.text': { rev: 1, by: 'lead', at: T0 + 1000 },
      'official.days.0.aqi': { rev: 2, by: 'lead2', at: T0 + 2000 },
    });
    // and in the other order, the same fields, the same values
    const s2 = ok(ok(d0, b, lead2).doc, a, lead).doc;
    expect(s2.official).toStrictEqual(r2.doc.official);
  });

  it('a participant and a lead on their own forecasts never conflict', () => {
    const d = chain(start(), [
      [set('proposals.alice.days.0.aqi', [60, 90]), alice],
      [set('proposals.bob.days.0.aqi', [70, 95]), bob],
      [set('official.days.0.aqi', [65, 92]), lead],
    ]);
    expect([d.proposals.alice.days[0].aqi, d.proposals.bob.days[0].aqi, d.official.days[0].aqi]).toEqual([[60, 90], [70, 95], [65, 92]]);
    expect(['proposals.alice.days.0.aqi', 'proposals.bob.days.0.aqi', 'official.days.0.aqi'].map((p) => d.revs[p].rev)).toEqual([1, 2, 3]);
  });

  it('the same field from the same base: the first lands, the second is a conflict with the first\'s value; resent on the new base it lands', () => {
    let d = ok(start(), set('official.text', 'unrelated'), lead).doc; // seq 1
    const first = ok(d, set('official.days.0.aqi', [80, 120], 0), lead, T0 + 3000);
    d = first.doc;
    expect(d.seq).toBe(2);
    expect(d.revs['official.days.0.aqi']).toStrictEqual({ rev: first.applied.seq, by: 'lead', at: T0 + 3000 });
    const second = refused(d, set('official.days.0.aqi', [100, 140], 0), lead2);
    expect(second.refusal).toBe('conflict');
    expect(second.current).toStrictEqual({ path: 'official.days.0.aqi', value: [80, 120], rev: first.applied.seq });
    expect(second.message).toContain('official.days.0.aqi');
    const again = ok(d, set('official.days.0.aqi', [100, 140], second.current!.rev), lead2, T0 + 4000);
    expect(again.applied.changes).toStrictEqual([{ path: 'official.days.0.aqi', before: [80, 120], after: [100, 140] }]);
    expect(again.doc.seq).toBe(3);
    expect(again.doc.revs['official.days.0.aqi']).toStrictEqual({ rev: 3, by: 'lead2', at: T0 + 4000 });
    // the untouched field keeps its revision
    expect(again.doc.revs['official.text'].rev).toBe(1);
  });

  it('the same author in two tabs conflicts with themselves; a base from the future conflicts too', () => {
    const d = ok(start(), set('proposals.alice.days.0.primary', ['pm25']), alice).doc;
    const r = refused(d, set('proposals.alice.days.0.primary', ['o3']), alice);
    expect(r.refusal).toBe('conflict');
    expect(r.current).toStrictEqual({ path: 'proposals.alice.days.0.primary', value: ['pm25'], rev: 1 });
    const f = refused(d, set('proposals.alice.days.0.primary', ['o3'], 5), alice);
    expect(f.refusal).toBe('conflict');
    expect(f.current?.rev).toBe(1);
    // a field never set: revision 0, value as in the empty forecast
    const n = refused(d, set('proposals.alice.days.1.aqi', [1, 2], 1), alice);
    expect(n.current).toStrictEqual({ path: 'proposals.alice.days.1.aqi', value: null, rev: 0 });
  });

  it('doc.seq goes up by one per applied op and not on a refusal; revs[path].rev is the seq of the op that set it', () => {
    let d = start();
    const ops: [ConsultOp, Editor][] = [
      [set('proposals.alice.text', 'a'), alice],
      [set('proposals.alice.text', 'stale'), alice], // refused: base 0, now 1
      [set('proposals.bob.text', 'b'), bob],
      [set('official.text', 'o'), alice], // refused: forbidden
      [set('proposals.alice.text', 'a2', 1), alice],
      [set('official.text', 'o'), lead],
    ];
    const seqs: number[] = [];
    for (const [op, who] of ops) {
      const r = run(d, op, who);
      if (r.ok) {
        expect(r.doc.seq).toBe(d.seq + 1);
        const path = (op as { path: string }).path;
        expect(r.doc.revs[path].rev).toBe(r.applied.seq);
        d = r.doc;
      }
      seqs.push(d.seq);
    }
    expect(seqs).toEqual([1, 1, 2, 2, 3, 4]);
  });
});

/** An official draft that can be signed: D+1 three-level range narrowed by levels, D+2 and D+3 at AQI <= 50. */
function signable(): ConsultDoc {
  return chain(start(), [
    [set('official.days.0.aqi', [90, 160]), lead],
    [set('official.days.0.levels', [3, 4]), lead],
    [set('official.days.0.primary', ['pm25']), lead],
    [set('official.days.1.aqi', [20, 45]), lead],
    [set('official.days.2.aqi', [30, NO_PRIMARY_MAX]), lead],
    [set('proposals.alice.days.0.aqi', [100, 140]), alice],
  ]);
}

describe('sign, lock, correct', () => {
  it('stale when the lead signs a revision that is not the latest', () => {
    const d = signable();
    const r = refused(d, sign(d.seq - 1), lead);
    expect(r.refusal).toBe('stale');
    expect(r.message).toContain(String(d.seq));
    expect(refused(d, sign(d.seq + 1), lead).refusal).toBe('stale');
  });

  it('only a lead signs', () => {
    const d = signable();
    expect(refused(d, sign(d.seq), alice).refusal).toBe('forbidden');
    expect(refused(d, sign(d.seq), viewer).refusal).toBe('forbidden');
  });

  it('incomplete, naming the day and the field, until every day has what a publication needs', () => {
    let d = start();
    const s = (path: string, v: unknown) => { d = ok(d, set(path, v, d.revs[path]?.rev ?? 0), lead).doc; };
    const why = () => {
      const r = refused(d, sign(d.seq), lead);
      expect(r.refusal).toBe('incomplete');
      return r.message;
    };
    expect(why()).toMatch(new RegExp(`^D\\+1 \\(${D(1)}\\): no AQI`));
    // 90..160 touches levels 2, 3, 4 (derived): the lead must say which two
    expect([levelOf(90), levelOf(160)]).toEqual([2, 4]);
    s('official.days.0.aqi', [90, 160]);
    expect(why()).toMatch(new RegExp(`^D\\+1 \\(${D(1)}\\): .*levels`));
    s('official.days.0.levels', [3, 4]);
    expect(why()).toMatch(new RegExp(`^D\\+1 \\(${D(1)}\\): no primary`));
    s('official.days.0.primary', ['pm25']);
    expect(why()).toMatch(new RegExp(`^D\\+2 \\(${D(2)}\\): no AQI`));
    s('official.days.1.aqi', [20, 45]);
    expect(why()).toMatch(new RegExp(`^D\\+3 \\(${D(3)}\\): no AQI`));
    s('official.days.2.aqi', [40, NO_PRIMARY_MAX + 1]);
    expect(why()).toMatch(new RegExp(`^D\\+3 \\(${D(3)}\\): no primary`));
    // at a high of 50 (HJ 633) no primary pollutant is needed
    s('official.days.2.aqi', [30, NO_PRIMARY_MAX]);
    expect(ok(d, sign(d.seq), lead).doc.state).toBe('published');
  });

  it('a signature publishes version 1 with levels from the range, and locks the draft and the proposals', () => {
    const d = signable();
    const r = ok(d, sign(d.seq), lead, T0 + 9000);
    const p = r.doc.published;
    expect(p).toHaveLength(1);
    const want = structuredClone(d.official);
    want.days[0].levels = [3, 4]; // as the lead gave them
    // 20..45 and 30..50 each lie in one level: that level alone
    expect([levelOf(20), levelOf(30)]).toEqual([levelOf(45), levelOf(NO_PRIMARY_MAX)]);
    want.days[1].levels = [levelOf(20)!];
    want.days[2].levels = [levelOf(30)!];
    expect(p[0]).toStrictEqual({ version: 1, forecastId: 0, signedBy: 'lead', signedAt: T0 + 9000, reason: null, forecast: want });
    expect(r.applied.publication).toStrictEqual(p[0]);
    expect(r.applied.changes).toStrictEqual([{ path: 'state', before: 'open', after: 'published' }]);
    expect(r.applied.state).toBe('published');
    // the draft itself is what the lead wrote
    expect(r.doc.official).toStrictEqual(d.official);

    const s = r.doc;
    expect(refused(s, set('official.text', 'late', 0), lead).refusal).toBe('locked');
    expect(refused(s, set('proposals.alice.days.0.aqi', [1, 2], s.revs['proposals.alice.days.0.aqi'].rev), alice).refusal).toBe('locked');
    expect(refused(s, set('proposals.bob.text', 'late'), bob).refusal).toBe('locked');
    expect(refused(s, adopt({ guidance: 'cams' }), lead).refusal).toBe('locked');
    expect(refused(s, sign(s.seq), lead).refusal).toBe('locked');
    // a lock does not hide who may not: forbidden stays forbidden
    expect(refused(s, set('official.text', 'late', 0), alice).refusal).toBe('forbidden');
  });

  it('a range over two adjacent levels publishes both; one level publishes one', () => {
    let d = signable();
    d = ok(d, set('official.days.0.levels', [], d.revs['official.days.0.levels'].rev), lead).doc;
    d = ok(d, set('official.days.0.aqi', [80, 140], d.revs['official.days.0.aqi'].rev), lead).doc;
    const f = ok(d, sign(d.seq), lead).doc.published[0].forecast;
    expect(f.days.map((x) => x.levels)).toEqual([[levelOf(80), levelOf(140)], [levelOf(45)], [levelOf(50)]]);
  });

  it('reopen -> correcting; a correction needs a reason and becomes version 2', () => {
    let d = signable();
    expect(refused(d, reopen(), lead).refusal).toBe('invalid'); // open: nothing to reopen
    d = ok(d, sign(d.seq), lead).doc;
    expect(refused(d, reopen(), alice).refusal).toBe('forbidden');
    const r = ok(d, reopen('D+2 typo'), lead);
    expect(r.doc.state).toBe('correcting');
    expect(r.applied.changes).toStrictEqual([{ path: 'state', before: 'published', after: 'correcting' }]);
    d = r.doc;
    expect(refused(d, reopen(), lead).refusal).toBe('invalid'); // correcting: already reopened
    // the draft is the lead's again; the proposals stay closed
    expect(refused(d, set('proposals.alice.text', 'again'), alice).refusal).toBe('locked');
    d = ok(d, set('official.days.1.aqi', [25, 48], d.revs['official.days.1.aqi'].rev), lead).doc;
    const none = refused(d, sign(d.seq), lead);
    expect(none.refusal).toBe('invalid');
    expect(none.message).toMatch(/reason/);
    expect(refused(d, sign(d.seq, '   '), lead).refusal).toBe('invalid');
    const v2 = ok(d, sign(d.seq, '  D+2 range corrected '), lead2, T0 + 20_000);
    expect(v2.doc.state).toBe('published');
    expect(v2.doc.published.map((p) => p.version)).toEqual([1, 2]);
    expect(v2.doc.published[1]).toMatchObject({ version: 2, signedBy: 'lead2', signedAt: T0 + 20_000, reason: 'D+2 range corrected' });
    expect(v2.doc.published[1].forecast.days[1].aqi).toEqual([25, 48]);
    expect(v2.doc.published[0].forecast.days[1].aqi).toEqual([20, 45]);
    expect(v2.applied.changes).toStrictEqual([{ path: 'state', before: 'correcting', after: 'published' }]);
  });

  it('version 1 keeps a reason when one is given (trimmed)', () => {
    const d = signable();
    expect(ok(d, sign(d.seq, ' early issue '), lead).doc.published[0].reason).toBe('early issue');
  });
});

describe('adopt', () => {
  function withProposals(): ConsultDoc {
    return chain(start(), [
      [set('proposals.alice.days.0.aqi', [80, 120]), alice],
      [set('proposals.alice.days.0.primary', ['pm25']), alice],
      [set('proposals.alice.days.1.segments.afternoon', { aqi: [110, 140], primary: ['o3'] }), alice],
      [set('proposals.alice.trend.2.levels', [2, 3]), alice],
      [set('proposals.alice.text', '静稳 stagnant'), alice],
      [set('proposals.alice.warning', { level: 'yellow', rule: '2024:yellow:x' }), alice],
      [set('proposals.bob.days.0.aqi', [100, 150]), bob],
      [set('proposals.bob.days.0.primary', ['pm25', 'o3']), bob],
      [set('proposals.bob.text', 'cold front D+3'), bob],
      [set('official.text', '静稳 stagnant'), lead],
    ]);
  }
  const ALICE_FIELDS = ['days.0.aqi', 'days.0.primary', 'days.1.segments.afternoon', 'trend.2.levels', 'text', 'warning'];

  it('from a proposal: every field copied; the changes name only the fields that differ, each at the new revision', () => {
    const d = withProposals();
    const r = ok(d, adopt({ proposal: 'alice' }), lead, T0 + 7000);
    expect(r.doc.official).toStrictEqual(d.proposals.alice);
    // the official text was already alice's: not a change
    const differing = ALICE_FIELDS.filter((f) => f !== 'text');
    expect(r.applied.changes.map((c) => c.path).sort()).toEqual(differing.map((f) => `official.${f}`).sort());
    for (const c of r.applied.changes) {
      const f = c.path.slice('official.'.length);
      expect(c.before).toStrictEqual(getField(emptyForecast(ISSUE), f));
      expect(c.after).toStrictEqual(getField(d.proposals.alice, f));
      expect(r.doc.revs[c.path]).toStrictEqual({ rev: r.applied.seq, by: 'lead', at: T0 + 7000 });
    }
    expect(r.doc.revs['official.text'].rev).toBe(d.revs['official.text'].rev);
    expect(r.doc.seq).toBe(d.seq + 1);
    // adopting what is already there
    const again = refused(r.doc, adopt({ proposal: 'alice' }), lead);
    expect(again.refusal).toBe('invalid');
    expect(again.message).toMatch(/already/);
  });

  it('an adopted field over which a lead then writes is a conflict for the lead who read the older revision', () => {
    const d = withProposals();
    const a = ok(d, adopt({ proposal: 'bob' }), lead).doc;
    const r = refused(a, set('official.days.0.aqi', [90, 130], 0), lead2);
    expect(r.current).toStrictEqual({ path: 'official.days.0.aqi', value: [100, 150], rev: a.seq });
  });

  it('the average of two proposals is averageForecasts of them', () => {
    const d = withProposals();
    const r = ok(d, adopt({ average: ['alice', 'bob'] }), lead);
    const want = averageForecasts([d.proposals.alice, d.proposals.bob]);
    expect(r.doc.official).toStrictEqual(want);
    // and a value worked out by hand: day 1 AQI = rounded means of lows and highs
    expect(r.doc.official.days[0].aqi).toEqual([Math.round((80 + 100) / 2), Math.round((120 + 150) / 2)]);
    expect(refused(r.doc, adopt({ average: ['alice', 'bob'] }), lead).refusal).toBe('invalid');
  });

  it('a guidance source is guidanceToForecast of its days', () => {
    const d = withProposals();
    const r = ok(d, adopt({ guidance: 'cams' }), lead);
    expect(r.doc.official).toStrictEqual(guidanceToForecast(GUIDANCE[0].days, ISSUE));
    expect(r.doc.official.days[0].aqi).toEqual(GUIDANCE[0].days[0].aqi);
    expect(r.doc.official.trend[3].levels).toEqual(GUIDANCE[0].days[6].levels);
    // a source covering only D+1..D+3: the trend stays as the official had it
    const s = ok(r.doc, adopt({ guidance: 'airdesk' }), lead).doc;
    expect(s.official.days[2].aqi).toEqual([20, 45]);
    expect(s.official.days[2].primary).toEqual([]);
  });

  it('an unknown proposal or source is refused, naming it; so are names of Object.prototype members', () => {
    const d = withProposals();
    const cases: [Extract<ConsultOp, { kind: 'adopt' }>['from'], string][] = [
      [{ proposal: 'carol' }, 'carol'],
      [{ average: ['alice', 'carol', 'dave'] }, 'carol, dave'],
      [{ guidance: 'ecmwf' }, 'ecmwf'],
      [{ proposal: 'constructor' }, 'constructor'],
      [{ proposal: '__proto__' }, '__proto__'],
      [{ average: ['toString'] }, 'toString'],
      [{ guidance: 'toString' }, 'toString'],
    ];
    for (const [from, name] of cases) {
      const r = refused(d, adopt(from), lead);
      expect(r.refusal).toBe('invalid');
      expect(r.message).toContain(name);
    }
  });

  it('only a lead adopts', () => {
    const d = withProposals();
    expect(refused(d, adopt({ proposal: 'alice' }), alice).refusal).toBe('forbidden');
    expect(refused(d, adopt({ guidance: 'cams' }), viewer).refusal).toBe('forbidden');
  });
});

describe('comments', () => {
  it('ids go up from 1; text trimmed; replies and refs kept', () => {
    let d = start();
    const r1 = ok(d, comment('  CAMS looks high for D+2  '), alice, T0 + 100);
    expect(r1.applied.comment).toStrictEqual({ id: 1, by: 'alice', at: T0 + 100, text: 'CAMS looks high for D+2', replyTo: null, ref: null });
    expect(r1.applied.changes).toEqual([]);
    d = r1.doc;
    d = ok(d, comment('agreed', { replyTo: 1, ref: { target: D(2), source: 'cams' } }), bob).doc;
    d = ok(d, comment('雾霾 D+7', { ref: { target: D(7) } }), lead).doc;
    d = ok(d, comment('D+1', { replyTo: 2, ref: { target: D(1) } }), alice).doc;
    expect(d.thread.map((c) => c.id)).toEqual([1, 2, 3, 4]);
    expect(d.thread.map((c) => c.by)).toEqual(['alice', 'bob', 'lead', 'alice']);
    expect(d.thread[1]).toMatchObject({ replyTo: 1, ref: { target: D(2), source: 'cams' } });
    expect(d.seq).toBe(4);
  });

  it('refusals: a reply to nothing, a target outside D+1..D+7, an unknown source, an empty text, a reader', () => {
    const d = ok(start(), comment('first'), alice).doc;
    const inval: [ConsultOp, RegExp][] = [
      [comment('re', { replyTo: 2 }), /2/],
      [comment('re', { replyTo: 99 }), /99/],
      [comment('x', { ref: { target: ISSUE } }), new RegExp(ISSUE)],
      [comment('x', { ref: { target: D(-1) } }), new RegExp(D(-1))],
      [comment('x', { ref: { target: D(8) } }), new RegExp(D(8))],
      [comment('x', { ref: { source: 'ecmwf' } }), /ecmwf/],
      [comment('x', { ref: { target: D(2), source: 'nope' } }), /nope/],
      [comment('   \n\t  '), /empty/],
      [comment(' '), /empty/],
    ];
    for (const [op, why] of inval) {
      const r = refused(d, op, alice);
      expect(r.refusal).toBe('invalid');
      expect(r.message).toMatch(why);
    }
    expect(refused(d, comment('hello'), viewer).refusal).toBe('forbidden');
    // the edges of D+1..D+7 are inside
    expect(ok(d, comment('x', { ref: { target: D(1) } }), alice).doc.thread).toHaveLength(2);
    expect(ok(d, comment('x', { ref: { target: D(7) } }), alice).doc.thread).toHaveLength(2);
  });
});

describe('noteDeadline', () => {
  it('reminds once and notes the miss once, as system ops that replay', () => {
    const d0 = start();
    const rem = noteDeadline(d0, 'remind', T0 + 1000)!;
    expect(rem).not.toBeNull();
    expectValid(rem.doc);
    expect(Value.Errors(AppliedOp, rem.applied).First()).toBeUndefined();
    expect(rem.doc.remindedAt).toBe(T0 + 1000);
    expect(rem.doc.missedAt).toBeNull();
    expect(rem.applied).toMatchObject({ seq: 1, kind: 'remind', by: SYSTEM, at: T0 + 1000, state: 'open' });
    expect(d0.remindedAt).toBeNull();
    expect(noteDeadline(rem.doc, 'remind', T0 + 2000)).toBeNull();

    const mis = noteDeadline(rem.doc, 'missed', T0 + 3000)!;
    expectValid(mis.doc);
    expect(mis.doc).toMatchObject({ seq: 2, remindedAt: T0 + 1000, missedAt: T0 + 3000 });
    expect(noteDeadline(mis.doc, 'missed', T0 + 4000)).toBeNull();
    expect(noteDeadline(mis.doc, 'remind', T0 + 4000)).toBeNull();

    const wire = (a: AppliedOp) => JSON.parse(JSON.stringify(a)) as AppliedOp;
    const c1 = replay(d0, wire(rem.applied))!;
    expect(c1).toStrictEqual(rem.doc);
    expect(replay(c1, wire(mis.applied))).toStrictEqual(mis.doc);
    // a missed deadline does not stop the room: a late signature still applies
    let d = mis.doc;
    d = ok(d, adopt({ guidance: 'cams' }), lead).doc;
    expect(ok(d, sign(d.seq), lead).doc.state).toBe('published');
  });
});

describe('refreshInputs', () => {
  it('one system op with a change per input that differs; nothing when none does; replays', () => {
    const d0 = start();
    const observed = [{ day: addDays(d0.issueDay, -1), aqi: 140, level: 3, primary: ['pm25'] }];
    const scores = [{ source: 'cams', lead: 1, n: 10, levelHit: 0.6, rangeHit: 0.4 }];
    expect(refreshInputs(d0, { guidance: d0.guidance, observed: d0.observed, scores: d0.scores }, T0)).toBeNull();
    const r = refreshInputs(d0, { guidance: d0.guidance, observed, scores }, T0 + 5)!;
    expectValid(r.doc);
    expect(r.applied).toMatchObject({ seq: 1, kind: 'refresh', by: SYSTEM, at: T0 + 5 });
    expect(r.applied.opId.startsWith('~')).toBe(true);
    expect(r.applied.changes.map((c) => c.path)).toEqual(['observed', 'scores']);
    expect(r.doc.observed).toEqual(observed);
    expect(r.doc.scores).toEqual(scores);
    expect(d0.observed).not.toEqual(observed);
    expect(replay(d0, JSON.parse(JSON.stringify(r.applied)))).toStrictEqual(r.doc);
    // A refreshed room still takes people's ops on the next revision.
    expect(ok(r.doc, adopt({ guidance: 'cams' }), lead).doc.seq).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------

/** mulberry32: a small seeded PRNG, [0, 1). */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed whose sequence has every kind of op applied and every refusal code (asserted below; about
 *  half of seeds 1..60 do, and the replay matched the server on all 60). */
const SEED = 1;

describe('replay', () => {
  it('200 seeded random ops by 3 people: replaying the applied ones gives the server\'s document at every step', () => {
    const rnd = prng(SEED);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    // a few fields, so that the same field is hit often
    const FIELDS = ['days.0.aqi', 'days.0.levels', 'days.0.primary', 'days.1.aqi', 'days.1.primary', 'days.2.aqi', 'days.2.segments.night', 'trend.0.levels', 'text', 'process', 'warning'];
    const value = (field: string): unknown => {
      const leaf = field.split('.').pop()!;
      if (rnd() < 0.1) return leaf === 'text' ? 7 : 'garbage'; // invalid
      if (leaf === 'aqi') { const lo = int(0, 300); const u = rnd(); return u < 0.1 ? [lo + 10, lo] : u < 0.2 ? null : [lo, lo + int(0, 160)]; }
      if (leaf === 'levels') { const l = int(1, 5); return pick([[l], [l, l + 1], [], [l, l + 2]]); }
      if (leaf === 'primary') return pick([[], ['pm25'], ['o3'], ['pm25', 'pm10'], ['pm25', 'pm25']]);
      if (leaf === 'night') { const lo = int(0, 200); return pick([null, { aqi: [lo, lo + int(0, 60)], primary: ['pm25'] }]); }
      if (leaf === 'text') return pick(['', 'stagnant', '冷空气 D+3', 'x'.repeat(int(1, 50))]);
      if (leaf === 'process') { const a = int(1, 7); const b = int(1, 7); return pick([null, { start: D(a), end: D(b), area: 'north', driver: pick(DRIVERS), pollutant: 'pm25' }]); }
      return pick([null, { level: pick(['yellow', 'orange', 'red']), rule: '2024:x' }]);
    };
    const people = [alice, bob, lead];
    const doc0 = start();
    let doc = doc0;
    const history: { applied: AppliedOp; doc: ConsultDoc }[] = [];
    const refusals: Record<string, number> = {};
    const kinds: Record<string, number> = {};
    let at = T0;
    for (let i = 0; i < 200; i++) {
      at += int(1, 5000);
      if (i === 120 || i === 185) {
        const n = noteDeadline(doc, i === 120 ? 'remind' : 'missed', at)!;
        expectValid(n.doc);
        doc = n.doc;
        history.push({ applied: n.applied, doc });
        kinds[n.applied.kind] = (kinds[n.applied.kind] ?? 0) + 1;
        continue;
      }
      const who = pick(people);
      const u = rnd();
      const base = (path: string) => {
        const rev = doc.revs[path]?.rev ?? 0;
        return rnd() < 0.75 ? rev : int(0, Math.max(0, doc.seq));
      };
      const proposalSet = (): ConsultOp => {
        const owner = rnd() < 0.08 ? pick(people.filter((p) => p !== who)).name : who.name; // sometimes someone else's
        const path = rnd() < 0.04 ? `proposals.${owner}.days.0` : `proposals.${owner}.${pick(FIELDS)}`;
        return set(path, value(path), base(path));
      };
      const talk = (): ConsultOp => comment(pick(['ok', '  ', 'D+2 high?', '同意']), {
        ...(rnd() < 0.3 ? { replyTo: int(1, doc.thread.length + 2) } : {}),
        ...(rnd() < 0.3 ? { ref: pick([{ target: D(int(0, 8)) }, { source: pick(['cams', 'airdesk', 'nope']) }]) } : {}),
      });
      let op: ConsultOp;
      if (!who.canSign) {
        if (u < 0.06) op = pick([set('official.text', 'mine', doc.revs['official.text']?.rev ?? 0), adopt({ proposal: who.name }), sign(doc.seq)]);
        else if (u < 0.2) op = talk();
        else op = proposalSet();
      } else if (u < 0.35) {
        const path = `official.${pick(FIELDS)}`;
        op = set(path, value(path), base(path));
      } else if (u < 0.5) {
        op = adopt(pick<Extract<ConsultOp, { kind: 'adopt' }>['from']>([
          { proposal: 'alice' }, { proposal: 'bob' }, { proposal: 'carol' }, { average: ['alice', 'bob'] }, { guidance: 'cams' }, { guidance: 'cams' }, { guidance: 'ecmwf' },
        ]));
      } else if (u < 0.7 && i >= 110) {
        // signatures mostly from the middle on, so that the proposals are written to for a while first
        op = doc.state === 'published' ? (rnd() < 0.8 ? reopen() : sign(doc.seq)) : sign(rnd() < 0.8 ? doc.seq : int(0, doc.seq), rnd() < 0.5 ? 'correction' : undefined);
      } else if (u < 0.85) op = talk();
      else op = proposalSet();
      const r = run(doc, op, who, at);
      if (r.ok) {
        doc = r.doc;
        history.push({ applied: r.applied, doc });
        kinds[r.applied.kind] = (kinds[r.applied.kind] ?? 0) + 1;
      } else {
        refusals[r.refusal] = (refusals[r.refusal] ?? 0) + 1;
      }
    }

    // The sequence exercised what it is meant to (a seed that did not would make this test weak).
    for (const k of ['set', 'comment', 'adopt', 'sign', 'reopen', 'remind', 'missed']) expect(kinds[k] ?? 0, `applied ${k}`).toBeGreaterThan(0);
    for (const k of ['conflict', 'invalid', 'forbidden', 'locked', 'stale', 'incomplete']) expect(refusals[k] ?? 0, `refused ${k}`).toBeGreaterThan(0);
    expect(history.map((h) => h.applied.seq)).toEqual(history.map((_, i) => i + 1));
    expect(doc.seq).toBe(history.length);
    expect(history.length + Object.values(refusals).reduce((a, b) => a + b, 0)).toBe(200);

    // The client: the starting doc and every change as it arrives over the wire (JSON).
    let client = JSON.parse(JSON.stringify(doc0)) as ConsultDoc;
    for (const h of history) {
      const next = replay(client, JSON.parse(JSON.stringify(h.applied)) as AppliedOp);
      expect(next, `replay of seq ${h.applied.seq}`).not.toBeNull();
      client = next!;
      expect(client).toStrictEqual(h.doc);
    }
    expect(client).toStrictEqual(doc);
    expectValid(client);
    // And the same with the op objects themselves (the server's own fold).
    expect(history.reduce<ConsultDoc>((d, h) => replay(d, h.applied)!, doc0)).toStrictEqual(doc);
  });

  it('a gap or a repeat returns null and leaves the document as it was', () => {
    const d0 = start();
    const r1 = ok(d0, set('proposals.alice.text', 'a'), alice);
    const r2 = ok(r1.doc, set('proposals.bob.text', 'b'), bob);
    const snapshot = structuredClone(d0);
    expect(replay(d0, r2.applied)).toBeNull(); // seq 1 skipped
    expect(d0).toStrictEqual(snapshot);
    const c1 = replay(d0, r1.applied)!;
    expect(replay(c1, r1.applied)).toBeNull(); // seq 1 again
    expect(replay(c1, r2.applied)).toStrictEqual(r2.doc);
    expect(replay(d0, { ...r1.applied, seq: 0 })).toBeNull();
  });
});
