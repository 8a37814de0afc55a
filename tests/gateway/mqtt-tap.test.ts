/**
 * gateway/mqtt-tap.ts against mqtt-packet (the parser and generator MQTT.js itself uses): for any
 * sequence of packets cut into any chunks, the splitter hands out exactly the QoS 0/1 PUBLISH
 * packets mqtt-packet reads, and passes every other packet on byte for byte.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import mqttPacket, { type Packet } from 'mqtt-packet';
import { Duplex } from 'node:stream';
import { MqttFrameError, PublishSplitter, PublishTap, type TappedPublish } from '../../gateway/mqtt-tap.ts';

const utf8 = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });

function publishArb(v5: boolean): fc.Arbitrary<Packet> {
  const props = v5
    ? fc.record(
        {
          payloadFormatIndicator: fc.boolean(),
          messageExpiryInterval: fc.integer({ min: 0, max: 2 ** 31 }),
          contentType: utf8,
          responseTopic: utf8,
          correlationData: fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)),
          subscriptionIdentifier: fc.integer({ min: 1, max: 268_435_455 }),
          topicAlias: fc.integer({ min: 1, max: 100 }),
          userProperties: fc.dictionary(fc.constantFrom('source', 'x', 'vendor', 'sourcex'), fc.oneof(fc.constantFrom('live', 'sim', 'import', 'bogus'), fc.array(fc.constantFrom('live', 'sim'), { minLength: 2, maxLength: 3 }))),
        },
        { requiredKeys: [] },
      )
    : fc.constant(undefined);
  return fc
    .record({
      topic: utf8,
      payload: fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 200, maxLength: 20_000 })).map((a) => Buffer.from(a)),
      qos: fc.constantFrom(0, 1, 1, 2),
      dup: fc.boolean(),
      retain: fc.boolean(),
      messageId: fc.integer({ min: 1, max: 65535 }),
      properties: props,
    })
    .map((p) => ({ cmd: 'publish', ...p, dup: p.qos > 0 && p.dup, ...(p.qos === 0 ? { messageId: undefined } : {}), ...(p.properties === undefined ? { properties: undefined } : {}) }) as unknown as Packet);
}

function otherArb(v5: boolean): fc.Arbitrary<Packet> {
  return fc.oneof(
    fc.constant({ cmd: 'pingresp' } as Packet),
    fc.integer({ min: 1, max: 65535 }).map((id) => ({ cmd: 'suback', messageId: id, granted: [1, 1] }) as unknown as Packet),
    fc.integer({ min: 1, max: 65535 }).map((id) => ({ cmd: 'puback', messageId: id }) as Packet),
    fc.integer({ min: 1, max: 65535 }).map((id) => ({ cmd: 'pubrel', messageId: id }) as Packet),
    fc.boolean().map((sp) => ({ cmd: 'connack', sessionPresent: sp, ...(v5 ? { reasonCode: 0 } : { returnCode: 0 }) }) as unknown as Packet),
  );
}

/** What mqtt-packet reads from `bytes`. */
function reference(bytes: Buffer, v5: boolean): Packet[] {
  const parser = mqttPacket.parser({ protocolVersion: v5 ? 5 : 4 });
  const out: Packet[] = [];
  parser.on('packet', (p) => out.push(p));
  parser.on('error', (e) => {
    throw e;
  });
  parser.parse(bytes);
  return out;
}

/** The packets the tap reads itself: QoS 0/1 PUBLISH without a topic alias. */
const tapped = (p: Packet) => p.cmd === 'publish' && p.qos < 2 && !(p.properties as { topicAlias?: number } | undefined)?.topicAlias;

