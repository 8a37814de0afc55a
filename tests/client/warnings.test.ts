/**
 * client/src/lib/warnings.ts: the one reading of the warning state that every view shows, built
 * from real lifecycle states (common/episodes/warning-state.ts recommend/act, as the server keeps
 * them), so a recommendation never reads as a warning in force and both schemes are always there.
 */
import { describe, expect, it } from 'vitest';
import { act, emptyWarning, recommend, type CityWarning } from '#common/episodes/warning-state.ts';
import { recommendWarning, ruleText } from '#common/episodes/warning.ts';
import type { WarningState } from '#common/schemas/api.ts';
import { cityWarningView, leadText, ruleLabel } from '../../client/src/lib/warnings.ts';

const NOW = Date.UTC(2026, 11, 2, 4); // 2026-12-02 12:00 Beijing
/** The API row of a lifecycle state (server/services/episodes.ts row()). */
const row = (w: CityWarning): WarningState => ({
  city: w.city, scheme: w.scheme, level: w.recommended?.level ?? null, since: w.recommended?.since ?? null,
  reason: w.recommended?.rule.id ?? 'none', driver: w.recommended?.driving ?? null, basis: null, updated: NOW,
  status: w.status, recommended: w.recommended, inForce: w.inForce, liftDue: w.liftDue, history: w.history,
});
/** Both schemes recommended from forecast days (daily AQI), as the engine would. */
function fromForecast(prev: Record<'2018' | '2024', CityWarning>, aqis: number[], now = NOW) {
  const days = aqis.map((aqi, i) => ({ day: `2026-12-0${3 + i}`, aqi }));
  const out = {} as Record<'2018' | '2024', CityWarning>;
  for (const s of ['2018', '2024'] as const) out[s] = recommend(prev[s], recommendWarning(days, s), now, Date.UTC(2026, 11, 2, 16)).state;
  return out;
}
const empty = () => ({ '2018': emptyWarning('北京', '2018'), '2024': emptyWarning('北京', '2024') });

describe('cityWarningView', () => {
  it('a recommendation is a recommendation under both schemes, with its rule and lead time', () => {
    // 3 days > 200, one > 300: 2018 orange (3 days > 200 or 1 > 300), 2024 red (3 consecutive > 200 and 1 > 300).
    const w = fromForecast(empty(), [230, 310, 220]);
    const v = cityWarningView([row(w['2018']), row(w['2024'])], '北京');
    expect(v.key).toBe('2018:recommended:orange|2024:recommended:red');
    expect(v.inForce).toBe(false);
    expect(v.headline?.scheme).toBe('2024');
    expect(ruleLabel(v.schemes[0].rule, 'zh')).toBe(ruleText('2018-orange', 'zh'));
    // first forecast day starts 2026-12-03 00:00 Beijing = 12 h after NOW
    expect(v.schemes[1].leadHours).toBe(12);
    expect(leadText(12, 'zh')).toBe('提前 12 小时');
  });

  it('only an issued warning is in force; the forecast improving lifts it (auto lift rule) and every step keeps time, rule and who', () => {
    let w = fromForecast(empty(), [230, 310, 220]);
    const issued = act(w['2024'], { type: 'issue', level: 'red', by: '值班员', at: NOW + 60_000 });
    if ('error' in issued) throw new Error(issued.error);
    w = { ...w, '2024': issued.state };
    let v = cityWarningView([row(w['2018']), row(w['2024'])], '北京');
    expect(v.key).toBe('2018:recommended:orange|2024:in-force:red');
    expect(v.inForce).toBe(true);
    // A better forecast: no day over 150 -> no recommendation; the system lifts the red warning.
    w = fromForecast(w, [90, 80, 70], NOW + 3_600_000);
    v = cityWarningView([row(w['2018']), row(w['2024'])], '北京');
    expect(v.key).toBe('2018:none:none|2024:none:none');
    expect(v.headline).toBeNull();
    const steps = v.schemes[1].state!.history!.map((h) => [h.step, h.by, h.rule?.id ?? null]);
    expect(steps).toEqual([['recommended', 'system', '2024-red'], ['issued', '值班员', '2024-red'], ['recommendation-cleared', 'system', null], ['lifted', 'system', 'lift-forecast-below']]);
    expect(ruleLabel(v.schemes[1].state!.history![3].rule, 'zh')).toMatch(/^解除规则/);
    expect(ruleLabel(v.schemes[1].state!.history![3].rule, 'en')).toMatch(/^Lift rule/);
  });

  it('no rows: both schemes shown as none; another city is not this one', () => {
    const w = fromForecast(empty(), [230, 310, 220]);
    const other = { ...row(w['2018']), city: '天津' };
    expect(cityWarningView([], '北京').key).toBe('2018:none:none|2024:none:none');
    expect(cityWarningView([other], '北京').headline).toBeNull();
  });

  it('an unknown rule id says so in words instead of showing an id as a sentence', () => {
    expect(ruleLabel({ id: '2030-purple', params: {} }, 'zh')).toBe('规则 2030-purple');
    expect(ruleLabel({ id: 'manual', params: {} }, 'en')).toBe("a person's decision");
  });
});
