/**
 * Restart mid-episode: build, feed hours that open a heavy-pollution episode, close the server,
 * rebuild from the same store; the same episode continues (same id) and no event is sent twice.
 * Run twice: with the saved episode snapshot and with none (pure replay from the store).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../stores/sqlite.ts';
import { makeServer, hourly, bj } from './helpers.ts';
import type { Built } from '../../server/app.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function feedDay(s: Built, store: TimeSeriesStore, day: string, pm25: number, clock: { now: number }) {
  for (let h = 1; h <= 24; h++) {
    clock.now = bj(day, h) + 60_000;
    const r = ['X1', 'X2'].flatMap((st) => hourly(st, bj(day, h), [{ pm25, pm10: Math.round(pm25 * 1.3), o3: 50 }]));
    await store.writeReadings(r); // what the gateway does
    s.ingest(r); // what arrives on the internal topic
  }
}

describe.each([
  ['with the saved snapshot', true],
  ['by replay alone', false],
])('restart mid-episode (%s)', (_name, withState) => {
  it('continues the same episode and repeats no event', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-restart-'));
    dirs.push(dir);
    const store = await openSqliteStore(path.join(dir, 'ts.sqlite'));
    const clock = { now: bj('2026-07-01', 1) };
    const config = { statePath: withState ? path.join(dir, 'server-state.json') : null, rebuildDays: 5 };
    const sent: string[] = [];
    const log = (s: Built) => s.episodes.on((e) => {
      if (e.kind === 'episode') sent.push(`${e.e.type} ${e.e.entry.key}`);
    });

    const a = await makeServer({ store, clock: () => clock.now, config });
    log(a);
    await a.start();
    await feedDay(a, store, '2026-07-01', 40, clock);
    await feedDay(a, store, '2026-07-02', 180, clock); // daily AQI 230 (HJ 633-2026 PM2.5 180 -> 200 + 30/100*100)
    const heavy = a.episodes.list({ kind: 'heavy' });
    expect(heavy).toHaveLength(1);
    expect(heavy[0].status).toBe('open');
    const id = heavy[0].id;
    expect(id).toBe('heavy:Xcity:2026-07-02');
    const before = [...sent];
    expect(before.some((x) => x.startsWith(`opened ${id}:opened`))).toBe(true);
    await a.close(); // "killed" mid-episode; store and state file stay

    const b = await makeServer({ store, clock: () => clock.now, config });
    log(b);
    await b.start();
    expect(sent).toEqual(before); // rebuilding sends nothing
    const again = b.episodes.list({ kind: 'heavy' });
    expect(again.map((e) => [e.id, e.status])).toEqual([[id, 'open']]);
    expect(b.episodes.detail(id)!.timeline.some((t) => t.type === 'opened')).toBe(true);

    await feedDay(b, store, '2026-07-03', 190, clock);
    await feedDay(b, store, '2026-07-04', 30, clock);
    await feedDay(b, store, '2026-07-05', 30, clock);
    const after = sent.slice(before.length);
    expect(after.some((x) => x === `closed ${id}:closed`)).toBe(true);
    expect(after.some((x) => x.startsWith(`opened ${id}`))).toBe(false);
    // No key twice over both lives of the server ('updated' entries carry a sequence, lifecycle keys are the engine's).
    const keys = sent.map((x) => x.split(' ')[1]);
    expect(new Set(keys).size).toBe(keys.length);
    const final = b.episodes.list({ kind: 'heavy' });
    expect(final).toHaveLength(1);
    expect(final[0]).toMatchObject({ id, status: 'closed', startLabel: '2026-07-02', endLabel: '2026-07-03', daysOver: 2 });
    await b.close();
    await store.close();
  });
});
