/**
 * Refuse to run on an open broker (issue 15). The server computes on what arrives on
 * `aq/v1/internal/#`; a broker that lets a client without an account publish there is one
 * mistake away from "anyone opens a severe episode" (the signature is the second guard, this is
 * the first). At start the gateway asks the broker itself: an anonymous client (the gateway's URL
 * without user and password) connects and publishes a random canary on
 * `aq/v1/internal/probe/<nonce>` while the gateway's own connection listens there. Delivered =
 * open: the gateway stops with a message naming the fix, unless AIRDESK_ALLOW_OPEN_BROKER=1
 * (development, the test broker). Refused connect, refused publish or nothing delivered in the
 * wait = closed. A broker that cannot be reached is reported as unknown, not as closed.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { randomBytes } from 'node:crypto';

export const PROBE_PREFIX = 'aq/v1/internal/probe/';

export type ProbeResult =
  | { state: 'open'; detail: string }
  | { state: 'closed'; detail: string }
  | { state: 'unknown'; detail: string };

/** The URL without user name and password: what a stranger on the network would use. */
export function anonymousUrl(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}

function connect(url: string, o: mqtt.IClientOptions, timeoutMs: number): Promise<{ client: MqttClient; error: Error | null }> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: timeoutMs, clean: true, log: () => {}, ...o });
    const t = setTimeout(() => resolve({ client, error: new Error(`no CONNACK in ${timeoutMs} ms`) }), timeoutMs + 100);
    client.once('connect', () => { clearTimeout(t); resolve({ client, error: null }); });
    client.once('error', (error) => { clearTimeout(t); resolve({ client, error }); });
    client.once('close', () => { clearTimeout(t); resolve({ client, error: new Error('connection closed') }); });
  });
}

export async function probeOpenBroker(url: string, o: { protocolVersion: 4 | 5; clientId: string; waitMs?: number }): Promise<ProbeResult> {
  const waitMs = o.waitMs ?? 2_000;
  const nonce = randomBytes(12).toString('hex');
  const topic = `${PROBE_PREFIX}${nonce}`;
  const opened: MqttClient[] = [];
  try {
    const watch = await connect(url, { protocolVersion: o.protocolVersion, clientId: `${o.clientId}-probe-${nonce.slice(0, 6)}` }, 5_000);
    opened.push(watch.client);
    if (watch.error) return { state: 'unknown', detail: `the gateway's own connection failed: ${watch.error.message}` };
    let seen = false;
    watch.client.on('message', (t, p) => { if (t === topic && p.toString() === nonce) seen = true; });
    await watch.client.subscribeAsync(topic, { qos: 0 });
    const anon = await connect(anonymousUrl(url), { protocolVersion: o.protocolVersion, clientId: `airdesk-probe-${nonce.slice(0, 8)}` }, 5_000);
    opened.push(anon.client);
    if (anon.error) return { state: 'closed', detail: `anonymous connect refused (${anon.error.message})` };
    // QoS 0: some brokers answer a refused QoS 1 publish with a disconnect, others with nothing;
    // delivery to the listener is the one answer every broker gives the same way.
    let dropped = false;
    anon.client.once('close', () => { dropped = true; });
    anon.client.publish(topic, nonce, { qos: 0 });
    // A broker that disconnects a refused publisher (aedes) answers at once; one that drops it
    // silently (Mosquitto) is given waitMs (and a listener that has seen nothing by then).
    const end = Date.now() + waitMs;
    while (!seen && !dropped && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    if (dropped && !seen) {
      await new Promise((r) => setTimeout(r, 100));
      if (!seen) return { state: 'closed', detail: 'the broker disconnected an anonymous client publishing on the internal topics' };
    }
    return seen
      ? { state: 'open', detail: `an anonymous client connected and published on ${topic}, and it was delivered` }
      : { state: 'closed', detail: `an anonymous client connected, but its publication on ${PROBE_PREFIX}... was not delivered in ${waitMs} ms` };
  } finally {
    await Promise.all(opened.map((c) => c.endAsync(true).catch(() => undefined)));
  }
}

/** The message the gateway stops with on an open broker. */
export const OPEN_BROKER_MESSAGE = (detail: string) =>
  `refusing to run: the broker lets clients without an account publish on aq/v1/internal/# (${detail}). ` +
  'Install deploy/mosquitto.production.conf (allow_anonymous false, password file, deploy/mosquitto.acl), ' +
  'or set AIRDESK_ALLOW_OPEN_BROKER=1 for development only.';
