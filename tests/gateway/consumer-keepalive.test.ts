/**
 * The tap takes PUBLISH packets away from MQTT.js, so MQTT.js must still learn that the broker is
 * alive: a broker busy sending answers a PINGREQ late (Mosquitto reads one packet per connection
 * per loop), and MQTT.js then dropped the connection. Here a minimal broker on loopback streams
 * PUBLISH packets and never answers PINGREQ: the consumer connection must stay up.
 */
import { describe, expect, it } from 'vitest';
import { createServer, type Socket } from 'node:net';
import mqttPacket, { type Packet } from 'mqtt-packet';
import pino from 'pino';
import { startConsumers } from '../../gateway/consumer.ts';

function fakeBroker(): Promise<{ url: string; connects: () => number; pings: () => number; close: () => Promise<void> }> {
  let connects = 0;
  let pings = 0;
  const sockets = new Set<Socket>();
  const server = createServer((sock) => {
    sockets.add(sock);
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    let timer: NodeJS.Timeout | null = null;
    let id = 0;
    parser.on('packet', (p: Packet) => {
      if (p.cmd === 'connect') {
        connects++;
        sock.write(mqttPacket.generate({ cmd: 'connack', sessionPresent: false, reasonCode: 0 } as Packet, { protocolVersion: 5 }));
      } else if (p.cmd === 'subscribe') {
        sock.write(mqttPacket.generate({ cmd: 'suback', messageId: p.messageId, granted: [1] } as unknown as Packet, { protocolVersion: 5 }));
        // A steady stream of QoS 1 messages, as from a broker draining a backlog.
        timer = setInterval(() => {
          id = (id % 65535) + 1;
          sock.write(mqttPacket.generate({ cmd: 'publish', topic: 't/a', payload: Buffer.from('x'), qos: 1, messageId: id, dup: false, retain: false } as Packet, { protocolVersion: 5 }));
        }, 50);
      } else if (p.cmd === 'pingreq') pings++; // never answered
    });
    sock.on('data', (b) => parser.parse(b));
    sock.on('close', () => {
      if (timer) clearInterval(timer);
      sockets.delete(sock);
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`,
    connects: () => connects,
    pings: () => pings,
    close: () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  })));
}

describe('consumer keepalive with the tap', () => {
  it('a broker that streams messages but answers no PINGREQ keeps the connection (keepalive 1 s, 4 s of traffic)', async () => {
    const broker = await fakeBroker();
    let messages = 0;
    const c = startConsumers({
      url: broker.url, clientId: 'ka', count: 1, protocolVersion: 5, sessionExpirySec: 60, filters: ['t/#'], shareGroup: 'g',
      log: pino({ level: 'silent' }), livePush: false, keepaliveSec: 1,
      onMessage: (_t, _p, ack) => {
        messages++;
        ack?.();
      },
    });
    try {
      await c.ready();
      await new Promise((r) => setTimeout(r, 4000));
      expect(messages).toBeGreaterThan(40);
      // One connection throughout: MQTT.js never declared the keepalive lost.
      expect(broker.connects()).toBe(1);
      expect(broker.pings()).toBe(0);
    } finally {
      await c.close();
      await broker.close();
    }
  });
});
