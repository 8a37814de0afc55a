/**
 * `airdesk forecast hindcast --train FILES... --test FILES... [--issue-hour 16] [--leads 1,2,3]
 * [--met observed|none] [--json]`: train the guidance forecast (common/forecast) on the training
 * files only, issue a forecast for every day of the test files from the data up to the issue hour,
 * and verify it with persistence and climatology (common/verification). Files are read as the
 * importer reads them (gateway/import/read.ts: gzip, GBK, HTML pages, empty files), CNEMC/quotsoft
 * wide CSVs through common/episodes/import.ts wideToPoints and UCI PRSA CSVs through
 * common/formats/prsa.ts (common/forecast/points.ts keeps their pollutants and meteorology).
 * A file that cannot be read is an error (a hindcast silently missing a year would mislead).
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { wideToPoints } from '#common/episodes/import.ts';
import type { HourlyPoint } from '#common/episodes/types.ts';
import { cityHistory, historyDays, type CityHistory } from '#common/forecast/history.ts';
import { hindcast, resultLine, type HindcastResult } from '#common/forecast/hindcast.ts';
import { prsaHistoryPoints } from '#common/forecast/points.ts';
import { beijingDayOfHourEnd } from '#common/time.ts';
import { expandPaths, readArchiveFile, skipNote } from '../../gateway/import/read.ts';

export interface Loaded {
  points: HourlyPoint[];
  files: number;
  notes: string[];
}

/** Read the files (folders expanded) into station points; throws with the file and the reason for
 *  any file that is not a readable CNEMC wide or PRSA CSV. */
export function loadPoints(paths: readonly string[], city: string): Loaded {
  const files = expandPaths(paths);
  if (files.length === 0) throw new Error('no files given');
  const points: HourlyPoint[] = [];
  const notes: string[] = [];
  for (const f of files) {
    const r = readArchiveFile(f);
    if (!r.ok) throw new Error(`${f}: ${skipNote(r)}`);
    if (r.format === 'cnemc-wide') {
      const w = wideToPoints(r.text, city);
      for (const p of w.points) points.push(p);
      if (w.rejects) notes.push(`${f}: ${w.rejects} malformed rows skipped`);
      if (w.ceilings) notes.push(`${f}: ${w.ceilings} suspect ceiling values dropped`);
    } else {
      const p = prsaHistoryPoints(r.text, city);
      for (const x of p.points) points.push(x);
      if (p.rejects) notes.push(`${f}: ${p.rejects} malformed rows skipped (${p.rejectSamples.join('; ')})`);
      if (p.ceilings) notes.push(`${f}: ${p.ceilings} suspect ceiling values dropped`);
    }
  }
  if (points.length === 0) throw new Error(`${files.length} files hold no station-hours`);
  return { points, files: files.length, notes };
}

/** 'FROM..TO' (Beijing days, inclusive) -> a filter on points by the day of their hour end. */
function parsePeriod(s: string | undefined, name: string): ((p: HourlyPoint) => boolean) | null {
  if (s === undefined) return null;
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(s.trim());
  if (!m || Number.isNaN(Date.parse(m[1])) || Number.isNaN(Date.parse(m[2])) || m[1] > m[2]) throw new Error(`${name} must be YYYY-MM-DD..YYYY-MM-DD (first <= last)`);
  const [from, to] = [m[1], m[2]];
  return (p) => { const d = beijingDayOfHourEnd(p.time); return d >= from && d <= to; };
}

function parseLeads(s: string): number[] {
  const leads = s.split(',').map((x) => Number(x.trim()));
  if (!leads.length || leads.some((l) => !Number.isInteger(l) || l < 1 || l > 7)) throw new Error('--leads must be a comma-separated list of days 1..7, e.g. 1,2,3');
  if (new Set(leads).size !== leads.length) throw new Error('--leads has a day twice');
  return leads.sort((a, b) => a - b);
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '   -' : `${(100 * x).toFixed(1).padStart(5)}%`);
const num = (x: number | null | undefined, d = 1) => (x === null || x === undefined ? '-' : x.toFixed(d));

