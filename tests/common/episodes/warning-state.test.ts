/** Warning lifecycle (pure): recommended by the system, issued/changed/lifted by a person, the lift
 *  rule (auto / manual, hold hours), every step with time, rule and who. */
import { describe, expect, it } from 'vitest';
import { act, emptyWarning, recommend, recommendWarning, type WarningDay } from '#common/episodes/index.ts';

const H = 3_600_000;
const days = (text: string, first = 1): WarningDay[] =>
  text.split(' ').map((t, k) => ({ day: `2024-01-${String(first + k).padStart(2, '0')}`, aqi: Number(t), primary: ['pm25'] }));
const start = (d: number) => Date.UTC(2024, 0, d) - 8 * H; // Beijing midnight

describe('warning lifecycle', () => {
  it('a recommendation is not in force; a person issues; every step has time, rule and who', () => {
    const now = start(1) + 10 * H;
    const rec = recommendWarning(days('120 230 240 150', 1), '2018'); // 2 days > 200 -> yellow
    const r = recommend(emptyWarning('bj', '2018'), rec, now, start(2));
    expect(r.state).toMatchObject({ status: 'recommended', inForce: null, recommended: { level: 'yellow', leadHours: 14, from: '2024-01-02' } });
    expect(r.steps).toEqual([{ step: 'recommended', at: now, level: 'yellow', rule: { id: '2018-yellow', params: { conditions: [{ op: '>', aqi: 200, days: 2, consecutive: false }] } }, by: 'system' }]);
    const issued = act(r.state, { type: 'issue', level: 'yellow', by: '张工', at: now + H });
    if ('error' in issued) throw new Error(issued.error);
    expect(issued.state.status).toBe('in-force');
    expect(issued.step).toMatchObject({ step: 'issued', by: '张工', at: now + H, rule: { id: '2018-yellow' } });
    expect(act(issued.state, { type: 'issue', level: 'red', by: 'x', at: now })).toEqual({ error: 'warning.already-in-force' });
    expect(act(emptyWarning('bj', '2018'), { type: 'lift', by: 'x', at: now })).toEqual({ error: 'warning.not-in-force' });
  });

  it('auto lift: the forecast no longer meets the level -> downgraded, then lifted, by the system', () => {
    let w = recommend(emptyWarning('bj', '2018'), recommendWarning(days('310 320 230 240'), '2018'), 0, start(1)).state;
    const i = act(w, { type: 'issue', level: 'red', by: 'desk', at: 1 });
    if ('error' in i) throw new Error(i.error);
    w = i.state;
    // New forecast: two days > 200 -> yellow: the red in force is downgraded to yellow.
    const d = recommend(w, recommendWarning(days('230 240 120'), '2018'), 10 * H, start(1));
    expect(d.state.inForce).toMatchObject({ level: 'yellow', rule: { id: 'lift-forecast-below' } });
    expect(d.steps.map((s) => [s.step, s.level, s.by])).toEqual([['recommended', 'yellow', 'system'], ['changed', 'yellow', 'system']]);
    const l = recommend(d.state, recommendWarning(days('120 90 80'), '2018'), 20 * H, null);
    expect(l.state).toMatchObject({ status: 'none', inForce: null, recommended: null });
    expect(l.steps.map((s) => s.step)).toEqual(['recommendation-cleared', 'lifted']);
    expect(l.state.history.map((s) => s.step)).toEqual(['recommended', 'issued', 'recommended', 'changed', 'recommendation-cleared', 'lifted']);
  });

  it('hold hours: lifted only once the forecast has stayed below for holdHours', () => {
    const w0 = recommend(emptyWarning('bj', '2024'), recommendWarning(days('230'), '2024'), 0, start(1)).state;
    const i = act(w0, { type: 'issue', level: 'yellow', by: 'desk', at: 0 });
    if ('error' in i) throw new Error(i.error);
    const none = recommendWarning(days('100'), '2024');
    const lift = { mode: 'auto' as const, holdHours: 12 };
    const a = recommend(i.state, none, 1 * H, null, lift);
    expect(a.state.inForce?.level).toBe('yellow');
    const b = recommend(a.state, none, 12 * H, null, lift);
    expect(b.state.inForce?.level).toBe('yellow');
    const c = recommend(b.state, none, 13 * H, null, lift);
    expect(c.state.inForce).toBeNull();
  });

  it('manual lift: the state says the lift is due; a person lifts', () => {
    const w0 = recommend(emptyWarning('bj', '2024'), recommendWarning(days('230'), '2024'), 0, start(1)).state;
    const i = act(w0, { type: 'issue', level: 'yellow', by: 'desk', at: 0 });
    if ('error' in i) throw new Error(i.error);
    const a = recommend(i.state, recommendWarning(days('100'), '2024'), H, null, { mode: 'manual', holdHours: 0 });
    expect(a.state).toMatchObject({ status: 'in-force', liftDue: true, inForce: { level: 'yellow' } });
    const l = act(a.state, { type: 'lift', by: '李工', at: 2 * H, note: '会商解除' });
    if ('error' in l) throw new Error(l.error);
    expect(l.state).toMatchObject({ status: 'none', liftDue: false });
    expect(l.step).toMatchObject({ step: 'lifted', by: '李工', note: '会商解除' });
  });

  it('upgrades are never automatic: a higher recommendation waits for a person', () => {
    const w0 = recommend(emptyWarning('bj', '2018'), recommendWarning(days('230'), '2018'), 0, start(1)).state;
    const i = act(w0, { type: 'issue', level: 'blue', by: 'desk', at: 0 });
    if ('error' in i) throw new Error(i.error);
    const up = recommend(i.state, recommendWarning(days('310 320 230 240'), '2018'), H, start(1));
    expect(up.state).toMatchObject({ inForce: { level: 'blue' }, recommended: { level: 'red' } });
  });
});
