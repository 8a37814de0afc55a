/**
 * The live evaluation (common/measures/live.ts) on the synthetic city with a known effect, fed as
 * station points the way the server reads them from the store: a running measure's effect so far
 * is recovered inside its interval; too little history is a coded result naming N and M.
 */
import { describe, expect, it } from 'vitest';
import type { HourlyPoint } from '../../../common/episodes/types.ts';
import { liveEvaluation } from '../../../common/measures/live.ts';
import { HOUR_MS, beijingToUtc } from '../../../common/time.ts';
import { synthHistory } from './synthetic.ts';

const FAST = { rounds: 30, placebos: 30, reps: 200, seed: 1, minStations: 6 };

/** Six identical stations per hour (the city mean is the value), wind as speed and direction. */
function points(days: number, window: { from: string; to: string }, effect: number): HourlyPoint[] {
  const { hist } = synthHistory({ firstDay: '2014-10-01', days, seed: 8, effect, window });
  const out: HourlyPoint[] = [];
  for (let i = 0; i < hist.hours; i++) {
    const q = hist.q;
    const wd = ((Math.atan2(-q.u[i], -q.v[i]) * 180) / Math.PI + 360) % 360;
    const values = { pm25: q.pm25[i], temp: q.temp[i], rh: q.rh[i], pres: q.pres[i], ws: q.ws[i], wd, precip: q.precip[i] };
    for (let s = 0; s < 6; s++) out.push({ city: 'synth', station: `S${s}`, time: hist.start + i * HOUR_MS, values });
  }
  return out;
}

describe('liveEvaluation', () => {
  // 100 days from 2014-10-01; the measure runs from 2015-01-01 and "now" is 2015-01-08 12:00 Beijing.
  const window = { from: '2015-01-01', to: '2015-01-08' };
  const start = beijingToUtc(2014, 12, 31, 24); // 2015-01-01 00:00 Beijing
  const now = beijingToUtc(2015, 1, 8, 12);
  const cut = (ps: HourlyPoint[]) => ps.filter((p) => p.time <= now);

  it('recovers an injected -30% effect so far, inside its interval, and says it is distinguishable', () => {
    const r = liveEvaluation({ measureId: 1, city: 'synth', start, end: null, points: cut(points(100, window, -0.3)), others: [], now }, { ...FAST, minHistoryDays: 30 });
    expect(r.status).toBe('evaluated');
    expect(r.window).toEqual({ from: '2015-01-01', to: '2015-01-08' });
    expect(r.effect!.hours).toBe(7 * 24 + 12);
    expect(r.hours).toHaveLength(7 * 24 + 12);
    expect(r.effect!.pctLow).toBeLessThanOrEqual(-0.3);
    expect(r.effect!.pctHigh).toBeGreaterThanOrEqual(-0.3);
    expect(r.distinguishable).toBe(true);
    expect(r.verdict!.code).toBe('reduction');
    expect(r.en).toMatch(/^So far \(180 h\): PM2.5 was \d+% below/);
    expect(r.zh).toMatch(/^截至目前（180 小时）/);
    expect(r.history.days).toBe(92); // 100 days less the 8 of the window
    expect(r.dataUntil).toBe(now);
  });

  it('with no effect it does not claim one', () => {
    const r = liveEvaluation({ measureId: 1, city: 'synth', start, end: null, points: cut(points(100, window, 0)), others: [], now }, { ...FAST, minHistoryDays: 30 });
    expect(r.status).toBe('evaluated');
    expect(r.effect!.pctLow).toBeLessThan(0);
    expect(r.effect!.pctHigh).toBeGreaterThan(0);
    expect(r.distinguishable).toBe(false);
  });

  it('too little history: a coded result with N days and M needed, other measures not counted', () => {
    const ps = cut(points(100, window, -0.3));
    const other = { start: beijingToUtc(2014, 10, 31, 24), end: beijingToUtc(2014, 11, 30, 24) }; // Nov 1..Nov 30 (end day counted)
    const r = liveEvaluation({ measureId: 3, city: 'synth', start, end: null, points: ps, others: [other], now }, { ...FAST, minHistoryDays: 70 });
    expect(r).toMatchObject({ status: 'not-enough-history', code: 'MEASURE_NOT_ENOUGH_HISTORY', history: { days: 61, need: 70 }, effect: null, hours: [] });
    expect(r.en).toBe('Not enough history: 61 days without measures, need 70; no weather-adjusted evaluation yet.');
    expect(r.zh).toContain('61 天');
  });

  it('a measure with no data in its window yet says so', () => {
    const later = beijingToUtc(2015, 2, 1, 12);
    const r = liveEvaluation({ measureId: 4, city: 'synth', start: later, end: null, points: cut(points(100, window, 0)), others: [], now: later }, { ...FAST, minHistoryDays: 30 });
    expect(r).toMatchObject({ status: 'no-window-data', code: 'MEASURE_NO_WINDOW_DATA' });
  });
});
