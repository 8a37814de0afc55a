/**
 * Load source of bench/ingest-gateway.ts, one process per publisher.
 *
 * Why raw MQTT over a plain TCP socket and not MQTT.js: bench:ingest measures the gateway, and on
 * a 2-core machine every microsecond the load source spends is taken from the gateway, Mosquitto
 * and InfluxDB. MQTT.js cost ~23 us per message here (packet objects, one socket write each),
 * which alone capped the run near 10,000 readings/s. This publisher encodes MQTT 3.1.1 PUBLISH
 * packets (QoS 1) straight into one large buffer per write, from pre-encoded payload parts, and
 * reads PUBACKs as 4-byte frames. On the wire it is the same as any MQTT client: CONNECT,
 * QoS 1 PUBLISH with a packet id, PUBACK from the broker, DISCONNECT. A station sends one
 * message per reading, which is what the broker and the gateway see here too.
 *
 * Flow: at most WINDOW messages unacknowledged (packet ids 1..65535 cycle; WINDOW < 65535 so an
 * id is never reused while in flight). The parent sets how many this publisher may have sent so
 * far (IPC {limit}) to keep the broker's backlog bounded, and says {stop}, or {finish} (send up
 * to the limit, then stop); the publisher then waits for its acks and reports
 * {sent, acked, errors} as JSON on stdout. Every second it sends the parent {acked}.
 *
 * Reading k goes to station k % S at t0 + floor(k / S) minutes: every reading is a distinct point.
 * Publisher i of P sends k = i, i + P, i + 2P, ...
 *   node --import tsx bench/ingest-publisher.ts <mqttUrl> <i> <P> <stations> <t0ms>
 */
import net from 'node:net';
import { TOPICS } from '#common/schemas/topics.ts';

const [url, iArg, pArg, sArg, t0Arg] = process.argv.slice(2);
const I = Number(iArg);
const P = Number(pArg);
const S = Number(sArg);
const T0 = Number(t0Arg);
const WINDOW = 8000;
const CHUNK = 64 * 1024;

export const stationCode = (s: number) => `B${String(s).padStart(4, '0')}`;
const topics = Array.from({ length: S }, (_, s) => Buffer.from(TOPICS.stationReadings(stationCode(s)), 'latin1'));
const heads = Array.from({ length: S }, (_, s) => Buffer.from(`{"v":1,"station":"${stationCode(s)}","time":"`, 'latin1'));
// 101 value sets (six pollutants, plausible and varying, so QC rules run but rarely fire).
const VALS = Array.from({ length: 101 }, (_, j) => Buffer.from(
  `","interval":"rt","values":{"pm25":${(35 + (j * 7) % 60 + j / 100).toFixed(2)},"pm10":${60 + (j * 11) % 90},"so2":${(8 + (j % 9) * 0.5).toFixed(1)},` +
  `"no2":${40 + (j * 3) % 30},"co":${(0.7 + (j % 5) * 0.1).toFixed(1)},"o3":${80 + (j * 13) % 70}},`, 'latin1'));
const FLAGS = Buffer.from('"flags":{"pm25":"N","pm10":"N","so2":"N","no2":"N","co":"N","o3":"N"}}', 'latin1');
const TIME_LEN = 24; // 2026-11-09T08:00:00.000Z

let slot = -1;
const timeBuf = Buffer.alloc(TIME_LEN);

/** Encode PUBLISH QoS 1 for reading k into buf at off; returns the new offset. */
function encode(k: number, id: number, buf: Buffer, off: number): number {
  const s = k % S;
  const m = Math.floor(k / S);
  if (m !== slot) {
    slot = m;
    timeBuf.write(new Date(T0 + m * 60_000).toISOString(), 0, 'latin1');
  }
  const topic = topics[s];
  const head = heads[s];
  const vals = VALS[k % 101];
  const payloadLen = head.length + TIME_LEN + vals.length + FLAGS.length;
  let rem = 2 + topic.length + 2 + payloadLen;
  buf[off++] = 0x32; // PUBLISH, QoS 1, no DUP, no RETAIN
  do {
    let b = rem & 0x7f;
    rem >>>= 7;
    if (rem > 0) b |= 0x80;
    buf[off++] = b;
  } while (rem > 0);
  buf[off++] = topic.length >> 8;
  buf[off++] = topic.length & 0xff;
  off += topic.copy(buf, off);
  buf[off++] = id >> 8;
  buf[off++] = id & 0xff;
  off += head.copy(buf, off);
  off += timeBuf.copy(buf, off);
  off += vals.copy(buf, off);
  off += FLAGS.copy(buf, off);
  return off;
}

