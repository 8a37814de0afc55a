/**
 * `airdesk forecast hindcast` as an operator runs it (the real CLI in a child process) on a small
 * PRSA-format file written by the test from the synthetic city (tests/common/forecast/synthetic.ts),
 * bad input, and (when ../shared/data is present) a short hindcast on real Beijing data.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { syntheticCity } from './synthetic.ts';
import { HOUR_MS } from '../../../common/time.ts';
import { loadPoints } from '../../../cli/commands/forecast.ts';
import { cityHistory, historyDays } from '../../../common/forecast/history.ts';
import { hindcast } from '../../../common/forecast/hindcast.ts';
import { beijingDayOfHourEnd } from '../../../common/time.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');
const HEADER = 'No,year,month,day,hour,PM2.5,PM10,SO2,NO2,CO,O3,TEMP,PRES,DEWP,RAIN,wd,WSPM,station';

/** The synthetic city as a PRSA CSV (hour label = end of hour, CO in ug/m3 as PRSA writes it). */
function prsaText(first: string, days: number, skip: number): string {
  const { points } = syntheticCity(first, days + skip);
  const lines = [HEADER];
  let no = 1;
  for (const p of points.slice(skip * 24)) {
    const d = new Date(p.time + 8 * HOUR_MS);
    const v = p.values as Record<string, number>;
    lines.push([no++, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), v.pm25.toFixed(0), v.pm10.toFixed(0), v.so2.toFixed(0), v.no2.toFixed(0), (v.co * 1000).toFixed(0), v.o3.toFixed(0), v.temp.toFixed(1), v.pres.toFixed(1), (v.temp - 8).toFixed(1), 0, v.wd === 0 ? 'N' : 'S', v.ws.toFixed(1), '"Dongsi"'].join(','));
  }
  return lines.join('\n') + '\n';
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'airdesk-hindcast-'));
  const all = prsaText('2014-01-01', 58, 0).split('\n');
  // train: the first 48 days; test: the last 10 (the same station, the file split by day)
  const cut = 1 + 48 * 24;
  writeFileSync(path.join(dir, 'train.csv'), all.slice(0, cut).join('\n') + '\n');
  writeFileSync(path.join(dir, 'test.csv'), [HEADER, ...all.slice(cut)].join('\n'));
  writeFileSync(path.join(dir, 'page.csv'), '<html><body>502 Bad Gateway</body></html>\n');
  writeFileSync(path.join(dir, 'other.csv'), 'a,b,c\n1,2,3\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[]) => run('node', ['bin/airdesk.mjs', 'forecast', 'hindcast', ...args], { cwd: ROOT, maxBuffer: 64 << 20 });

describe('airdesk forecast hindcast (CLI)', () => {
  it('prints the JSON document and ends with the RESULT line', async () => {
    const { stdout } = await cli(['--train', path.join(dir, 'train.csv'), '--test', path.join(dir, 'test.csv'), '--min-stations', '1', '--leads', '1,2', '--json']);
    const lines = stdout.trim().split('\n');
    expect(lines.length).toBe(2);
    const doc = JSON.parse(lines[0]);
    expect(lines[1]).toMatch(/^RESULT level_acc_d1=\d\.\d{3} range_hit_d1=\d\.\d{3} mean_width_d1=\d+\.\d csi200_d1=(\d\.\d{3}|NA) persistence_d1=\d\.\d{3} climatology_d1=\d\.\d{3} level_acc_d2=\d\.\d{3}$/);
    expect(doc.city).toBe('beijing');
    expect(doc.test.issueDays).toBe(10);
    expect(doc.forecasts.length).toBe(20);
    const f = doc.forecasts[0];
    expect(Object.keys(f)).toEqual(['issued', 'target', 'lead', 'aqi', 'central', 'levels', 'primary', 'conc']);
    expect(f.issued).toBe('2014-02-18');
    expect(f.target).toBe('2014-02-19');
    expect(Object.keys(doc.verification)).toEqual(['d1', 'd2']);
    expect(Object.keys(doc.verification.d1)).toEqual(['airdesk', 'persistence', 'climatology']);
    expect(doc.verification.d1.airdesk).toHaveProperty('heavy200.csi');
    expect(doc.model).toBeUndefined();
  });
  it('--met none says it has no meteorological forecast', async () => {
    const { stdout } = await cli(['--train', path.join(dir, 'train.csv'), '--test', path.join(dir, 'test.csv'), '--min-stations', '1', '--leads', '1', '--met', 'none']);
    expect(stdout).toMatch(/no meteorological forecast: persistence-based guidance/);
    expect(stdout).toMatch(/^d1 {3}airdesk/m);
    expect(stdout.trim().split('\n').pop()).toMatch(/^RESULT /);
  });
  it.each([
    [['--met', 'forecast'], '--met must be observed or none'],
    [['--leads', '0,1'], '--leads must be a comma-separated list of days 1..7, e.g. 1,2,3'],
    [['--issue-hour', '25'], '--issue-hour must be an hour label 1..23'],
    [['--test-period', '2014-02-30..2014-01-01'], '--test-period must be YYYY-MM-DD..YYYY-MM-DD (first <= last)'],
  ])('bad option %j -> one-line error, exit 2', async (extra, msg) => {
    const e = await cli(['--train', path.join(dir, 'train.csv'), '--test', path.join(dir, 'test.csv'), ...extra]).catch((x) => x);
    expect(e.code).toBe(2);
    expect(e.stderr.trim()).toBe(`airdesk: ${msg}`);
  });
  it.each([
    ['missing.csv', /missing\.csv: unreadable: ENOENT/],
    ['page.csv', /page\.csv: HTML page saved as \.csv/],
    ['other.csv', /other\.csv: not a CNEMC wide CSV, UCI PRSA CSV or hourly table/],
  ])('a bad training file (%s) stops the hindcast with its name and reason', async (file, msg) => {
    const e = await cli(['--train', path.join(dir, file), '--test', path.join(dir, 'test.csv')]).catch((x) => x);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(msg);
  });
  it('too few training days is a clear error', async () => {
    const e = await cli(['--train', path.join(dir, 'test.csv'), '--test', path.join(dir, 'test.csv'), '--min-stations', '1']).catch((x) => x);
    expect(e.code).toBe(2);
    expect(e.stderr.trim()).toMatch(/^airdesk: cannot train: guidance: \d+ training days; at least 30 are needed$/);
  });
});

const REAL = path.resolve(ROOT, '../shared/data/prsa-beijing-2013-2015');
const haveReal = existsSync(REAL);
if (!haveReal) console.warn(`skipping the real-data hindcast: ${REAL} is absent`);

describe.skipIf(!haveReal)('hindcast on real Beijing data (4 PRSA stations, Sep-Dec 2014 -> Jan 2015)', () => {
  it('forecasts every day and beats persistence on the AQI error at D+1', () => {
    const files = ['Dongsi', 'Tiantan', 'Guanyuan', 'Wanshouxigong'].map((s) => path.join(REAL, `PRSA_Data_${s}_20130301-20151231.csv`));
    const pts = loadPoints(files, 'beijing').points;
    const inDays = (a: string, b: string) => (p: { time: number }) => { const d = beijingDayOfHourEnd(p.time); return d >= a && d <= b; };
    const trainPts = pts.filter(inDays('2014-09-01', '2014-12-31'));
    const testPts = pts.filter(inDays('2015-01-01', '2015-01-31'));
    const opts = { minStations: 3 };
    const r = hindcast(
      { train: cityHistory(trainPts, 'beijing', opts), full: cityHistory([...trainPts, ...testPts], 'beijing', opts), testDays: historyDays(cityHistory(testPts, 'beijing', opts)) },
      { leads: [1], gbm: { rounds: 60, learningRate: 0.15, maxLeaves: 6 }, refit: false, validShare: 0 },
    );
    expect(r.test.issueDays).toBeGreaterThanOrEqual(28);
    const v = r.verification.d1;
    expect(v.airdesk.n).toBeGreaterThanOrEqual(25);
    expect(v.airdesk.aqi.rmse!).toBeLessThan(v.persistence.aqi.rmse!);
  });
});
