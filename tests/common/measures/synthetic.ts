/**
 * A synthetic city for the measure-evaluation tests, built as a CityHistory directly: weather in
 * daily regimes (calm spells, fronts), PM2.5 driven by it (accumulates in calm humid spells, cleared
 * by wind) with a diurnal cycle, times a multiplicative AR(1) error (hourly rho 0.95: spells of
 * under- and over-prediction lasting about a day, like a real model's residuals), times (1 + effect)
 * inside an injected window. The model sees the weather but never the error, so the counterfactual
 * is imperfect the way a real one is. Deterministic (seeded).
 */
import type { CityHistory, HourlyKey } from '../../../common/forecast/history.ts';
import { HOURLY_KEYS } from '../../../common/forecast/history.ts';
import { seededRandom } from '../../../common/ml/gbm.ts';
import { HOUR_MS, beijingDayOfHourEnd, beijingToUtc } from '../../../common/time.ts';

export interface SynthOptions {
  firstDay?: string;
  days?: number;
  seed?: number;
  /** share change inside the window, e.g. -0.2 */
  effect?: number;
  window?: { from: string; to: string };
  /** sd of the log error (default 0.15) */
  noise?: number;
  /** override the weather inside the window (for the training-range test) */
  windowWeather?: { ws?: number; temp?: number };
}

export function synthHistory(o: SynthOptions = {}): { hist: CityHistory; truth: Float64Array } {
  const first = o.firstDay ?? '2014-01-01';
  const days = o.days ?? 365;
  const r = seededRandom(o.seed ?? 7);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const [y, m, d] = first.split('-').map(Number);
  const start = beijingToUtc(y, m, d, 1);
  const hours = days * 24;
  const q = {} as Record<HourlyKey, Float64Array>;
  for (const k of HOURLY_KEYS) q[k] = new Float64Array(hours).fill(NaN);
  const truth = new Float64Array(hours);
  const sd = o.noise ?? 0.15;
  const rho = 0.95;
  let z = 0;
  let ws = 2;
  let calm = 0;
  const w = o.window;
  for (let k = 0; k < days; k++) {
    ws = r() < 0.25 ? 4 + 3 * r() : Math.max(0.6, 0.5 * ws + 1.5 * r());
    const north = ws > 4;
    const season = Math.cos((2 * Math.PI * (k - 195)) / 365);
    for (let hh = 0; hh < 24; hh++) {
      const i = k * 24 + hh;
      const t = start + i * HOUR_MS;
      const day = beijingDayOfHourEnd(t);
      const inWin = w !== undefined && day >= w.from && day <= w.to;
      const diurnal = Math.sin((2 * Math.PI * (hh - 8)) / 24);
      let wsH = ws * (1 + 0.2 * diurnal);
      let temp = 12 + 14 * season + 5 * diurnal;
      if (inWin && o.windowWeather?.ws !== undefined) wsH = o.windowWeather.ws;
      if (inWin && o.windowWeather?.temp !== undefined) temp = o.windowWeather.temp;
      const rh = Math.min(100, 35 + 35 / (1 + wsH) + 5 * gauss());
      calm = 0.9 * calm + 0.1 * (1 / (1 + wsH * wsH)); // accumulation over about ten hours (a wind-run memory)
      q.ws[i] = wsH;
      q.temp[i] = temp;
      q.rh[i] = rh;
      q.pres[i] = 1015 - 8 * season + (north ? 6 : 0);
      q.u[i] = 0;
      q.v[i] = north ? -wsH : wsH;
      q.precip[i] = 0;
      z = rho * z + Math.sqrt(1 - rho * rho) * sd * gauss();
      const level = (15 + 500 * calm * (rh / 60)) * (1 + 0.25 * Math.cos((2 * Math.PI * (hh - 21)) / 24));
      truth[i] = level * Math.exp(z);
      q.pm25[i] = truth[i] * (inWin ? 1 + (o.effect ?? 0) : 1);
    }
  }
  return { hist: { city: 'synth', start, hours, q }, truth };
}
