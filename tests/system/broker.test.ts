/**
 * The embedded broker under `npm start` (system/broker.ts, issue 15): the fake-reading injection
 * from the issue (any client publishing on aq/v1/internal/readings, which the server trusts) and
 * the gateway-session takeover (a client connecting as `airdesk-gateway`) both fail; the gateway
 * itself still publishes and the server still receives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../system/broker.ts';

let b: EmbeddedBroker;
const clients: MqttClient[] = [];
beforeAll(async () => { b = await startEmbeddedBroker(0, '127.0.0.1'); });
afterAll(async () => {
  for (const c of clients) c.end(true);
  await b.close();
});

function connect(url: string, opts: mqtt.IClientOptions = {}): Promise<{ client: MqttClient; error: Error | null }> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...opts });
    clients.push(client);
    client.once('connect', () => resolve({ client, error: null }));
    client.once('error', (error) => resolve({ client, error }));
  });
}

describe('embedded broker: only the gateway speaks on the internal topics', () => {
  it('an anonymous client publishing a fake reading on aq/v1/internal/readings never reaches the server; the gateway does', async () => {
    const server = (await connect(b.serverUrl, { clientId: 'airdesk-server-test' })).client;
    const got: string[] = [];
    server.on('message', (_t, p) => got.push(p.toString()));
    await server.subscribeAsync('aq/v1/internal/#', { qos: 1 });
    const intruder = await connect(b.url, { clientId: 'curious-laptop' });
    expect(intruder.error).toBeNull(); // stations may still connect
    const before = b.refused.publish;
    intruder.client.publish('aq/v1/internal/readings', JSON.stringify({ fake: true, station: '1001A', pm25: 900 }), { qos: 0 });
    const gateway = (await connect(b.gatewayUrl, { clientId: 'airdesk-gateway-test' })).client;
    await gateway.publishAsync('aq/v1/internal/readings', JSON.stringify({ from: 'gateway' }), { qos: 1 });
    // The gateway's message arrives; the intruder's, sent before it on the same broker, never did.
    for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([JSON.stringify({ from: 'gateway' })]);
    expect(b.refused.publish).toBe(before + 1);
  });

  it('a client taking the gateway client id without its password is refused (no session takeover)', async () => {
    const r = await connect(b.url, { clientId: 'airdesk-gateway' });
    expect(r.error?.message).toMatch(/Not authorized|not authorized|Connection refused/i);
    const wrong = await connect(b.url.replace('mqtt://', 'mqtt://airdesk-gateway:guess@'), { clientId: 'airdesk-gateway' });
    expect(wrong.error).not.toBeNull();
  });

  it('the server account cannot publish anything', async () => {
    const s = (await connect(b.serverUrl, { clientId: 'srv-pub' })).client;
    const before = b.refused.publish;
    s.publish('aq/v1/stations/1001A/readings', '{}', { qos: 0 });
    for (let i = 0; i < 100 && b.refused.publish === before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(b.refused.publish).toBe(before + 1);
  });
});
