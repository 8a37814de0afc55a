/**
 * Issue 14, "one message stops all storage": a name the store refuses must never block the rows
 * behind it. Two ends:
 * - the edge: station `EVIL\` and VOC species `time` are dead-lettered (name.invalid) by the
 *   gateway, and the 5,000 valid readings after them are all stored (Mosquitto + InfluxDB, the
 *   store thread, as `airdesk gateway` runs);
 * - the drainer: a batch the store refuses (rows spooled by an older gateway, or refused by the
 *   server itself: InfluxDB's HTTP 400 "partial write" on a field type conflict) is split, the
 *   culprit dead-lettered as store.refused with the store's reason, the rest written (InfluxDB
 *   and SQLite, objects and the text hand-off).
 */
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import pino from 'pino';
import mqtt from 'mqtt';
import type { Reading, VocCycle } from '#common/schemas/reading.ts';
import { Spool } from '../../gateway/spool.ts';
import { Drainer, type Refused } from '../../gateway/drainer.ts';
import { buildGateway } from '../../gateway/app.ts';
import { encodeReadings, InfluxStore } from '../../stores/influx.ts';
import { openSqliteStore } from '../../stores/sqlite.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { TOPICS } from '#common/schemas/topics.ts';
import { tmpDir, until } from './helpers.ts';

const INFLUX = process.env.AIRDESK_TEST_INFLUX_URL;
const MQTT_URL = process.env.AIRDESK_TEST_MQTT_URL;
if (!INFLUX || !MQTT_URL) console.warn('tests/gateway/refused.test.ts: InfluxDB/Mosquitto parts skipped (run through tests/run.sh)');

const T = Date.UTC(2026, 10, 1);
const N = 5000;
const reading = (station: string, k: number): Reading => ({ station, time: T + k * 1000, interval: 'rt', source: 'live', flags: {}, values: { pm25: k % 500, o3: 50 } });
const cycle = (species: Record<string, number>, k: number): VocCycle => ({ analyzer: 'GC1', station: 'S1', time: T + k * 60_000, source: 'live', species, flags: {} });

