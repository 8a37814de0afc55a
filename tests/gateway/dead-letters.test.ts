/**
 * The one dead-letter reader (gateway/dead-letters.ts): what `airdesk serve`, `npm start` and
 * `airdesk deadletter` report. A spool written by a "gateway" (this test), read read-only by a
 * "server" while it stays open; counts by reason, `since`, and a spool that does not exist yet.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Spool } from '../../gateway/spool.ts';
import { openDeadLetterReader, deadLetterSummary } from '../../gateway/dead-letters.ts';
import { openSqliteStore } from '../../stores/sqlite.ts';
import { buildServer } from '../../server/app.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const dead = (time: number, reason: string) => ({ time, topic: 'aq/v1/stations/X/readings', reason, detail: 'd', raw: new Uint8Array([0x7b]), size: 1 });

describe('dead-letter reader', () => {
  it('says unavailable until the spool exists, then counts by reason, with since', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-dl-'));
    dirs.push(dir);
    const file = path.join(dir, 'gateway-spool.sqlite');
    const reader = openDeadLetterReader(file);
    expect(reader.summary()).toEqual({ available: false, total: 0, byReason: [] });

    const gw = new Spool(file);
    gw.append({ readings: [], voc: [], status: [], dead: [dead(1000, 'json.invalid'), dead(2000, 'json.invalid'), dead(3000, 'hj212.crc')] });
    expect(reader.summary()).toEqual({
      available: true, total: 3,
      byReason: [{ reason: 'json.invalid', count: 2, last: 2000 }, { reason: 'hj212.crc', count: 1, last: 3000 }],
    });
    expect(reader.summary({ since: 2000 })).toEqual({
      available: true, total: 2,
      byReason: [{ reason: 'hj212.crc', count: 1, last: 3000 }, { reason: 'json.invalid', count: 1, last: 2000 }],
    });
    // The gateway keeps writing while the server reads.
    gw.append({ readings: [], voc: [], status: [], dead: [dead(4000, 'time.future')] });
    expect(reader.summary().total).toBe(4);
    expect(deadLetterSummary(gw)).toEqual(reader.summary());
    expect(deadLetterSummary(null)).toEqual({ available: false, total: 0, byReason: [] });

    // Through the server's route, as `airdesk serve` wires it (system/serve.ts).
    const store = await openSqliteStore(':memory:');
    const s = await buildServer({ store, stations: [], logger: pino({ level: 'silent' }), mqttUrl: null, deadLetters: reader, config: { publicRead: true } });
    const r = await s.app.inject('/api/dead-letters/summary?since=3000');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ available: true, total: 2, byReason: [{ reason: 'hj212.crc', count: 1, last: 3000 }, { reason: 'time.future', count: 1, last: 4000 }] });
    for (const bad of ['since=-1', 'since=abc', 'since=1.5', 'until=3']) {
      const b = await s.app.inject(`/api/dead-letters/summary?${bad}`);
      expect(b.statusCode, bad).toBe(400);
      expect(b.json().error.code, bad).toBe('AIRDESK_BAD_QUERY');
    }
    await s.close();
    await store.close();
    reader.close();
    gw.close();
  });
});
