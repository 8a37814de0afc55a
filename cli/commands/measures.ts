/**
 * `airdesk measures evaluate --files FILES... --pollutant pm25 --window YYYY-MM-DD..YYYY-MM-DD
 * [--exclude WINDOW...] [--lag-days N] [--background FILES...] [--json]`: did a measure work?
 * Observed vs the weather-adjusted counterfactual (common/measures/evaluate.ts) with its interval,
 * placebo false-positive rate, training-range check and the naive comparisons, ending with
 * `RESULT effect_pct=F ci_low_pct=F ci_high_pct=F placebo_false_positive=F`.
 * Files are read as the forecast hindcast reads them (cli/commands/forecast.ts loadPoints: CNEMC/
 * quotsoft wide CSVs for pollutants, UCI PRSA CSVs for pollutants and meteorology); a file that
 * cannot be read is an error, not a silent gap.
 */
import type { Command } from 'commander';
import { cityHistory, type CityHistory } from '#common/forecast/history.ts';
import { evaluateMeasure, resultLine, type DayWindow, type EvalPollutant, type EvaluationResult } from '#common/measures/evaluate.ts';
import { HOUR_MS, beijingDayOfHourEnd } from '#common/time.ts';
import { loadPoints } from './forecast.ts';

const POLLUTANTS: readonly EvalPollutant[] = ['pm25', 'pm10', 'no2', 'so2', 'co', 'o3'];

/** 'YYYY-MM-DD..YYYY-MM-DD' (Beijing days, inclusive) as a window; throws naming the option. */
export function parseWindow(s: string, name: string): DayWindow {
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(s.trim());
  const valid = (d: string) => !Number.isNaN(Date.parse(d)) && new Date(Date.parse(d)).toISOString().slice(0, 10) === d;
  if (!m || !valid(m[1]) || !valid(m[2]) || m[1] > m[2]) throw new Error(`${name} must be YYYY-MM-DD..YYYY-MM-DD (real days, first <= last), got '${s}'`);
  return { from: m[1], to: m[2] };
}

function intOption(s: string, name: string, lo: number, hi: number): number {
  const v = Number(s);
  if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`${name} must be an integer ${lo}..${hi}, got '${s}'`);
  return v;
}

/** The background history's pollutant aligned hour by hour with the city's (NaN where absent). */
function aligned(main: CityHistory, bg: CityHistory, k: EvalPollutant): Float64Array {
  const out = new Float64Array(main.hours).fill(NaN);
  for (let i = 0; i < main.hours; i++) {
    const j = Math.round((main.start + i * HOUR_MS - bg.start) / HOUR_MS);
    if (j >= 0 && j < bg.hours) out[i] = bg.q[k][j];
  }
  return out;
}

const p1 = (x: number | null | undefined) => (x === null || x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);
const n1 = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(1));

