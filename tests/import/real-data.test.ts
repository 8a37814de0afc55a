/**
 * Import every monitoring CSV under ../shared/data (cnemc-national, beijing-bjmemc, prsa-beijing)
 * into the SQLite store, check it against the published episode figures of
 * ../shared/data/README.md, and import again: exact store counts must not change.
 * The InfluxDB run (AIRDESK_TEST_INFLUX_URL, from tests/run.sh) does the same for the national file.
 * Skips, saying so, when ../shared/data is absent (a fresh clone).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../stores/open.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { importFiles, type ImportSummary } from '../../gateway/import/pipeline.ts';
import { ImportDeadLetters } from '../../gateway/import/deadletters.ts';
import { expandPaths } from '../../gateway/import/read.ts';
import { beijingToUtc, endOfBeijingDay, HOUR_MS } from '#common/time.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
const HAVE = existsSync(path.join(DATA, 'beijing-bjmemc'));
if (!HAVE) console.log(`tests/import/real-data: ${DATA} not found, skipping the real-data import tests`);
const SETS = ['cnemc-national', 'beijing-bjmemc', 'prsa-beijing'].map((d) => path.join(DATA, d));
const EVERYTHING = { from: 0, to: Date.UTC(2100, 0, 1) };
const NATIONAL = Array.from({ length: 12 }, (_, i) => `${1001 + i}A`);
const sumOf = (m: Record<string, number>) => Object.values(m).reduce((a, b) => a + b, 0);

/** README method: city hourly value = mean of the 12 national stations present; a daily mean
 *  needs >= 20 hours (labels 1..24, end of hour) each with >= 6 stations... here: hours with any. */
async function cityHours(store: TimeSeriesStore, day: string, q: 'pm25' | 'o3'): Promise<(number | null)[]> {
  const end = endOfBeijingDay(day);
  const rs = await store.queryReadings({ stations: NATIONAL, interval: 'hour', source: 'import', from: end - 24 * HOUR_MS + 1, to: end + 1 });
  const out: (number | null)[] = [];
  for (let h = 23; h >= 0; h--) {
    const t = end - h * HOUR_MS;
    const v = rs.filter((r) => r.time === t).map((r) => r.values[q]).filter((x): x is number => typeof x === 'number');
    out.push(v.length >= 6 ? v.reduce((a, b) => a + b, 0) / v.length : null);
  }
  return out;
}
const dailyMean = (h: (number | null)[]) => {
  const v = h.filter((x): x is number => x !== null);
  return v.length >= 20 ? v.reduce((a, b) => a + b, 0) / v.length : null;
};
const mda8 = (h: (number | null)[]) => {
  let best = -Infinity;
  for (let e = 8; e <= 24; e++) {
    const w = h.slice(e - 8, e).filter((x): x is number => x !== null);
    if (w.length >= 6) best = Math.max(best, w.reduce((a, b) => a + b, 0) / w.length);
  }
  return best;
};

