/**
 * `airdesk measures evaluate` as an operator runs it (the real CLI in a child process) on a PRSA
 * file written by the test from the synthetic city (tests/common/measures/synthetic.ts) with a -25%
 * effect injected, and on garbage: bad windows, options, files. Every bad input is a one-line error
 * and a non-zero exit, never a stack trace.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import { synthHistory } from '../common/measures/synthetic.ts';
import { HOUR_MS } from '../../common/time.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const HEADER = 'No,year,month,day,hour,PM2.5,PM10,SO2,NO2,CO,O3,TEMP,PRES,DEWP,RAIN,wd,WSPM,station';
const window = { from: '2014-11-03', to: '2014-11-12' };

function prsaText(): string {
  const { hist } = synthHistory({ effect: -0.25, window, seed: 4, firstDay: '2014-08-01', days: 130, noise: 0.1 });
  const lines = [HEADER];
  for (let i = 0; i < hist.hours; i++) {
    const d = new Date(hist.start + i * HOUR_MS + 8 * HOUR_MS);
    const q = (k: keyof typeof hist.q, f = 1) => hist.q[k][i].toFixed(f);
    lines.push([i + 1, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), q('pm25', 0), 'NA', 'NA', 'NA', 'NA', 'NA', q('temp'), q('pres'), 'NA', '0.0', hist.q.v[i] < 0 ? 'N' : 'S', q('ws'), '"Dongsi"'].join(','));
  }
  return lines.join('\n') + '\n';
}

let dir = '';
let file = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'airdesk-measures-'));
  file = path.join(dir, 'PRSA_Data_Dongsi_synthetic.csv');
  writeFileSync(file, prsaText());
  writeFileSync(path.join(dir, 'page.csv'), '<html><body>502 Bad Gateway</body></html>\n');
  writeFileSync(path.join(dir, 'other.csv'), 'a,b,c\n1,2,3\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[]) => run('node', ['bin/airdesk.mjs', 'measures', 'evaluate', ...args], { cwd: ROOT, maxBuffer: 64 << 20 });
const FAST = ['--min-stations', '1', '--rounds', '30', '--placebos', '20'];

describe('airdesk measures evaluate (CLI)', () => {
  it('prints the JSON document and ends with the RESULT line', async () => {
    const { stdout } = await cli(['--files', file, '--pollutant', 'pm25', '--window', '2014-11-03..2014-11-12', '--exclude', '2014-09-01..2014-09-03', ...FAST, '--json']);
    const lines = stdout.trim().split('\n');
    expect(lines.length).toBe(2);
    const doc = JSON.parse(lines[0]);
    expect(doc.pollutant).toBe('pm25');
    expect(doc.measureWindow).toEqual(window);
    expect(doc.model.trainingHours).toBe(130 * 24 - 13 * 24);
    expect(doc.placebo.windows).toBe(20);
    expect(doc.verdict.code).toBe('reduction');
    const m = /^RESULT effect_pct=(-?\d+\.\d) ci_low_pct=(-?\d+\.\d) ci_high_pct=(-?\d+\.\d) placebo_false_positive=(\d\.\d{3})$/.exec(lines[1]);
    expect(m).not.toBeNull();
    const [eff, lo, hi] = [Number(m![1]), Number(m![2]), Number(m![3])];
    expect(eff).toBeCloseTo(100 * doc.window.pct, 1);
    expect(lo).toBeLessThan(eff);
    expect(hi).toBeLessThan(0);
    expect(eff).toBeLessThan(-12);
    expect(eff).toBeGreaterThan(-38);
  });

  it('prints readable lines with the checks and the verdict in both languages without --json', async () => {
    const { stdout } = await cli(['--files', file, '--window', '2014-11-03..2014-11-12', '--lag-days', '1', ...FAST]);
    expect(stdout).toMatch(/evaluated 2014-11-04\.\.2014-11-13 \(lag 1 d\)/);
    expect(stdout).toMatch(/placebo: 20 windows, false-positive rate/);
    expect(stdout).toMatch(/before-after \(observed, not weather-adjusted\)/);
    expect(stdout).toMatch(/结论：/);
    expect(stdout.trim().split('\n').pop()).toMatch(/^RESULT /);
  });

  it.each([
    [['--window', '2014-13-01..2014-13-05'], /--window must be YYYY-MM-DD\.\.YYYY-MM-DD/],
    [['--window', '2014-11-12..2014-11-03'], /first <= last/],
    [['--window', '2014-11-03..2014-11-12', '--pollutant', 'pm1'], /--pollutant must be one of/],
    [['--window', '2014-11-03..2014-11-12', '--lag-days', '9'], /--lag-days must be an integer 0\.\.7/],
    [['--window', '2014-11-03..2014-11-12', '--exclude', 'yesterday'], /--exclude must be/],
    [['--window', '2016-01-01..2016-01-10'], /outside the files' days 2014-08-01\.\.2014-12-08/],
  ])('refuses %j', async (args, msg) => {
    const e = await cli(['--files', file, '--min-stations', '1', ...args]).then(() => null, (x) => x);
    expect(e).not.toBeNull();
    expect(e.code).not.toBe(0);
    expect(e.stderr).toMatch(msg);
    expect(e.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['an HTML error page', 'page.csv', /page\.csv/],
    ['a CSV of another format', 'other.csv', /other\.csv/],
    ['a missing file', 'nope.csv', /nope\.csv|no files/],
  ])('refuses %s', async (_n, f, msg) => {
    const e = await cli(['--files', path.join(dir, f), '--window', '2014-11-03..2014-11-12']).then(() => null, (x) => x);
    expect(e).not.toBeNull();
    expect(e.code).not.toBe(0);
    expect(e.stderr).toMatch(msg);
  });

  it('needs --files and --window', async () => {
    const e = await cli(['--window', '2014-11-03..2014-11-12']).then(() => null, (x) => x);
    expect(e.code).not.toBe(0);
    expect(e.stderr).toMatch(/--files/);
  });
});
