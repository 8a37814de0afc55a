/**
 * Takes the PUBLISH packets (QoS 0 and 1) off a consumer connection's byte stream before MQTT.js
 * sees them; every other packet (CONNACK, SUBACK, PINGRESP, QoS 2 flows, anything unusual) is
 * passed on to MQTT.js unchanged, which still connects, subscribes, keeps alive and reconnects.
 *
 * Why: at 20,000 messages/s MQTT.js's per-packet path (mqtt-packet's BufferList parser, a packet
 * object and a nextTick per message, debug calls) was ~20% of the gateway's main thread, more
 * than validation. The hot path needs only topic, packet id, DUP, one user property and the
 * payload, which are read here straight from the received chunk (the payload is a view on it).
 *
 * Wire format (MQTT 3.1.1 section 2.2 and 3.3, MQTT 5.0 sections 2.1.4, 2.2.2 and 3.3): fixed
 * header byte (type in the high nibble; for PUBLISH: DUP 0x08, QoS 0x06, RETAIN 0x01), remaining
 * length as a variable byte integer of at most 4 bytes, then topic (2-byte length + UTF-8), packet
 * id (QoS > 0), MQTT 5 properties (variable byte integer length + properties), payload.
 */
import { Duplex } from 'node:stream';

export interface TappedPublish {
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
  /** packet id (0 for QoS 0) */
  id: number;
  dup: boolean;
  /** the `source` user property when it occurs exactly once (MQTT 5) */
  source: string | undefined;
}

/** A broken stream: remaining length longer than 4 bytes (MQTT 5 1.5.5). */
export class MqttFrameError extends Error {}

/** Length in bytes of the variable byte integer the last `varint` call read (a module variable
 *  rather than a returned pair: this runs for every message and should not allocate). */
let varLen = 0;

/** The variable byte integer at `at` (its length in `varLen`), or -1 when it runs past `end`. */
function varint(b: Buffer, at: number, end: number): number {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 4; i++) {
    if (at + i >= end) return -1; // incomplete
    const x = b[at + i];
    v += (x & 0x7f) * mul;
    if ((x & 0x80) === 0) {
      varLen = i + 1;
      return v;
    }
    mul *= 128;
  }
  throw new MqttFrameError('malformed variable byte integer (more than 4 bytes)');
}

// MQTT 5 3.3.2.3: the properties a PUBLISH may carry, by how their value is encoded.
const P_BYTE = 0x01; // payload format indicator
const P_INT32 = 0x02; // message expiry interval
const P_STRING = [0x03, 0x08]; // content type, response topic
const P_BINARY = 0x09; // correlation data
const P_VARINT = 0x0b; // subscription identifier
const P_USER = 0x26; // user property (string pair)
const SOURCE = Buffer.from('source');

/**
 * Parses one PUBLISH frame body [at, end) or returns null to leave the frame to MQTT.js (QoS 2,
 * a topic alias, an empty topic, a property this parser does not know, or lengths that do not fit).
 */
function parsePublish(b: Buffer, header: number, at: number, end: number, v5: boolean): TappedPublish | null {
  const qos = (header >> 1) & 3;
  if (qos > 1 || at + 2 > end) return null;
  const tl = (b[at] << 8) | b[at + 1];
  let p = at + 2 + tl;
  if (tl === 0 || p > end) return null;
  const topicStart = at + 2;
  let id = 0;
  if (qos === 1) {
    if (p + 2 > end) return null;
    id = (b[p] << 8) | b[p + 1];
    p += 2;
  }
  let source: string | undefined;
  if (v5) {
    const plen = varint(b, p, end);
    if (plen < 0) return null;
    p += varLen;
    const pend = p + plen;
    if (pend > end) return null;
    let sources = 0;
    while (p < pend) {
      const prop = b[p++];
      if (prop === P_BYTE) p += 1;
      else if (prop === P_INT32) p += 4;
      else if (prop === P_BINARY || P_STRING.includes(prop)) {
        if (p + 2 > pend) return null;
        p += 2 + ((b[p] << 8) | b[p + 1]);
      } else if (prop === P_VARINT) {
        if (varint(b, p, pend) < 0) return null;
        p += varLen;
      } else if (prop === P_USER) {
        if (p + 2 > pend) return null;
        const kl = (b[p] << 8) | b[p + 1];
        const k = p + 2;
        p = k + kl;
        if (p + 2 > pend) return null;
        const vl = (b[p] << 8) | b[p + 1];
        const v = p + 2;
        p = v + vl;
        if (p > pend) return null;
        if (kl === SOURCE.length && b.compare(SOURCE, 0, kl, k, k + kl) === 0) {
          sources++;
          source = b.toString('utf8', v, v + vl);
        }
      } else return null; // a topic alias (0x23, never enabled by us) or anything unknown
      if (p > pend) return null;
    }
    if (sources !== 1) source = undefined;
  }
  return { topic: b.toString('utf8', topicStart, topicStart + tl), payload: b.subarray(p, end), qos: qos as 0 | 1, id, dup: (header & 0x08) !== 0, source };
}

/**
 * Splits a received byte stream into MQTT frames. `feed` calls `onPublish` for each QoS 0/1
 * PUBLISH it can read and returns the bytes of all other complete frames, in order, for MQTT.js
 * (or null). A frame cut by the chunk boundary waits for the next chunk.
 */
export class PublishSplitter {
  private rest: Buffer | null = null;

  constructor(
    private readonly v5: boolean,
    private readonly onPublish: (p: TappedPublish) => void,
  ) {}

  feed(chunk: Buffer): Buffer | null {
    const b = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    const end = b.length;
    let pos = 0;
    let other: Buffer[] | null = null;
    while (end - pos >= 2) {
      const header = b[pos];
      const rl = varint(b, pos + 1, end);
      if (rl < 0) break;
      const body = pos + 1 + varLen;
      const next = body + rl;
      if (next > end) break;
      const pub = header >> 4 === 3 ? parsePublish(b, header, body, next, this.v5) : null;
      if (pub) this.onPublish(pub);
      else (other ??= []).push(b.subarray(pos, next));
      pos = next;
    }
    if (pos < end) this.rest = b.subarray(pos);
    return other === null ? null : other.length === 1 ? other[0] : Buffer.concat(other);
  }
}

/**
 * A Duplex for MQTT.js's `streamBuilder`: writes go to `socket` as they are (synchronously, so a
 * packet MQTT.js writes in pieces is never split by a PUBACK written straight to the socket
 * between them), received bytes go through a PublishSplitter and only what it leaves reaches
 * MQTT.js. `socket` is exposed for those direct PUBACK writes.
 */
export class PublishTap extends Duplex {
  private readonly splitter: PublishSplitter;

  constructor(
    readonly socket: Duplex,
    v5: boolean,
    onPublish: (p: TappedPublish) => void,
  ) {
    super();
    this.splitter = new PublishSplitter(v5, onPublish);
    socket.on('data', (chunk: Buffer) => {
      let rest: Buffer | null;
      try {
        rest = this.splitter.feed(chunk);
      } catch (err) {
        // A broken frame (or a throwing handler): MQTT.js reconnects, the broker redelivers.
        this.destroy(err as Error);
        return;
      }
      if (rest) this.push(rest);
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
  }

  _read(): void {
    // Flow is driven by the socket; what MQTT.js gets here is a few small packets.
  }

  _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.socket.write(chunk);
    cb();
  }

  _final(cb: (err?: Error | null) => void): void {
    this.socket.end();
    cb();
  }

  _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.socket.destroy();
    cb(err);
  }
}
