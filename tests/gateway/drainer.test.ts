/**
 * The drainer's in-memory hand-off (gateway/drainer.ts): readings the ingest thread has committed
 * to the spool come along as the store's text (stores/types.ts EncodedReadings), and the drainer
 * writes them from memory only while memory holds exactly the oldest pending spool ids; otherwise
 * it reads the spool. To see which path each reading took, the text handed over carries pm25 = 2
 * while the spool holds the same reading with pm25 = 1. Real spool file, real InfluxDB.
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import pino from 'pino';
import type { Reading } from '#common/schemas/reading.ts';
import { Spool } from '../../gateway/spool.ts';
import { Drainer } from '../../gateway/drainer.ts';
import { encodeReadings, InfluxStore } from '../../stores/influx.ts';
import { tmpDir, until } from './helpers.ts';

const INFLUX = process.env.AIRDESK_TEST_INFLUX_URL;
const T = Date.UTC(2026, 10, 1);

const reading = (i: number, pm25: number): Reading => ({
  station: `S${i}`, time: T, interval: 'rt', source: 'live', flags: {}, values: { pm25 },
});

let seq = 0;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** Commit groups of the given sizes to a fresh spool (pm25 = 1); returns each group's first id. */
async function setup(sizes: number[], opts: { batch?: number; memMax?: number; onWrite?: () => void; lingerMs?: number; fullWrite?: number } = {}) {
  const spool = new Spool(path.join(tmpDir('drainer'), 'spool.sqlite'));
  const database = `drainer_${process.pid}_${seq++}`;
  const store = new InfluxStore({ url: INFLUX!, database, batchSize: 3 });
  await store.init();
  const groups: { first: number; ids: number[] }[] = [];
  let i = 0;
  for (const n of sizes) {
    const ids = Array.from({ length: n }, (_, k) => i + k);
    i += n;
    spool.append({ readings: ids.map((k) => reading(k, 1)), voc: [], dead: [], status: [] });
    groups.push({ first: spool.lastAppended.firstReading, ids });
  }
  let onWrite = opts.onWrite;
  const drainer = new Drainer(spool, store, pino({ level: 'silent' }), opts.batch ?? 100, { memMax: opts.memMax ?? 1000, onWrite: () => onWrite?.(), lingerMs: opts.lingerMs, fullWrite: opts.fullWrite });
  /** Hand group g over as the ingest thread does, its text carrying pm25 = 2. */
  const offer = (g: number) => {
    const rs = groups[g].ids.map((k) => reading(k, 2));
    drainer.offerEncoded(groups[g].first, { count: rs.length, text: encodeReadings(rs) });
  };
  const drain = async () => {
    drainer.start();
    await until(() => drainer.pending() === 0, 20_000, 'the spool to drain');
    await drainer.stop();
  };
  /** pm25 per station index as stored: which path each reading took. */
  const stored = async () => {
    const rs = await store.queryReadings({ from: 0, to: T + 1 });
    return Object.fromEntries(rs.map((r) => [Number(r.station.slice(1)), r.values.pm25]));
  };
  cleanups.push(async () => {
    spool.close();
    await store.close();
    await fetch(`${INFLUX}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }) });
  });
  /** Commit one more group of n readings (pm25 = 1) and tell the drainer, as a group commit does. */
  const commit = (n: number) => {
    const ids = Array.from({ length: n }, (_, k) => i + k);
    i += n;
    spool.append({ readings: ids.map((k) => reading(k, 1)), voc: [], dead: [], status: [] });
    groups.push({ first: spool.lastAppended.firstReading, ids });
    drainer.kick();
  };
  return { drainer, offer, drain, stored, commit, setOnWrite: (f: () => void) => (onWrite = f) };
}

const expectPaths = (got: Record<number, number | null>, sizes: number[], fromMemory: boolean[]) => {
  const want: Record<number, number> = {};
  let i = 0;
  sizes.forEach((n, g) => {
    for (let k = 0; k < n; k++) want[i++] = fromMemory[g] ? 2 : 1;
  });
  expect(got).toEqual(want);
};

describe.skipIf(!INFLUX)('drainer: committed readings handed over as text', () => {
  it('writes what memory holds from memory, each reading once', async () => {
    const sizes = [4, 1, 7];
    const s = await setup(sizes);
    sizes.forEach((_, g) => s.offer(g));
    await s.drain();
    expectPaths(await s.stored(), sizes, [true, true, true]);
    expect(s.drainer.stats.stored).toBe(12);
  });

  it('reads the spool for a group that never came (a gap) and uses memory again after it', async () => {
    const sizes = [4, 5, 3];
    const s = await setup(sizes);
    s.offer(0);
    s.offer(2);
    await s.drain();
    expectPaths(await s.stored(), sizes, [true, false, true]);
    expect(s.drainer.stats.stored).toBe(12);
  });

  it('text the spool has partly given already is dropped, and the rest read from the spool', async () => {
    // A drain batch of 5 cuts the 8-reading group; its text arrives only after the first cut
    // was written (as a store thread that started late reads the spool first).
    const s = await setup([8], { batch: 5 });
    let offered = false;
    s.setOnWrite(() => {
      if (!offered) s.offer(0);
      offered = true;
    });
    await s.drain();
    expectPaths(await s.stored(), [8], [false]);
    expect(s.drainer.stats.stored).toBe(8);
  });

  it('past its memory cap it forgets what it held and reads the spool up to the newest group', async () => {
    const sizes = [4, 4, 4];
    const s = await setup(sizes, { memMax: 6 });
    sizes.forEach((_, g) => s.offer(g));
    await s.drain();
    expectPaths(await s.stored(), sizes, [false, false, true]);
  });

  it('lingers: a small group waits for a full write or lingerMs after the last write; a full one goes at once', async () => {
    const s = await setup([4], { lingerMs: 1200, fullWrite: 10 });
    const count = async () => Object.keys(await s.stored()).length;
    s.drainer.start();
    try {
      await until(async () => (await count()) === 4, 5000, 'the first write (nothing written before: no wait)');
      const t0 = Date.now();
      s.commit(3); // 3 < 10: waits
      await new Promise((r) => setTimeout(r, 500));
      expect(await count()).toBe(4);
      await until(async () => (await count()) === 7, 5000, 'the lingering write');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
      const t1 = Date.now();
      s.commit(2);
      s.commit(9); // 11 pending >= 10: at once
      await until(async () => (await count()) === 18, 5000, 'the full write');
      expect(Date.now() - t1).toBeLessThan(900);
      expect(s.drainer.stats.stored).toBe(18);
    } finally {
      await s.drainer.stop();
    }
  });

  it('stop() writes what is lingering without waiting', async () => {
    const s = await setup([4], { lingerMs: 60_000, fullWrite: 1000 });
    s.drainer.start();
    await until(() => s.drainer.pending() === 0, 5000, 'the first write');
    s.commit(3);
    const t0 = Date.now();
    await s.drainer.stop(5000);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(Object.keys(await s.stored()).length).toBe(7);
  });
});
