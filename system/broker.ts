/**
 * The embedded MQTT broker under `npm start` (aedes), with the rule the shipped Mosquitto config
 * should also carry (issue 15, docs/security.md): only the gateway may publish on
 * `aq/v1/internal/#` (the server trusts what arrives there) and hold a client id starting with
 * `airdesk-gateway` (no session takeover); the server signs in as `airdesk-server` and may only
 * subscribe. Both get a random password per start, in the URL the stack hands them (MQTT.js takes
 * user:password from the URL; logs show URLs through redactUrl). A station with an account
 * (`airdesk stations credentials issue`, stores/station-credentials.ts) signs in as its code and
 * may publish only on its own topics (common/auth/station-acl.ts); a wrong password is refused.
 * Anonymous clients (the simulator, stations without an account) are let in unless
 * `anonymous: false` (AIRDESK_BROKER_ANONYMOUS=0), never on the internal topics.
 */
import { createServer, type Server as NetServer } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Aedes, type Client } from 'aedes';
import { stationMayPublish } from '#common/auth/station-acl.ts';

export const GATEWAY_USER = 'airdesk-gateway';
export const SERVER_USER = 'airdesk-server';
const INTERNAL = 'aq/v1/internal/';

export interface EmbeddedBroker {
  /** For stations and the simulator (no credentials). */
  url: string;
  /** For the gateway: publishes on the internal topics. */
  gatewayUrl: string;
  /** For the server: subscribes only. */
  serverUrl: string;
  /** Refused connections and publications, for tests and metrics. */
  refused: { connect: number; publish: number };
  close(): Promise<void>;
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export interface BrokerOptions {
  /** Station accounts: whether `password` is the one in force for station `code`. */
  verifyStation?: (code: string, password: string) => boolean;
  /** Let clients without a user name connect (default true: the simulator, stations without an
   *  account); they may publish anything but the internal topics. */
  anonymous?: boolean;
}

type Role = 'gateway' | 'server' | { station: string };

export async function startEmbeddedBroker(port: number, host: string, o: BrokerOptions = {}): Promise<EmbeddedBroker> {
  const secrets = { [GATEWAY_USER]: randomBytes(24).toString('hex'), [SERVER_USER]: randomBytes(24).toString('hex') };
  const roles = new WeakMap<Client, Role>();
  const refused = { connect: 0, publish: 0 };
  const anonymous = o.anonymous ?? true;
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const pw = password ? password.toString() : '';
      const role: Role | null = username === GATEWAY_USER ? 'gateway' : username === SERVER_USER ? 'server' : username ? { station: username } : null;
      const ok = role === 'gateway' || role === 'server' ? same(pw, secrets[username as keyof typeof secrets])
        : role ? (o.verifyStation?.(role.station, pw) ?? false) : anonymous;
      // The gateway's client ids (its persistent session) belong to the gateway alone.
      const takeover = client.id.startsWith(GATEWAY_USER) && role !== 'gateway';
      if (!ok || takeover) {
        refused.connect++;
        const e = Object.assign(new Error('not authorized'), { returnCode: 5 });
        return done(e as never, false);
      }
      if (role) roles.set(client, role);
      done(null, true);
    },
    authorizePublish: (client, packet, done) => {
      const role = client ? roles.get(client) : undefined;
      const station = typeof role === 'object' ? role.station : null;
      if (packet.topic.startsWith(INTERNAL) ? role !== 'gateway' : role === 'server' || (station !== null && !stationMayPublish(station, packet.topic))) {
        refused.publish++;
        return done(new Error(`publish on ${packet.topic} not allowed`));
      }
      done(null);
    },
  });
  const server: NetServer = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  const base = `${host}:${actual}`;
  return {
    url: `mqtt://${base}`,
    gatewayUrl: `mqtt://${GATEWAY_USER}:${secrets[GATEWAY_USER]}@${base}`,
    serverUrl: `mqtt://${SERVER_USER}:${secrets[SERVER_USER]}@${base}`,
    refused,
    close: () => new Promise<void>((resolve) => { broker.close(() => server.close(() => resolve())); }),
  };
}
