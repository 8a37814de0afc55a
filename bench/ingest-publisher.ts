/**
 * Load source of bench/ingest-gateway.ts, one process per publisher. Payloads are pre-encoded
 * from parts (no JSON.stringify per message) and published QoS 1 over MQTT 3.1.1 (no receive
 * maximum from the broker) with up to WINDOW unacknowledged. The parent sets how many this
 * publisher may have sent so far (IPC {limit}) to keep the broker's backlog bounded, and says
 * {stop}; the publisher then waits for its acks and reports {sent, acked} as JSON on stdout.
 *
 * Reading k goes to station k % S at t0 + floor(k / S) minutes: every reading is a distinct point.
 * Publisher i of P sends k = i, i + P, i + 2P, ...
 *   node --import tsx bench/ingest-publisher.ts <mqttUrl> <i> <P> <stations> <t0ms>
 */
import mqtt from 'mqtt';
import { TOPICS } from '#common/schemas/topics.ts';

const [url, iArg, pArg, sArg, t0Arg] = process.argv.slice(2);
const I = Number(iArg);
const P = Number(pArg);
const S = Number(sArg);
const T0 = Number(t0Arg);
const WINDOW = 2000;

export const stationCode = (s: number) => `B${String(s).padStart(4, '0')}`;
const topics = Array.from({ length: S }, (_, s) => TOPICS.stationReadings(stationCode(s)));
const heads = Array.from({ length: S }, (_, s) => `{"v":1,"station":"${stationCode(s)}","time":"`);
// 101 value sets (six pollutants, plausible and varying, so QC rules run but rarely fire).
const VALS = Array.from({ length: 101 }, (_, j) =>
  `","interval":"rt","values":{"pm25":${(35 + (j * 7) % 60 + j / 100).toFixed(2)},"pm10":${60 + (j * 11) % 90},"so2":${(8 + (j % 9) * 0.5).toFixed(1)},` +
  `"no2":${40 + (j * 3) % 30},"co":${(0.7 + (j % 5) * 0.1).toFixed(1)},"o3":${80 + (j * 13) % 70}},`);
const FLAGS = '"flags":{"pm25":"N","pm10":"N","so2":"N","no2":"N","co":"N","o3":"N"}}';

let slot = -1;
let timeStr = '';
function payload(k: number): string {
  const m = Math.floor(k / S);
  if (m !== slot) {
    slot = m;
    timeStr = new Date(T0 + m * 60_000).toISOString();
  }
  return heads[k % S] + timeStr + VALS[k % 101] + FLAGS;
}

const client = await mqtt.connectAsync(url, { clientId: `airdesk-benchpub-${process.pid}`, protocolVersion: 4, clean: true });
let limit = 0;
let stop = false;
let sent = 0;
let acked = 0;
let errors = 0;
let wake: (() => void) | null = null;
const poke = () => {
  const w = wake;
  wake = null;
  w?.();
};
process.on('message', (m: { limit?: number; stop?: boolean }) => {
  if (typeof m.limit === 'number') limit = m.limit;
  if (m.stop) stop = true;
  poke();
});
const onAck = (err?: Error) => {
  if (err) errors++;
  else acked++;
  if (sent - acked - errors < WINDOW / 2) poke();
};
while (!stop) {
  while (!stop && sent < limit && sent - acked - errors < WINDOW) {
    const k = I + P * sent;
    client.publish(topics[k % S], payload(k), { qos: 1 }, onAck);
    sent++;
    // Let the socket drain and acks arrive now and then.
    if ((sent & 255) === 0) await new Promise<void>((r) => setImmediate(r));
  }
  if (!stop) await new Promise<void>((r) => (wake = r));
}
const until = Date.now() + 60_000;
while (acked + errors < sent && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
process.stdout.write(`${JSON.stringify({ sent, acked, errors })}\n`);
await client.endAsync();
process.exit(0);
