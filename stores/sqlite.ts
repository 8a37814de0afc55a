/**
 * Embedded time-series store on SQLite (better-sqlite3, WAL), for single-machine deployments and
 * tests. Implements the TimeSeriesStore contract (stores/types.ts).
 *
 * - Identity = PRIMARY KEY (station, interval, source, time); INSERT OR REPLACE makes replays
 *   idempotent and keeps sources apart.
 * - One column per canonical quantity (common/pollutants.ts); other quantity keys go to `extra`
 *   (JSON); flags as JSON text.
 * - One transaction per batch; synchronous=FULL so a resolved write survives a power cut, not only
 *   a process crash (WAL + NORMAL may lose the last commits). The fsync is paid once per batch.
 * - better-sqlite3 is synchronous: a 5,000-reading batch blocks the event loop for a few ms.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { QUANTITIES } from '../common/pollutants.ts';
import type { Reading, VocCycle } from '../common/schemas/reading.ts';
import { StoreError } from './errors.ts';
import { compareReadings, decodeFlags, encodeFlags, storedSpecies, storedValues } from './shape.ts';
import type { ReadingQuery, StationHourQuery, StationHourRecord, TimeSeriesStore, VocQuery } from './types.ts';
import { storedStationHour, validateReadings, validateStationHours, validateVocCycles } from './validate.ts';

const COLS: readonly string[] = QUANTITIES;
const COLSET: ReadonlySet<string> = new Set(COLS);

const SCHEMA = `
CREATE TABLE IF NOT EXISTS readings (
  station TEXT NOT NULL,
  interval TEXT NOT NULL,
  source TEXT NOT NULL,
  time INTEGER NOT NULL,
  ${COLS.map((c) => `${c} REAL`).join(',\n  ')},
  extra TEXT,
  flags TEXT NOT NULL,
  PRIMARY KEY (station, interval, source, time)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS readings_time ON readings (time);
CREATE TABLE IF NOT EXISTS voc (
  analyzer TEXT NOT NULL,
  station TEXT NOT NULL,
  source TEXT NOT NULL,
  time INTEGER NOT NULL,
  species TEXT NOT NULL,
  flags TEXT NOT NULL,
  PRIMARY KEY (analyzer, station, source, time)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS voc_time ON voc (time);
CREATE TABLE IF NOT EXISTS station_hours (
  station TEXT NOT NULL,
  time INTEGER NOT NULL,
  basis TEXT NOT NULL,
  ${COLS.map((c) => `${c} REAL`).join(',\n  ')},
  PRIMARY KEY (station, time)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS station_hours_time ON station_hours (time);
CREATE TABLE IF NOT EXISTS hour_seals (time INTEGER PRIMARY KEY);
`;

interface Row {
  station: string;
  interval: Reading['interval'];
  source: Reading['source'];
  time: number;
  extra: string | null;
  flags: string;
  [col: string]: unknown;
}

function rowToReading(r: Row): Reading {
  const values: Record<string, number | null> = {};
  for (const c of COLS) values[c] = (r[c] as number | null) ?? null;
  if (r.extra) Object.assign(values, JSON.parse(r.extra));
  return {
    station: r.station,
    time: r.time,
    interval: r.interval,
    source: r.source,
    values: storedValues(values),
    flags: decodeFlags(r.flags),
  };
}

/** WHERE clause + params for a reading query (same for select and count). */
function readingWhere(q: ReadingQuery): { sql: string; params: unknown[] } {
  const parts = ['time >= ?', 'time < ?'];
  const params: unknown[] = [q.from, q.to];
  if (q.stations) {
    // json_each keeps this one prepared statement whatever the number of stations.
    parts.push('station IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(q.stations));
  }
  if (q.interval) {
    parts.push('interval = ?');
    params.push(q.interval);
  }
  if (q.source) {
    parts.push('source = ?');
    params.push(q.source);
  }
  return { sql: parts.join(' AND '), params };
}

export class SqliteStore implements TimeSeriesStore {
  readonly kind = 'sqlite' as const;
  readonly path: string;
  private db: Database.Database | null = null;
  private stmts = new Map<string, Database.Statement>();

  constructor(file: string) {
    this.path = file;
  }

  async init(): Promise<void> {
    if (this.db) return;
    try {
      if (this.path !== ':memory:') mkdirSync(path.dirname(path.resolve(this.path)), { recursive: true });
      const db = new Database(this.path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
      this.db = db;
    } catch (err) {
      throw new StoreError('STORE_UNREACHABLE', `cannot open SQLite store ${this.path}: ${(err as Error).message}`, { cause: err });
    }
  }

  private get handle(): Database.Database {
    if (!this.db) throw new StoreError('STORE_UNREACHABLE', 'SQLite store is not open (call init())');
    return this.db;
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.handle.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  async writeReadings(readings: readonly Reading[]): Promise<void> {
    validateReadings(readings);
    if (readings.length === 0) return;
    const ins = this.stmt(
      `INSERT OR REPLACE INTO readings (station, interval, source, time, ${COLS.join(', ')}, extra, flags)
       VALUES (?, ?, ?, ?, ${COLS.map(() => '?').join(', ')}, ?, ?)`,
    );
    const args = new Array<unknown>(COLS.length + 6);
    this.handle.transaction(() => {
      for (const r of readings) {
        args[0] = r.station;
        args[1] = r.interval;
        args[2] = r.source;
        args[3] = r.time;
        for (let i = 0; i < COLS.length; i++) args[4 + i] = r.values[COLS[i]] ?? null;
        let extra: Record<string, number> | null = null;
        for (const k in r.values) {
          const v = r.values[k];
          if (!COLSET.has(k) && v !== null) (extra ??= {})[k] = v;
        }
        args[4 + COLS.length] = extra ? JSON.stringify(extra) : null;
        args[5 + COLS.length] = encodeFlags(r.flags);
        ins.run(args);
      }
    })();
  }

  async writeVocCycles(cycles: readonly VocCycle[]): Promise<void> {
    validateVocCycles(cycles);
    if (cycles.length === 0) return;
    const ins = this.stmt(
      'INSERT OR REPLACE INTO voc (analyzer, station, source, time, species, flags) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.handle.transaction(() => {
      for (const c of cycles) {
        ins.run(c.analyzer, c.station, c.source, c.time, JSON.stringify(storedSpecies(c.species)), encodeFlags(c.flags));
      }
    })();
  }

  async queryReadings(q: ReadingQuery): Promise<Reading[]> {
    const w = readingWhere(q);
    const rows = this.stmt(
      `SELECT * FROM readings WHERE ${w.sql} ORDER BY time, station, interval, source`,
    ).all(...w.params) as Row[];
    return rows.map(rowToReading);
  }

  async queryVocCycles(q: VocQuery): Promise<VocCycle[]> {
    const parts = ['time >= ?', 'time < ?'];
    const params: unknown[] = [q.from, q.to];
    if (q.analyzer) {
      parts.push('analyzer = ?');
      params.push(q.analyzer);
    }
    if (q.station) {
      parts.push('station = ?');
      params.push(q.station);
    }
    const rows = this.stmt(
      `SELECT * FROM voc WHERE ${parts.join(' AND ')} ORDER BY time, analyzer, station, source`,
    ).all(...params) as { analyzer: string; station: string; source: VocCycle['source']; time: number; species: string; flags: string }[];
    return rows.map((r) => ({
      analyzer: r.analyzer,
      station: r.station,
      time: r.time,
      source: r.source,
      species: JSON.parse(r.species),
      flags: decodeFlags(r.flags),
    }));
  }

  async countReadings(q: ReadingQuery): Promise<Record<string, number>> {
    const w = readingWhere(q);
    const rows = this.stmt(
      `SELECT station, count(*) AS n FROM readings WHERE ${w.sql} GROUP BY station ORDER BY station`,
    ).all(...w.params) as { station: string; n: number }[];
    const out: Record<string, number> = {};
    for (const r of rows) out[r.station] = r.n;
    return out;
  }

  async latestReadings(q: { from: number; to: number; stations?: readonly string[] }): Promise<Reading[]> {
    // A skip scan over the primary key: one seek per series (station, interval, source) for the
    // next series and one for its latest reading in range, however many readings each holds.
    const next = this.stmt(
      'SELECT station, interval, source FROM readings WHERE (station, interval, source) > (?, ?, ?) ORDER BY station, interval, source LIMIT 1',
    );
    const last = this.stmt(
      'SELECT * FROM readings WHERE station = ? AND interval = ? AND source = ? AND time >= ? AND time < ? ORDER BY time DESC LIMIT 1',
    );
    const want = q.stations ? new Set(q.stations) : null;
    const best = new Map<string, Row>();
    let key: [string, string, string] = ['', '', ''];
    for (;;) {
      const k = next.get(...key) as { station: string; interval: string; source: string } | undefined;
      if (!k) break;
      key = [k.station, k.interval, k.source];
      if (want && !want.has(k.station)) continue;
      const row = last.get(k.station, k.interval, k.source, q.from, q.to) as Row | undefined;
      if (!row) continue;
      // Series come in (interval, source) order: at equal times the later one is the later reading
      // in queryReadings order, as a replay of every reading would have kept.
      const b = best.get(row.station);
      if (!b || row.time >= b.time) best.set(row.station, row);
    }
    return [...best.values()].map(rowToReading).sort(compareReadings);
  }

  async writeStationHours(hours: readonly StationHourRecord[], sealed: readonly number[] = []): Promise<void> {
    validateStationHours(hours, sealed);
    if (hours.length === 0 && sealed.length === 0) return;
    // REPLACE: a re-resolved hour replaces the earlier one whole (a quantity it no longer has is NULL).
    const ins = this.stmt(
      `INSERT OR REPLACE INTO station_hours (station, time, basis, ${COLS.join(', ')}) VALUES (?, ?, ?, ${COLS.map(() => '?').join(', ')})`,
    );
    const seal = this.stmt('INSERT OR REPLACE INTO hour_seals (time) VALUES (?)');
    const args = new Array<unknown>(COLS.length + 3);
    this.handle.transaction(() => {
      for (const h of hours) {
        args[0] = h.station;
        args[1] = h.time;
        args[2] = h.basis;
        for (let i = 0; i < COLS.length; i++) args[3 + i] = (h.values as Record<string, number>)[COLS[i]] ?? null;
        ins.run(args);
      }
      for (const t of sealed) seal.run(t);
    })();
  }

  async queryStationHours(q: StationHourQuery): Promise<StationHourRecord[]> {
    const params: unknown[] = [q.from, q.to];
    let where = 'time >= ? AND time < ?';
    if (q.stations) {
      where += ' AND station IN (SELECT value FROM json_each(?))';
      params.push(JSON.stringify(q.stations));
    }
    // Rows as arrays (the rebuild reads stations x hours of them; objects per row cost more).
    const rows = this.stmt(`SELECT station, time, basis, ${COLS.join(', ')} FROM station_hours WHERE ${where} ORDER BY time, station`)
      .raw(true).all(...params) as unknown[][];
    return rows.map((r) => {
      const values: Record<string, unknown> = {};
      for (let i = 0; i < COLS.length; i++) if (r[3 + i] !== null) values[COLS[i]] = r[3 + i];
      return storedStationHour(r[0], r[1], r[2], values);
    });
  }

  async querySealedHours(q: { from: number; to: number }): Promise<number[]> {
    const rows = this.stmt('SELECT time FROM hour_seals WHERE time >= ? AND time < ? ORDER BY time').all(q.from, q.to) as { time: number }[];
    return rows.map((r) => r.time);
  }

  async ping(): Promise<boolean> {
    try {
      this.handle.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.stmts.clear();
    this.db?.close();
    this.db = null;
  }
}

/** Open (and create if needed) an SQLite store; ':memory:' gives a throwaway one for tests. */
export async function openSqliteStore(file: string): Promise<SqliteStore> {
  const s = new SqliteStore(file);
  await s.init();
  return s;
}
