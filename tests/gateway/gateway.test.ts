/**
 * The gateway end to end on a real Mosquitto (tests/run.sh): a corpus of bad inputs, each
 * dead-lettered with the right reason code, the gateway still up and accepting good messages
 * afterwards; HJ 212, flat, VOC and status topics; the live push on the internal topic; the
 * `airdesk deadletter` CLI over the resulting spool.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import iconv from 'iconv-lite';
import { buildGateway, type Gateway } from '../../gateway/app.ts';
import { openSqliteStore } from '../../stores/sqlite.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { TOPICS } from '#common/schemas/topics.ts';
import { buildPacket, crc16 } from '#common/hj212/index.ts';
import type { AcceptedBatch } from '#common/schemas/reading.ts';
import { tmpDir, until } from './helpers.ts';

const execFileAsync = promisify(execFile);
const MQTT_URL = process.env.AIRDESK_TEST_MQTT_URL;
if (!MQTT_URL) console.warn('tests/gateway/gateway.test.ts: skipped, AIRDESK_TEST_MQTT_URL not set (run through tests/run.sh)');

const run = `t${Date.now().toString(36)}${process.pid}`;
const NOW = Date.now();
const hourEnd = (k: number) => new Date(Math.floor(NOW / 3_600_000) * 3_600_000 - k * 3_600_000).toISOString();
const reading = (station: string, k: number, values: Record<string, unknown> = { pm25: 35, o3: 80 }, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ v: 1, station, time: hourEnd(k), interval: 'hour', values, ...extra });
const stTopic = (s: string) => TOPICS.stationReadings(s);
const MN = `MN${run}`.toUpperCase();
const hjPacket = (cn: string, cp: Record<string, string>) => buildPacket({ qn: '20240701150000001', st: '22', cn, pw: '123456', mn: MN, flag: 4, cp });
const beijingStamp = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14);

function gbkPacket(): Buffer {
  const seg = buildPacket({ st: '22', cn: '2011', mn: MN, flag: 4, cp: { DataTime: beijingStamp(hourEnd(1)), 'a34004-Rtd': '5', 'a99999-Info': '故障' } }).slice(6, -6);
  const g = iconv.encode(seg, 'gbk');
  return Buffer.concat([Buffer.from(`##${String(g.length).padStart(4, '0')}`), g, Buffer.from(`${crc16(g)}\r\n`)]);
}

// Each bad case on its own topic (K-stations are known; Z-stations are not).
const BAD: [string, string | Buffer, string][] = [
  [stTopic(`K${run}b1`), '{"v":1,"station":"K', 'json.invalid'],
  [stTopic(`K${run}b2`), 'hello world', 'json.invalid'],
  [stTopic(`K${run}b3`), `{"v":1,"station":"K${run}b3","time":"${hourEnd(1)}","interval":"hour","values":{"pm25":NaN}}`, 'json.nan'],
  [stTopic(`K${run}b4`), reading(`K${run}b4`, 1, { pm25: '35' }), 'schema.invalid'],
  [stTopic(`K${run}b5`), reading(`K${run}b5`, 1, { no2: -3 }), 'value.negative'],
  [stTopic(`K${run}b6`), reading(`K${run}b6`, 1, { o3: 80 }, { units: { o3: 'ppq' } }), 'unit.unknown'],
  [stTopic(`K${run}b7`), JSON.stringify({ v: 1, station: `K${run}b7`, time: new Date(NOW + 3_600_000).toISOString(), interval: 'hour', values: { pm25: 1 } }), 'time.future'],
  [stTopic(`Z${run}b8`), reading(`Z${run}b8`, 1), 'station.unknown'],
  [stTopic(`K${run}b9`), Buffer.alloc(300 * 1024, 0x20), 'payload.oversized'],
  [`hj212/22/${MN}/b10`, hjPacket('2061', { DataTime: '20240701140000', 'a34004-Avg': '38' }).replace(/[0-9A-F]{4}\r\n$/, '0000\r\n'), 'hj212.crc'],
  [`hj212/22/${MN}/b11`, hjPacket('2061', { DataTime: '20240701140000', 'a34004-Avg': '38' }).replace(/^##(\d{4})/, (_m, d) => `##${String(Number(d) + 1).padStart(4, '0')}`), 'hj212.length'],
  [stTopic(`K${run}b12`), Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'encoding.invalid'],
  [`hj212/22/${MN}/b13`, gbkPacket(), 'encoding.invalid'],
  [stTopic(`K${run}b14`), reading(`K${run}other`, 1), 'topic.mismatch'],
  [stTopic(`K${run}b15`), reading(`K${run}b15`, 1, { benzene: 1 }), 'quantity.unknown'],
  [TOPICS.vocCycles(`A${run}b16`), JSON.stringify({ v: 1, analyzer: `A${run}b16`, station: `K${run}v`, time: hourEnd(1), unit: 'ppbv', species: { toluene: -1 } }), 'value.negative'],
  [TOPICS.stationStatus(`K${run}b17`), JSON.stringify({ v: 1, station: `K${run}b17`, state: 'asleep', time: hourEnd(0) }), 'schema.invalid'],
  [stTopic(`K${run}b18`), '', 'payload.empty'],
  [stTopic(`K${run}b19`), reading(`K${run}b19`, 1, { pm25: 1 }, { time: '2026-07-01T15:00:00' }), 'time.invalid'],
  [`aq/v1/flat/K${run}b20`, JSON.stringify({ time: hourEnd(1), pm25: 'high' }), 'schema.invalid'],
  [`hj212/22/${MN}/b21`, hjPacket('1062', { RtdInterval: '30' }), 'hj212.cn'],
  [stTopic(`K${run}b22`), '[1,2,3]', 'schema.invalid'],
];

describe.skipIf(!MQTT_URL)('gateway end to end (Mosquitto + SQLite store)', () => {
  let gw: Gateway;
  let store: TimeSeriesStore;
  let pub: MqttClient;
  let sub: MqttClient;
  const dir = tmpDir('gw');
  const spoolPath = path.join(dir, 'spool.sqlite');
  const batches: { at: number; batch: AcceptedBatch }[] = [];

  beforeAll(async () => {
    store = await openSqliteStore(path.join(dir, 'store.sqlite'));
    gw = buildGateway({
      mqttUrl: MQTT_URL!, store, spoolPath, clientId: `gw-${run}`, sessionExpirySec: 30,
      unknownStation: 'reject', isKnownStation: (c) => c.startsWith('K'),
      hj212: { mnToStation: { [MN]: `K${run}hj` } },
    });
    await gw.start();
    sub = await mqtt.connectAsync(MQTT_URL!, { clientId: `sub-${run}` });
    await sub.subscribeAsync(TOPICS.acceptedReadings, { qos: 0 });
    sub.on('message', (_t, p) => batches.push({ at: Date.now(), batch: JSON.parse(p.toString()) }));
    pub = await mqtt.connectAsync(MQTT_URL!, { clientId: `pub-${run}` });
  });

  afterAll(async () => {
    await pub?.endAsync();
    await sub?.endAsync();
    await gw?.stop();
    await store?.close();
  });

  it('dead-letters every bad input with its reason and keeps running', async () => {
    for (const [topic, payload] of BAD) await pub.publishAsync(topic, payload, { qos: 1 });
    await until(() => gw.stats().rejected >= BAD.length && gw.stats().backlog.readings === 0 && gw.spool!.recentDeadLetters(1000).length >= BAD.length, 10_000, 'all bad inputs dead-lettered');
    const rows = gw.spool!.recentDeadLetters(1000);
    const byTopic = new Map(rows.map((r) => [r.topic, r]));
    for (const [topic, payload, reason] of BAD) {
      const row = byTopic.get(topic);
      expect(row, `dead letter for ${topic}`).toBeDefined();
      expect(`${topic}: ${row!.reason}`).toBe(`${topic}: ${reason}`);
      const bytes = Buffer.from(payload);
      expect(row!.size).toBe(bytes.length);
      if (bytes.length <= 256 * 1024) expect(Buffer.from(row!.raw).equals(bytes)).toBe(true);
    }
    expect(gw.stats().rejected).toBe(BAD.length);
    expect(gw.stats().accepted).toBe(0);
    expect(gw.stats().connected).toBe(1);
  });

  it('still accepts good messages afterwards: JSON, flat, HJ 212, VOC, status; pushes them live', async () => {
    const K1 = `K${run}g1`;
    const t0 = Date.now();
    for (let k = 1; k <= 3; k++) await pub.publishAsync(stTopic(K1), reading(K1, k, { 'PM2.5': 30 + k, O3: 50 }, { units: { O3: 'ppb' }, flags: { O3: 'C' } }), { qos: 1 });
    await pub.publishAsync(`aq/v1/flat/K${run}g2`, JSON.stringify({ time: hourEnd(1), pm25: 12, battery: 'ok' }), { qos: 1 });
    const dt = beijingStamp(new Date(Date.parse(hourEnd(2))).toISOString());
    await pub.publishAsync(`hj212/22/${MN}/2061`, hjPacket('2061', { DataTime: dt, 'a34004-Avg': '38', 'a34004-Flag': 'N', 'a05024-Avg': '186', 'a05024-Flag': 'M' }), { qos: 1 });
    await pub.publishAsync(TOPICS.vocCycles(`A${run}`), JSON.stringify({ v: 1, analyzer: `A${run}`, station: `K${run}g1`, time: hourEnd(1), unit: 'ppbv', species: { Toluene: 1.5, Isoprene: 0.3 } }), { qos: 1 });
    await pub.publishAsync(TOPICS.stationStatus(K1), JSON.stringify({ v: 1, station: K1, state: 'online', time: new Date().toISOString() }), { qos: 1, retain: true });

    await until(() => batches.flatMap((b) => b.batch.readings).length >= 5, 5000, 'accepted batches on the internal topic');
    const firstAt = batches[0].at;
    // The live push follows the spool commit, not the store write: tens of ms, not seconds.
    expect(firstAt - t0).toBeLessThan(500);
    const pushed = batches.flatMap((b) => b.batch.readings);
    const hj = pushed.find((r) => r.station === `K${run}hj`)!;
    expect(hj.values).toEqual({ pm25: 38, o3: 186 });
    expect(hj.flags).toEqual({ o3: ['M'] });
    expect(hj.time).toBe(Date.parse(hourEnd(2)) + 3_600_000); // DataTime is the interval start
    const g1 = pushed.filter((r) => r.station === K1).sort((a, b) => a.time - b.time);
    expect(g1.map((r) => r.values.pm25)).toEqual([33, 32, 31]);
    expect(g1[0].values.o3).toBeCloseTo((50 * 47.997) / 24.4654, 3);
    expect(g1[0].flags.o3).toEqual(['C']);
    expect(g1.every((r) => r.source === 'live')).toBe(true);

    await until(() => gw.stats().stored >= 5 && gw.stats().storedVoc >= 1, 10_000, 'drained to the store');
    const counts = await store.countReadings({ from: 0, to: NOW + 86_400_000 });
    expect(counts[K1]).toBe(3);
    expect(counts[`K${run}g2`]).toBe(1);
    expect(counts[`K${run}hj`]).toBe(1);
    const voc = await store.queryVocCycles({ analyzer: `A${run}`, from: 0, to: NOW + 86_400_000 });
    expect(voc).toHaveLength(1);
    expect(voc[0].species).toMatchObject({ toluene: 1.5, isoprene: 0.3 });
    await until(() => gw.spool!.stationStatus().some((s) => s.station === K1), 5000, 'status kept');
    expect(gw.stats().rejected).toBe(BAD.length);
  });

  it('acknowledges only after the spool commit: a failed commit means the broker redelivers', async () => {
    const S = `K${run}ack`;
    const spool = gw.spool!;
    const append = spool.append.bind(spool);
    let failures = 0;
    // The disk "fails" for the next half second: those groups are neither acknowledged nor kept.
    const failUntil = Date.now() + 500;
    spool.append = (g) => {
      if (Date.now() < failUntil) {
        failures++;
        throw new Error('disk full (test)');
      }
      append(g);
    };
    try {
      for (let k = 1; k <= 50; k++) await pub.publishAsync(stTopic(S), reading(S, k), { qos: 1 });
      // Had any PUBACK gone out before its commit, those readings would be gone for good.
      await until(async () => (await store.countReadings({ stations: [S], from: 0, to: NOW + 86_400_000 }))[S] === 50, 20_000, 'redelivered readings stored');
      expect(failures).toBeGreaterThan(0);
    } finally {
      spool.append = append;
    }
  });

  it('`airdesk deadletter` summarises and lists the spool', async () => {
    const bin = path.join(import.meta.dirname, '../../bin/airdesk.mjs');
    const cli = (...args: string[]) => execFileAsync(process.execPath, [bin, 'deadletter', '--spool', spoolPath, ...args], { encoding: 'utf8' }).then((r) => r.stdout);
    // In parallel: each CLI start compiles TypeScript through tsx, which takes seconds on a busy machine.
    const [json, list, text] = await Promise.all([cli('--json'), cli('--list', '3'), cli()]);
    const sum = JSON.parse(json) as { reason: string; count: number }[];
    const expected: Record<string, number> = {};
    for (const [, , r] of BAD) expected[r] = (expected[r] ?? 0) + 1;
    expect(Object.fromEntries(sum.map((s) => [s.reason, s.count]))).toEqual(expected);
    expect(list.match(/^#\d+ /gm)).toHaveLength(3);
    expect(text).toMatch(new RegExp(`\\s${BAD.length}\\s+total`));
  });
});
