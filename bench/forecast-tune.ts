/**
 * The tuning runs behind the guidance defaults (docs/forecast.md): hindcasts on a split of the
 * TRAINING years only (default train 2013-03-01..2014-02-28, validate 2014-03-01..2014-12-31), one
 * line per configuration. 2015 is never used here.
 *
 *   CONFIGS='[{}, {"quantiles": [0.2, 0.5, 0.8]}]' npx tsx bench/forecast-tune.ts
 *   SPLIT=2013-03-01..2014-02-28,2014-03-01..2014-12-31 CONFIGS='[{"met": "none"}]' npx tsx bench/forecast-tune.ts
 *
 * CONFIGS: a JSON array of GuidanceOptions (common/forecast/guidance.ts).
 */
import path from 'node:path';
import { loadPoints } from '../cli/commands/forecast.ts';
import { cityHistory, historyDays } from '../common/forecast/history.ts';
import { hindcast, resultLine } from '../common/forecast/hindcast.ts';
import { beijingDayOfHourEnd } from '../common/time.ts';

const DATA = process.env.BENCH_FORECAST_DATA ?? path.resolve(import.meta.dirname, '../../shared/data/prsa-beijing-2013-2015');
const [trainP, testP] = (process.env.SPLIT ?? '2013-03-01..2014-02-28,2014-03-01..2014-12-31').split(',').map((s) => s.split('..'));
const all = loadPoints([DATA], 'beijing').points;
const inP = (r: string[]) => (p: { time: number }) => { const d = beijingDayOfHourEnd(p.time); return d >= r[0] && d <= r[1]; };
const trainPts = all.filter(inP(trainP));
const testPts = all.filter(inP(testP));
const train = cityHistory(trainPts, 'beijing');
const full = cityHistory([...trainPts, ...testPts], 'beijing');
const testDays = historyDays(cityHistory(testPts, 'beijing'));
for (const c of JSON.parse(process.env.CONFIGS ?? '[{}]')) {
  const t0 = performance.now();
  const r = hindcast({ train, full, testDays }, c);
  const v = r.verification.d1.airdesk;
  console.log(JSON.stringify(c), `${((performance.now() - t0) / 1000).toFixed(1)}s`, resultLine(r),
    `aqi_in_range_d1=${v.rangeHit.rate?.toFixed(3)} pod200_d1=${v.heavy200.pod?.toFixed(2)} far200_d1=${v.heavy200.far?.toFixed(2)}`);
}
