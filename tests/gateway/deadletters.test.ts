/**
 * Bounded dead letters (issue 14: 1 M garbage messages added 249 MB, 2,000 x 261 KB 498 MB, and a
 * full disk then lost 72 % of valid readings). The spool keeps at most maxRows rows and maxBytes,
 * oldest first, the newest row of each reason as a sample, exact counts by reason of everything;
 * a raw payload over rawMaxBytes is cut and its SHA-256 kept. Below the disk watermark the gateway
 * keeps nothing new, only counts (Mosquitto part).
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import path from 'node:path';
import mqtt from 'mqtt';
import { Spool, type DeadLetterRow } from '../../gateway/spool.ts';
import { buildGateway } from '../../gateway/app.ts';
import { openSqliteStore } from '../../stores/sqlite.ts';
import { TOPICS } from '#common/schemas/topics.ts';
import { tmpDir, until } from './helpers.ts';

const MQTT_URL = process.env.AIRDESK_TEST_MQTT_URL;
const dead = (reason: string, i: number, raw: Uint8Array = Buffer.from(`garbage ${i}`)): DeadLetterRow => ({ time: 1_000_000 + i, topic: `t/${i}`, reason, detail: 'd', raw, size: raw.length });
const group = (rows: DeadLetterRow[]) => ({ readings: [], voc: [], dead: rows, status: [] });

describe('spool dead letters are bounded', () => {
  it('rows: the oldest go first, the newest of each reason stays, counts by reason stay exact', () => {
    const spool = new Spool(path.join(tmpDir('dl'), 'spool.sqlite'), { deadLetters: { maxRows: 100 } });
    spool.append(group([dead('hj212.crc', 0)])); // a rare reason, once, first of all
    for (let g = 0; g < 10; g++) spool.append(group(Array.from({ length: 100 }, (_, k) => dead(k % 3 ? 'json.invalid' : 'schema.invalid', 1 + g * 100 + k))));
    const size = spool.deadLetterSize();
    expect(size.rows).toBeLessThanOrEqual(100);
    expect(size.rows).toBeGreaterThanOrEqual(90);
    const sum = Object.fromEntries(spool.deadLetterSummary().map((s) => [s.reason, [s.count, s.kept]]));
    // 1,000 rows: k % 3 === 0 for k = 0, 3, ..., 99 is 34 per group of 100 -> 340 schema.invalid.
    expect(sum['json.invalid'][0]).toBe(660);
    expect(sum['schema.invalid'][0]).toBe(340);
    expect(sum['hj212.crc']).toEqual([1, 1]);
    expect(sum['json.invalid'][1] + sum['schema.invalid'][1] + 1).toBe(size.rows);
    // What is kept is the newest: the last row of the last group is there, early ones are not.
    const ids = spool.recentDeadLetters(1000).map((r) => r.topic);
    expect(ids).toContain('t/1000');
    expect(ids).not.toContain('t/1');
    spool.close();
    // Reopened: the sizes are read back, the bound still holds.
    const again = new Spool(spool.path, { deadLetters: { maxRows: 100 } });
    expect(again.deadLetterSize()).toEqual(size);
    again.close();
  });

  it('bytes: 2,000 payloads of 261 KB keep 16 KiB each with the SHA-256 of the whole, under maxBytes', () => {
    const spool = new Spool(path.join(tmpDir('dl'), 'spool.sqlite'), { deadLetters: { maxBytes: 4 << 20 } });
    const big = (i: number) => Buffer.alloc(261 * 1024, i % 251);
    for (let g = 0; g < 20; g++) spool.append(group(Array.from({ length: 100 }, (_, k) => dead('payload.oversized', g * 100 + k, big(g * 100 + k)))));
    const size = spool.deadLetterSize();
    expect(size.bytes).toBeLessThanOrEqual(4 << 20);
    // 4 MiB / (16 KiB + a few bytes) is at most 255 rows; at least 90 % of the bound is kept.
    expect(size.rows).toBeGreaterThan(200);
    const [last] = spool.recentDeadLetters(1);
    expect(last.raw.length).toBe(16 * 1024);
    expect(last.size).toBe(261 * 1024);
    expect(last.hash).toBe(createHash('sha256').update(big(1999)).digest('hex'));
    expect(spool.deadLetterSummary()).toMatchObject([{ reason: 'payload.oversized', count: 2000 }]);
    spool.close();
  });
});

describe.skipIf(!MQTT_URL)('gateway below the disk watermark (Mosquitto)', () => {
  it('keeps no new dead letter, counts them by reason, says so in stats; valid readings still stored', async () => {
    const dir = tmpDir('dl-gw');
    const store = await openSqliteStore(path.join(dir, 'store.sqlite'));
    const run = `d${Date.now().toString(36)}${process.pid}`;
    let free = 10 * 2 ** 30;
    const gw = buildGateway({ mqttUrl: MQTT_URL!, store, spoolPath: path.join(dir, 'spool.sqlite'), clientId: `gw-${run}`, sessionExpirySec: 30, storeLingerMs: 0, diskMinFreeBytes: 1 << 30, diskFree: () => free });
    await gw.start();
    const pub = await mqtt.connectAsync(MQTT_URL!, { clientId: `pub-${run}` });
    try {
      const time = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
      const good = (i: number) => pub.publishAsync(TOPICS.stationReadings(`${run}S${i}`), JSON.stringify({ v: 1, station: `${run}S${i}`, time, interval: 'hour', values: { pm25: 5 } }), { qos: 1 });
      await pub.publishAsync(TOPICS.stationReadings(`${run}X`), 'not json', { qos: 1 });
      await until(() => gw.stats().deadLetters.rows === 1, 5000, 'the first garbage kept');
      free = 100 << 20; // 100 MiB left
      await until(() => gw.stats().disk.low, 3000, 'the watermark to be seen');
      for (let i = 0; i < 50; i++) await pub.publishAsync(TOPICS.stationReadings(`${run}X`), 'not json', { qos: 1 });
      for (let i = 0; i < 20; i++) await good(i);
      await until(() => gw.stats().rejected === 51 && gw.stats().stored === 20 && gw.stats().uncommitted === 0, 10_000, 'all handled');
      await new Promise((r) => setTimeout(r, 50));
      expect(gw.stats().deadLetters).toMatchObject({ rows: 1, skipped: 50 });
      expect(gw.spool!.deadLetterSummary()).toMatchObject([{ reason: 'json.invalid', count: 51, kept: 1 }]);
      free = 10 * 2 ** 30;
      await until(() => !gw.stats().disk.low, 3000, 'space again');
      await pub.publishAsync(TOPICS.stationReadings(`${run}X`), 'not json', { qos: 1 });
      await until(() => gw.stats().deadLetters.rows === 2, 5000, 'dead letters kept again');
    } finally {
      await pub.endAsync();
      await gw.stop();
      await store.close();
    }
  });
});
