/**
 * Streaming audit (issue 20): the auditor fed hour by hour equals the batch audit, holds at most
 * each station's last 26 hours, and `airdesk audit-aqi` never answers 0/0 with exit 0. Expected
 * AQIs by hand from HJ 633-2012 Table 1 (CNEMC 1-h practice: 1-h PM on the 24-h breakpoints).
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { auditHourlyAqi, createAuditor, type AuditHour } from '#common/standards/audit.ts';
import { HOUR_MS } from '#common/time.ts';
import { auditGroups, auditFiles } from '../../cli/commands/audit-aqi.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const T0 = Date.UTC(2017, 0, 4, 16); // 2017-01-05 00:00 Beijing

/** Deterministic series: 3 stations x 60 hours, PM2.5 wandering, published AQI sometimes off by one. */
function series(): AuditHour[] {
  const out: AuditHour[] = [];
  let x = 7;
  for (let k = 0; k < 60; k++) for (const st of ['A', 'B', 'C']) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const pm = 20 + (x % 200);
    out.push({ station: st, time: T0 + k * HOUR_MS, byType: { 'PM2.5': pm, 'PM2.5_24h': k > 30 ? pm : null, PM10: pm * 1.3, O3: 40, AQI: k % 7 === 0 ? null : Math.ceil(pm) + (k % 3) } });
  }
  return out;
}

describe('streaming auditor', () => {
  it('fed in time order it equals the batch audit', () => {
    const hs = series();
    const a = createAuditor({ worst: 10 });
    for (const h of hs) a.push(h);
    expect(a.report()).toEqual(auditHourlyAqi([...hs].reverse(), { worst: 10 }));
  });
  it("rules 'selected' tallies the selected rule exactly as 'all' does", () => {
    const all = auditHourlyAqi(series(), { worst: 10 });
    const sel = auditHourlyAqi(series(), { worst: 10, rules: 'selected' });
    expect(sel.selected).toEqual(all.selected);
    expect(sel.worst).toEqual(all.worst);
    expect(Object.keys(sel.byMonthRule['2017-01'])).toEqual(['hj633-2012-cnemc1h']);
  });
  it('holds at most the last 32 hours per station (fixed rings), whatever the archive length', () => {
    const a = createAuditor();
    let most = 0;
    for (const h of series()) {
      a.push(h);
      most = Math.max(most, a.held().values);
    }
    // 3 stations x 32 hours x 4 series present (PM2.5, PM2.5_24h, PM10, O3); 60 hours were fed
    expect(most).toBeLessThanOrEqual(3 * 32 * 4);
    expect(a.held().stations).toBe(3);
  });
  it('date groups: beijing_all_D and beijing_extra_D together, days in order, dateless files alone', () => {
    expect(auditGroups(['beijing_all_20170102.csv', 'beijing_all_20170101.csv', 'beijing_extra_20170101.csv', 'export.csv'])).toEqual([
      ['export.csv'], ['beijing_all_20170101.csv', 'beijing_extra_20170101.csv'], ['beijing_all_20170102.csv'],
    ]);
  });
});

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'airdesk-audit-stream-'));
  // PM2.5 80 -> IAQI 107 (75..115 -> 100..150: 100 + 5/40*50 = 106.25, ceil 107); 35 -> 50
  writeFileSync(path.join(dir, 'station.csv'), 'datetime,PM2.5,AQI\n2017-01-05 10:00,80,107\n2017-01-05 11:00,35,51\n');
  writeFileSync(path.join(dir, 'noaqi.csv'), 'datetime,PM2.5,O3\n2017-01-05 10:00,80,40\n');
  writeFileSync(path.join(dir, 'china_sites_20170105.csv'), 'date,hour,type,1001A,1141A\n20170105,10,AQI,107,50\n20170105,10,PM2.5,80,35\n');
  writeFileSync(path.join(dir, 'stations.csv'), '监测点编码,监测点名称,城市,经度,纬度,对照点,省级行政区,地级行政区\n1141A,普陀,上海,121.4,31.238,N,上海市,上海市\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit-aqi on any layout and city', () => {
  it('a single-station table with an AQI column is audited through the mapping', async () => {
    const r = await auditFiles([path.join(dir, 'station.csv')], { worst: 5, read: { infer: { station: 'X1' } } });
    expect(r.report.selected).toEqual({ n: 2, exact: 1, within1: 2 });
  });
  it('--city keeps only that city\'s stations', async () => {
    const r = await auditFiles([path.join(dir, 'china_sites_20170105.csv')], { worst: 5, codes: new Set(['1141A']) });
    expect(r.report.selected).toEqual({ n: 1, exact: 1, within1: 1 });
    expect(r.outside).toBe(1);
  });
  it('0/0 is an error with the reason, not RESULT exact=0/0 with exit 0', () => {
    const run = (...a: string[]) => spawnSync('node', ['bin/airdesk.mjs', 'audit-aqi', ...a], { cwd: ROOT, encoding: 'utf8' });
    const noAqi = run('--station', 'X1', path.join(dir, 'noaqi.csv'));
    expect(noAqi.status).not.toBe(0);
    expect(noAqi.stdout).toMatch(/a table without an AQI column/);
    expect(noAqi.stderr).toMatch(/nothing to audit: no file could be read/);
    const city = run('--stations', path.join(dir, 'stations.csv'), '--city', '上海', path.join(dir, 'china_sites_20170105.csv'));
    expect(city.status).toBe(0);
    expect(city.stdout).toMatch(/RESULT exact=1\/1 within1=1\/1/);
  }, 60_000);
});
