/**
 * `airdesk audit-aqi` on hand-made files: the traps real archives hold (0-byte files, HTML error
 * pages and gzip streams saved as .csv, files that are not this format) are reported and skipped,
 * never a crash; Beijing's two files per day are merged by date. Expected AQIs derived by hand from
 * HJ 633-2012 Table 1.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { sniffFile } from '#common/formats/file-sniff.ts';
import { mergeStationHours } from '#common/formats/merge-hours.ts';
import { loadWideFile } from '../../cli/commands/audit-aqi.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'airdesk-audit-'));
  // 2017-01-05 10:00, CNEMC 1-h practice. A: PM2.5 80 -> 106.25 -> 107 (published 107, exact).
  // B: PM10 200 on 150..250 -> 100..150: 125 (published 126: within 1, not exact).
  writeFileSync(path.join(dir, 'china_sites_20170105.csv'), [
    'date,hour,type,1001A,1002A',
    '20170105,10,AQI,107,126', '20170105,10,PM2.5,80,20', '20170105,10,PM10,90,200',
    '20170105,10,SO2,10,10', '20170105,10,NO2,40,40', '20170105,10,CO,0.5,0.5', '20170105,10,O3,20,20',
  ].join('\n'));
  // Beijing split: the AQI 105 comes from NO2 1-h 250 (200..700 -> 100..150: 105), which is only in
  // the extra file; without merging, the PM2.5 10 alone would give 15.
  writeFileSync(path.join(dir, 'beijing_all_20170602.csv'), 'date,hour,type,东四\n20170602,14,PM2.5,10\n20170602,14,PM10,20\n20170602,14,AQI,105\n');
  writeFileSync(path.join(dir, 'beijing_extra_20170602.csv'), 'date,hour,type,东四\n20170602,14,NO2,250\n20170602,14,SO2,5\n20170602,14,O3,30\n20170602,14,CO,0.4\n');
  // gzip under a .csv name: PM2.5 35 -> 50 (exact)
  writeFileSync(path.join(dir, 'china_sites_20170106.csv'), gzipSync('date,hour,type,1003A\n20170106,3,PM2.5,35\n20170106,3,AQI,50\n'));
  writeFileSync(path.join(dir, 'china_sites_20170107.csv'), '');
  writeFileSync(path.join(dir, 'china_sites_20170108.csv'), '<!DOCTYPE html><html><body>404 Not Found</body></html>');
  writeFileSync(path.join(dir, 'china_sites_20170109.csv'), 'station,value\nx,1\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, 'bin/airdesk.mjs'), 'audit-aqi', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
}

describe('file sniffing', () => {
  it.each([
    ['empty', new Uint8Array(), 'empty'],
    ['gzip magic', new Uint8Array([0x1f, 0x8b, 8, 0]), 'gzip'],
    ['HTML', new TextEncoder().encode('\n  <html><head>'), 'html'],
    ['doctype', new TextEncoder().encode('<!doctype html>'), 'html'],
    ['CSV with BOM', new TextEncoder().encode('\uFEFFdate,hour,type'), 'text'],
    ['NUL bytes', new Uint8Array([65, 0, 66]), 'binary'],
  ] as const)('%s -> %s', (_n, bytes, kind) => expect(sniffFile(bytes)).toBe(kind));
});

describe('loading and merging', () => {
  it('a gzip .csv is decompressed; empty, HTML and foreign files are skipped with a reason', () => {
    expect(loadWideFile(path.join(dir, 'china_sites_20170106.csv'))).toMatchObject({ status: 'ok' });
    expect(loadWideFile(path.join(dir, 'china_sites_20170107.csv'))).toMatchObject({ status: 'skipped', note: 'empty file' });
    expect(loadWideFile(path.join(dir, 'china_sites_20170108.csv')).note).toMatch(/HTML/);
    expect(loadWideFile(path.join(dir, 'china_sites_20170109.csv')).note).toMatch(/not a CNEMC wide CSV/);
    expect(loadWideFile(path.join(dir, 'missing.csv')).note).toMatch(/unreadable: ENOENT/);
  });
  it('Beijing all + extra merge into one station-hour with every type', () => {
    const a = loadWideFile(path.join(dir, 'beijing_all_20170602.csv')).hours;
    const b = loadWideFile(path.join(dir, 'beijing_extra_20170602.csv')).hours;
    const m = mergeStationHours([b, a]);
    expect(m.hours).toHaveLength(1);
    expect(m.hours[0].byType).toEqual({ NO2: 250, SO2: 5, O3: 30, CO: 0.4, 'PM2.5': 10, PM10: 20, AQI: 105 });
    expect(m.conflicts).toBe(0);
  });
});

describe('airdesk audit-aqi', () => {
  it('reports and skips bad files, merges Beijing files, ends with the RESULT line', () => {
    const r = run(dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/skip .*china_sites_20170107\.csv: empty file/);
    expect(r.stdout).toMatch(/read .*china_sites_20170106\.csv: gzip, decompressed/);
    expect(r.stdout).toMatch(/skip .*china_sites_20170108\.csv: HTML/);
    expect(r.stdout).toMatch(/skip .*china_sites_20170109\.csv: not a CNEMC wide CSV/);
    expect(r.stdout).toMatch(/published=126 computed=125/);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('RESULT exact=3/4 within1=4/4 rule=hj633-2012-cnemc1h');
  }, 150_000);
  it('--rule forces a rule set; an unknown one is a one-line error', () => {
    const r = run('--rule', 'hj633-2026', dir);
    // 2026: A PM2.5 80 -> 119 (not 107); B PM10 200 -> 131; Beijing NO2 -> 105; gz 35 -> 50
    expect(r.stdout.trim().split('\n').at(-1)).toBe('RESULT exact=2/4 within1=2/4 rule=hj633-2026');
    const bad = run('--rule', 'nope', dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown rule set "nope"/);
  }, 150_000);
});
