/**
 * The publisher end to end over MQTT: the embedded broker (aedes) on port 0 always, and the real
 * Mosquitto when tests/run.sh provides AIRDESK_TEST_MQTT_URL.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { startSimulator } from '../../simulators/publish.ts';
import { beijingToUtc, HOUR_MS } from '#common/time.ts';
import { TOPICS } from '#common/schemas/topics.ts';
import { parsePacket } from '#common/hj212/index.ts';

async function collect(url: string, filters: string[]) {
  const got: { topic: string; payload: string; retain: boolean }[] = [];
  const c = await mqtt.connectAsync(url, { clientId: `t-${Math.random()}` });
  c.on('message', (topic, payload, p) => got.push({ topic, payload: payload.toString(), retain: p.retain }));
  await c.subscribeAsync(filters, { qos: 1 });
  return { got, close: () => c.endAsync() };
}
const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
};

function suite(name: string, getUrl: () => string, onClient?: () => { will: unknown[] }) {
  describe(name, () => {
    it('backfills a day as JSON (12 stations x 24 h + 2 VOC x 24 h), then marks stations offline', async () => {
      const url = getUrl();
      const sub = await collect(url, [TOPICS.stationReadingsFilter, TOPICS.vocCyclesFilter, TOPICS.stationStatusFilter]);
      const from = beijingToUtc(2016, 12, 15, 0);
      const sim = await startSimulator({ mqttUrl: url, scenario: 'pm', seed: 3, start: beijingToUtc(2016, 12, 12), from, to: from + 24 * HOUR_MS });
      await sim.done;
      const readings = () => sub.got.filter((m) => m.topic.endsWith('/readings'));
      expect(await until(() => readings().length === 288 && sub.got.filter((m) => m.topic.includes('/voc/')).length === 48)).toBe(true);
      const first = JSON.parse(readings()[0].payload);
      expect(first).toMatchObject({ v: 1, interval: 'hour', time: '2016-12-15T01:00:00+08:00' });
      await sim.stop();
      // Count only live deliveries: the broker is shared with other suites, whose retained statuses
      // for the same station codes arrive at subscribe time with the retain flag set.
      expect(await until(() => sub.got.filter((m) => !m.retain && m.topic.endsWith('/status') && JSON.parse(m.payload).state === 'offline').length === 12)).toBe(true);
      if (onClient) expect(onClient().will.length).toBeGreaterThanOrEqual(12);
      await sub.close();
      // Status is retained: a late subscriber sees it.
      const late = await collect(url, [TOPICS.stationStatus('1003A')]);
      expect(await until(() => late.got.length === 1)).toBe(true);
      expect(late.got[0].retain).toBe(true);
      expect(JSON.parse(late.got[0].payload)).toMatchObject({ station: '1003A', state: 'offline' });
      await late.close();
    });
    it('publishes HJ 212 hourly packets that pass the CRC check', async () => {
      const url = getUrl();
      const sub = await collect(url, ['hj212/#']);
      const from = beijingToUtc(2017, 6, 12, 10);
      const sim = await startSimulator({ mqttUrl: url, scenario: 'o3', format: 'hj212', voc: false, from, to: from + 3 * HOUR_MS });
      await sim.done;
      expect(await until(() => sub.got.length === 36)).toBe(true);
      await sim.stop();
      for (const m of sub.got) {
        expect(m.topic).toMatch(/^hj212\/22\/10\d\dA\/2061$/);
        expect(parsePacket(m.payload).ok).toBe(true);
      }
      await sub.close();
    });
    it('accelerated: runs from the scenario start, catches up with now, never publishes the future', async () => {
      const url = getUrl();
      const sub = await collect(url, [TOPICS.stationReadings('1011A')]);
      const now = Date.now();
      // 2 days ago at 100 simulated hours per second: caught up within about half a second.
      const sim = await startSimulator({ mqttUrl: url, scenario: 'dust', speed: 360_000, start: now - 2 * 86_400_000, voc: false });
      await new Promise((r) => setTimeout(r, 1500));
      await sim.stop();
      const times = sub.got.map((m) => Date.parse(JSON.parse(m.payload).time));
      expect(times.length).toBeGreaterThanOrEqual(47); // every hour since the scenario start (Beijing midnight)
      expect(Math.max(...times)).toBeLessThanOrEqual(Date.now());
      expect(times).toEqual([...new Set(times)].sort((a, b) => a - b)); // each hour once, in order
      await sub.close();
    });
    it('load mode: N stations at R messages per second, bounded', async () => {
      const url = getUrl();
      const sub = await collect(url, [TOPICS.stationReadingsFilter]);
      const sim = await startSimulator({ mqttUrl: url, stations: 100, rate: 1000, voc: false });
      await new Promise((r) => setTimeout(r, 1500));
      await sim.stop();
      const n = sub.got.length;
      // 1.5 s at 1000/s: allow start-up and stop slack on a shared 2-core machine.
      expect(n).toBeGreaterThan(800);
      expect(n).toBeLessThan(1700);
      expect(new Set(sub.got.map((m) => JSON.parse(m.payload).station)).size).toBe(100);
      await sub.close();
    });
  });
}

let server: Server;
let broker: Aedes;
let port = 0;
const wills: unknown[] = [];
beforeAll(async () => {
  broker = await Aedes.createBroker();
  broker.on('client', (c) => {
    if ((c as unknown as { will?: unknown }).will) wills.push((c as unknown as { will: unknown }).will);
  });
  server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((r) => broker.close(() => r()));
  await new Promise<void>((r) => server.close(() => r()));
});

suite('embedded broker (aedes)', () => `mqtt://127.0.0.1:${port}`, () => ({ will: wills }));

const MQTT = process.env.AIRDESK_TEST_MQTT_URL;
if (!MQTT) console.log('tests/simulators/publish: AIRDESK_TEST_MQTT_URL not set, skipping the Mosquitto run (use tests/run.sh)');
describe.skipIf(!MQTT)('mosquitto', () => suite('real broker', () => MQTT!));
