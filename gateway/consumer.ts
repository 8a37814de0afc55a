/**
 * MQTT consumer connections with acknowledgement after the durable group commit.
 *
 * MQTT.js connects, subscribes, keeps alive and reconnects, but the PUBLISH packets never reach
 * it: each connection's socket is wrapped in a tap (gateway/mqtt-tap.ts) that reads them straight
 * from the received bytes and hands them to `onMessage`. The PUBACK of a QoS 1 message is written
 * to the socket only after the group commit holding the message; the broker's in-flight window
 * (deploy/mosquitto.conf.tmpl max_inflight_messages, and our Receive Maximum) bounds how many
 * wait per connection. A held PUBACK is dropped if its connection has since closed: message ids
 * belong to a connection, and the broker redelivers unacknowledged QoS 1 messages of a persistent
 * session.
 *
 * What the tap leaves to MQTT.js (QoS 2, a packet with a topic alias) goes through
 * customHandleAcks. MQTT.js handles incoming packets strictly one at a time and only moves to the
 * next after the PUBACK of the current one has been written, so deferring customHandleAcks's
 * callback until the commit would let ONE message wait per fsync. Instead the handler completes
 * at once and `_sendPacket` is wrapped so that the PUBACK of a message we claimed is dropped
 * there and sent with the others after the commit.
 */
import mqtt, { type IClientOptions, type MqttClient, type IPublishPacket } from 'mqtt';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { Source } from '#common/schemas/reading.ts';
import { PublishTap, type TappedPublish } from './mqtt-tap.ts';

export interface ConsumerOptions {
  url: string;
  clientId: string;
  count: number;
  protocolVersion: 4 | 5;
  sessionExpirySec: number;
  filters: readonly string[];
  /** shared-subscription group used when count > 1 (MQTT 5 only) */
  shareGroup: string;
  log: Logger;
  /** MQTT keepalive, seconds (default 60, MQTT.js's) */
  keepaliveSec?: number;
  /** read PUBLISH packets with gateway/mqtt-tap.ts (default true) instead of through MQTT.js */
  tap?: boolean;
  /** open the live-push connection (default true; the gateway passes publishAccepted) */
  livePush?: boolean;
  onMessage: (topic: string, payload: Uint8Array, ack: (() => void) | null, source: Source | undefined) => void;
  /** a PUBLISH with the DUP flag: the broker redelivers something it sent before */
  onRedelivery?: () => void;
}

export interface Consumers {
  readonly clients: readonly MqttClient[];
  /** publish QoS 0 on the live-push connection; false when it is not connected or its socket
   *  already holds more than `maxBuffered` bytes not yet sent */
  publish(topic: string, payload: string | Buffer, maxBuffered?: number): boolean;
  /** bytes written to the live-push connection's socket and not yet sent */
  buffered(): number;
  /** wait until every connection has its CONNACK and subscriptions */
  ready(): Promise<void>;
  /** force reconnects (after a failed commit, so the broker redelivers) */
  reconnect(): void;
  close(): Promise<void>;
}

type Sender = (packet: { cmd: string; messageId?: number; reasonCode?: number }, cb?: (err?: Error) => void, ...rest: unknown[]) => void;
const SOURCES = new Set(['live', 'import', 'sim']);
// MQTT 5 Receive Maximum: how many unacknowledged messages the broker may send one connection.
// Enough for several group commits in flight; bounded so a broker that reads our PUBACKs more
// slowly than it sends cannot run tens of thousands of messages ahead of them.
const RECEIVE_MAXIMUM = 4000;

