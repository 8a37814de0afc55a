/**
 * The same gateway on the two brokers it meets: the embedded aedes (MQTT 3.1.1, one connection,
 * `npm start`) and Mosquitto with several consumer connections sharing the load through MQTT 5
 * shared subscriptions. Each message must be stored exactly once.
 */
import { describe, it, expect } from 'vitest';
import { createServer } from 'node:net';
import path from 'node:path';
import mqtt from 'mqtt';
import { Aedes } from 'aedes';
import { buildGateway } from '../../gateway/app.ts';
import { openSqliteStore } from '../../stores/sqlite.ts';
import { TOPICS } from '#common/schemas/topics.ts';
import { tmpDir, until } from './helpers.ts';

const MQTT_URL = process.env.AIRDESK_TEST_MQTT_URL;
if (!MQTT_URL) console.warn('tests/gateway/brokers.test.ts: Mosquitto shared-subscription test skipped, AIRDESK_TEST_MQTT_URL not set');

/** `simEvery`: every k-th message carries the MQTT 5 user property source=sim (the rest: the
 *  gateway's default source, live). */
async function flow(url: string, opts: { protocolVersion: 4 | 5; consumers: number; n: number; storeThread?: boolean; simEvery?: number }) {
  const run = `br${opts.protocolVersion}${opts.consumers}${Date.now().toString(36)}${process.pid}`;
  const dir = tmpDir(run);
  const storeFile = path.join(dir, 'store.sqlite');
  const store = await openSqliteStore(storeFile);
  // With storeThread the gateway's worker thread opens the same store file itself.
  const gw = buildGateway({ mqttUrl: url, store: opts.storeThread ? null : store, storeThread: opts.storeThread ? { sqlitePath: storeFile } : undefined, spoolPath: path.join(dir, 'spool.sqlite'), clientId: `gw-${run}`, protocolVersion: opts.protocolVersion, consumers: opts.consumers,
    // A group of its own: offline persistent sessions of earlier runs in a shared group still get
    // their share of messages (queued), which would starve this run. Short expiry for the same reason.
    shareGroup: `g${run}`, sessionExpirySec: 30 });
  await gw.start();
  const pub = await mqtt.connectAsync(url, { clientId: `pub-${run}`, protocolVersion: opts.protocolVersion });
  const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
  let stopped = false;
  const stations = [`${run}a`, `${run}b`];
  try {
    await Promise.all(Array.from({ length: opts.n }, (_, i) => {
      const s = stations[i % 2];
      const sim = opts.simEvery !== undefined && Math.floor(i / 2) % opts.simEvery === 0;
      return pub.publishAsync(TOPICS.stationReadings(s), JSON.stringify({ v: 1, station: s, time: new Date(t0 + Math.floor(i / 2) * 1000).toISOString(), interval: 'rt', values: { pm25: i % 90 } }), { qos: 1, ...(sim ? { properties: { userProperties: { source: 'sim' } } } : {}) });
    }));
    await until(() => gw.stats().stored >= opts.n, 20_000, 'all stored').catch((e) => {
      console.error('gateway stats', JSON.stringify(gw.stats()));
      throw e;
    });
    const stats = gw.stats();
    stopped = true;
    await gw.stop();
    const counts = await store.countReadings({ stations, from: t0, to: t0 + opts.n * 1000 });
    const simCounts = await store.countReadings({ stations, from: t0, to: t0 + opts.n * 1000, source: 'sim' });
    return { counts, simCounts, stats, stations };
  } finally {
    await pub.endAsync();
    if (!stopped) await gw.stop();
    await store.close();
  }
}

describe('gateway on both brokers', () => {
  it('aedes (MQTT 3.1.1, one connection): every reading stored once', async () => {
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const { counts, stats, stations } = await flow(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, consumers: 1, n: 400 });
      expect(counts).toEqual({ [stations[0]]: 200, [stations[1]]: 200 });
      expect(stats.accepted).toBe(400);
    } finally {
      await new Promise<void>((r) => broker.close(() => server.close(() => r())));
    }
  });

  it('aedes, store writes in the gateway\'s store thread: every reading stored once', async () => {
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const { counts, stats, stations } = await flow(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, consumers: 1, n: 400, storeThread: true });
      expect(counts).toEqual({ [stations[0]]: 200, [stations[1]]: 200 });
      expect(stats.accepted).toBe(400);
      expect(stats.stored).toBe(400);
      expect(stats.storeUp).toBe(true);
    } finally {
      await new Promise<void>((r) => broker.close(() => server.close(() => r())));
    }
  });

  it.skipIf(!MQTT_URL)('Mosquitto, 3 consumers on $share/airdesk: load spread, every reading stored once, with the source its publisher gave', async () => {
    const { counts, simCounts, stats, stations } = await flow(MQTT_URL!, { protocolVersion: 5, consumers: 3, n: 3000, simEvery: 3 });
    expect(counts).toEqual({ [stations[0]]: 1500, [stations[1]]: 1500 });
    // The user property `source` is honoured (docs/mqtt-topics.md): 500 of each station's 1,500.
    expect(simCounts).toEqual({ [stations[0]]: 500, [stations[1]]: 500 });
    // Shared subscription: each message delivered to one member of the group, not to all three.
    // (retained status messages of other tests may arrive too: count readings only)
    expect(stats.accepted, JSON.stringify(stats)).toBe(3000);
    expect(stats.connected).toBe(3);
  });

  it('refuses several consumers without MQTT 5', async () => {
    const dir = tmpDir('br-bad');
    const store = await openSqliteStore(':memory:');
    const gw = buildGateway({ mqttUrl: 'mqtt://127.0.0.1:1', store, spoolPath: path.join(dir, 's.sqlite'), protocolVersion: 4, consumers: 2 });
    await expect(gw.start()).rejects.toThrow(/MQTT 5/);
    await gw.stop();
  });
});
