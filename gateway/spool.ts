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
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Reading, VocCycle } from '#common/schemas/reading.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS pending_readings (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pending_voc (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL);
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
-- Every dead letter ever counted, by reason, also those pruned or not kept (disk watermark).
CREATE TABLE IF NOT EXISTS deadletter_reasons (
  reason TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  last INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS station_status (
  station TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  time INTEGER NOT NULL,
  received INTEGER NOT NULL
) WITHOUT ROWID;
`;

const ROWS = 64;

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

/**
 * Bounds of the dead-letter table. Why: 1 M garbage messages added 249 MB, 2,000 x 261 KB 498 MB
 * in 1.4 s; when garbage filled the disk the spool's commits failed and 72 % of valid readings
 * were lost. Oldest rows go first, except the newest row of each reason (a sample to look at);
 * per-reason counts (deadletter_reasons) keep counting everything.
 */
export interface DeadLetterLimits {
  /** rows kept; default 100,000 */
  maxRows: number;
  /** bytes of raw + detail + topic kept; default 64 MiB */
  maxBytes: number;
  /** raw payload kept per row; a longer one is cut and its SHA-256 kept; default 16 KiB */
  rawMaxBytes: number;
}

export const DEFAULT_DEADLETTER_LIMITS: DeadLetterLimits = { maxRows: 100_000, maxBytes: 64 << 20, rawMaxBytes: 16 << 10 };

export interface Group {
  readings: readonly Reading[];
  /** JSON.stringify(readings[i]) when the caller has it already (the ingestor does) */
  bodies?: readonly string[];
  voc: readonly VocCycle[];
  dead: readonly DeadLetterRow[];
  status: readonly StatusRow[];
  /** dead letters not kept (disk below the watermark): only counted, by reason */
  deadSkipped?: Readonly<Record<string, number>>;
}

/** Ids the group's readings got in pending_readings (first > last when it had none). */
export interface Appended {
  firstReading: number;
  lastReading: number;
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
  // 64 rows per INSERT: one native call and one statement step for 64 readings instead of 64.
  private readonly insR64: Database.Statement;
  private readonly insV: Database.Statement;
  private readonly insD: Database.Statement;
  private readonly insS: Database.Statement;
  private readonly takeR: Database.Statement;
  private readonly takeV: Database.Statement;
  private readonly spanR: Database.Statement;
  private readonly spanV: Database.Statement;
  private readonly commitGroup: (g: Group) => Appended;
  private readonly commitDead: (rows: readonly DeadLetterRow[]) => void;
  private readonly purge: () => void;
  private readonly delUpToR: Database.Statement;
  private readonly delUpToV: Database.Statement;
  // Rows the store has taken but not yet deleted: deleting is folded into the next group commit
  // (no fsync of its own on the hot path) or done by a short timer when no commit comes. Until
  // then peek/backlog skip them; a crash before the delete re-sends them (store writes are
  // idempotent), so nothing is lost or duplicated.
  private doneR = 0;
  private doneV = 0;
  private purgedR = 0;
  private purgedV = 0;
  private purgeTimer: NodeJS.Timeout | null = null;

  readonly deadLimits: DeadLetterLimits;
  private deadRows = 0;
  private deadBytes = 0;
  private readonly insReason: Database.Statement;
  /** rows pruned from the dead letters since open */
  deadPruned = 0;

  constructor(file: string, opts: { readonly?: boolean; deadLetters?: Partial<DeadLetterLimits> } = {}) {
    this.path = file;
    this.deadLimits = { ...DEFAULT_DEADLETTER_LIMITS, ...opts.deadLetters };
    if (file !== ':memory:' && !opts.readonly) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file, { readonly: !!opts.readonly, fileMustExist: !!opts.readonly });
    if (!opts.readonly) {
      this.db.pragma('journal_mode = WAL');
      // FULL: every commit is fsynced (WAL + NORMAL could lose the last commits on power loss).
      this.db.pragma('synchronous = FULL');
      this.db.exec(SCHEMA);
      migrateToAutoincrement(this.db);
      migrateDeadLetters(this.db);
      const d = this.db.prepare(`SELECT count(*) AS n, coalesce(sum(${ROW_BYTES}), 0) AS b FROM deadletter`).get() as { n: number; b: number };
      this.deadRows = d.n;
      this.deadBytes = d.b;
    }
    this.db.pragma('busy_timeout = 5000');
    const ro = !!opts.readonly;
    // Read-only (the `airdesk deadletter` CLI, the gateway's store thread): no write statements.
    const prepW = (sql: string) => (ro ? (null as unknown as Database.Statement) : this.db.prepare(sql));
    const prep = (sql: string) => this.db.prepare(sql);
    this.insR = prepW('INSERT INTO pending_readings (body) VALUES (?)');
    this.insR64 = prepW(`INSERT INTO pending_readings (body) VALUES ${new Array(ROWS).fill('(?)').join(',')}`);
    this.insV = prepW('INSERT INTO pending_voc (body) VALUES (?)');
    this.insD = prepW('INSERT INTO deadletter (time, topic, reason, detail, raw, size, hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.insReason = prepW('INSERT INTO deadletter_reasons (reason, count, last) VALUES (?, ?, ?) ON CONFLICT (reason) DO UPDATE SET count = count + excluded.count, last = max(last, excluded.last)');
    this.insS = prepW('INSERT OR REPLACE INTO station_status (station, state, time, received) VALUES (?, ?, ?, ?)');
    // Rows as [id, body] arrays (raw mode): no object per row when reading back tens of thousands.
    this.takeR = prep('SELECT id, body FROM pending_readings WHERE id > ? ORDER BY id LIMIT ?').raw(true);
    this.takeV = prep('SELECT id, body FROM pending_voc WHERE id > ? ORDER BY id LIMIT ?').raw(true);
    this.delUpToR = prepW('DELETE FROM pending_readings WHERE id <= ?');
    this.delUpToV = prepW('DELETE FROM pending_voc WHERE id <= ?');
    // Two subqueries, not `SELECT min(id), max(id)`: SQLite's min/max optimisation (one B-tree
    // edge lookup) applies only to a query with a single min() or max(); both in one SELECT
    // scanned the whole backlog, 64 ms per call at 300k pending readings.
    this.spanR = prep(spanSql('pending_readings'));
    this.spanV = prep(spanSql('pending_voc'));
    this.commitGroup = ro
      ? () => { throw new Error('spool opened read-only'); }
      : this.db.transaction((g: Group): Appended => {
          this.purgeNow();
          let lastReading = -1;
          const rs = g.readings;
          const bodies = g.bodies && g.bodies.length === rs.length ? g.bodies : rs.map((r) => JSON.stringify(r));
          const n = rs.length;
          let i = 0;
          if (n >= ROWS) {
            const args = new Array<string>(ROWS);
            for (; i + ROWS <= n; i += ROWS) {
              for (let j = 0; j < ROWS; j++) args[j] = bodies[i + j];
              lastReading = Number(this.insR64.run(args).lastInsertRowid);
            }
          }
          for (; i < n; i++) lastReading = Number(this.insR.run(bodies[i]).lastInsertRowid);
          // Rows of one INSERT, and of one transaction, get consecutive ids (single writer).
          const firstReading = n ? lastReading - n + 1 : 0;
          // Rows up to doneR were just purged; an id at or below it means the table was empty and
          // SQLite started the ids again from 1: forget the old mark.
          if (lastReading >= 0 && firstReading <= this.doneR) this.doneR = this.purgedR = 0;
          for (const c of g.voc) {
            const id = Number(this.insV.run(JSON.stringify(c)).lastInsertRowid);
            if (id <= this.doneV) this.doneV = this.purgedV = 0;
          }
          if (g.dead.length || g.deadSkipped) this.keepDead(g.dead, g.deadSkipped);
          for (const s of g.status) this.insS.run(s.station, s.state, s.time, s.received);
          return { firstReading, lastReading };
        });
    this.purge = ro ? () => {} : this.db.transaction(() => this.purgeNow());
    this.commitDead = ro
      ? () => { throw new Error('spool opened read-only'); }
      : this.db.transaction((rows: readonly DeadLetterRow[]) => this.keepDead(rows));
  }

  /** Insert dead letters (raw cut to rawMaxBytes, with the hash of what was cut), count them by
   *  reason, prune the oldest past the bounds. Inside the caller's transaction. */
  private keepDead(rows: readonly DeadLetterRow[], skipped?: Readonly<Record<string, number>>): void {
    const byReason = new Map<string, { n: number; last: number }>();
    const max = this.deadLimits.rawMaxBytes;
    for (const d of rows) {
      const cut = d.raw.length > max;
      const raw = cut ? d.raw.subarray(0, max) : d.raw;
      const hash = cut ? createHash('sha256').update(d.raw).digest('hex') : null;
      this.insD.run(d.time, d.topic, d.reason, d.detail, raw, d.size, hash);
      this.deadRows++;
      this.deadBytes += raw.length + Buffer.byteLength(d.detail) + Buffer.byteLength(d.topic);
      const r = byReason.get(d.reason);
      if (r) {
        r.n++;
        if (d.time > r.last) r.last = d.time;
      } else byReason.set(d.reason, { n: 1, last: d.time });
    }
    for (const [reason, r] of byReason) this.insReason.run(reason, r.n, r.last);
    if (skipped) for (const reason in skipped) this.insReason.run(reason, skipped[reason], Date.now());
    if (this.deadRows > this.deadLimits.maxRows || this.deadBytes > this.deadLimits.maxBytes) this.pruneDead();
  }

  /** Oldest rows first, down to 90 % of both bounds (so not every commit prunes), keeping the
   *  newest row of each reason. */
  private pruneDead(): void {
    const rowTarget = Math.floor(this.deadLimits.maxRows * 0.9);
    const byteTarget = Math.floor(this.deadLimits.maxBytes * 0.9);
    const pick = this.db.prepare(`SELECT id, ${ROW_BYTES} AS b FROM deadletter WHERE id > ? AND id NOT IN (SELECT max(id) FROM deadletter GROUP BY reason) ORDER BY id LIMIT 1000`).raw(true);
    const del = this.db.prepare('DELETE FROM deadletter WHERE id <= ? AND id NOT IN (SELECT max(id) FROM deadletter GROUP BY reason)');
    let after = 0;
    let rows = this.deadRows;
    let bytes = this.deadBytes;
    while (rows > rowTarget || bytes > byteTarget) {
      const chunk = pick.all(after) as [number, number][];
      if (chunk.length === 0) break;
      for (const [id, b] of chunk) {
        if (rows <= rowTarget && bytes <= byteTarget) break;
        after = id;
        rows--;
        bytes -= b;
      }
    }
    if (after > 0) {
      const n = del.run(after).changes;
      this.deadPruned += n;
      this.deadRows -= n;
      this.deadBytes = bytes;
    }
  }

  /** Dead letters kept now: rows and bytes (raw + detail + topic). */
  deadLetterSize(): { rows: number; bytes: number } {
    return { rows: this.deadRows, bytes: this.deadBytes };
  }

  private purgeNow(): void {
    if (this.doneR > this.purgedR) {
      this.delUpToR.run(this.doneR);
      this.purgedR = this.doneR;
    }
    if (this.doneV > this.purgedV) {
      this.delUpToV.run(this.doneV);
      this.purgedV = this.doneV;
    }
  }

  private schedulePurge(): void {
    if (this.purgeTimer !== null) return;
    this.purgeTimer = setTimeout(() => this.flushDone(), 50);
    this.purgeTimer.unref();
  }

  /** Delete rows the store has taken now (normally they go with the next group commit). */
  flushDone(): void {
    if (this.purgeTimer !== null) {
      clearTimeout(this.purgeTimer);
      this.purgeTimer = null;
    }
    if (this.db.open && (this.doneR > this.purgedR || this.doneV > this.purgedV)) this.purge();
  }

  /** One transaction, one fsync, for everything a group commit holds. `lastAppended` then tells
   *  the ids its readings got, so the drainer can write them from memory and delete the right rows. */
  append(g: Group): void {
    this.lastAppended = this.commitGroup(g);
  }

  /** Dead letters outside a group commit, in one transaction of their own (the store refused
   *  them: rare, and they must be kept before their pending rows are deleted). */
  appendDeadLetters(rows: readonly DeadLetterRow[]): void {
    if (rows.length) this.commitDead(rows);
  }

  /** Ids the readings of the last successful append got. */
  lastAppended: Appended = { firstReading: 0, lastReading: -1 };

  /** Highest ids the store has taken (the store thread reports these to the ingest thread). */
  doneMarks(): { readings: number; voc: number } {
    return { readings: this.doneR, voc: this.doneV };
  }

  /** Lowest reading id not yet taken by the store (0 when none is pending). */
  firstPendingReading(): number {
    if (!this.db.open) return 0;
    const r = this.spanR.get() as { lo: number | null; hi: number | null };
    if (r.lo === null || r.hi === null) return 0;
    const lo = Math.max(r.lo, this.doneR + 1);
    return lo <= r.hi ? lo : 0;
  }

  /** Oldest pending readings, up to `limit`, without removing them. */
  peekReadings(limit: number): PendingBatch<Reading> | null {
    return peek<Reading>(this.takeR, this.doneR, limit);
  }

  peekVoc(limit: number): PendingBatch<VocCycle> | null {
    return peek<VocCycle>(this.takeV, this.doneV, limit);
  }

  /** Remove a batch the store has durably taken (the oldest pending: batches go in id order). */
  doneReadings(b: Pick<PendingBatch<Reading>, 'first' | 'last'>): void {
    if (b.last > this.doneR) this.doneR = b.last;
    this.schedulePurge();
  }

  doneVoc(b: Pick<PendingBatch<VocCycle>, 'first' | 'last'>): void {
    if (b.last > this.doneV) this.doneV = b.last;
    this.schedulePurge();
  }

  /** Number of readings and VOC cycles waiting for the store. */
  backlog(): { readings: number; voc: number } {
    if (!this.db.open) return { readings: 0, voc: 0 };
    return { readings: span(this.spanR, this.doneR), voc: span(this.spanV, this.doneV) };
  }

  /** Dead letters counted by reason, most frequent first: `count` every one ever counted (also
   *  those pruned or not kept), `kept` the rows still here. With `since` (epoch ms) only the kept
   *  rows from then on are counted (the per-reason totals have no time). */
  deadLetterSummary(since?: number): { reason: string; count: number; last: number; kept: number }[] {
    type Row = { reason: string; count: number; last: number; kept: number };
    // A spool of an older gateway opened read-only (the CLI) has no counts table yet.
    if (since !== undefined || !this.hasTable('deadletter_reasons')) {
      const where = since !== undefined ? 'WHERE time >= ?' : '';
      const st = this.db.prepare(`SELECT reason, count(*) AS count, max(time) AS last, count(*) AS kept FROM deadletter ${where} GROUP BY reason ORDER BY count DESC, reason`);
      return (since !== undefined ? st.all(since) : st.all()) as Row[];
    }
    return this.db
      .prepare(`SELECT r.reason, r.count, r.last, (SELECT count(*) FROM deadletter d WHERE d.reason = r.reason) AS kept
                FROM deadletter_reasons r ORDER BY r.count DESC, r.reason`)
      .all() as Row[];
  }

  /** The most recent dead letters, newest first. */
  recentDeadLetters(n: number, reason?: string): (DeadLetterRow & { id: number; hash: string | null })[] {
    const hash = this.hasColumn('deadletter', 'hash') ? 'hash' : 'NULL AS hash';
    const sql = `SELECT id, time, topic, reason, detail, raw, size, ${hash} FROM deadletter ${reason ? 'WHERE reason = ?' : ''} ORDER BY id DESC LIMIT ?`;
    const rows = (reason ? this.db.prepare(sql).all(reason, n) : this.db.prepare(sql).all(n)) as (DeadLetterRow & { id: number; hash: string | null })[];
    return rows;
  }

  private hasTable(t: string): boolean {
    return !!this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t);
  }

  private hasColumn(t: string, c: string): boolean {
    return (this.db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).some((x) => x.name === c);
  }

  stationStatus(): StatusRow[] {
    return this.db.prepare('SELECT station, state, time, received FROM station_status ORDER BY station').all() as StatusRow[];
  }

  close(): void {
    if (this.db.open && !this.db.readonly) this.flushDone();
    if (this.purgeTimer !== null) clearTimeout(this.purgeTimer);
    if (this.db.open) this.db.close();
  }
}

function peek<T>(stmt: Database.Statement, after: number, limit: number): PendingBatch<T> | null {
  const rows = stmt.all(after, limit) as [id: number, body: string][];
  if (rows.length === 0) return null;
  const items = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) items[i] = JSON.parse(rows[i][1]) as T;
  return { first: rows[0][0], last: rows[rows.length - 1][0], items };
}

function span(stmt: Database.Statement, done: number): number {
  const r = stmt.get() as { lo: number | null; hi: number | null };
  if (r.lo === null || r.hi === null) return 0;
  const lo = Math.max(r.lo, done + 1);
  return lo <= r.hi ? r.hi - lo + 1 : 0;
}

/** Lowest and highest id of a pending table (see the constructor for why two subqueries). */
export const spanSql = (table: string) => `SELECT (SELECT min(id) FROM ${table}) AS lo, (SELECT max(id) FROM ${table}) AS hi`;

/**
 * Spools made before ids were AUTOINCREMENT: without it SQLite starts again from 1 when a table
 * has been emptied, and a reader in another thread (gateway/store-worker.ts) that remembers how
 * far it got would then skip new rows. Rebuilt once, rows kept.
 */
function migrateToAutoincrement(db: Database.Database): void {
  for (const t of ['pending_readings', 'pending_voc']) {
    const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) as { sql: string } | undefined;
    if (!row || /AUTOINCREMENT/i.test(row.sql)) continue;
    db.transaction(() => {
      db.exec(`ALTER TABLE ${t} RENAME TO ${t}_old`);
      db.exec(`CREATE TABLE ${t} (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)`);
      db.exec(`INSERT INTO ${t} (id, body) SELECT id, body FROM ${t}_old ORDER BY id`);
      db.exec(`DROP TABLE ${t}_old`);
    })();
  }
}

/** Bytes a dead-letter row counts against maxBytes. */
const ROW_BYTES = 'length(raw) + length(CAST(detail AS BLOB)) + length(CAST(topic AS BLOB))';

/** Spools made before the dead letters were bounded: a hash column, and counts by reason seeded
 *  from the rows there. */
function migrateDeadLetters(db: Database.Database): void {
  const cols = db.prepare('PRAGMA table_info(deadletter)').all() as { name: string }[];
  if (!cols.some((c) => c.name === 'hash')) db.exec('ALTER TABLE deadletter ADD COLUMN hash TEXT');
  const seeded = db.prepare('SELECT count(*) AS n FROM deadletter_reasons').get() as { n: number };
  if (seeded.n === 0) db.exec('INSERT INTO deadletter_reasons (reason, count, last) SELECT reason, count(*), max(time) FROM deadletter GROUP BY reason');
}

export function openSpool(file: string): Spool {
  return new Spool(file);
}
