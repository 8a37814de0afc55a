/** File import for `airdesk episodes`: formats, traps of real archives, meteorology conversions. */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { prsaToPoints, wideToPoints } from '#common/episodes/import.ts';
import { compassToDegrees as compassDegrees, rhFromDewPoint } from '#common/met.ts';
import { loadFiles } from '../../cli/commands/episodes.ts';

describe('importers', () => {
  it('RH from dew point (Magnus, Alduchov & Eskridge 1996): T 20, Td 10 -> 52.5 %; Td = T -> 100 %', () => {
    expect(rhFromDewPoint(20, 10)).toBeCloseTo(52.5, 1);
    expect(rhFromDewPoint(5, 5)).toBeCloseTo(100, 6);
  });
  it('16-point compass to degrees', () => {
    expect([compassDegrees('N'), compassDegrees('SSW'), compassDegrees('nw'), compassDegrees('x')]).toEqual([0, 202.5, 315, null]);
  });
  it('Beijing wide file: national stations only, plain types only, ceiling values dropped', () => {
    const text = ['date,hour,type,东四,北部新区,天坛', '20170101,5,PM2.5,100,90,80', '20170101,5,PM2.5_24h,1,1,1', '20170101,5,CO,20.0,1,1.5', '20170101,5,O3,500,3,4'].join('\n');
    const r = wideToPoints(text, 'beijing');
    expect(r.skippedStations).toEqual(['北部新区']);
    expect(r.ceilings).toBe(2);
    expect(r.points.map((p) => [p.station, p.values])).toEqual([['1003A', { pm25: 100 }], ['1004A', { pm25: 80, co: 1.5, o3: 4 }]]);
  });
  it('PRSA rows give pollutants (CO ug/m3 -> mg/m3) and meteorology, NA as missing', () => {
    const text = ['"No","year","month","day","hour","PM2.5","PM10","SO2","NO2","CO","O3","TEMP","PRES","DEWP","RAIN","wd","WSPM","station"',
      '1,2016,12,1,0,9,16,6,36,500,43,3.5,1024.1,-8.5,0,"E",1,"Dongsi"', '2,2016,12,1,1,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,"Dongsi"'].join('\n');
    const r = prsaToPoints(text, 'beijing');
    expect(r.points[0]).toMatchObject({ station: '1003A', values: { temp: 3.5, ws: 1, wd: 90, pres: 1024.1 } });
    expect(r.points[0].values).toMatchObject({ pm25: 9, pm10: 16, so2: 6, no2: 36, co: 0.5, o3: 43 });
    expect(r.points[1].values).toMatchObject({ temp: null, wd: null, rh: null });
  });
});

describe('loadFiles survives real-archive traps', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-episodes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('empty files, HTML error pages and unknown text are skipped with a note; gzip is read', () => {
    const good = 'date,hour,type,1001A\n20170101,5,PM2.5,80\n';
    writeFileSync(path.join(dir, 'a_empty.csv'), '');
    writeFileSync(path.join(dir, 'b_error.csv'), '<!DOCTYPE html><html>404</html>');
    writeFileSync(path.join(dir, 'c_gz.csv'), gzipSync(good));
    writeFileSync(path.join(dir, 'd_other.csv'), 'x,y\n1,2\n');
    const r = loadFiles([dir, path.join(dir, 'missing.csv')], 'beijing');
    expect(r.points).toHaveLength(1);
    expect(r.notes.join('\n')).toMatch(/a_empty.csv: empty, skipped/);
    expect(r.notes.join('\n')).toMatch(/b_error.csv: html, skipped/);
    expect(r.notes.join('\n')).toMatch(/d_other.csv: unknown format, skipped/);
    expect(r.notes.join('\n')).toMatch(/missing.csv: not found/);
  });
});
