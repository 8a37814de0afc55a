/**
 * The batch tools beyond Beijing (issue 20): cities resolved through the station registry by
 * Chinese name, pinyin, province or station code; several cities with a regional view; a city the
 * files do not hold is an error saying why; single-station tables, .xlsx workbooks and PRSA
 * pollutants read through the one importer. Fixtures are written here by hand; the station codes
 * and names are the CNEMC list's (../shared/data/stations/cnemc-stations.csv).
 */
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '#common/episodes/index.ts';
import { parseCnemcStations } from '#common/formats/cnemc-stations.ts';
import { resolveCity } from '#common/formats/city-stations.ts';
import { loadFiles, loadFilesAsync, o3Days, regionalView } from '../../cli/commands/episodes.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const STATION_LIST = [
  '监测点编码,监测点名称,城市,经度,纬度,对照点,省级行政区,地级行政区',
  '1001A,万寿西宫,北京,116.3621,39.8784,N,北京市,北京市',
  '1029A,职工医院,石家庄,114.4422,38.0444,N,河北省,石家庄市',
  '1030A,高新区,石家庄,114.6063,38.0266,N,河北省,石家庄市',
  '1141A,普陀,上海,121.4,31.238,N,上海市,上海市',
  '1142A,十五厂,上海,121.478,31.2036,N,上海市,上海市',
  '1143A,虹口,上海,121.467,31.3008,N,上海市,上海市',
  '1345A,广雅中学,广州,113.2347,23.1422,N,广东省,广州市',
].join('\n');
const stations = parseCnemcStations(STATION_LIST).stations;