function connectPacket(clientId: string): Buffer {
  const id = Buffer.from(clientId, 'latin1');
  const body = Buffer.concat([
    Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 0]), // "MQTT", level 4, clean session, keep-alive 0 (off)
    Buffer.from([id.length >> 8, id.length & 0xff]), id,
  ]);
  return Buffer.concat([Buffer.from([0x10, body.length]), body]);
}

const u = new URL(url);
const sock = net.connect({ host: u.hostname, port: Number(u.port || 1883), noDelay: true });
await new Promise<void>((resolve, reject) => {
  sock.once('connect', resolve);
  sock.once('error', reject);
});

let limit = 0;
let stop = false;
let sent = 0;
let acked = 0;
let errors = 0;
let connacked = false;
let wake: (() => void) | null = null;
const poke = () => {
  const w = wake;
  wake = null;
  w?.();
};

// Broker -> publisher: CONNACK (20 02 00 rc) then PUBACKs (40 02 id id), nothing else expected.
let pend: Buffer = Buffer.alloc(0);
sock.on('data', (d: Buffer) => {
  let b = pend.length ? Buffer.concat([pend, d]) : d;
  let o = 0;
  while (b.length - o >= 4) {
    const t = b[o];
    if (t === 0x40) acked++;
    else if (t === 0x20) {
      connacked = true;
      if (b[o + 3] !== 0) {
        process.stderr.write(`publisher ${I}: CONNACK refused, code ${b[o + 3]}\n`);
        process.exit(1);
      }
    } else {
      process.stderr.write(`publisher ${I}: unexpected packet type 0x${t.toString(16)}\n`);
      errors++;
      return;
    }
    o += 4;
  }
  pend = o < b.length ? Buffer.from(b.subarray(o)) : Buffer.alloc(0);
  b = pend;
  if (sent - acked < WINDOW / 2) poke();
});
sock.on('error', (e) => {
  process.stderr.write(`publisher ${I}: ${e.message}\n`);
  errors++;
  stop = true;
  poke();
});
sock.on('close', () => {
  stop = true;
  poke();
});
let finish = false;
process.on('message', (m: { limit?: number; stop?: boolean; finish?: boolean }) => {
  if (typeof m.limit === 'number') limit = m.limit;
  if (m.stop) stop = true;
  if (m.finish) finish = true;
  poke();
});
// Progress for the parent's log (a broker backlog of millions takes minutes to fill).
setInterval(() => process.send?.({ acked }), 1000).unref();

sock.write(connectPacket(`airdesk-benchpub-${process.pid}`));
const connUntil = Date.now() + 10_000;
while (!connacked && Date.now() < connUntil) await new Promise((r) => setTimeout(r, 5));
if (!connacked) {
  process.stderr.write(`publisher ${I}: no CONNACK\n`);
  process.exit(1);
}

let id = 0;
while (!stop && !(finish && sent >= limit)) {
  while (!stop && sent < limit && sent - acked < WINDOW) {
    const buf = Buffer.allocUnsafe(CHUNK);
    let off = 0;
    // One write per chunk: many PUBLISH packets per syscall (a packet here is < 300 bytes).
    while (off < CHUNK - 1024 && sent < limit && sent - acked < WINDOW) {
      id = id === 65535 ? 1 : id + 1;
      off = encode(I + P * sent, id, buf, off);
      sent++;
    }
    if (!sock.write(buf.subarray(0, off))) await new Promise<void>((r) => sock.once('drain', r));
  }
  if (!stop && !(finish && sent >= limit)) await new Promise<void>((r) => (wake = r));
}
const until = Date.now() + 60_000;
while (acked < sent && !sock.destroyed && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
if (acked < sent) errors += sent - acked;
process.stdout.write(`${JSON.stringify({ sent, acked, errors })}\n`);
if (!sock.destroyed) sock.end(Buffer.from([0xe0, 0x00])); // DISCONNECT
process.exit(0);
