/**
 * Where the importer keeps what it rejects: an SQLite table next to the store
 * ($AIRDESK_DATA_DIR/import-deadletters.sqlite). Each row carries the reason code, a line for
 * people and the raw text. The key (file content hash + place in the file + reason) makes
 * re-importing the same file add nothing here either.
 *
 * The gateway keeps its MQTT dead letters in its spool (gateway/spool.ts), which has no such key;
 * import rejects live apart so a re-import never duplicates them and bulk imports never contend
 * with the gateway's fsync-per-group spool.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export interface ImportDeadLetter {
  /** sha1 of the file bytes + ':' + place (line or station@time) + ':' + reason */
  key: string;
  file: string;
  reason: string;
  detail: string;
  raw: string;
  time: number;
}

export class ImportDeadLetters {
  private readonly db: Database.Database;
  private readonly ins: Database.Statement;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS import_deadletter (
      key TEXT PRIMARY KEY, time INTEGER NOT NULL, file TEXT NOT NULL, reason TEXT NOT NULL,
      detail TEXT NOT NULL, raw TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS import_deadletter_reason ON import_deadletter (reason);`);
    this.ins = this.db.prepare('INSERT OR IGNORE INTO import_deadletter (key, time, file, reason, detail, raw) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** Adds rows not kept before; returns how many were new. */
  add(rows: readonly ImportDeadLetter[]): number {
    let n = 0;
    this.db.transaction(() => {
      for (const r of rows) n += this.ins.run(r.key, r.time, r.file, r.reason, r.detail, r.raw.slice(0, 4096)).changes;
    })();
    return n;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM import_deadletter').get() as { n: number }).n;
  }

  byReason(): Record<string, number> {
    const rows = this.db.prepare('SELECT reason, count(*) AS n FROM import_deadletter GROUP BY reason ORDER BY n DESC').all() as { reason: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
  }

  close(): void {
    this.db.close();
  }
}
