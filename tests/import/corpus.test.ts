/**
 * The importer against a corpus of bad files (tests/fixtures/import, README there): each is handled
 * with the right reason, nothing crashes, good rows around bad ones are kept, and a second import
 * changes nothing. Store: the real SQLite adapter on a temp file.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { openStore } from '../../stores/open.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { importFiles, mergeReading, type ImportSummary } from '../../gateway/import/pipeline.ts';
import { ImportDeadLetters } from '../../gateway/import/deadletters.ts';
import { readBytes } from '../../gateway/import/read.ts';
import { decodeText } from '#common/formats/decode-text.ts';
import { fileToMessages } from '../../gateway/import/messages.ts';
import { parsePrsa } from '#common/formats/prsa.ts';
import { compassToDegrees, rhFromDewPoint } from '#common/met.ts';
import { beijingStationCode } from '#common/formats/beijing-files.ts';
import { beijingToUtc } from '#common/time.ts';

const FIX = path.join(import.meta.dirname, '../fixtures/import');
const fx = (f: string) => path.join(FIX, f);
const ALL = [
  'empty.csv', 'html-error.csv', 'station-list.csv', 'china_sites_20170101-gzip.csv', 'beijing_all_20170601-gbk.csv',
  'truncated-line.csv', 'absurd-values.csv', 'blank-rows.csv', 'prsa-small.csv',
].map(fx);
const EVERYTHING = { from: 0, to: Date.UTC(2100, 0, 1) };

let dir: string;
let store: TimeSeriesStore;
let dead: ImportDeadLetters;
let first: ImportSummary;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'airdesk-import-'));
  store = await openStore({ sqlitePath: path.join(dir, 'store.sqlite') });
  await store.init();
  dead = new ImportDeadLetters(path.join(dir, 'dead.sqlite'));
  first = await importFiles([...ALL, fx('no-such-file.csv')], { store, deadLetters: dead });
});
afterAll(async () => {
  dead.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const outcome = (name: string) => first.perFile.find((f) => path.basename(f.file) === name)!;

describe('bad files: each with its reason, never a crash', () => {
  it.each([
    ['empty.csv', 'file.empty'],
    ['html-error.csv', 'file.html'],
    ['station-list.csv', 'file.format'],
    ['no-such-file.csv', 'file.unreadable'],
  ])('%s -> %s', (name, reason) => {
    expect(outcome(name)).toMatchObject({ ok: false, reason });
  });
  it('counts files by outcome', () => {
    expect(first.files).toEqual({ total: 10, imported: 6, failed: { 'file.empty': 1, 'file.html': 1, 'file.format': 1, 'file.unreadable': 1 } });
  });
  it('gzip named .csv: decompressed by magic bytes, all 5 station-hours kept', () => {
    // hour 1: 3 stations; hour 2: 1001A and 1003A (1002A's cells are all empty)
    expect(outcome('china_sites_20170101-gzip.csv')).toMatchObject({ ok: true, accepted: 5, rejected: 0, notes: ['gzip'] });
  });
  it('GBK file: decoded, national names get their codes, municipal names BJ-<name>', async () => {
    expect(outcome('beijing_all_20170601-gbk.csv')).toMatchObject({ ok: true, accepted: 3, notes: ['gb18030'] });
    const t = beijingToUtc(2017, 6, 1, 10);
    const got = await store.queryReadings({ from: t, to: t + 1 });
    expect(got.map((r) => [r.station, r.values.pm25, r.values.pm10])).toEqual([['1003A', 30, 50], ['1004A', 31, 51], ['BJ-前门', 32, 52]]);
  });
  it('truncated last line: one row.columns reject, the rest kept', () => {
    expect(outcome('truncated-line.csv')).toMatchObject({ ok: true, accepted: 3 });
    expect(first.lines.rejected['row.columns']).toBe(1);
  });
  it('absurd values: -999 rejects the station-hour (value.negative), 99999 is kept with a range flag', async () => {
    expect(outcome('absurd-values.csv')).toMatchObject({ accepted: 2, rejected: 1 });
    expect(first.stationHours.rejected).toEqual({ 'value.negative': 1 });
    expect(first.flagged).toEqual({ range: 1 });
    const t = beijingToUtc(2017, 1, 1, 3);
    const got = await store.queryReadings({ stations: ['1003A'], from: t, to: t + 1 });
    expect(got[0].values.pm25).toBe(99999);
    expect(got[0].flags.pm25).toEqual(['range']);
  });
  it('blank rows and an all-empty hour are skipped; an hour with only AQI/_24h stores nothing', () => {
    expect(outcome('blank-rows.csv')).toMatchObject({ ok: true, accepted: 3 });
    // blank-rows hour 7 (3) + prsa-small line 3 (all NA)
    expect(first.stationHours.withoutHourlyValues).toBe(4);
  });
  it('PRSA: CO ug/m3 -> mg/m3, compass -> degrees, dew point -> RH, hour label = end of hour', async () => {
    expect(outcome('prsa-small.csv')).toMatchObject({ ok: true, accepted: 2 });
    expect(first.lines.rejected['row.value']).toBe(1); // wd "XX"
    // Huairou is the national station 1009A
    const got = await store.queryReadings({ stations: ['1009A'], from: beijingToUtc(2017, 1, 1, 0), to: beijingToUtc(2017, 1, 1, 4) });
    expect(got.map((r) => r.time)).toEqual([beijingToUtc(2017, 1, 1, 0), beijingToUtc(2017, 1, 1, 3)]);
    // line 2: CO 400 ug/m3, wd NW, TEMP -2, DEWP -12
    expect(got[0].values).toMatchObject({ pm25: 10, co: 0.4, wd: 315, ws: 3.2, temp: -2, pres: 1020, precip: 0 });
    // es(-12) = 6.1094 exp(17.625 * -12 / 231.04) = 2.4459; es(-2) = 6.1094 exp(-35.25 / 241.04) = 5.2782
    expect(got[0].values.rh).toBeCloseTo(46.3, 5);
    // line 5: dew point = temperature -> 100 %
    expect(got[1].values).toMatchObject({ co: 1.5, rh: 100, wd: 180 });
  });
  it('every reject is kept as a dead letter with its reason', () => {
    expect(dead.byReason()).toEqual({
      'file.empty': 1, 'file.html': 1, 'file.format': 1, 'file.unreadable': 1,
      'row.columns': 1, 'row.value': 1, 'value.negative': 1,
    });
  });
});

describe('idempotent', () => {
  it('a second import adds nothing: same store counts, nothing written, no new dead letters', async () => {
    const before = await store.countReadings(EVERYTHING);
    const again = await importFiles(ALL, { store, deadLetters: dead });
    expect(await store.countReadings(EVERYTHING)).toEqual(before);
    expect(again.store).toEqual({ new: 0, updated: 0, unchanged: first.stationHours.accepted });
    expect(again.deadLettersAdded).toBe(0);
    expect(Object.values(before).reduce((a, b) => a + b, 0)).toBe(first.store.new);
  });
  it('half a day in one run and the other half in another are merged, not overwritten', () => {
    const a = { station: 'X', time: 1, interval: 'hour' as const, source: 'import' as const, values: { pm25: 10, co: null }, flags: {} };
    const b = { ...a, values: { pm25: null, co: 1.2 }, flags: { co: ['ceiling'] } };
    expect(mergeReading(a, b).reading).toMatchObject({ values: { pm25: 10, co: 1.2 }, flags: { co: ['ceiling'] } });
    // fill keeps the stored value on a conflict; overwrite takes the new one
    const c = { ...a, values: { pm25: 12 }, flags: {} };
    expect(mergeReading(a, c)).toMatchObject({ reading: { values: { pm25: 10 } }, conflicts: 1 });
    expect(mergeReading(a, c, 'overwrite')).toMatchObject({ reading: { values: { pm25: 12 } }, conflicts: 1 });
  });
});

describe('reading bytes', () => {
  const wide = 'date,hour,type,1001A\n20170101,1,PM2.5,10\n20170101,2,PM2.5,11\n';
  it('a truncated gzip keeps what decompresses and notes it', () => {
    const gz = gzipSync(Buffer.from(wide.repeat(50)));
    const r = readBytes(gz.subarray(0, gz.length - 12));
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.notes).toContain('gzip.truncated');
  });
  it('a gzip that is garbage after the magic bytes is file.gzip', () => {
    expect(readBytes(Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8]))).toMatchObject({ ok: false, reason: 'file.gzip' });
  });
  it('NUL bytes are file.binary; whitespace only is file.empty; BOM is ignored', () => {
    expect(readBytes(Buffer.from([0x64, 0x61, 0x74, 0x00, 0x01]))).toMatchObject({ ok: false, reason: 'file.binary' });
    expect(readBytes(Buffer.from('  \n\r\n'))).toMatchObject({ ok: false, reason: 'file.empty' });
    expect(readBytes(Buffer.from('\uFEFF' + wide))).toMatchObject({ ok: true, format: 'cnemc-wide', encoding: 'utf-8' });
  });
  it('GBK is detected when the bytes are not UTF-8', () => {
    const b = iconv.encode('date,hour,type,东四\n', 'gbk');
    expect(decodeText(b)).toEqual({ text: 'date,hour,type,东四\n', encoding: 'gb18030' });
    expect(decodeText(Buffer.from('东四'))).toEqual({ text: '东四', encoding: 'utf-8' });
  });
  it('--hour-label start moves every time one hour later', () => {
    const end = fileToMessages(wide, 'cnemc-wide', 'end').msgs.map((m) => m.msg.time);
    const start = fileToMessages(wide, 'cnemc-wide', 'start').msgs.map((m) => m.msg.time);
    expect(end).toEqual(['2017-01-01T01:00:00+08:00', '2017-01-01T02:00:00+08:00']);
    expect(start).toEqual(['2017-01-01T02:00:00+08:00', '2017-01-01T03:00:00+08:00']);
  });
  it('only 1-h concentration types become values', () => {
    const text = readFileSync(fx('china_sites_20170101-gzip.csv'));
    const r = readBytes(text);
    if (!r.ok) throw new Error('fixture');
    const m = fileToMessages(r.text, r.format).msgs[0].msg;
    expect(Object.keys(m.values).sort()).toEqual(['CO', 'NO2', 'O3', 'PM10', 'PM2.5', 'SO2']);
  });
});

describe('format helpers', () => {
  it.each([['N', 0], ['NNE', 22.5], ['E', 90], ['SSW', 202.5], ['NW', 315], ['NNW', 337.5], ['C', null], ['', null]])('compass %s -> %s', (n, d) => {
    expect(compassToDegrees(n as string)).toBe(d);
  });
  it('Magnus RH is 100 % at saturation and decreases as the dew point falls', () => {
    expect(rhFromDewPoint(25, 25)).toBeCloseTo(100, 9);
    expect(rhFromDewPoint(25, 15)).toBeLessThan(rhFromDewPoint(25, 20));
  });
  it('Beijing names: 12 national names map to codes, others keep a stable BJ- code', () => {
    expect(beijingStationCode('奥体中心')).toBe('1011A');
    expect(beijingStationCode(' 前门 ')).toBe('BJ-前门');
  });
  it('PRSA bad rows are rejected with a line number, not thrown', () => {
    const p = parsePrsa('"No","year","month","day","hour","PM2.5","PM10","SO2","NO2","CO","O3","TEMP","PRES","DEWP","RAIN","wd","WSPM","station"\n1,2017,13,1,0,1,1,1,1,1,1,1,1,1,1,"N",1,"Dongsi"\n2,2017,1,1,25,1,1,1,1,1,1,1,1,1,1,"N",1,"Dongsi"\n3,2017,1\n');
    expect(p.rejects.map((r) => [r.line, r.reason])).toEqual([[2, 'row.date'], [3, 'row.hour'], [4, 'row.columns']]);
  });
});