describe.skipIf(!HAVE)('real data into SQLite', () => {
  let dir: string;
  let store: TimeSeriesStore;
  let dead: ImportDeadLetters;
  let first: ImportSummary;
  const files = HAVE ? expandPaths(SETS) : [];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'airdesk-real-'));
    store = await openStore({ sqlitePath: path.join(dir, 'store.sqlite') });
    await store.init();
    dead = new ImportDeadLetters(path.join(dir, 'dead.sqlite'));
    first = await importFiles(files, { store, deadLetters: dead });
    console.log('tests/import/real-data first import:', JSON.stringify({ ...first, perFile: undefined }));
  }, 600_000);
  afterAll(async () => {
    dead?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports counts and rejects: the four empty BJMEMC files (2016-12-30, 12-31) and nothing else failed', () => {
    expect(first.files.total).toBe(files.length);
    expect(first.files.failed).toEqual({ 'file.empty': 4 });
    expect(first.perFile.filter((f) => !f.ok).map((f) => path.basename(f.file)).sort()).toEqual([
      'beijing_all_20161230.csv', 'beijing_all_20161231.csv', 'beijing_extra_20161230.csv', 'beijing_extra_20161231.csv',
    ]);
    expect(first.stationHours.accepted + sumOf(first.stationHours.rejected)).toBe(first.stationHours.read);
    expect(first.stationHours.accepted).toBeGreaterThan(100_000);
  });
  it('national file: ~1,500 stations on 2017-01-01 by code', async () => {
    const c = await store.countReadings({ from: beijingToUtc(2017, 1, 1, 1), to: beijingToUtc(2017, 1, 2, 1), interval: 'hour' });
    const coded = Object.keys(c).filter((s) => /^\d{4}[A-Z]$/.test(s));
    expect(coded.length).toBeGreaterThan(1400);
    expect(coded.length).toBeLessThanOrEqual(1497);
  });
  it('BJMEMC: 12 national names joined to their codes, 23 municipal stations as BJ-<name>', async () => {
    const c = await store.countReadings({ from: beijingToUtc(2017, 6, 1), to: beijingToUtc(2017, 7, 1) });
    expect(Object.keys(c).filter((s) => s.startsWith('BJ-')).length).toBe(23);
    for (const s of NATIONAL) expect(c[s]).toBeGreaterThan(600);
  });
  it('PRSA and BJMEMC agree on Dongsi 2016-12-01 label 0 (PM2.5 9), and PRSA adds the meteorology', async () => {
    const t = beijingToUtc(2016, 12, 1, 0);
    const [r] = await store.queryReadings({ stations: ['1003A'], from: t, to: t + 1 });
    // beijing_all_20161201.csv hour 0 东四 PM2.5 9, PM10 16; PRSA_Data_Dongsi line 2: TEMP 3.5, wd E, WSPM 1
    expect(r.values).toMatchObject({ pm25: 9, pm10: 16, temp: 3.5, wd: 90, ws: 1, co: 0.5 });
  });
  it('the Dec 2016 heavy-pollution episode: city daily PM2.5 as published (end-of-hour column)', async () => {
    // README: 2016-12-16 .. 12-22 end-of-hour: 110, 190, 218, 219, 372, 395, 55
    const expected = [110, 190, 218, 219, 372, 395, 55];
    for (let i = 0; i < 7; i++) {
      const day = `2016-12-${16 + i}`;
      const m = dailyMean(await cityHours(store, day, 'pm25'));
      expect(m, day).not.toBeNull();
      expect(Math.abs(m! - expected[i]), `${day}: ${m}`).toBeLessThanOrEqual(2);
    }
  });
  it('the June 2017 O3 run: city MDA8 as published (06-14..21)', async () => {
    const expected = [180, 218, 221, 262, 250, 213, 219, 221];
    for (let i = 0; i < expected.length; i++) {
      const day = `2017-06-${14 + i}`;
      const m = mda8(await cityHours(store, day, 'o3'));
      expect(Math.abs(m - expected[i]), `${day}: ${m}`).toBeLessThanOrEqual(2);
    }
  });
  it('importing again adds nothing: exact store counts equal before and after', async () => {
    const before = await store.countReadings(EVERYTHING);
    const again = await importFiles(files, { store, deadLetters: dead });
    const after = await store.countReadings(EVERYTHING);
    expect(after).toEqual(before);
    expect(again.store.new).toBe(0);
    expect(again.store.updated).toBe(0);
    expect(again.deadLettersAdded).toBe(0);
  }, 600_000);
});

const INFLUX = process.env.AIRDESK_TEST_INFLUX_URL;
if (!INFLUX) console.log('tests/import/real-data: AIRDESK_TEST_INFLUX_URL not set, skipping the InfluxDB import (use tests/run.sh)');
describe.skipIf(!HAVE || !INFLUX)('real data into InfluxDB (national file)', () => {
  it('imports china_sites_20170101.csv; a second import leaves exact counts unchanged', async () => {
    const store = await openStore({ influxUrl: `${INFLUX}/airdesk_import_${process.pid}_${Date.now()}` });
    try {
      await store.init();
      const files = expandPaths([path.join(DATA, 'cnemc-national')]);
      const first = await importFiles(files, { store });
      const before = await store.countReadings(EVERYTHING);
      expect(sumOf(before)).toBe(first.store.new);
      expect(first.stationHours.accepted).toBeGreaterThan(20_000);
      const again = await importFiles(files, { store });
      expect(await store.countReadings(EVERYTHING)).toEqual(before);
      expect(again.store).toMatchObject({ new: 0, updated: 0 });
    } finally {
      await store.close();
    }
  }, 600_000);
});
