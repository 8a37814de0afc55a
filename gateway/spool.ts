/**
 * The gateway's own durable spool: an SQLite file in WAL mode with synchronous=FULL, so a
 * committed transaction has been fsynced. A message is acknowledged to the broker only after the
 * group commit that holds it (gateway/ingestor.ts), and removed only after the store has it
 * (gateway/drainer.ts). While the store is down the backlog grows here, on disk, not in the heap.
 *
 * Tables: pending_readings / pending_voc (normalised JSON bodies waiting for the store),
 * deadletter (every rejected message with its raw bytes and reason), station_status (latest
 * retained status per station). Ids only grow and the drainer deletes prefixes, so the backlog
 * of a table is max(id) - min(id) + 1, read without a scan.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Reading, VocCycle } from '#common/schemas/reading.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS pending_readings (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pending_voc (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deadletter (
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  topic TEXT NOT NULL,
  reason TEXT NOT NULL,
  detail TEXT NOT NULL,
  raw BLOB NOT NULL,
  size INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deadletter_reason ON deadletter (reason);
CREATE TABLE IF NOT EXISTS station_status (
  station TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  time INTEGER NOT NULL,
  received INTEGER NOT NULL
) WITHOUT ROWID;
`;

export interface DeadLetterRow {
  time: number;
  topic: string;
  reason: string;
  detail: string;
  raw: Uint8Array;
  /** full payload size; raw may be cut to the payload limit */
  size: number;
}

export interface StatusRow {
  station: string;
  state: string;
  time: number;
  received: number;
}

export interface Group {
  readings: readonly Reading[];
  voc: readonly VocCycle[];
  dead: readonly DeadLetterRow[];
  status: readonly StatusRow[];
}

export interface PendingBatch<T> {
  first: number;
  last: number;
  items: T[];
}

export class Spool {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly insR: Database.Statement;
  private readonly insV: Database.Statement;
  private readonly insD: Database.Statement;
  private readonly insS: Database.Statement;
  private readonly takeR: Database.Statement;
  private readonly takeV: Database.Statement;
  private readonly delR: Database.Statement;
  private readonly delV: Database.Statement;
  private readonly spanR: Database.Statement;
  private readonly spanV: Database.Statement;
  private readonly commitGroup: (g: Group) => void;

  constructor(file: string, opts: { readonly?: boolean } = {}) {
    this.path = file;
    if (file !== ':memory:' && !opts.readonly) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file, { readonly: !!opts.readonly, fileMustExist: !!opts.readonly });
    if (!opts.readonly) {
      this.db.pragma('journal_mode = WAL');
      // FULL: every commit is fsynced (WAL + NORMAL could lose the last commits on power loss).
      this.db.pragma('synchronous = FULL');
      this.db.exec(SCHEMA);
    }
    this.db.pragma('busy_timeout = 5000');
    const ro = !!opts.readonly;
    const prep = (sql: string) => (ro ? (null as unknown as Database.Statement) : this.db.prepare(sql));
    this.insR = prep('INSERT INTO pending_readings (body) VALUES (?)');
    this.insV = prep('INSERT INTO pending_voc (body) VALUES (?)');
    this.insD = prep('INSERT INTO deadletter (time, topic, reason, detail, raw, size) VALUES (?, ?, ?, ?, ?, ?)');
    this.insS = prep('INSERT OR REPLACE INTO station_status (station, state, time, received) VALUES (?, ?, ?, ?)');
    this.takeR = prep('SELECT id, body FROM pending_readings ORDER BY id LIMIT ?');
    this.takeV = prep('SELECT id, body FROM pending_voc ORDER BY id LIMIT ?');
    this.delR = prep('DELETE FROM pending_readings WHERE id BETWEEN ? AND ?');
    this.delV = prep('DELETE FROM pending_voc WHERE id BETWEEN ? AND ?');
    this.spanR = prep('SELECT min(id) AS lo, max(id) AS hi FROM pending_readings');
    this.spanV = prep('SELECT min(id) AS lo, max(id) AS hi FROM pending_voc');
    this.commitGroup = ro
      ? () => { throw new Error('spool opened read-only'); }
      : this.db.transaction((g: Group) => {
          for (const r of g.readings) this.insR.run(JSON.stringify(r));
          for (const c of g.voc) this.insV.run(JSON.stringify(c));
          for (const d of g.dead) this.insD.run(d.time, d.topic, d.reason, d.detail, d.raw, d.size);
          for (const s of g.status) this.insS.run(s.station, s.state, s.time, s.received);
        });
  }

  /** One transaction, one fsync, for everything a group commit holds. */
  append(g: Group): void {
    this.commitGroup(g);
  }

  /** Oldest pending readings, up to `limit`, without removing them. */
  peekReadings(limit: number): PendingBatch<Reading> | null {
    return peek<Reading>(this.takeR, limit);
  }

  peekVoc(limit: number): PendingBatch<VocCycle> | null {
    return peek<VocCycle>(this.takeV, limit);
  }

  /** Remove a batch the store has durably taken. */
  doneReadings(b: PendingBatch<Reading>): void {
    this.delR.run(b.first, b.last);
  }

  doneVoc(b: PendingBatch<VocCycle>): void {
    this.delV.run(b.first, b.last);
  }

  /** Number of readings and VOC cycles waiting for the store. */
  backlog(): { readings: number; voc: number } {
    return { readings: span(this.spanR), voc: span(this.spanV) };
  }

  /** Dead letters counted by reason, most frequent first. */
  deadLetterSummary(): { reason: string; count: number; last: number }[] {
    return this.db
      .prepare('SELECT reason, count(*) AS count, max(time) AS last FROM deadletter GROUP BY reason ORDER BY count DESC, reason')
      .all() as { reason: string; count: number; last: number }[];
  }

  /** The most recent dead letters, newest first. */
  recentDeadLetters(n: number, reason?: string): (DeadLetterRow & { id: number })[] {
    const sql = `SELECT id, time, topic, reason, detail, raw, size FROM deadletter ${reason ? 'WHERE reason = ?' : ''} ORDER BY id DESC LIMIT ?`;
    const rows = (reason ? this.db.prepare(sql).all(reason, n) : this.db.prepare(sql).all(n)) as (DeadLetterRow & { id: number })[];
    return rows;
  }

  stationStatus(): StatusRow[] {
    return this.db.prepare('SELECT station, state, time, received FROM station_status ORDER BY station').all() as StatusRow[];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function peek<T>(stmt: Database.Statement, limit: number): PendingBatch<T> | null {
  const rows = stmt.all(limit) as { id: number; body: string }[];
  if (rows.length === 0) return null;
  const items = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) items[i] = JSON.parse(rows[i].body) as T;
  return { first: rows[0].id, last: rows[rows.length - 1].id, items };
}

function span(stmt: Database.Statement): number {
  const r = stmt.get() as { lo: number | null; hi: number | null };
  return r.lo === null || r.hi === null ? 0 : r.hi - r.lo + 1;
}

export function openSpool(file: string): Spool {
  return new Spool(file);
}
