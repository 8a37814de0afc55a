/**
 * Guidance forecast costs on the real Beijing data (../shared/data/prsa-beijing-2013-2015, the
 * 12 PRSA stations, 2013-03..2015-12):
 *   1. training all models of the city (7 daily statistics x 3 leads, 3 quantiles for PM2.5, PM10,
 *      O3-8h, NO2 and a median for SO2, CO, O3 1-h) on every available day, met 'observed';
 *   2. issuing one forecast (D+1..D+3 from data up to 16:00), mean over 50 issue days;
 *   3. verifying one day for all sources (AirDesk, persistence, climatology; every metric of
 *      common/verification, for the three leads), mean over 200 repetitions.
 * Wall and CPU time are both printed: on a shared machine wall time includes waiting for a core.
 *
 *   npm run bench:forecast              # BENCH_FORECAST_DATA=<folder> for another PRSA folder
 *
 * Ends with: RESULT train_s=<wall> train_cpu_s=<cpu> issue_ms=<wall> verify_ms=<wall> rows=<n>
 * Targets (issue 16): train <= 30 s, issue <= 200 ms, verification <= 100 ms.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { loadPoints } from '../cli/commands/forecast.ts';
import { cityHistory, dailyTable, historyDays } from '../common/forecast/history.ts';
import { issueGuidance, trainGuidance } from '../common/forecast/guidance.ts';
import { climatology, climatologyForecast, persistence } from '../common/forecast/references.ts';
import { verifySources, type Pair } from '../common/verification/index.ts';

const DATA = process.env.BENCH_FORECAST_DATA ?? path.resolve(import.meta.dirname, '../../shared/data/prsa-beijing-2013-2015');
if (!existsSync(DATA)) {
  console.error(`bench:forecast: ${DATA} not found (set BENCH_FORECAST_DATA)`);
  process.exit(1);
}

function timed<T>(f: () => T): { v: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const v = f();
  const c = process.cpuUsage(c0);
  return { v, wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

console.log(`bench:forecast on ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
const load = timed(() => loadPoints([DATA], 'beijing'));
const hist = timed(() => cityHistory(load.v.points, 'beijing'));
const h = hist.v;
const daily = timed(() => dailyTable(h));
const ctx = { hist: h, daily: daily.v };
const days = historyDays(h).slice(1, -1);
console.log(`read ${load.v.files} files, ${load.v.points.length} station-hours: ${(load.wall / 1000).toFixed(1)} s; city history ${h.hours} hours ${(hist.wall / 1000).toFixed(1)} s; daily table ${days.length + 2} days ${(daily.wall / 1000).toFixed(1)} s`);

const train = timed(() => trainGuidance(ctx, days, { met: 'observed' }));
const model = train.v;
const nModels = Object.values(model.models).reduce((s, byLead) => s + byLead.reduce((a, q) => a + q.length, 0), 0);
console.log(`train: ${nModels} tree models, ${model.samples[0]} issue days x ${model.leads.length} leads, ${model.features.length} features: ${(train.wall / 1000).toFixed(1)} s wall, ${(train.cpu / 1000).toFixed(1)} s CPU (target <= 30 s)`);

const issueDays = days.filter((_, i) => i % Math.floor(days.length / 50) === 0).slice(0, 50);
const issue = timed(() => issueDays.map((d) => issueGuidance(model, ctx, d)));
const issueMs = issue.wall / issueDays.length;
console.log(`issue: one forecast (D+1..D+3) ${issueMs.toFixed(1)} ms wall, ${(issue.cpu / issueDays.length).toFixed(1)} ms CPU, mean of ${issueDays.length} (target <= 200 ms)`);

// One day's verification: every source's forecasts for one target day at each lead.
const clim = climatology(daily.v, [...daily.v.keys()]);
const target = days[days.length - 10];
const bySource: Record<string, Pair[]> = { airdesk: [], persistence: [], climatology: [] };
const obsDay = daily.v.get(target)!;
const observed = { aqi: obsDay.aqi, primary: obsDay.primary, conc: { pm25: obsDay.input.pm25_24h ?? null, pm10: obsDay.input.pm10_24h ?? null, o3_8h: obsDay.input.o3_mda8 ?? null, no2: obsDay.input.no2_24h ?? null } };
for (const lead of [1, 2, 3]) {
  const issued = days[days.indexOf(target) - lead];
  const g = issueGuidance(model, ctx, issued).find((x) => x.lead === lead)!;
  bySource.airdesk.push({ target, forecast: { ...g, conc: { pm25: g.conc.pm25_24h?.[1], pm10: g.conc.pm10_24h?.[1], o3_8h: g.conc.o3_mda8?.[1], no2: g.conc.no2_24h?.[1] } }, observed });
  const p = persistence(h, issued, 16, [lead])[0];
  bySource.persistence.push({ target, forecast: p, observed });
  const c = climatologyForecast(clim, issued, [lead])[0];
  bySource.climatology.push({ target, forecast: c, observed });
}
const REPS = 200;
const ver = timed(() => { let v; for (let k = 0; k < REPS; k++) v = verifySources(bySource); return v; });
const verifyMs = ver.wall / REPS;
console.log(`verify: one day, 3 sources x 3 leads, all metrics: ${verifyMs.toFixed(3)} ms wall, mean of ${REPS} (target <= 100 ms)`);
console.log(`RESULT train_s=${(train.wall / 1000).toFixed(1)} train_cpu_s=${(train.cpu / 1000).toFixed(1)} issue_ms=${issueMs.toFixed(1)} verify_ms=${verifyMs.toFixed(3)} rows=${model.samples[0]}`);
