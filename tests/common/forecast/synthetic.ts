/**
 * A small synthetic city for the forecast tests: one station, hourly, where the daily PM2.5 level
 * is driven by the day's wind (accumulates in calm days, cleared by a north wind) and O3 by a
 * seasonal and diurnal cycle. The weather of a day is known only on that day, so a model that sees
 * the target day's weather (perfect prog) must beat persistence; one without it can still use the
 * accumulation memory. Deterministic (seeded).
 */
import type { HourlyPoint } from '../../../common/episodes/types.ts';
import { seededRandom } from '../../../common/ml/gbm.ts';
import { beijingToUtc } from '../../../common/time.ts';

export interface SyntheticDay {
  day: string;
  ws: number;
  pm: number;
}

export function syntheticCity(firstDay: string, days: number, seed = 1): { points: HourlyPoint[]; days: SyntheticDay[] } {
  const r = seededRandom(seed);
  const [y, m, d] = firstDay.split('-').map(Number);
  const points: HourlyPoint[] = [];
  const out: SyntheticDay[] = [];
  let pm = 60;
  let ws = 2;
  for (let k = 0; k < days; k++) {
    const date = new Date(Date.UTC(y, m - 1, d + k));
    const day = date.toISOString().slice(0, 10);
    // wind: persistent regimes with occasional fronts
    ws = r() < 0.25 ? 4 + 3 * r() : Math.max(0.5, 0.5 * ws + 1.5 * r());
    pm = Math.max(8, 0.65 * pm + 140 / (1 + ws * ws) + 25 * (r() - 0.5));
    out.push({ day, ws, pm });
    const season = Math.cos((2 * Math.PI * (k + 170)) / 365); // +1 mid-summer at k ~ 195 from Jan
    for (let h = 1; h <= 24; h++) {
      const diurnal = Math.sin((2 * Math.PI * (h - 9)) / 24);
      const pm25 = pm * (1 + 0.25 * Math.cos((2 * Math.PI * (h - 22)) / 24));
      points.push({
        city: 'synth', station: 'S1', time: beijingToUtc(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), h),
        values: {
          pm25, pm10: pm25 * 1.6, no2: 30 + 0.3 * pm25, so2: 8, co: 0.4 + pm25 / 250,
          o3: Math.max(2, 70 + 40 * season + 50 * diurnal * (1 + 0.5 * season) - 0.2 * pm25),
          temp: 12 + 14 * season + 5 * diurnal, rh: 50 + 30 / (1 + ws), pres: 1015 - 8 * season + (ws > 4 ? 6 : 0),
          ws: ws * (1 + 0.2 * diurnal), wd: ws > 4 ? 0 : 180, precip: 0,
        },
      });
    }
  }
  return { points, days: out };
}
