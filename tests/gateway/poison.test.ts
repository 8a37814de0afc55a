/**
 * Issue 14's "done when": a poison corpus sent at load beside >= 1,000 valid readings/s (real
 * Mosquitto and InfluxDB, the store thread as `airdesk gateway` runs it, the shipped broker
 * config). Then: exact counts per station (every valid reading stored once), every bad item
 * dead-lettered with its reason, the gateway still up and ready, store lag back under 3 s.
 * The socket.io half (one client cannot stop the server) is tests/server/socket-flood.test.ts.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import mqtt from 'mqtt';
import { buildGateway } from '../../gateway/app.ts';
import { serveHealth } from '../../gateway/health.ts';
import { Spool } from '../../gateway/spool.ts';
import { InfluxStore } from '../../stores/influx.ts';
import { TOPICS } from '#common/schemas/topics.ts';
import { buildPacket } from '#common/hj212/index.ts';
import pino from 'pino';
import { tmpDir, until } from './helpers.ts';

const INFLUX = process.env.AIRDESK_TEST_INFLUX_URL;
const MQTT_URL = process.env.AIRDESK_TEST_MQTT_URL;
if (!INFLUX || !MQTT_URL) console.warn('tests/gateway/poison.test.ts: skipped, needs tests/run.sh (Mosquitto + InfluxDB)');

const STATIONS = 50;
const PER_STATION = 200; // 10,000 valid readings
const RATE = 1250; // readings/s

describe.skipIf(!INFLUX || !MQTT_URL)('poison corpus at load (Mosquitto + InfluxDB)', () => {
  it('valid readings all stored exactly once, every bad item dead-lettered with its reason, gateway ready, lag < 3 s', async () => {
    const run = `p${Date.now().toString(36)}${process.pid}`;
    const dir = tmpDir('poison');
    const database = `poison_${process.pid}_${Date.now().toString(36)}`;
    const store = new InfluxStore({ url: INFLUX!, database });
    await store.init();
    const spoolPath = path.join(dir, 'spool.sqlite');
    // A spool left by an older gateway with a reading the store refuses at its head.
    const old = new Spool(spoolPath);
    old.append({ readings: [{ station: `${run}EVIL\\`, time: Date.UTC(2026, 0, 1), interval: 'rt', source: 'live', values: { pm25: 1 }, flags: {} }], voc: [], dead: [], status: [] });
    old.close();
    const gw = buildGateway({
      mqttUrl: MQTT_URL!, store: null, storeThread: { influx: { url: INFLUX!, database } }, spoolPath, clientId: `gw-${run}`, sessionExpirySec: 60,
      isKnownStation: (c) => c.startsWith(`${run}S`),
      stationLimit: { max: 1_000_000, perMinute: 5 },
    });
    await gw.start();
    const health = (await serveHealth(gw, { host: '127.0.0.1', port: 0, maxLagMs: 30_000, log: pino({ level: 'silent' }) }))!;
    const pubs = await Promise.all([0, 1].map((i) => mqtt.connectAsync(MQTT_URL!, { clientId: `pub-${run}-${i}` })));
    try {
      const T0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
      const iso = (ms: number) => new Date(ms).toISOString();
      const valid = (st: string, k: number) => JSON.stringify({ v: 1, station: st, time: iso(T0 + k * 1000), interval: 'rt', values: { pm25: (k % 300) + 1, no2: 20 } });
      const mn = `${run}MN`.toUpperCase();
      const hj = buildPacket({ st: '22', cn: '2011', mn, flag: 4, cp: { DataTime: '20260101000000', 'a34004-Rtd': '5' } });
      // [topic, payload, reason]: each sent once, spread through the load.
      const BAD: [string, string | Buffer, string][] = [
        [TOPICS.stationReadings('EVIL\\'), JSON.stringify({ v: 1, station: 'EVIL\\', time: iso(T0), interval: 'rt', values: { pm25: 1 } }), 'name.invalid'],
        [TOPICS.vocCycles(`${run}GC`), JSON.stringify({ v: 1, analyzer: `${run}GC`, station: `${run}S0`, time: iso(T0), unit: 'ppbv', species: { time: 1, toluene: 2 } }), 'name.invalid'],
        [`aq/v1/station/${run}S1/readings`, valid(`${run}S1`, 9999), 'topic.unknown'],
        [`aq/v2/stations/${run}S1/readings`, valid(`${run}S1`, 9998), 'topic.unknown'],
        [TOPICS.stationReadings(`${run}S2`), Buffer.alloc(2 << 20, 0x20), 'payload.oversized'],
        [TOPICS.stationReadings(`${run}S3`), JSON.stringify({ v: 1, station: `${run}S3`, time: iso(T0), interval: 'rt', values: { pm25: 1e308 }, units: { pm25: 'mg/m3' } }), 'value.overflow'],
        [`hj212/22/${run}OTHER/2011`, hj, 'hj212.mn'],
        [TOPICS.stationReadings(`${run}S4`), '{"v":1,', 'json.invalid'],
        [TOPICS.stationReadings(`${run}S5`), JSON.stringify({ v: 1, station: `${run}S5`, time: iso(Date.now() + 86_400_000), interval: 'rt', values: { pm25: 1 } }), 'time.future'],
        // Ten unknown stations, 5 registrations a minute: five registered (and stored), five refused.
        ...Array.from({ length: 10 }, (_, i) => [TOPICS.stationReadings(`${run}U${i}`), valid(`${run}U${i}`, 1), i < 5 ? 'ok' : 'station.limit'] as [string, string, string]),
      ];
      const badAt = new Map<number, number[]>();
      BAD.forEach((_, i) => {
        const at = Math.floor(((i + 1) * PER_STATION) / (BAD.length + 2));
        badAt.set(at, [...(badAt.get(at) ?? []), i]);
      });
      const t0 = Date.now();
      let sent = 0;
      const inflight: Promise<unknown>[] = [];
      for (let k = 0; k < PER_STATION; k++) {
        for (let s = 0; s < STATIONS; s++) {
          const st = `${run}S${s}`;
          inflight.push(pubs[s % 2].publishAsync(TOPICS.stationReadings(st), valid(st, k), { qos: 1 }));
          sent++;
        }
        for (const i of badAt.get(k) ?? []) inflight.push(pubs[0].publishAsync(BAD[i][0], BAD[i][1], { qos: 1 }));
        // Pace to RATE readings/s.
        const ahead = (sent / RATE) * 1000 - (Date.now() - t0);
        if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
        if (inflight.length > 4000) await Promise.all(inflight.splice(0));
      }
      await Promise.all(inflight);
      const sendSeconds = (Date.now() - t0) / 1000;
      expect(sent / sendSeconds).toBeGreaterThanOrEqual(1000);

      const nBad = BAD.filter((b) => b[2] !== 'ok').length;
      await until(() => {
        const s = gw.stats();
        return s.stored >= STATIONS * PER_STATION + 5 && s.rejected >= nBad && s.backlog.readings === 0 && s.refused >= 1;
      }, 30_000, 'everything stored or dead-lettered');
      await until(() => gw.stats().storeLagMs < 3000, 10_000, 'store lag under 3 s');

      // Exact counts per station: every valid reading once.
      const counts = await store.countReadings({ from: T0 - 1, to: T0 + 10_000_000 });
      const want: Record<string, number> = {};
      for (let s = 0; s < STATIONS; s++) want[`${run}S${s}`] = PER_STATION;
      for (let i = 0; i < 5; i++) want[`${run}U${i}`] = 1;
      expect(counts).toEqual(want);

      // Every bad item with its reason (the store.refused one is the old spool's EVIL\).
      const byReason: Record<string, number> = {};
      for (const [, , r] of BAD) if (r !== 'ok') byReason[r] = (byReason[r] ?? 0) + 1;
      byReason['store.refused'] = 1;
      const summary = Object.fromEntries(gw.spool!.deadLetterSummary().map((x) => [x.reason, x.count]));
      expect(summary).toEqual(byReason);
      const oversized = gw.spool!.recentDeadLetters(1, 'payload.oversized')[0];
      expect([oversized.size, oversized.raw.length, oversized.hash?.length]).toEqual([2 << 20, 16 << 10, 64]);

      // Still up and ready; the health endpoint says so.
      const ready = await fetch(`http://127.0.0.1:${health.port}/readyz`);
      expect(ready.status).toBe(200);
      const metrics = await (await fetch(`http://127.0.0.1:${health.port}/metrics`)).text();
      expect(metrics).toMatch(/airdesk_gateway_dead_letters_total\{reason="station.limit"\} 5/);
      expect(metrics).toMatch(/airdesk_gateway_store_refused_total 1/);
      console.log(`poison corpus: ${sent} valid readings in ${sendSeconds.toFixed(1)} s (${Math.round(sent / sendSeconds)}/s), ${nBad + 1} bad items, store lag ${gw.stats().storeLagMs} ms at the end`);
    } finally {
      await Promise.all(pubs.map((p) => p.endAsync()));
      await health.close();
      await gw.stop();
      await fetch(`${INFLUX}/query`, { method: 'POST', body: new URLSearchParams({ q: `DROP DATABASE "${database}"` }) });
    }
  });
});