/** A wide file of two days: O3 constant `o3` (so MDA8 = o3) at the given stations. */
function wide(codes: string[], o3: Record<string, number>, days = ['20170615', '20170616']): string {
  const lines = [`date,hour,type,${codes.join(',')}`];
  for (const d of days) for (let h = 0; h < 24; h++) {
    lines.push(`${d},${h},O3,${codes.map((c) => o3[c] ?? 50).join(',')}`);
    lines.push(`${d},${h},PM2.5,${codes.map(() => 30).join(',')}`);
  }
  return lines.join('\n');
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'airdesk-cities-'));
  writeFileSync(path.join(dir, 'stations.csv'), STATION_LIST);
  // Shanghai O3 200 (MDA8 200 > 160 on 2 days), Shijiazhuang 180, Beijing 60
  writeFileSync(path.join(dir, 'china_sites_201706.csv'), wide(['1001A', '1029A', '1030A', '1141A', '1142A', '1143A'], { '1141A': 200, '1142A': 200, '1143A': 200, '1029A': 180, '1030A': 180, '1001A': 60 }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('city queries against the station registry', () => {
  it.each([
    ['shanghai', '上海'], ['Shanghai', '上海'], ['上海市', '上海'], ['上海', '上海'], ['1142A', '上海'], ['Shijiazhuang', '石家庄'],
  ])('%s -> %s', (q, city) => {
    const r = resolveCity(q, stations);
    expect(r.ok).toBe(true);
    expect(r.cities[0].city).toBe(city);
  });
  it('a province expands to its cities; Beijing works without a registry', () => {
    expect(resolveCity('河北省', stations).cities.map((c) => c.city)).toEqual(['石家庄']);
    expect(resolveCity('beijing', []).cities[0].codes).toHaveLength(12);
  });
  it('an unknown city is an error that says what is known', () => {
    const r = resolveCity('Atlantis', stations);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/no station of "Atlantis".*cities known/);
  });
});

describe('episodes for any city', () => {
  it('Shanghai codes in a national file: only Shanghai stations count, its O3 episode is found', () => {
    const load = loadFiles([dir], 'shanghai', { stations });
    expect(load.error).toBeUndefined();
    expect(new Set(load.points.map((p) => p.station))).toEqual(new Set(['1141A', '1142A', '1143A']));
    expect(load.perCity).toEqual({ shanghai: 3 * 48 });
    const engine = createEngine({ minStationsPerHour: 3, retentionDays: 1000 });
    engine.ingest(load.points);
    const o3 = engine.episodes().filter((e) => e.kind === 'o3');
    expect(o3.map((e) => [e.city, e.start, e.end])).toEqual([['shanghai', '2017-06-15', '2017-06-16']]);
    expect(o3Days(engine, o3).map((d) => [d.day, d.mda8])).toEqual([['2017-06-15', 200], ['2017-06-16', 200]]);
  });
  it('several cities in one run: each its own series, and a regional view of the days over', () => {
    const load = loadFiles([dir], '上海,石家庄,北京', { stations });
    expect(load.perCity).toEqual({ 上海: 144, 石家庄: 96, 北京: 48 });
    const engine = createEngine({ minStationsPerHour: 1, retentionDays: 1000 });
    engine.ingest(load.points);
    expect(o3Days(engine, []).map((d) => `${d.city} ${d.day}`)).toEqual(['上海 2017-06-15', '上海 2017-06-16', '石家庄 2017-06-15', '石家庄 2017-06-16']);
    const rv = regionalView(engine);
    expect(rv[1]).toMatch(/day\s+over\s+上海\s+北京\s+石家庄|day\s+over/);
    expect(rv.filter((l) => /^2017-06-1[56]\s+2\/3/.test(l))).toHaveLength(2);
  });
  it('a city the files do not hold is an error naming what they hold', () => {
    const load = loadFiles([dir], 'guangzhou', { stations });
    expect(load.error).toMatch(/no station-hour for guangzhou \(广州\): the files hold 6 stations .* of 上海, 北京, 石家庄|no station-hour for guangzhou/);
    expect(load.error).toMatch(/广州|1345A/);
  });
  it('the CLI exits non-zero with the reason, and lists every O3 day otherwise', () => {
    const bad = spawnSync('node', ['bin/airdesk.mjs', 'episodes', '--stations', path.join(dir, 'stations.csv'), '--city', '广州', path.join(dir, 'china_sites_201706.csv')], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/no station-hour for 广州/);
    const ok = spawnSync('node', ['bin/airdesk.mjs', 'episodes', '--stations', path.join(dir, 'stations.csv'), '--city', 'shanghai', '--o3-min-days', '3', path.join(dir, 'china_sites_201706.csv')], { cwd: ROOT, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    // with 3 days needed there is no O3 episode, yet both exceedance days are listed and counted
    expect(ok.stdout).toMatch(/O3 exceedance days \(MDA8 > 160\): 2, 0 in an O3 episode, 2 single or outside one/);
    expect(ok.stdout).toMatch(/shanghai\s+2017-06-15\s+MDA8 200\.0\s+\(no episode\)/);
  }, 60_000);
});

describe('single-station tables and .xlsx through the one importer', () => {
  it('datetime,PM2.5,O3,NO2,CO,SO2 with --station: read, counted for the city asked', () => {
    const f = path.join(dir, 'station-export.csv');
    writeFileSync(f, ['datetime,PM2.5,O3,NO2,CO,SO2', '2017-06-15 01:00,35,210,40,0.6,8', '2017-06-15 02:00,36,,41,0.7,9', 'yesterday,1,1,1,1,1'].join('\n'));
    const none = loadFiles([f], 'shanghai', { stations });
    expect(none.error).toMatch(/no station-hour for shanghai/);
    expect(none.notes.join('\n')).toMatch(/give --station CODE/);
    const load = loadFiles([f], 'shanghai', { stations, read: { infer: { station: '1141A' } } });
    expect(load.points.map((p) => [p.station, p.values.pm25, p.values.o3 ?? null, p.values.co])).toEqual([['1141A', 35, 210, 0.6], ['1141A', 36, null, 0.7]]);
    expect(load.notes.join('\n')).toMatch(/line 4.*row\.time|1 malformed rows skipped \(first: line 4, row\.time/);
  });
  it('an .xlsx workbook, one sheet per month, date cells and "O3 [ppb]" header', async () => {
    const wb = new ExcelJS.Workbook();
    for (const [name, day] of [['2017-06', 15], ['2017-07', 1]] as const) {
      const ws = wb.addWorksheet(name);
      ws.addRow(['datetime', 'PM2.5', 'O3 [ppb]']);
      // exceljs writes a Date as the wall clock of its UTC fields: 14:00 local (Beijing)
      ws.addRow([new Date(Date.UTC(2017, name === '2017-06' ? 5 : 6, day, 14)), 40, 100]);
    }
    const f = path.join(dir, 'export.xlsx');
    await wb.xlsx.writeFile(f);
    const load = await loadFilesAsync([f], 'shanghai', { stations, read: { infer: { station: '1142A' } } });
    expect(load.error).toBeUndefined();
    // 100 ppb O3 = 100 x 47.997 / 24.4654 = 196.18 ug/m3 (298.15 K, 1013.25 hPa)
    expect(load.points.map((p) => [new Date(p.time).toISOString(), p.values.pm25, +p.values.o3!.toFixed(2)])).toEqual([
      ['2017-06-15T06:00:00.000Z', 40, 196.18], ['2017-07-01T06:00:00.000Z', 40, 196.18],
    ]);
    // the sync reader says why it skips a workbook
    expect(loadFiles([f], 'shanghai', { stations }).notes.join('\n')).toMatch(/xlsx workbook/);
  });
});

const PRSA = path.resolve(ROOT, '../shared/data/prsa-beijing');
describe.skipIf(!existsSync(PRSA))('UCI PRSA pollutants count like any station\'s (real data)', () => {
  it('the 3 PRSA files alone find the 2016-12-17..21 heavy process', () => {
    const load = loadFiles([PRSA], 'beijing');
    expect(load.points.some((p) => p.values.pm25 !== undefined)).toBe(true);
    const engine = createEngine({ minStationsPerHour: 3, retentionDays: 1000 });
    engine.ingest(load.points);
    const heavy = engine.episodes().filter((e) => e.kind === 'heavy').map((e) => `${e.start}..${e.end}`);
    expect(heavy.some((h) => h.startsWith('2016-12-1') && h.endsWith('2016-12-21'))).toBe(true);
  }, 60_000);
});
if (!existsSync(PRSA)) console.log(`cities.test: ${PRSA} absent, PRSA real-data check skipped`);
