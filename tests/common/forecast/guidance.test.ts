import { describe, it, expect } from 'vitest';
import { cityHistory, dailyTable, dayValues, historyDays, at } from '../../../common/forecast/history.ts';
import { featureRow, issueTimeOf } from '../../../common/forecast/features.ts';
import { hindcast, resultLine } from '../../../common/forecast/hindcast.ts';
import { issueGuidance, trainGuidance, NO_MET_NOTE } from '../../../common/forecast/guidance.ts';
import { climatology, climatologyForecast, persistence } from '../../../common/forecast/references.ts';
import { beijingToUtc, HOUR_MS } from '../../../common/time.ts';
import { syntheticCity } from './synthetic.ts';

// Small models and the four statistics that decide the AQI here, so the file runs in seconds.
const FAST = {
  gbm: { rounds: 40, learningRate: 0.2, maxLeaves: 6 }, validShare: 0, refit: false,
  targets: ['pm25_24h', 'pm10_24h', 'o3_mda8', 'no2_24h'], medianOnly: [],
} as const;

describe('city history', () => {
  it('city value = mean of the stations with a value, needing minStations; wind averaged as vectors', () => {
    const t = beijingToUtc(2015, 1, 1, 10);
    const pts = [
      { city: 'c', station: 'A', time: t, values: { pm25: 100, ws: 2, wd: 0 } },
      { city: 'c', station: 'B', time: t, values: { pm25: 50, ws: 2, wd: 90 } },
      { city: 'c', station: 'A', time: t + HOUR_MS, values: { pm25: 80 } },
    ];
    const h = cityHistory(pts, 'c', { minStations: 2 });
    expect(h.hours).toBe(2);
    expect(at(h, 'pm25', t)).toBe(75);
    expect(at(h, 'pm25', t + HOUR_MS)).toBeNaN(); // one station of the two needed
    // north wind (from 0 deg) blows southward: v = -2; east wind (from 90) blows westward: u = -2
    expect(at(h, 'v', t)).toBeCloseTo(-1, 12);
    expect(at(h, 'u', t)).toBeCloseTo(-1, 12);
    expect(at(h, 'ws', t)).toBe(2);
  });
  it('daily values and AQI come from common/standards (24 h of PM2.5 80 -> AQI 107 under HJ 633-2012)', () => {
    const pts = Array.from({ length: 24 }, (_, k) => ({ city: 'c', station: 'A', time: beijingToUtc(2015, 1, 1, k + 1), values: { pm25: 80, pm10: 50, no2: 20, o3: 30 } }));
    const v = dayValues(cityHistory(pts, 'c', { minStations: 1 }), '2015-01-01');
    expect(v.input.pm25_24h).toBe(80);
    expect(v.aqi).toBe(107);
    expect(v.primary).toEqual(['pm25']);
    expect(v.complete).toBe(true);
  });
});

describe('features', () => {
  const { points } = syntheticCity('2014-01-01', 40);
  const h = cityHistory(points, 'synth', { minStations: 1 });
  const ctx = { hist: h, daily: dailyTable(h) };
  it('use nothing after the issue hour (met none), and only met_* features look at the target days (met observed)', () => {
    const issueDay = '2014-01-20';
    const t = issueTimeOf(issueDay, 16);
    // change every value after 16:00 of the issue day
    const later = points.map((p) => (p.time > t ? { ...p, values: Object.fromEntries(Object.entries(p.values).map(([k, v]) => [k, (v as number) * 3 + 7])) } : p));
    const h2 = cityHistory(later, 'synth', { minStations: 1 });
    const ctx2 = { hist: h2, daily: dailyTable(h2) };
    for (const lead of [1, 2, 3]) {
      expect(featureRow(ctx2, issueDay, 16, lead, 'none')).toEqual(featureRow(ctx, issueDay, 16, lead, 'none'));
      const a = featureRow(ctx, issueDay, 16, lead, 'observed');
      const b = featureRow(ctx2, issueDay, 16, lead, 'observed');
      const changed = a.filter(([, v], i) => v !== b[i][1]).map(([n]) => n);
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.every((n) => n.startsWith('met_'))).toBe(true);
    }
  });
  it('have the same names for every issue, and no met_ names without meteorology', () => {
    const names = (d: string, l: number, m: 'none' | 'observed') => featureRow(ctx, d, 16, l, m).map(([n]) => n);
    expect(names('2014-01-10', 1, 'observed')).toEqual(names('2014-01-30', 3, 'observed'));
    expect(names('2014-01-10', 1, 'none').some((n) => n.startsWith('met_'))).toBe(false);
  });
});