/** The verification as a few readable lines per lead. */
export function summaryLines(r: HindcastResult): string[] {
  const out = [`${r.city}: trained on ${r.train.first}..${r.train.last} (${r.train.issueDays} issue days), tested on ${r.test.first}..${r.test.last} (${r.test.issueDays} issue days), issue hour ${r.issueHour}, met ${r.met}${r.note ? ` (${r.note})` : ''}`];
  out.push('lead source       n  single-level  levels(<=2)  range-hit width  +-1lvl  primary  CSI>100  CSI>200  off-by-2  RMSE   r');
  for (const [lead, bySrc] of Object.entries(r.verification)) {
    for (const [src, v] of Object.entries(bySrc)) {
      out.push(`${lead.padEnd(4)} ${src.padEnd(12)} ${String(v.n).padStart(3)}  ${pct(v.centralLevelAccuracy.rate)}        ${pct(v.levelAccuracy.rate)}       ${pct(v.rangeHit.rate)} ${num(v.rangeHit.meanWidth).padStart(5)}  ${pct(v.withinOneLevel.rate)}  ${pct(v.primaryAccuracy.rate)}  ${num(v.exceed100.csi, 2).padStart(7)}  ${num(v.heavy200.csi, 2).padStart(7)}  ${String(v.offByTwo.hits).padStart(8)}  ${num(v.aqi.rmse).padStart(5)} ${num(v.aqi.r, 2)}`);
    }
  }
  return out;
}

export function register(program: Command): void {
  const fc = program.command('forecast').description('guidance forecast: hindcast on history (training, issue, verification)');
  fc.command('hindcast')
    .description('train on --train files, forecast every day of --test files from data up to the issue hour, verify against observations')
    .requiredOption('--train <files...>', 'CNEMC/quotsoft wide or UCI PRSA CSVs (files or folders) to train on')
    .requiredOption('--test <files...>', 'CSVs of the period to forecast and verify')
    .option('--issue-hour <h>', 'issue time, Beijing hour label (16 = data up to 16:00)', '16')
    .option('--leads <list>', 'lead days', '1,2,3')
    .option('--met <mode>', 'observed (perfect prog: target-day weather as observed) or none', 'observed')
    .option('--train-period <from..to>', 'only the training files\' days in this period, e.g. 2013-03-01..2014-12-31')
    .option('--test-period <from..to>', 'only the test files\' days in this period, e.g. 2015-01-01..2015-12-31')
    .option('--city <name>', 'city the files describe', 'beijing')
    .option('--min-stations <n>', 'stations needed for a city pollutant hour', '6')
    .option('--save-model <file>', 'write the trained model (JSON) to this file')
    .option('--json', 'print the JSON document (forecasts and verification), then the RESULT line')
    .action((o: { train: string[]; test: string[]; issueHour: string; leads: string; met: string; city: string; minStations: string; saveModel?: string; json?: boolean; trainPeriod?: string; testPeriod?: string }) => {
      const issueHour = Number(o.issueHour);
      if (!Number.isInteger(issueHour) || issueHour < 1 || issueHour > 23) throw new Error('--issue-hour must be an hour label 1..23');
      const leads = parseLeads(o.leads);
      if (o.met !== 'observed' && o.met !== 'none') throw new Error('--met must be observed or none');
      const minStations = Number(o.minStations);
      if (!Number.isInteger(minStations) || minStations < 1) throw new Error('--min-stations must be a positive integer');
      const inTrain = parsePeriod(o.trainPeriod, '--train-period');
      const inTest = parsePeriod(o.testPeriod, '--test-period');
      const train = loadPoints(o.train, o.city);
      const test = loadPoints(o.test, o.city);
      if (inTrain) train.points = train.points.filter(inTrain);
      if (inTest) test.points = test.points.filter(inTest);
      if (!train.points.length) throw new Error('no training station-hours in --train-period');
      if (!test.points.length) throw new Error('no test station-hours in --test-period');
      for (const n of [...train.notes, ...test.notes]) console.error(`note: ${n}`);
      const trainHist: CityHistory = cityHistory(train.points, o.city, { minStations });
      const testHist = cityHistory(test.points, o.city, { minStations });
      const full = cityHistory([...train.points, ...test.points], o.city, { minStations });
      const testDays = historyDays(testHist);
      let r: HindcastResult;
      try {
        r = hindcast({ train: trainHist, full, testDays }, { issueHour, leads, met: o.met });
      } catch (e) {
        if (e instanceof RangeError) throw new Error(`cannot train: ${e.message}`);
        throw e;
      }
      if (o.saveModel) writeFileSync(o.saveModel, JSON.stringify(r.model));
      if (o.json) {
        const { model: _model, ...doc } = r;
        console.log(JSON.stringify(doc));
      } else {
        for (const l of summaryLines(r)) console.log(l);
      }
      console.log(resultLine(r));
    });
}