/** The evaluation as readable lines. */
export function summaryLines(r: EvaluationResult): string[] {
  const w = r.window;
  const out = [`${r.city} ${r.pollutant}: measure ${r.measureWindow.from}..${r.measureWindow.to}, evaluated ${r.evaluatedWindow.from}..${r.evaluatedWindow.to} (lag ${r.lagDays} d), model on ${r.model.trainingHours} hours without measures (CV R2 ${n1(r.model.cvR2 === null ? null : r.model.cvR2)}, NMB ${p1(r.model.cvNmb)})`];
  if (w) {
    out.push(`window: observed ${n1(w.observed)}, counterfactual ${n1(w.counterfactual)}, effect ${n1(w.effect)} (${n1(w.effectLow)}..${n1(w.effectHigh)}) = ${p1(w.pct)} (${p1(w.pctLow)}..${p1(w.pctHigh)}) at ${Math.round(100 * r.level)}%, ${w.hours} hours`);
    out.push(`bootstrap: blocks of ${r.bootstrap.blockHours} h (residual e-folding ${r.bootstrap.efoldingHours} h), ${r.bootstrap.reps} draws, ${r.bootstrap.seasonal ? 'same-season blocks' : 'all-season blocks'}`);
    for (const d of r.days) out.push(`  ${d.day}  obs ${n1(d.observed).padStart(6)}  cf ${n1(d.counterfactual).padStart(6)}  ${p1(d.pct).padStart(7)} (${p1(d.pctLow)}..${p1(d.pctHigh)})`);
  }
  if (r.placebo) out.push(`placebo: ${r.placebo.windows} windows, false-positive rate ${p1(r.placebo.falsePositiveRate)} (same season: ${r.placebo.seasonalWindows} windows, ${p1(r.placebo.seasonalFalsePositiveRate)}), placebo effects median ${p1(r.placebo.medianPct)} sd ${p1(r.placebo.sdPct)}, |effect| as large in ${p1(r.placebo.asLargeShare)}`);
  const bad = r.trainingRange.checks.filter((c) => c.outside > 0.1);
  out.push(`training range: ${r.trainingRange.warning ? `WARNING, outside the training's central 99%: ${bad.map((c) => `${c.feature} ${p1(c.outside)} of hours`).join(', ')}` : 'window meteorology within what the model saw'}`);
  const b = r.beforeAfter;
  out.push(`${b.label}: before ${n1(b.beforeMean)}, during ${n1(b.during)}, after ${n1(b.afterMean)}, during vs before ${p1(b.pctVsBefore)}`);
  out.push(r.versusForecast ? `${r.versusForecast.label}: ${p1(r.versusForecast.pct)} over ${r.versusForecast.days} days` : 'versus forecast: no forecast given');
  out.push(`verdict: ${r.verdict.en}`, `结论：${r.verdict.zh}`);
  return out;
}

export function register(program: Command): void {
  const ms = program.command('measures').description('emergency and control measures: evaluation against a weather-adjusted counterfactual');
  ms.command('evaluate')
    .description('effect of a measure window: observed vs a model trained on the days without measures (meteorology, calendar, background)')
    .requiredOption('--files <files...>', 'CNEMC/quotsoft wide or UCI PRSA CSVs (files or folders); meteorology from PRSA')
    .requiredOption('--window <from..to>', 'the measure\'s Beijing days, e.g. 2014-11-03..2014-11-12')
    .option('--pollutant <p>', `one of ${POLLUTANTS.join(', ')}`, 'pm25')
    .option('--exclude <windows...>', 'other periods with measures to keep out of training and placebos')
    .option('--lag-days <n>', 'evaluate the window shifted by n days (measures that take time to bite)', '0')
    .option('--background <files...>', 'neighbouring cities\' CSVs: their mean is the regional background input')
    .option('--city <name>', 'city the files describe', 'beijing')
    .option('--min-stations <n>', 'stations needed for a city pollutant hour', '6')
    .option('--seed <n>', 'seed of the model, bootstrap and placebo draw', '1')
    .option('--placebos <n>', 'placebo windows', '100')
    .option('--rounds <n>', 'boosting rounds of each model (fewer = faster, rougher)', '200')
    .option('--json', 'print the JSON document, then the RESULT line')
    .action((o: { files: string[]; window: string; pollutant: string; exclude?: string[]; lagDays: string; background?: string[]; city: string; minStations: string; seed: string; placebos: string; rounds: string; json?: boolean }) => {
      if (!POLLUTANTS.includes(o.pollutant as EvalPollutant)) throw new Error(`--pollutant must be one of ${POLLUTANTS.join(', ')}, got '${o.pollutant}'`);
      const pollutant = o.pollutant as EvalPollutant;
      const window = parseWindow(o.window, '--window');
      const exclude = (o.exclude ?? []).map((x) => parseWindow(x, '--exclude'));
      const lagDays = intOption(o.lagDays, '--lag-days', 0, 7);
      const minStations = intOption(o.minStations, '--min-stations', 1, 1000);
      const seed = intOption(o.seed, '--seed', 0, 2 ** 31 - 1);
      const placebos = intOption(o.placebos, '--placebos', 0, 1000);
      const rounds = intOption(o.rounds, '--rounds', 1, 5000);
      const loaded = loadPoints(o.files, o.city);
      for (const n of loaded.notes) console.error(`note: ${n}`);
      const hist = cityHistory(loaded.points, o.city, { minStations });
      let background: Float64Array | null = null;
      if (o.background) {
        const bl = loadPoints(o.background, 'background');
        for (const n of bl.notes) console.error(`note: ${n}`);
        background = aligned(hist, cityHistory(bl.points, 'background', { minStations: 1 }), pollutant);
      }
      const first = beijingDayOfHourEnd(hist.start);
      const last = beijingDayOfHourEnd(hist.start + (hist.hours - 1) * HOUR_MS);
      if (window.to < first || window.from > last) throw new Error(`--window ${window.from}..${window.to} is outside the files' days ${first}..${last}`);
      let r: EvaluationResult;
      try {
        r = evaluateMeasure({ hist, pollutant, window, exclude, lagDays, background }, { seed, placebos, gbm: { rounds } });
      } catch (e) {
        if (e instanceof RangeError) throw new Error(`cannot evaluate: ${e.message}`);
        throw e;
      }
      if (o.json) console.log(JSON.stringify(r));
      else for (const l of summaryLines(r)) console.log(l);
      console.log(resultLine(r));
    });
}
