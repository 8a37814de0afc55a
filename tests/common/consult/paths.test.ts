/**
 * Field paths of the consultation document (common/consult/doc.ts parsePath): a person's name may
 * contain dots (records/users.ts allows lowercase letters, digits, '.', '_', '-'), so
 * 'proposals.wang.fang.days.0.aqi' is wang.fang's D+1 AQI range; garbage gives null.
 */
import { describe, expect, it } from 'vitest';
import { applyOp, FORECAST_FIELDS, openDoc, parsePath, valueAt } from '../../../common/consult/doc.ts';

describe('consultation field paths', () => {
  it('splits owner and field, names with dots included', () => {
    expect(parsePath('official.days.0.aqi')).toEqual({ owner: 'official', field: 'days.0.aqi' });
    expect(parsePath('proposals.fc-a.text')).toEqual({ owner: { proposal: 'fc-a' }, field: 'text' });
    expect(parsePath('proposals.wang.fang.days.2.o3_8h')).toEqual({ owner: { proposal: 'wang.fang' }, field: 'days.2.o3_8h' });
    expect(parsePath('proposals.a.b.c.trend.3.levels')).toEqual({ owner: { proposal: 'a.b.c' }, field: 'trend.3.levels' });
    expect(parsePath('proposals.li.na.days.1.segments.night')).toEqual({ owner: { proposal: 'li.na' }, field: 'days.1.segments.night' });
    for (const f of FORECAST_FIELDS) expect(parsePath(`proposals.x.y.${f}`)).toEqual({ owner: { proposal: 'x.y' }, field: f });
  });
  it('refuses what is not a field path', () => {
    for (const g of ['', 'proposals.', 'proposals.text', 'proposals..text', 'proposals.a.days.3.aqi', 'proposals.a.aqi', 'official.nope', 'officialx.text', `proposals.${'n'.repeat(65)}.text`, 'state']) {
      expect(parsePath(g), g).toBeNull();
    }
  });
  it('a person with a dotted name edits their own proposal, and only theirs', () => {
    const doc = { id: 1, ...openDoc({ city: 'Beijing', issueDay: '2026-12-02', kind: 'regular', cycle: 1, openedAt: 0, openedBy: 'airdesk', deadline: 1, guidance: [], observed: [], scores: [], warning: null }) };
    const me = { name: 'wang.fang', canEdit: true, canSign: false };
    const r = applyOp(doc, { kind: 'set', opId: 'op-00000001', path: 'proposals.wang.fang.days.0.aqi', value: [80, 110], base: 0 }, me, 5);
    expect(r.ok).toBe(true);
    if (r.ok) expect(valueAt(r.doc, 'proposals.wang.fang.days.0.aqi')).toEqual([80, 110]);
    const x = applyOp(doc, { kind: 'set', opId: 'op-00000002', path: 'proposals.wang.days.0.aqi', value: [80, 110], base: 0 }, me, 5);
    expect(x).toMatchObject({ ok: false, refusal: 'forbidden' });
  });
});