export function startConsumers(o: ConsumerOptions): Consumers {
  if (o.count > 1 && o.protocolVersion !== 5) throw new Error('several consumer connections need MQTT 5 shared subscriptions');
  const clients: MqttClient[] = [];
  const readies: Promise<void>[] = [];
  let closed = false;
  // Consumers connect once the live-push connection is up (or after 5 s without it): a broker
  // holding a backlog for our session starts delivering at CONNECT, and pushes made before the
  // live connection exists are skipped.
  let consumersUp!: () => void;
  const consumersStarted = new Promise<void>((r) => (consumersUp = r));
  const connectConsumers = () => {
    if (clients.length || closed) return;
    for (let i = 0; i < o.count; i++) {
      const { client, ready } = connectOne(o, o.count === 1 ? o.clientId : `${o.clientId}-${i}`);
      clients.push(client);
      readies.push(ready);
    }
    consumersUp();
  };
  setTimeout(connectConsumers, 5000).unref();
  // The live push gets a connection of its own. On a consumer connection it queued behind that
  // connection's PUBACKs: Mosquitto reads one packet per connection per loop, so at 20,000
  // messages/s the pushes (hundreds of kB each) waited, the socket buffer filled, and most were
  // skipped. This connection subscribes to nothing and keeps no session.
  const live = o.livePush === false ? null : mqtt.connect(o.url, {
    clientId: `${o.clientId}-live`, clean: true, protocolVersion: o.protocolVersion, reconnectPeriod: 1000, connectTimeout: 10_000, log: () => {},
  });
  if (live) {
    live.on('error', (err) => o.log.warn({ err: err.message }, 'mqtt error (live push connection)'));
    live.once('connect', connectConsumers);
  } else connectConsumers();
  return {
    clients,
    publish(topic, payload, maxBuffered = Infinity) {
      const c = live?.connected ? live : null;
      if (!c) return false;
      // QoS 0 is best effort by definition; a broker that reads this connection more slowly than
      // we push would otherwise grow the socket's user-space buffer without bound.
      if ((c.stream?.writableLength ?? 0) > maxBuffered) return false;
      c.publish(topic, payload, { qos: 0 });
      return true;
    },
    buffered() {
      return live?.connected ? (live.stream?.writableLength ?? 0) : 0;
    },
    ready: () => consumersStarted.then(() => Promise.all(readies)).then(() => undefined),
    reconnect() {
      for (const c of clients) if (c.connected) c.stream.destroy();
    },
    async close() {
      closed = true;
      consumersUp();
      await Promise.all([...clients, ...(live ? [live] : [])].map((c) => c.endAsync(true).catch(() => undefined)));
    },
  };
}

