/**
 * The spool as the store thread sees it: a read-only second connection that remembers how far it
 * got, while the ingest thread appends and deletes. Ids must only grow (also after the table was
 * emptied), or such a reader would skip new rows. Also the backlog span on a large table.
 */
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Spool, spanSql } from '../../gateway/spool.ts';
import type { Reading } from '#common/schemas/reading.ts';
import { tmpDir } from './helpers.ts';

const reading = (i: number): Reading => ({
  station: `S${i % 7}`, time: 1_700_000_000_000 + i * 60_000, interval: 'rt', source: 'live', flags: {},
  values: { pm25: i % 300, pm10: 40, so2: 5, no2: 20, co: 0.5, o3: 60 },
});
const group = (from: number, n: number) => ({ readings: Array.from({ length: n }, (_, k) => reading(from + k)), voc: [], dead: [], status: [] });

describe('spool ids and a read-only reader', () => {
  it('ids keep growing after the table was emptied, so a reader that remembers its place sees new rows', () => {
    const file = path.join(tmpDir('spool-ids'), 'spool.sqlite');
    const w = new Spool(file);
    const r = new Spool(file, { readonly: true });
    try {
      w.append(group(0, 100));
      const b1 = r.peekReadings(1000)!;
      expect(b1.items).toHaveLength(100);
      expect(b1.items[99]).toEqual(reading(99));
      r.doneReadings(b1); // the reader's own mark
      w.doneReadings({ first: 0, last: b1.last }); // what the store thread reports to the writer
      w.flushDone();
      expect(w.backlog().readings).toBe(0); // table empty now
      w.append(group(100, 5));
      expect(w.lastAppended.firstReading).toBe(b1.last + 1); // not 1 again
      const b2 = r.peekReadings(1000)!;
      expect(b2.items.map((x) => x.time)).toEqual([100, 101, 102, 103, 104].map((i) => reading(i).time));
    } finally {
      r.close();
      w.close();
    }
  });

  it('a spool made before AUTOINCREMENT is rebuilt once with its rows kept', () => {
    const file = path.join(tmpDir('spool-migrate'), 'spool.sqlite');
    const old = new Database(file);
    old.exec('CREATE TABLE pending_readings (id INTEGER PRIMARY KEY, body TEXT NOT NULL); CREATE TABLE pending_voc (id INTEGER PRIMARY KEY, body TEXT NOT NULL);');
    old.prepare('INSERT INTO pending_readings (id, body) VALUES (?, ?)').run(41, JSON.stringify(reading(41)));
    old.close();
    const s = new Spool(file);
    try {
      expect(s.peekReadings(10)!.items).toEqual([reading(41)]);
      s.append(group(42, 1));
      expect(s.lastAppended.firstReading).toBe(42);
      const db = new Database(file, { readonly: true });
      expect((db.prepare("SELECT sql FROM sqlite_master WHERE name = 'pending_readings'").get() as { sql: string }).sql).toMatch(/AUTOINCREMENT/);
      db.close();
    } finally {
      s.close();
    }
  });

  it('reports its backlog without scanning it: min and max are two B-tree lookups', () => {
    const file = path.join(tmpDir('spool-span'), 'spool.sqlite');
    const s = new Spool(file);
    const db = new Database(file, { readonly: true });
    try {
      for (let g = 0; g < 4; g++) s.append(group(g * 500, 500));
      expect(s.backlog().readings).toBe(2000);
      // `SELECT min(id), max(id)` in one query is planned as a full SCAN (57 ms per call at 300k
      // pending rows): the plan of the statement the spool uses must only SEARCH.
      for (const t of ['pending_readings', 'pending_voc']) {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${spanSql(t)}`).all() as { detail: string }[]).map((r) => r.detail);
        expect(plan.filter((d) => d.startsWith('SEARCH'))).toHaveLength(2);
        expect(plan.some((d) => new RegExp(`^SCAN ${t}`).test(d))).toBe(false);
      }
      expect((db.prepare('EXPLAIN QUERY PLAN SELECT min(id) AS lo, max(id) AS hi FROM pending_readings').all() as { detail: string }[])[0].detail).toMatch(/^SCAN pending_readings/);
    } finally {
      db.close();
      s.close();
    }
  });
});
