/**
 * `airdesk report` on a synthetic PRSA month written by the test (the JSON and the refusals through
 * the real CLI in a child process, as an operator runs it; the other formats in process, same code): every format (json, html zh/en, xlsx read back), an episode report made
 * while the episode still runs, and garbage (options, periods, files, cities, formats, outputs):
 * each one line `airdesk: report.<code>: ...`, exit code 2, never a stack trace.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { prsaText, report } from './helpers.ts';
import { reportOptions, runReport, type Opts } from '../../cli/commands/report.ts';

const GOOD: Partial<Opts> = { files: ['X'], format: 'json', out: '-', lang: 'zh', minStations: '1', hourLabel: 'end', chromium: '/usr/bin/chromium' };

let dir = '';
let month = '';
let running = '';
// PM2.5 by day of January 2017: clean, then a heavy episode on days 12..15 (index 11..14), clean after
const pmOfDay = (d: number) => (d >= 11 && d <= 14 ? 180 + 30 * (d - 11) : 30 + (d % 5) * 15);
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'airdesk-report-cli-'));
  month = path.join(dir, 'PRSA_Data_Dongsi_synthetic.csv');
  // 2017-01-01 hour 0 .. 2017-02-01 hour 0 (the label 24 of 31 January)
  writeFileSync(month, prsaText('Dongsi', '2017-01-01', 32, (d, h) => (d === 31 && h > 0 ? null : pmOfDay(h === 0 ? d - 1 : d))));
  running = path.join(dir, 'running');
  mkdirSync(running);
  // the same month cut at noon of day 13: the episode is running
  writeFileSync(path.join(running, 'PRSA_Data_Dongsi_cut.csv'), prsaText('Dongsi', '2017-01-01', 13, (d, h) => (d === 12 && h > 12 ? null : pmOfDay(h === 0 ? d - 1 : d))));
  writeFileSync(path.join(dir, 'page.csv'), '<html><body>502 Bad Gateway</body></html>\n');
  writeFileSync(path.join(dir, 'other.csv'), 'a,b,c\n1,2,3\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = () => ['--city', 'beijing', '--files', month, '--min-stations', '1'];

describe('airdesk report (CLI)', () => {
  let doc: any;
  it('json: every figure of the month, the episode with its class', async () => {
    const r = await report(['month', ...base(), '--period', '2017-01', '--format', 'json', '--out', '-']);
    expect(r.code).toBe(0);
    doc = JSON.parse(r.stdout);
    expect(doc.figures.days.validDays).toBe(31);
    // the 4 episode days (PM2.5 180..270 > 150 ug/m3, so IAQI > 200) are heavy, the others under 100
    expect(doc.figures.days.heavyDays).toBe(4);
    // good = AQI <= 100: PM2.5 <= 75 ug/m3 (IAQI 100) with PM10 = 1.3 x PM2.5 and the gases low
    expect(doc.figures.days.goodDays).toBe(Array.from({ length: 31 }, (_, d) => pmOfDay(d)).filter((v) => v <= 75).length);
    expect(doc.figures.pollutants.pm25.exceedanceDays).toBe(Array.from({ length: 31 }, (_, d) => pmOfDay(d)).filter((v) => v > 75).length);
    expect(doc.yearOnYear).toBeNull();
    const heavy = doc.episodes.filter((e: any) => e.kind === 'heavy');
    expect(heavy.length).toBeGreaterThan(0);
    expect(heavy[0].start.slice(0, 10) >= '2017-01-12').toBe(true);
    expect(r.stderr).toMatch(/only 1 stations|wrote|^$/);
  });

  it('html in Chinese and English with the charts inline', async () => {
    for (const lang of ['zh', 'en'] as const) {
      const out = path.join(dir, `m-${lang}.html`);
      await runReport('month', { ...GOOD, city: 'beijing', files: [month], period: '2017-01', format: 'html', lang, out } as Opts);
      const html = readFileSync(out, 'utf8');
      expect(html.match(/<svg class="report-chart"/g)?.length).toBe(3);
      expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
      if (lang === 'zh') expect(html).toMatch(/2017年1月环境空气质量月报/);
      else expect(html).toMatch(/air quality monthly report, January 2017/);
      // the JSON's good-day share is what the page prints
      expect(html).toContain(`${doc.figures.days.goodRatio.toFixed(1)}%`);
    }
  });

  it('xlsx annex: one row per day, values as the JSON rounds them', async () => {
    const out = path.join(dir, 'm.xlsx');
    await runReport('month', { ...GOOD, city: 'beijing', files: [month], period: '2017-01', format: 'xlsx', lang: 'en', out } as Opts);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const ws = wb.getWorksheet('daily')!;
    expect(ws.rowCount).toBe(1 + 31);
    const day13 = ws.getRow(1 + 13);
    expect(day13.getCell(1).value).toBe('2017-01-13');
    expect(day13.getCell(2).value).toBe(doc.figures.daily[12].aqi);
    expect(day13.getCell(5).value).toBe(Math.round(doc.figures.daily[12].pm25));
  });

  it('an episode report while the episode is still running', async () => {
    const json = path.join(dir, 'e.json');
    await runReport('episode', { ...GOOD, city: 'beijing', files: [running], period: '2017-01-13', format: 'json', out: json } as Opts);
    const e = JSON.parse(readFileSync(json, 'utf8'));
    expect(e.running).toBe(true);
    expect(e.dataUpTo).toBe('2017-01-13 12:00');
    expect(e.peakHours[0].value).toBe(pmOfDay(12)); // the highest day so far is the cut day, 13 January
    expect(e.classification.length).toBeGreaterThan(0);
    const html = path.join(dir, 'e.html');
    await runReport('episode', { ...GOOD, city: 'beijing', files: [running], period: '2017-01', format: 'html', out: html } as Opts);
    expect(readFileSync(html, 'utf8')).toMatch(/过程仍在进行，本报告为暂定版，数据截至 2017-01-13 12:00/);
  });

  it.each([
    [{ period: '2017-01' }, 'report.option', /--city is required/],
    [{ city: 'beijing' }, 'report.option', /--period is required/],
    [{ city: 'beijing', period: '2017-01', files: undefined }, 'report.option', /--files is required/],
    [{ city: 'beijing', period: '2017-01', format: undefined }, 'report.option', /--format is required/],
    [{ city: 'beijing', period: '2017-01', out: undefined }, 'report.option', /--out is required/],
    [{ city: 'beijing', period: '2017-13' }, 'report.period', /YYYY-MM/],
    [{ city: 'beijing', period: '2017-1' }, 'report.period', /YYYY-MM/],
    [{ city: 'beijing', period: '2017-01', format: 'docx' }, 'report.format', /pdf, html, json, xlsx/],
    [{ city: 'beijing', period: '2017-01', lang: 'fr' }, 'report.option', /--lang/],
    [{ city: 'beijing', period: '2017-01', minStations: '0' }, 'report.option', /--min-stations/],
    [{ city: 'beijing', period: '2017-01', minStations: '2.5' }, 'report.option', /--min-stations/],
    [{ city: 'beijing', period: '2017-01', hourLabel: 'middle' }, 'report.option', /--hour-label/],
  ])('month option garbage %j -> %s', (o, code, msg) => {
    expect(() => reportOptions('month', { ...GOOD, ...o } as Opts)).toThrow(expect.objectContaining({ code, message: expect.stringMatching(msg) }));
  });

  it.each([
    ['quarter', '2017-01', 'report.period', /YYYY-Qn/],
    ['year', '2017-Q1', 'report.period', /YYYY/],
    ['episode', '2017-02-30', 'report.period', /not a real day/],
    ['episode', 'last week', 'report.period', /day YYYY-MM-DD/],
    ['week', '2017-01', 'report.kind', /month, quarter, year, episode/],
  ])('%s --period %j -> %s', (kind, period, code, msg) => {
    expect(() => reportOptions(kind, { ...GOOD, city: 'beijing', period } as Opts)).toThrow(expect.objectContaining({ code, message: expect.stringMatching(msg) }));
  });

  it('an episode has no spreadsheet annex', () => {
    expect(() => reportOptions('episode', { ...GOOD, city: 'beijing', period: '2017-01', format: 'xlsx' } as Opts)).toThrow(expect.objectContaining({ code: 'report.format' }));
  });

  it.each([
    ['a file that does not exist', () => [path.join(dir, 'nope.csv')], 'report.files', /not found/],
    ['an HTML error page', () => [path.join(dir, 'page.csv')], 'report.files', /html/],
    ['a CSV of no known layout', () => [path.join(dir, 'other.csv')], 'report.files', /skipped/],
    ['a city the files do not hold', () => [month], 'report.city', /shanghai/],
    ['a month the files do not cover', () => [month], 'report.no-data', /2016-06 .*the files cover 2016-12-31\.\.2017-01-31/],
    ['an unwritable output', () => [month], 'report.out', /ENOENT|EACCES/],
  ])('file garbage: %s', async (what, files, code, msg) => {
    const city = what.includes('city') ? 'shanghai' : 'beijing';
    const period = what.includes('month the files') ? '2016-06' : '2017-01';
    const out = what.includes('unwritable') ? path.join(dir, 'no/such/dir/x.json') : path.join(dir, 'x.json');
    await expect(runReport('month', { ...GOOD, city, period, files: files(), out } as Opts)).rejects.toThrow(expect.objectContaining({ code, message: expect.stringMatching(msg) }));
  });

  // The operator's view of the same refusals: one line, exit code 2, no stack trace.
  it.each([
    [['month', '--city', 'beijing', '--files', 'X', '--format', 'json', '--out', '-'], /^airdesk: report\.option: --period is required/],
    [['month', '--city', 'beijing', '--period', '2017-01', '--bogus'], /^airdesk: report\.option: unknown option '--bogus'$/],
    [['week'], /^airdesk: report\.option: unknown command 'week'$/],
    [['month', '--city', 'beijing', '--period', '2017-01', '--files', '/nonexistent/x.csv', '--format', 'json', '--out', '-'], /^airdesk: report\.files: .*not found/],
  ])('exit 2 with one line: %j', async (args, line) => {
    const r = await report(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(line)]);
  });
});