function connectOne(o: ConsumerOptions, clientId: string): { client: MqttClient; ready: Promise<void> } {
  const log = o.log.child({ clientId });
  const claimed = new Set<number>();
  let client!: MqttClient;
  // PUBACKs of a group commit, written as ONE buffer per connection on the next tick. Through
  // MQTT.js each PUBACK was three small stream writes; Mosquitto 2.0 reads one packet per
  // connection per loop, so at 20,000 messages/s the acks queued in our socket's write buffer
  // as millions of tiny chunk objects (a third of the heap, and GC stalls of a minute).
  // PUBACK with reason 0 and no properties is the same 4 bytes in MQTT 3.1.1 and 5:
  // 0x40, remaining length 2, packet id (MQTT 5 3.4.2.1 allows leaving out reason code 0).
  let acks: number[] = [];
  let ackStream: MqttClient['stream'] | null = null;
  // PUBACKs go straight to the TCP socket under the tap (gateway/mqtt-tap.ts), not through it.
  const rawOf = (st: MqttClient['stream']): Duplex => (st instanceof PublishTap ? st.socket : st);
  const flushAcks = () => {
    const ids = acks;
    const st = ackStream;
    acks = [];
    ackStream = null;
    if (ids.length === 0 || !st || st !== client.stream || !client.connected || st.destroyed) return; // unsent: redelivered on the next session
    const buf = Buffer.allocUnsafe(ids.length * 4);
    for (let i = 0, o = 0; i < ids.length; i++, o += 4) {
      buf[o] = 0x40;
      buf[o + 1] = 2;
      buf[o + 2] = ids[i] >> 8;
      buf[o + 3] = ids[i] & 0xff;
    }
    rawOf(st).write(buf);
  };
  /** The held-PUBACK callback for message `id` received on the current connection. */
  const ackLater = (id: number) => {
    const stream = client.stream;
    return () => {
      // Same connection still open: send the held PUBACK; otherwise the broker redelivers.
      if (client.connected && client.stream === stream) {
        if (ackStream !== stream) {
          if (acks.length) flushAcks();
          ackStream = stream;
          process.nextTick(flushAcks);
        }
        acks.push(id);
      }
    };
  };
  const isSource = (s: unknown): s is Source => typeof s === 'string' && SOURCES.has(s);
  // The hot path: PUBLISH packets read by the tap, never seen by MQTT.js.
  // Traffic from the broker proves the connection alive, so MQTT.js's keepalive timer is pushed
  // back (at most once a second, or every quarter keepalive), as its own packet handler does for
  // the packets it sees. Without this it sent a PINGREQ every keepalive period under load, and the PINGRESP came too late:
  // Mosquitto reads one packet per connection per loop, so the PINGREQ waited behind up to a
  // window of PUBACKs while each loop was busy sending, and MQTT.js dropped every consumer
  // connection ("Keepalive timeout") about every 95 s at 20,000 messages/s.
  let aliveAt = 0;
  const aliveEvery = Math.min(1000, (o.keepaliveSec ?? 60) * 250);
  const onTapped = (p: TappedPublish) => {
    const t = Date.now();
    if (t - aliveAt >= aliveEvery) {
      aliveAt = t;
      client.reschedulePing();
    }
    if (p.dup) o.onRedelivery?.();
    const src = isSource(p.source) ? p.source : undefined;
    o.onMessage(p.topic, p.payload, p.qos === 1 ? ackLater(p.id) : null, src);
  };
  const opts: IClientOptions = {
    clientId,
    clean: false,
    protocolVersion: o.protocolVersion,
    keepalive: o.keepaliveSec ?? 60,
    reconnectPeriod: 1000,
    // A broker re-attaching a large queued backlog to our session can take a while to CONNACK;
    // giving up after 10 s only restarted that work (seen with 1.5 M readings queued).
    connectTimeout: 30_000,
    resubscribe: true,
    // MQTT.js calls its debug logger several times per packet; even disabled, that was ~3% of
    // the gateway's CPU at 10,000 messages/s. Our own logging covers connects and errors.
    log: () => {},
    // MQTT 5: a session expiry of 0 would end the session at disconnect, losing queued messages.
    ...(o.protocolVersion === 5 ? { properties: { sessionExpiryInterval: o.sessionExpirySec, receiveMaximum: RECEIVE_MAXIMUM } } : {}),
    // What the tap leaves to MQTT.js: QoS 2, and QoS 0/1 packets it does not parse (a topic
    // alias, an unknown property). Rare; the PUBACK is held back the same way.
    customHandleAcks: (topic: string, message: Buffer, packet: IPublishPacket, done: (error: Error | number, code?: number) => void) => {
      if (packet.dup) o.onRedelivery?.();
      const up = packet.properties?.userProperties?.source;
      const src = isSource(up) ? up : undefined;
      if (packet.qos === 1 && packet.messageId !== undefined) {
        claimed.add(packet.messageId);
        o.onMessage(topic, message, ackLater(packet.messageId), src);
        done(0);
      } else if (packet.qos === 2) {
        // Publishers use QoS 1: keep it simple and let the PUBREC wait for the commit.
        o.onMessage(topic, message, () => done(0), src);
      } else {
        o.onMessage(topic, message, null, src);
        done(0);
      }
    },
    manualConnect: true,
  };
  client = mqtt.connect(o.url, opts);
  // Every (re)connection's socket is wrapped in a tap that takes the PUBLISH packets off it.
  const build = (client as unknown as { streamBuilder: (c: MqttClient) => Duplex }).streamBuilder;
  if (typeof build !== 'function') throw new Error('MQTT.js internals changed: streamBuilder not found (see gateway/consumer.ts)');
  if (o.tap !== false) (client as unknown as { streamBuilder: (c: MqttClient) => Duplex }).streamBuilder = (c) => new PublishTap(build(c), o.protocolVersion === 5, onTapped);
  // MQTT.js honours customHandleAcks only for protocol 5 and silently swaps in an auto-ack for
  // 3.1.1 (client.js: `protocolVersion === 5 && options.customHandleAcks`), which would ack
  // before the spool commit and bypass onMessage entirely on aedes. handlePublish reads the
  // option at call time, so setting it after construction restores it for 3.1.1 too.
  client.options.customHandleAcks = opts.customHandleAcks!;
  const c = client as unknown as { _sendPacket: Sender };
  if (typeof c._sendPacket !== 'function') throw new Error('MQTT.js internals changed: _sendPacket not found (see gateway/consumer.ts)');
  const send: Sender = c._sendPacket.bind(client);
  c._sendPacket = (packet, cb, ...rest) => {
    if (packet.cmd === 'puback' && packet.messageId !== undefined && claimed.delete(packet.messageId)) {
      cb?.(); // let MQTT.js move on; the real PUBACK goes out after the commit
      return;
    }
    send(packet, cb, ...rest);
  };
  const filters = o.count > 1 ? o.filters.map((f) => `$share/${o.shareGroup}/${f}`) : [...o.filters];
  client.connect();
  const ready = new Promise<void>((resolve) => {
    client.on('connect', (connack) => {
      claimed.clear();
      log.info({ sessionPresent: connack.sessionPresent }, 'mqtt connected');
      client.subscribe(filters, { qos: 1 }, (err, granted) => {
        if (err) log.error({ err }, 'subscribe failed');
        else {
          const bad = granted?.filter((g) => g.qos > 2);
          if (bad?.length) log.error({ bad }, 'subscription refused by broker');
          resolve();
        }
      });
    });
  });
  client.on('close', () => log.debug('mqtt connection closed'));
  client.on('offline', () => log.warn('mqtt offline, reconnecting'));
  client.on('error', (err) => log.warn({ err: err.message }, 'mqtt error'));
  return { client, ready };
}
