/**
 * openRecords at start-up with bad input: a malformed DATABASE_URL, a database that is not there
 * (nothing listening, something that is not PostgreSQL, a database name that does not exist), a
 * database that comes up late, an SQLite path that cannot be a database. Each failure is one
 * coded line without the password. (A migration failing half-way is in contract.test.ts, on both
 * dialects.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordsError } from '../../records/errors.ts';
import { openRecords, parseDatabaseUrl, recordsConfigFromEnv, redactUrl, type Records } from '../../records/open.ts';
import { PG_URL } from './targets.ts';

async function failure(p: Promise<unknown>): Promise<RecordsError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(RecordsError);
    expect((err as Error).message).not.toMatch(/\n/);
    expect((err as Error).message).not.toContain('s3cret');
    return err as RecordsError;
  }
  throw new Error('expected a RecordsError');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A logger that keeps what it was told, to count retries. */
function memoryLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => { lines.push(JSON.parse(s)); } });
  return { logger, lines };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('DATABASE_URL', () => {
  it.each([
    ['not a URL', 'not a url'],
    ['MySQL', 'mysql://root@127.0.0.1/airdesk'],
    ['an InfluxDB URL by mistake', 'http://127.0.0.1:8086/airdesk'],
    ['sqlite://', 'sqlite:///var/lib/airdesk.db'],
    ['no host', 'postgres:///airdesk'],
    ['no database', 'postgres://airdesk@db.example'],
    ['a path of two segments', 'postgres://u@db/a/b'],
    ['a bad port', 'postgres://u:s3cret@db:99999/airdesk'],
  ])('refuses %s with RECORDS_BAD_CONFIG, in one line, without the password', (_l, url) => {
    let err: unknown;
    try {
      parseDatabaseUrl(url);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RecordsError);
    expect((err as RecordsError).code).toBe('RECORDS_BAD_CONFIG');
    expect((err as Error).message).toMatch(/^RECORDS_BAD_CONFIG: bad configuration: DATABASE_URL .*unset it for the embedded SQLite file\)$/);
    expect((err as Error).message).not.toContain('s3cret');
  });

  it.each([
    'postgres://airdesk@127.0.0.1/airdesk',
    'postgresql://airdesk:pw@db.example:6432/records?sslmode=require',
  ])('accepts %s', (url) => {
    expect(parseDatabaseUrl(url).hostname).toBeTruthy();
  });

  it('the env reader: unset or empty = SQLite under the data dir; malformed fails at start-up', () => {
    expect(recordsConfigFromEnv({})).toEqual({ databaseUrl: undefined, sqlitePath: path.join('./.airdesk', 'records.sqlite') });
    expect(recordsConfigFromEnv({ DATABASE_URL: '  ', AIRDESK_DATA_DIR: '/srv/airdesk' })).toEqual({ databaseUrl: undefined, sqlitePath: '/srv/airdesk/records.sqlite' });
    expect(recordsConfigFromEnv({ DATABASE_URL: 'postgres://u@h/d' }).databaseUrl).toBe('postgres://u@h/d');
    expect(() => recordsConfigFromEnv({ DATABASE_URL: 'postgres://u@h' })).toThrow(/^RECORDS_BAD_CONFIG/);
  });

  it('redacts the password for messages and logs', () => {
    expect(redactUrl('postgres://airdesk:s3cret@db:5432/records')).toBe('postgres://airdesk:***@db:5432/records');
    expect(redactUrl('postgres://airdesk@db/records')).toBe('postgres://airdesk@db/records');
  });

  it('openRecords refuses a malformed URL before connecting', async () => {
    const e = await failure(openRecords({ databaseUrl: 'postgres://u:s3cret@' }));
    expect(e.code).toBe('RECORDS_BAD_CONFIG');
  });
});

