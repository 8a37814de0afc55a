import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { parseCnemcStations, StationsFormatError } from '#common/formats/cnemc-stations.ts';
import { decodeText as decodeStationBytes } from '#common/formats/decode-text.ts';
import { StoreError } from '../../stores/errors.ts';
import { openStationRegistry } from '../../stores/stations.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.join(import.meta.dirname, 'fixtures/stations-small.csv');
const REAL = path.resolve(ROOT, '../shared/data/stations/cnemc-stations.csv');
const run = promisify(execFile);

describe('CNEMC station list parser', () => {
  const f = parseCnemcStations(readFileSync(FIXTURE, 'utf8'));

  it('keeps good rows, with null coordinates when both are empty and quoted cells', () => {
    expect(f.stations.map((s) => s.code)).toEqual(['1001A', '1002A', '1045A', '1100A', '1107A']);
    expect(f.stations[0]).toEqual({ code: '1001A', name: '万寿西宫', city: '北京', province: '北京市', lon: 116.3621, lat: 39.8784, kind: 'national' });
    expect(f.stations[2]).toMatchObject({ code: '1045A', lon: null, lat: null });
    expect(f.stations[3].name).toBe('东坝, 新站');
    expect(f.background).toEqual(['1002A']);
  });

  it('rejects each garbage row with its line number and reason', () => {
    expect(f.rejects.map((r) => [r.line, r.reason])).toEqual([
      [7, 'row.coord'], // abc
      [8, 'row.coord'], // lat missing
      [9, 'row.coord'], // lat 95
      [10, 'row.duplicate'],
      [11, 'row.code'],
      [12, 'row.name'],
      [13, 'row.columns'],
      [14, 'row.quote'],
    ]);
    expect(f.rejects[3].detail).toContain('line 2');
  });

  it('refuses a file that is not a station list (an HTML error page saved as .csv)', () => {
    expect(() => parseCnemcStations('<html><body>502 Bad Gateway</body></html>')).toThrow(StationsFormatError);
    expect(() => parseCnemcStations('')).toThrow(StationsFormatError);
  });

  it('decodes GBK, UTF-8 with BOM and UTF-8 to the same stations', () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const gbk = decodeStationBytes(iconv.encode(text, 'gbk'));
    expect(gbk.encoding).toBe('gb18030');
    expect(gbk.text).toBe(text);
    const bom = decodeStationBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(bom).toEqual({ text, encoding: 'utf-8' });
    expect(parseCnemcStations(gbk.text)).toEqual(f);
  });
});

describe('station registry', () => {
  const stations = parseCnemcStations(readFileSync(FIXTURE, 'utf8')).stations;

  it('upserts idempotently, lists with filters, gets and has by code', () => {
    const reg = openStationRegistry(':memory:');
    expect(reg.upsert(stations)).toEqual({ inserted: 5, updated: 0, unchanged: 0 });
    expect(reg.upsert(stations)).toEqual({ inserted: 0, updated: 0, unchanged: 5 });
    expect(reg.upsert([{ ...stations[0], name: '万寿西宫站' }])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    expect(reg.count()).toBe(5);
    expect(reg.get('1001A')).toMatchObject({ name: '万寿西宫站', lon: 116.3621 });
    expect(reg.get('1045A')).toMatchObject({ lon: null, lat: null });
    expect(reg.get('9999A')).toBeNull();
    expect(reg.has('1002A')).toBe(true);
    expect(reg.has('9999A')).toBe(false);
    expect(reg.list({ city: '北京' }).map((s) => s.code)).toEqual(['1001A', '1002A']);
    expect(reg.list({ province: '天津市' }).map((s) => s.code)).toEqual(['1100A', '1107A']);
    expect(reg.list({ kind: 'micro' })).toEqual([]);
    expect(reg.list().length).toBe(5);
    reg.close();
  });

  it('refuses an invalid station with STORE_INVALID_INPUT and writes none of the batch', () => {
    const reg = openStationRegistry(':memory:');
    const bad = { ...stations[1], code: 'X1', lat: 123 };
    expect(() => reg.upsert([stations[0], bad])).toThrow(StoreError);
    expect(reg.count()).toBe(0);
    reg.close();
  });
});

describe.skipIf(!existsSync(REAL))('real CNEMC station list (../shared/data)', () => {
  it('has 2,026 stations, 10 without coordinates; 1001A 万寿西宫 at 116.3621, 39.8784', () => {
    const { text, encoding } = decodeStationBytes(readFileSync(REAL));
    expect(encoding).toBe('utf-8');
    const f = parseCnemcStations(text);
    expect(f.rejects).toEqual([]);
    expect(f.stations.length).toBe(2026);
    expect(f.stations.filter((s) => s.lon === null && s.lat === null).length).toBe(10);
    expect(f.stations.find((s) => s.code === '1001A')).toMatchObject({ name: '万寿西宫', city: '北京', lon: 116.3621, lat: 39.8784 });
    // the same file as GBK (its original encoding) gives the same stations
    expect(parseCnemcStations(decodeStationBytes(iconv.encode(text, 'gbk')).text)).toEqual(f);
  });
});
if (!existsSync(REAL)) console.warn(`tests/stores: ${REAL} absent, skipping the real station-list test`);

describe('airdesk stations (CLI)', () => {
  it('imports (reporting bad lines, exit 1), re-imports idempotently, lists by city as JSON', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-stations-'));
    try {
      const db = path.join(dir, 'reg.sqlite');
      const gbkFile = path.join(dir, 'stations-gbk.csv');
      writeFileSync(gbkFile, iconv.encode(readFileSync(FIXTURE, 'utf8'), 'gbk'));
      const cli = (...args: string[]) =>
        run(process.execPath, [path.join(ROOT, 'bin/airdesk.mjs'), 'stations', ...args, '--db', db], { cwd: ROOT }).then(
          (r) => ({ code: 0, out: r.stdout }),
          (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
        );
      const first = await cli('import', gbkFile);
      expect(first.code).toBe(1);
      expect(first.out).toContain('(gb18030): 5 stations: 5 new, 0 updated, 0 unchanged; 1 without coordinates; 8 rows rejected');
      expect(first.out).toContain('line 13: row.columns');
      const again = await cli('import', FIXTURE);
      expect(again.out).toContain('5 stations: 0 new, 0 updated, 5 unchanged');
      const list = await cli('list', '--city', '北京', '--json');
      expect(list.code).toBe(0);
      expect(JSON.parse(list.out).map((s: { code: string }) => s.code)).toEqual(['1001A', '1002A']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // three CLI start-ups (tsx + every command module): seconds each on a loaded 2-core machine
  }, 120_000);
});
