import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../stores/errors.ts';
import { openStore, parseInfluxUrl, storeConfigFromEnv } from '../../stores/open.ts';

const T = Date.UTC(2017, 0, 1);

describe('store configuration', () => {
  it.each([
    ['http://127.0.0.1:8086/airdesk', undefined, 'http://127.0.0.1:8086', 'airdesk'],
    ['http://127.0.0.1:8086', undefined, 'http://127.0.0.1:8086', 'airdesk'],
    ['http://127.0.0.1:8086/', undefined, 'http://127.0.0.1:8086', 'airdesk'],
    ['https://user:p%40ss@influx.bureau.local:8443/aq_city/', undefined, 'https://user:p%40ss@influx.bureau.local:8443', 'aq_city'],
    ['http://127.0.0.1:8086/airdesk', 'other', 'http://127.0.0.1:8086', 'other'],
  ])('INFLUX_URL %s (db %s) -> %s, %s', (raw, db, url, database) => {
    expect(parseInfluxUrl(raw, db)).toEqual({ url, database });
  });

  it('refuses a malformed INFLUX_URL at start-up with STORE_BAD_CONFIG', () => {
    for (const bad of ['127.0.0.1:8086', 'not a url', 'ftp://x/y']) {
      expect(() => storeConfigFromEnv({ INFLUX_URL: bad }), bad).toThrow(StoreError);
    }
  });

  it('defaults: SQLite files under ./.airdesk; AIRDESK_DATA_DIR moves them', () => {
    expect(storeConfigFromEnv({})).toEqual({
      influxUrl: undefined,
      dataDir: './.airdesk',
      sqlitePath: path.join('.airdesk', 'airdesk.sqlite'),
      stationsPath: path.join('.airdesk', 'stations.sqlite'),
    });
    const c = storeConfigFromEnv({ AIRDESK_DATA_DIR: '/var/lib/airdesk', INFLUX_URL: ' http://h:8086/x ' });
    expect(c).toMatchObject({ influxUrl: 'http://h:8086/x', sqlitePath: '/var/lib/airdesk/airdesk.sqlite' });
    expect(Object.isFrozen(c)).toBe(true);
  });
});

describe('openStore: SQLite', () => {
  it('opens a WAL file store (creating its folder) whose writes survive a reopen', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-open-'));
    try {
      const file = path.join(dir, 'nested', 'airdesk.sqlite');
      const s = await openStore({ sqlitePath: file });
      expect(s.kind).toBe('sqlite');
      await s.writeReadings([{ station: 'A', time: T, interval: 'hour', source: 'live', values: { pm25: 3 }, flags: {} }]);
      await s.close();
      const raw = new Database(file, { readonly: true });
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();
      const again = await openStore({ sqlitePath: file });
      expect(await again.countReadings({ from: 0, to: T + 1 })).toEqual({ A: 1 });
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a store that cannot open its file fails with STORE_UNREACHABLE', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-open-'));
    try {
      const file = path.join(dir, 'plain-file');
      writeFileSync(file, 'x');
      // its "folder" is a regular file
      await expect(openStore({ sqlitePath: path.join(file, 'sub', 'a.sqlite') })).rejects.toMatchObject({ code: 'STORE_UNREACHABLE' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const INFLUX = process.env.AIRDESK_TEST_INFLUX_URL;
describe.skipIf(!INFLUX)('openStore: InfluxDB', () => {
  it('chooses InfluxDB when a URL is set and creates the database named in its path', async () => {
    const db = `open_${process.pid}_${Date.now()}`;
    const s = await openStore({ influxUrl: `${INFLUX}/${db}`, sqlitePath: ':memory:' });
    try {
      expect(s.kind).toBe('influx');
      const show = await fetch(`${INFLUX}/query?q=SHOW%20DATABASES`).then((r) => r.json());
      expect(JSON.stringify(show)).toContain(`"${db}"`);
      await s.writeReadings([{ station: 'A', time: T, interval: 'hour', source: 'live', values: { pm25: 3 }, flags: {} }]);
      // opening again (database exists) is fine and sees the data
      const again = await openStore({ influxUrl: `${INFLUX}/${db}` });
      expect(await again.countReadings({ from: 0, to: T + 1 })).toEqual({ A: 1 });
      await again.close();
    } finally {
      await s.close();
      await fetch(`${INFLUX}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${db}"` }) });
    }
  });
});