describe('unreachable database at start', () => {
  it('nothing listening: a bounded number of attempts, then one coded line', async () => {
    const port = await freePort();
    const { logger, lines } = memoryLogger();
    const t0 = Date.now();
    const e = await failure(openRecords({ databaseUrl: `postgres://airdesk:s3cret@127.0.0.1:${port}/airdesk`, connectAttempts: 3, retryDelayMs: 20, logger }));
    expect(e.code).toBe('RECORDS_UNREACHABLE');
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(new RegExp(`^RECORDS_UNREACHABLE: database unreachable: postgres://airdesk:\\*\\*\\*@127\\.0\\.0\\.1:${port}/airdesk: .*ECONNREFUSED.* \\(after 3 attempts\\)$`));
    expect(lines.filter((l) => /retrying/.test(l.msg))).toHaveLength(2); // waits between attempts 1-2 and 2-3
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('something that is not PostgreSQL (closes every connection): the same', async () => {
    const server: Server = createServer((s) => s.destroy()).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    cleanups.push(() => new Promise((r) => server.close(() => r())));
    const { port } = server.address() as { port: number };
    const e = await failure(openRecords({ databaseUrl: `postgres://airdesk@127.0.0.1:${port}/airdesk`, connectAttempts: 2, retryDelayMs: 10 }));
    expect(e.code).toBe('RECORDS_UNREACHABLE');
    expect(e.message).toMatch(/\(after 2 attempts\)$/);
  });

  it.runIf(PG_URL)('a database name that does not exist: no retry, not retryable', async () => {
    const u = new URL(PG_URL!);
    u.pathname = '/no_such_database';
    const { logger, lines } = memoryLogger();
    const e = await failure(openRecords({ databaseUrl: u.toString(), connectAttempts: 5, retryDelayMs: 1000, logger }));
    expect(e.code).toBe('RECORDS_UNREACHABLE');
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(/database "no_such_database" does not exist$/);
    expect(lines.filter((l) => /retrying/.test(l.msg))).toHaveLength(0);
  });

  it.runIf(PG_URL)('a database that comes up while we retry: opens, after saying it waited', async () => {
    const pg = new URL(PG_URL!);
    const port = await freePort();
    // A TCP relay to the real server that starts listening only after 400 ms.
    let relay: Server | null = null;
    const sockets: Socket[] = [];
    const timer = setTimeout(() => {
      relay = createServer((c) => {
        const up = connect(Number(pg.port), pg.hostname);
        sockets.push(c, up);
        c.pipe(up).pipe(c);
        c.on('error', () => up.destroy());
        up.on('error', () => c.destroy());
      }).listen(port, '127.0.0.1');
    }, 400);
    let r: Records | null = null;
    cleanups.push(async () => {
      clearTimeout(timer);
      await r?.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((res) => (relay ? relay.close(() => res()) : res()));
    });
    const via = new URL(PG_URL!);
    via.port = String(port);
    const { logger, lines } = memoryLogger();
    r = await openRecords({ databaseUrl: via.toString(), connectAttempts: 6, retryDelayMs: 150, logger });
    expect(r.dialect).toBe('postgres');
    expect(lines.filter((l) => /retrying/.test(l.msg)).length).toBeGreaterThanOrEqual(1);
    expect(lines.some((l) => l.msg === 'records open')).toBe(true);
  });
});

describe('SQLite file that cannot be the record', () => {
  const dir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'airdesk-records-open-'));
    cleanups.push(() => rmSync(d, { recursive: true, force: true }));
    return d;
  };

  it('a directory where the file should be', async () => {
    const d = dir();
    const e = await failure(openRecords({ sqlitePath: d }));
    expect(e.code).toBe('RECORDS_UNREACHABLE');
    expect(e.message).toContain(`cannot open SQLite file ${d}`);
  });

  it('a file that is not a database is left as it was', async () => {
    const f = path.join(dir(), 'records.sqlite');
    writeFileSync(f, 'these are not the records you are looking for\n'.repeat(100));
    const e = await failure(openRecords({ sqlitePath: f }));
    expect(e.code).toBe('RECORDS_UNREACHABLE');
    expect(e.message).toMatch(/not a database/);
  });

  it("':memory:' (for tests) is a private database of its own", async () => {
    const [a, b] = [await openRecords({ sqlitePath: ':memory:' }), await openRecords({ sqlitePath: ':memory:' })];
    cleanups.push(() => a.close(), () => b.close());
    await a.settings.set('k', 1, { who: 'a', from: 'test' });
    expect([(await a.settings.get('k'))?.value, await b.settings.get('k')]).toEqual([1, null]);
  });

  it('a new data dir is created, and the records survive a reopen', async () => {
    const f = path.join(dir(), 'deep', 'er', 'records.sqlite');
    const a = await openRecords({ sqlitePath: f });
    await a.settings.set('k', { v: 1 }, { who: 'a', from: 'test' });
    await a.close();
    const b = await openRecords({ sqlitePath: f });
    cleanups.push(() => b.close());
    expect((await b.settings.get('k'))?.value).toEqual({ v: 1 });
  });
});