function cut(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((x) => Math.floor(x * bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const x of at) {
    out.push(bytes.subarray(prev, x));
    prev = x;
  }
  out.push(bytes.subarray(prev));
  return out;
}

for (const v5 of [false, true]) {
  describe(`PublishSplitter, MQTT ${v5 ? '5' : '3.1.1'}`, () => {
    it('reads what mqtt-packet reads, for any packets cut into any chunks', () => {
      fc.assert(
        fc.property(fc.array(fc.oneof(publishArb(v5), otherArb(v5)), { minLength: 1, maxLength: 25 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (packets, points) => {
          const bytes = Buffer.concat(packets.map((p) => mqttPacket.generate(p, { protocolVersion: v5 ? 5 : 4 })));
          const ref = reference(bytes, v5);
          const got: TappedPublish[] = [];
          const rest: Buffer[] = [];
          const s = new PublishSplitter(v5, (p) => got.push({ ...p, payload: Buffer.from(p.payload) }));
          for (const c of cut(bytes, points)) {
            const r = s.feed(c);
            if (r) rest.push(Buffer.from(r));
          }
          const want = ref.filter(tapped);
          expect(got.map((p) => ({ topic: p.topic, payload: p.payload.toString('hex'), qos: p.qos, id: p.id, dup: p.dup, source: p.source }))).toEqual(
            want.map((p) => {
              const pp = p as mqttPacket.IPublishPacket;
              const up = pp.properties?.userProperties?.source;
              return { topic: pp.topic, payload: Buffer.from(pp.payload).toString('hex'), qos: pp.qos, id: pp.qos === 1 ? pp.messageId : 0, dup: pp.dup, source: typeof up === 'string' ? up : undefined };
            }),
          );
          // Everything else reaches MQTT.js unchanged and in order.
          expect(reference(Buffer.concat(rest), v5)).toEqual(ref.filter((p) => !tapped(p)));
        }),
        { numRuns: 300 },
      );
    });
  });
}

describe('PublishSplitter on broken streams', () => {
  it('a remaining length longer than 4 bytes is an error, not a hang', () => {
    const s = new PublishSplitter(true, () => {});
    expect(() => s.feed(Buffer.from([0x32, 0xff, 0xff, 0xff, 0xff, 0x01]))).toThrow(MqttFrameError);
  });

  it('a PUBLISH whose topic length runs past the frame is left to MQTT.js', () => {
    const got: TappedPublish[] = [];
    const s = new PublishSplitter(false, (p) => got.push(p));
    // QoS 1 PUBLISH, remaining length 4, topic length 200: cannot be read.
    const bad = Buffer.from([0x32, 4, 0, 200, 0x61, 0x62]);
    expect(s.feed(bad)).toEqual(bad);
    expect(got).toEqual([]);
  });

  it('a frame cut anywhere waits for the rest; nothing is handed out twice', () => {
    const pkt = mqttPacket.generate({ cmd: 'publish', topic: 'aq/v1/stations/1001A/readings', payload: Buffer.from('{"a":1}'), qos: 1, messageId: 7, dup: false, retain: false } as Packet, { protocolVersion: 4 });
    for (let i = 1; i < pkt.length; i++) {
      const got: TappedPublish[] = [];
      const s = new PublishSplitter(false, (p) => got.push(p));
      expect(s.feed(pkt.subarray(0, i))).toBeNull();
      expect(got).toHaveLength(0);
      expect(s.feed(pkt.subarray(i))).toBeNull();
      expect(got.map((p) => [p.topic, p.id, p.payload.toString()])).toEqual([['aq/v1/stations/1001A/readings', 7, '{"a":1}']]);
    }
  });
});

describe('PublishTap', () => {
  it('passes writes and the packets it does not take through, and ends and errors with its socket', async () => {
    const written: Buffer[] = [];
    // A socket double: what it is given with push() is "received", what is written is recorded.
    const socket = new Duplex({ read() {}, write(chunk: Buffer, _e, cb) { written.push(Buffer.from(chunk)); cb(); } });
    const pubs: string[] = [];
    const tap = new PublishTap(socket, true, (p) => pubs.push(p.topic));
    const seen: Buffer[] = [];
    tap.on('data', (b: Buffer) => seen.push(b));
    const tick = () => new Promise((r) => setImmediate(r));
    const connack = mqttPacket.generate({ cmd: 'connack', sessionPresent: true, reasonCode: 0 } as Packet, { protocolVersion: 5 });
    const pub = mqttPacket.generate({ cmd: 'publish', topic: 't/1', payload: Buffer.from('x'), qos: 1, messageId: 1, dup: false, retain: false } as Packet, { protocolVersion: 5 });
    socket.push(Buffer.concat([connack, pub]));
    await tick();
    expect(pubs).toEqual(['t/1']);
    expect(Buffer.concat(seen)).toEqual(connack);
    tap.write(Buffer.from([0xc0, 0]));
    expect(written).toEqual([Buffer.from([0xc0, 0])]);
    // A broken frame destroys the tap and its socket (MQTT.js then reconnects).
    const closed = new Promise((r) => tap.on('close', r));
    let error: Error | null = null;
    tap.on('error', (e) => (error = e));
    socket.push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f]));
    await closed;
    expect(error).toBeInstanceOf(MqttFrameError);
    expect(socket.destroyed).toBe(true);
  });

  it('ends when its socket ends', async () => {
    const socket = new Duplex({ read() {}, write(_c, _e, cb) { cb(); } });
    const tap = new PublishTap(socket, false, () => {});
    const ended = new Promise((r) => tap.on('end', r));
    tap.resume();
    socket.push(null);
    await ended;
  });
});
