/**
 * End to end on port 0 with the real Mosquitto from tests/run.sh: an AcceptedBatch published on the
 * internal topic reaches a socket.io client as reading:batch and aqi:hour; the client gets
 * state:sync on connect, and bad socket arguments get a coded refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { io as ioc, type Socket } from 'socket.io-client';
import { makeServer, hourly, bj } from './helpers.ts';
import { TOPICS } from '../../common/schemas/topics.ts';
import type { Built } from '../../server/app.ts';
import type { ClientToServerEvents, ServerToClientEvents, AqiHourEvt, ReadingBatchEvt, StateSyncEvt, Ack } from '../../common/schemas/events.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';

const MQTT_URL = process.env.AIRDESK_TEST_MQTT_URL;
if (!MQTT_URL) console.warn('tests/server/e2e.test.ts: skipped, AIRDESK_TEST_MQTT_URL not set (run through tests/run.sh)');

describe.skipIf(!MQTT_URL)('MQTT -> server -> socket.io', () => {
  let s: Built & { store: TimeSeriesStore };
  let url: string;
  let client: Socket<ServerToClientEvents, ClientToServerEvents>;
  let pub: mqtt.MqttClient;

  beforeAll(async () => {
    s = await makeServer({ mqttUrl: MQTT_URL!, clock: () => bj('2026-07-01', 3) + 60_000 });
    await s.start();
    url = await s.app.listen({ port: 0, host: '127.0.0.1' });
    pub = await mqtt.connectAsync(MQTT_URL!, { protocolVersion: 5 });
  });
  afterAll(async () => {
    client?.disconnect();
    await pub?.endAsync();
    await s?.close();
  });

  it('sends state:sync on connect, validates city:join, then pushes reading:batch and aqi:hour', async () => {
    client = ioc(url, { transports: ['websocket'], reconnection: false });
    const sync = await new Promise<StateSyncEvt>((res) => client.once('state:sync', res));
    expect(sync.latest.cities.map((c) => c.city)).toEqual(['Xcity', 'Ycity']);
    expect(sync.rooms).toEqual([]);

    const bad = await new Promise<Ack>((res) => client.emit('city:join', 42 as unknown as string, res));
    expect(bad).toMatchObject({ ok: false, error: { code: 'AIRDESK_BAD_SOCKET_ARG' } });
    const unknown = await new Promise<Ack>((res) => client.emit('city:join', 'Atlantis', res));
    expect(unknown.ok).toBe(false);
    const ok = await new Promise<Ack>((res) => client.emit('city:join', 'Xcity', res));
    expect(ok).toEqual({ ok: true, rooms: ['Xcity'] });

    const batches: ReadingBatchEvt[] = [];
    const hours: AqiHourEvt[] = [];
    client.on('reading:batch', (b) => batches.push(b));
    client.on('aqi:hour', (h) => hours.push(h));
    const T = bj('2026-07-01', 2);
    const readings = [...hourly('X1', T, [{ pm25: 100 }]), ...hourly('X2', T, [{ pm25: 50 }]), ...hourly('Y1', T, [{ pm25: 10 }])];
    await pub.publishAsync(TOPICS.acceptedReadings, JSON.stringify({ v: 1, readings }), { qos: 1 });
    // Garbage on the internal topic is counted and dropped, never crashes the handler.
    await pub.publishAsync(TOPICS.acceptedReadings, '{"v":1,"readings":[{"station":1}]}', { qos: 1 });

    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && !(batches.length && hours.some((h) => h.scope === 'city'))) await new Promise((r) => setTimeout(r, 20));
    // Only Xcity's readings reach a socket in the Xcity room.
    expect(batches.flatMap((b) => b.readings.map((r) => r.station)).sort()).toEqual(['X1', 'X2']);
    expect(batches[0].city).toBe('Xcity');
    const city = hours.find((h) => h.scope === 'city')!;
    expect(city).toMatchObject({ id: 'Xcity', revision: false });
    expect(city.point.time).toBe(T);
    expect(city.point.values.pm25).toBe(75);
    expect(city.point.n!.pm25).toBe(2);
    // HJ 633-2026: PM2.5 75 -> 100 + 15/55*50 = 113.6 -> 114
    expect(city.point.aqi!.aqi).toBe(114);
    expect(hours.some((h) => h.id === 'Y1' || h.id === 'Ycity')).toBe(false);

    // The garbage message follows the good one; wait for it to be counted (bounded) rather than
    // racing it on a loaded machine.
    const rejected = /airdesk_live_rejected_total\{reason="batch.invalid"\} 1/;
    let metrics = '';
    for (const end = Date.now() + 5_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
      metrics = (await s.app.inject({ url: '/metrics' })).body;
      if (rejected.test(metrics)) break;
    }
    expect(metrics).toMatch(rejected);
    expect((await s.app.inject({ url: '/readyz' })).json().checks.mqtt).toBe(true);
  });

  it('a reconnecting client gets a full state:sync with what it missed', async () => {
    const c2 = ioc(url, { transports: ['websocket'], reconnection: false, query: { cities: 'Xcity' } });
    const sync = await new Promise<StateSyncEvt>((res) => c2.once('state:sync', res));
    c2.disconnect();
    expect(sync.rooms).toEqual(['Xcity']);
    expect(sync.latest.cities.find((c) => c.city === 'Xcity')!.hour!.values.pm25).toBe(75);
    expect(sync.latest.stations.map((x) => x.station)).toEqual(['X1', 'X2', 'X3']);
  });
});