describe('guidance on a synthetic city (trained on 240 days, tested on the next 45)', () => {
  const { points } = syntheticCity('2014-01-01', 285);
  const trainPts = points.filter((p) => p.time <= beijingToUtc(2014, 8, 29, 0));
  const testPts = points.filter((p) => p.time > beijingToUtc(2014, 8, 29, 0));
  const train = cityHistory(trainPts, 'synth', { minStations: 1 });
  const full = cityHistory(points, 'synth', { minStations: 1 });
  const testDays = historyDays(cityHistory(testPts, 'synth', { minStations: 1 }));

  it('with perfect-prog meteorology beats persistence and climatology on the days it was not fitted to', () => {
    const r = hindcast({ train, full, testDays }, { ...FAST, met: 'observed' });
    expect(r.forecasts.length).toBe(r.test.issueDays * 3);
    for (const lead of ['d1', 'd2', 'd3']) {
      const v = r.verification[lead];
      expect(v.airdesk.aqi.rmse!).toBeLessThan(0.8 * v.persistence.aqi.rmse!);
      expect(v.airdesk.aqi.rmse!).toBeLessThan(0.8 * v.climatology.aqi.rmse!);
      expect(v.airdesk.centralLevelAccuracy.rate!).toBeGreaterThan(v.persistence.centralLevelAccuracy.rate!);
      expect(v.airdesk.skill.find((s) => s.reference === 'persistence')!.aqiRmse!).toBeGreaterThan(0.2);
    }
    for (const f of r.forecasts) {
      expect(f.levels.length === 1 || (f.levels.length === 2 && f.levels[1] === f.levels[0] + 1)).toBe(true);
      expect(f.aqi[0]).toBeLessThanOrEqual(f.central);
      expect(f.central).toBeLessThanOrEqual(f.aqi[1]);
      expect(f.primary.length > 0).toBe(f.central > 50);
    }
    expect(r.note).toBeNull();
    expect(resultLine(r)).toMatch(/^RESULT level_acc_d1=\d\.\d{3} range_hit_d1=\d\.\d{3} mean_width_d1=\d+\.\d csi200_d1=(\d\.\d{3}|NA) persistence_d1=\d\.\d{3} climatology_d1=\d\.\d{3} level_acc_d2=\d\.\d{3} level_acc_d3=\d\.\d{3}$/);
  });

  it('without meteorology still forecasts, says so, and is less accurate than with it', () => {
    const none = hindcast({ train, full, testDays }, { ...FAST, met: 'none', leads: [1] });
    const obs = hindcast({ train, full, testDays }, { ...FAST, met: 'observed', leads: [1] });
    expect(none.note).toBe(NO_MET_NOTE);
    expect(none.forecasts.length).toBe(none.test.issueDays);
    expect(none.verification.d1.airdesk.aqi.rmse!).toBeGreaterThan(obs.verification.d1.airdesk.aqi.rmse!);
  });

  it('is deterministic, and the model survives JSON', () => {
    const ctx = { hist: train, daily: dailyTable(train) };
    const days = historyDays(train).slice(5, -5);
    const a = trainGuidance(ctx, days, { ...FAST, leads: [1] });
    const b = trainGuidance(ctx, days, { ...FAST, leads: [1] });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const back = JSON.parse(JSON.stringify(a));
    expect(issueGuidance(back, ctx, '2014-06-01')).toEqual(issueGuidance(a, ctx, '2014-06-01'));
  });

  it('refuses to train on fewer than 30 days', () => {
    const ctx = { hist: train, daily: dailyTable(train) };
    expect(() => trainGuidance(ctx, historyDays(train).slice(0, 20))).toThrow(/20 training days/);
  });

  it('references: persistence repeats the last 24 h AQI for every lead; climatology is a day-of-year median', () => {
    const p = persistence(full, '2014-09-10', 16, [1, 2, 3]);
    expect(new Set(p.map((x) => x.central)).size).toBe(1);
    expect(p.map((x) => x.target)).toEqual(['2014-09-11', '2014-09-12', '2014-09-13']);
    const daily = dailyTable(train);
    const c = climatology(daily, [...daily.keys()], 15);
    const [f] = climatologyForecast(c, '2014-03-14', [1]); // target 03-15: days 02-28..03-30 of 2014
    const vals = [...daily.values()].filter((d) => d.day >= '2014-02-28' && d.day <= '2014-03-30').map((d) => d.input.pm25_24h!).sort((a, b) => a - b);
    const med = vals.length % 2 ? vals[vals.length >> 1] : (vals[vals.length / 2 - 1] + vals[vals.length / 2]) / 2;
    expect(f.conc.pm25_24h).toBeCloseTo(med, 9);
  });
});
