/**
 * Where the records contract runs: a fresh SQLite file, and a fresh database on the real
 * PostgreSQL that tests/run.sh starts (AIRDESK_TEST_DATABASE_URL). Each test gets its own, dropped
 * afterwards, so tests neither see each other's rows nor depend on order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openRecords, type OpenRecordsOptions, type Records } from '../../records/open.ts';

export interface Target {
  /** Open one more handle on this test's database (several handles = several server processes). */
  open(opts?: Omit<OpenRecordsOptions, 'databaseUrl' | 'sqlitePath'>): Promise<Records>;
  /** Run raw SQL on the database, bypassing the repositories (to look at what is really stored). */
  raw(query: string): Promise<Record<string, unknown>[]>;
  cleanup(): Promise<void>;
}

export interface TargetKind {
  name: 'sqlite' | 'postgres';
  /** Concurrent writers from one process are meaningful (PostgreSQL). better-sqlite3 is
   *  synchronous: two handles on one file in one thread would wait on each other's lock. */
  concurrent: boolean;
  /** A database of its own for one test: migrated already (quicker), or `empty` (for the tests
   *  of migrating itself). */
  make(opts?: { empty?: boolean }): Promise<Target>;
  /** Drop what make() shares between tests (PostgreSQL's migrated template). */
  dispose(): Promise<void>;
}

export const PG_URL = process.env.AIRDESK_TEST_DATABASE_URL;

export const sqliteTarget: TargetKind = {
  name: 'sqlite',
  concurrent: false,
  async dispose() {},
  async make() {
    const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-records-'));
    const file = path.join(dir, 'records.sqlite');
    const opened: Records[] = [];
    return {
      async open(opts = {}) {
        const r = await openRecords({ ...opts, sqlitePath: file });
        opened.push(r);
        return r;
      },
      async raw(query) {
        const Database = (await import('better-sqlite3')).default;
        const db = new Database(file, { readonly: true });
        try {
          return db.prepare(query).all() as Record<string, unknown>[];
        } finally {
          db.close();
        }
      },
      async cleanup() {
        for (const r of opened) await r.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

let seq = 0;
const dbUrl = (name: string) => {
  const u = new URL(PG_URL!);
  u.pathname = `/${name}`;
  return u.toString();
};
async function adminQuery(q: string): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(q);
  } finally {
    await admin.end();
  }
}
// Migrating a new PostgreSQL database takes ~0.4 s here; copying a migrated template ~0.2 s.
const TEMPLATE = `records_tpl_${process.pid}`;
let template: Promise<void> | null = null;

export const postgresTarget: TargetKind = {
  name: 'postgres',
  concurrent: true,
  async dispose() {
    if (template) await adminQuery(`DROP DATABASE IF EXISTS "${TEMPLATE}" WITH (FORCE)`);
    template = null;
  },
  async make(opts = {}) {
    if (!opts.empty) {
      template ??= (async () => {
        await adminQuery(`DROP DATABASE IF EXISTS "${TEMPLATE}" WITH (FORCE)`);
        await adminQuery(`CREATE DATABASE "${TEMPLATE}"`);
        await (await openRecords({ databaseUrl: dbUrl(TEMPLATE) })).close();
      })();
      await template;
    }
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    const name = `records_${process.pid}_${++seq}`;
    await admin.query(`CREATE DATABASE "${name}"${opts.empty ? '' : ` TEMPLATE "${TEMPLATE}" STRATEGY FILE_COPY`}`);
    const url = dbUrl(name);
    const opened: Records[] = [];
    return {
      async open(opts = {}) {
        const r = await openRecords({ ...opts, databaseUrl: url });
        opened.push(r);
        return r;
      },
      async raw(query) {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        try {
          return (await c.query(query)).rows;
        } finally {
          await c.end();
        }
      },
      async cleanup() {
        for (const r of opened) await r.close();
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.end();
      },
    };
  },
};

/** Table names in the database, for checking what migrations left behind. */
export async function tables(t: Target, kind: TargetKind['name']): Promise<string[]> {
  const rows = kind === 'sqlite'
    ? await t.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    : await t.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
  return rows.map((r) => String(r.name));
}