let seq = 0;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function influxStore(): Promise<TimeSeriesStore> {
  const database = `refused_${process.pid}_${seq++}`;
  const store = new InfluxStore({ url: INFLUX!, database });
  await store.init();
  cleanups.push(async () => {
    await fetch(`${INFLUX}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }) });
  });
  return store;
}

const stores: [string, () => Promise<TimeSeriesStore>][] = [
  ['SQLite', () => openSqliteStore(':memory:')],
  ...(INFLUX ? [['InfluxDB', influxStore] as [string, () => Promise<TimeSeriesStore>]] : []),
];

/** A spool holding what an older gateway let through: EVIL\ first, then N valid readings, a VOC
 *  cycle with species `time` ahead of 10 valid ones. */
function poisonedSpool(): Spool {
  const spool = new Spool(path.join(tmpDir('refused'), 'spool.sqlite'));
  spool.append({ readings: [reading('EVIL\\', 0), ...Array.from({ length: N }, (_, k) => reading(`S${k % 50}`, k + 1))], voc: [cycle({ time: 1 }, 0), ...Array.from({ length: 10 }, (_, k) => cycle({ toluene: k }, k + 1))], dead: [], status: [] });
  return spool;
}

describe.each(stores)('drainer splits a refused batch (%s)', (_label, open) => {
  it('EVIL\\ and species `time` go to the dead letters with the store\'s reason, every valid row is stored', async () => {
    const store = await open();
    const spool = poisonedSpool();
    const refused: Refused[] = [];
    const drainer = new Drainer(spool, store, pino({ level: 'silent' }), N, { onRefused: (r) => refused.push(...r) });
    drainer.start();
    await until(() => drainer.pending() === 0, 20_000, 'the spool to drain');
    await drainer.stop();
    spool.close();
    const counts = await store.countReadings({ from: 0, to: T + 1e9 });
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(N);
    expect(counts['EVIL\\']).toBeUndefined();
    expect((await store.queryVocCycles({ from: 0, to: T + 1e9 })).length).toBe(10);
    expect(refused.map((r) => [r.kind, JSON.parse(r.body).station ?? null])).toEqual([['reading', 'EVIL\\'], ['voc', 'S1']]);
    expect(refused[0].error).toMatch(/STORE_INVALID_INPUT.*backslash/);
    expect(refused[1].error).toMatch(/STORE_INVALID_INPUT.*"time".*reserved/);
    expect(drainer.stats.stored).toBe(N);
    expect(drainer.stats.refused).toBe(2);
  });
});

describe.skipIf(!INFLUX)('drainer and InfluxDB\'s own refusals (HTTP 400 partial write)', () => {
  it('a field type conflict in one reading: the server\'s reason is kept, the other 4,999 stored, from objects and from text', async () => {
    for (const handOff of ['spool', 'text'] as const) {
      const store = (await influxStore()) as InfluxStore;
      // nox once written as an integer: a float nox (only station X's reading has one) is refused by
      // the server ("field type conflict", per measurement), which the local check cannot know.
      const db = (store as unknown as { database: string }).database;
      const res = await fetch(`${INFLUX}/write?db=${db}&precision=ms`, { method: 'POST', body: `readings,interval=rt,source=live,station=X nox=1i ${T - 1000}` });
      expect(res.status).toBe(204);
      const spool = new Spool(path.join(tmpDir('refused'), 'spool.sqlite'));
      const rs = Array.from({ length: N }, (_, k) => (k === 2500 ? { ...reading('X', k), values: { nox: 3.5 } } : reading(`S${k % 50}`, k)));
      spool.append({ readings: rs, voc: [], dead: [], status: [] });
      const refused: Refused[] = [];
      const drainer = new Drainer(spool, store, pino({ level: 'silent' }), N, { onRefused: (r) => refused.push(...r), memMax: 2 * N });
      if (handOff === 'text') drainer.offerEncoded(spool.lastAppended.firstReading, { count: N, text: encodeReadings(rs) });
      drainer.start();
      await until(() => drainer.pending() === 0, 30_000, 'the spool to drain');
      await drainer.stop();
      spool.close();
      const counts = await store.countReadings({ from: T - 1, to: T + 1e9 });
      expect(Object.values(counts).reduce((a, b) => a + b, 0), handOff).toBe(N - 1); // (the integer point has no flags field, which countReadings counts)
      expect(refused.length, handOff).toBe(1);
      expect(JSON.parse(refused[0].body)).toEqual(rs[2500]);
      expect(refused[0].error).toMatch(/HTTP 400.*field type conflict/);
    }
  });
});

describe.skipIf(!INFLUX || !MQTT_URL)('gateway end to end: Mosquitto, store thread, InfluxDB', () => {
  it('station EVIL\\ and species `time` are dead-lettered at the edge; the 5,000 readings after them are all stored', async () => {
    const dir = tmpDir('refused-gw');
    const database = `refused_gw_${process.pid}_${seq++}`;
    const store = new InfluxStore({ url: INFLUX!, database });
    await store.init();
    cleanups.push(async () => {
      await fetch(`${INFLUX}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }) });
    });
    const spoolPath = path.join(dir, 'spool.sqlite');
    // An older gateway's spool with a reading the store refuses at its head.
    const old = new Spool(spoolPath);
    old.append({ readings: [reading('EVIL\\', 0)], voc: [], dead: [], status: [] });
    old.close();
    const run = `r${Date.now().toString(36)}${process.pid}`;
    const gw = buildGateway({ mqttUrl: MQTT_URL!, store: null, storeThread: { influx: { url: INFLUX!, database } }, spoolPath, clientId: `gw-${run}`, sessionExpirySec: 30, storeLingerMs: 50 });
    await gw.start();
    const pub = await mqtt.connectAsync(MQTT_URL!, { clientId: `pub-${run}` });
    try {
      const iso = (k: number) => new Date(T + k * 1000).toISOString();
      await pub.publishAsync(TOPICS.stationReadings('EVIL\\'), JSON.stringify({ v: 1, station: 'EVIL\\', time: iso(0), interval: 'rt', values: { pm25: 1 } }), { qos: 1 });
      await pub.publishAsync(TOPICS.vocCycles('GC1'), JSON.stringify({ v: 1, analyzer: 'GC1', station: 'S1', time: iso(0), unit: 'ppbv', species: { time: 1, toluene: 2 } }), { qos: 1 });
      const sends: Promise<unknown>[] = [];
      for (let k = 1; k <= N; k++) {
        const st = `${run}S${k % 20}`;
        sends.push(pub.publishAsync(TOPICS.stationReadings(st), JSON.stringify({ v: 1, station: st, time: iso(k), interval: 'rt', values: { pm25: k % 300 } }), { qos: 1 }));
      }
      await pub.publishAsync(TOPICS.vocCycles('GC1'), JSON.stringify({ v: 1, analyzer: 'GC1', station: 'S1', time: iso(1), unit: 'ppbv', species: { toluene: 2 } }), { qos: 1 });
      await Promise.all(sends);
      await until(() => gw.stats().stored >= N && gw.stats().storedVoc >= 1 && gw.stats().backlog.readings === 0, 30_000, 'all valid readings stored');
      const counts = await store.countReadings({ from: T, to: T + 1e9 });
      expect(Object.entries(counts).filter(([s]) => s.startsWith(run)).reduce((a, [, n]) => a + n, 0)).toBe(N);
      expect((await store.queryVocCycles({ from: T, to: T + 1e9 })).map((c) => c.species)).toEqual([{ toluene: 2 }]);
      const dead = gw.spool!.recentDeadLetters(10);
      expect(dead.map((d) => d.reason).sort()).toEqual(['name.invalid', 'name.invalid', 'store.refused']);
      const refused = dead.find((d) => d.reason === 'store.refused')!;
      expect(JSON.parse(Buffer.from(refused.raw).toString()).station).toBe('EVIL\\');
      expect(refused.detail).toMatch(/backslash/);
      expect(dead.find((d) => d.topic === TOPICS.vocCycles('GC1'))!.detail).toMatch(/species "time" is a reserved name/);
    } finally {
      await pub.endAsync();
      await gw.stop();
    }
  });
});
