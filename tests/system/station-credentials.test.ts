/**
 * Per-station broker accounts (issue 15, `airdesk stations credentials`): on the embedded broker
 * station A signs in with its password and publishes on its own topics, but not as station B, not
 * with B's password, not after revocation; with anonymous access off nobody without an account
 * gets in. The exported password file and ACL work in a real Mosquitto (same hash line as
 * mosquitto_passwd writes): A's publication as B never reaches a subscriber there either.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../system/broker.ts';
import { mosquittoHash, openStationCredentials, verifyMosquittoHash, type StationCredentials } from '../../stores/station-credentials.ts';
import { mosquittoAcl, stationMayPublish } from '../../common/auth/station-acl.ts';
import { freePort, stopChild, tmpDir, until } from '../gateway/helpers.ts';

const clients: MqttClient[] = [];
function connect(url: string, opts: mqtt.IClientOptions = {}): Promise<{ client: MqttClient; error: Error | null }> {
  return new Promise((resolve) => {
    const client = mqtt.connect(url, { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, ...opts });
    clients.push(client);
    client.once('connect', () => resolve({ client, error: null }));
    client.once('error', (error) => resolve({ client, error }));
  });
}
const withUser = (url: string, u: string, p: string) => url.replace('mqtt://', `mqtt://${u}:${encodeURIComponent(p)}@`);
afterAll(() => { for (const c of clients) c.end(true); });

describe('station topics rule', () => {
  it.each([
    ['aq/v1/stations/A/readings', true], ['aq/v1/stations/A/status', true], ['aq/v1/flat/A', true],
    ['aq/v1/voc/A/cycles', true], ['hj212/22/A/2011', true],
    ['aq/v1/stations/B/readings', false], ['aq/v1/stations/A/readings/x', false], ['aq/v1/stations/A', false],
    ['aq/v1/internal/readings', false], ['hj212/22/B/2011', false], ['hj212//A/2011', false], ['aq/v1/flat/AB', false], ['', false],
  ])('A may publish on %j: %s', (topic, ok) => expect(stationMayPublish('A', topic)).toBe(ok));

  it('the hash line is the one mosquitto_passwd writes (PBKDF2-SHA512, 101 iterations)', () => {
    const line = mosquittoHash('secret', Buffer.from('0123456789ab'));
    expect(line).toMatch(/^\$7\$101\$MDEyMzQ1Njc4OWFi\$[A-Za-z0-9+/]{86}==$/);
    expect(verifyMosquittoHash('secret', line)).toBe(true);
    expect(verifyMosquittoHash('Secret', line)).toBe(false);
    for (const junk of ['', '$7$', '$6$101$MDEy$abc', `${line}x`, 'x'.repeat(500)]) expect(verifyMosquittoHash('secret', junk)).toBe(false);
  });

  it('refuses codes that cannot be a user name and an ACL topic level', () => {
    const c = openStationCredentials(':memory:');
    for (const bad of ['A/B', 'A+', '#', 'A B', '', 'x'.repeat(65)]) expect(() => c.issue(bad, 0)).toThrow(/a broker account needs a code/);
    c.close();
  });
});

describe('embedded broker: per-station accounts', () => {
  let b: EmbeddedBroker;
  let creds: StationCredentials;
  let pwA = '';
  let pwB = '';
  beforeAll(async () => {
    creds = openStationCredentials(':memory:');
    pwA = creds.issue('A', 1);
    pwB = creds.issue('B', 1);
    b = await startEmbeddedBroker(0, '127.0.0.1', { verifyStation: (c, p) => creds.verify(c, p), anonymous: false });
  });
  afterAll(async () => {
    await b?.close();
    creds?.close();
  });

  it('station A publishes as itself, never as B; a wrong or revoked password is refused; no anonymous', async () => {
    const sub = (await connect(b.serverUrl, { clientId: 'watch' })).client;
    const got: string[] = [];
    sub.on('message', (t) => got.push(t));
    await sub.subscribeAsync('aq/v1/#', { qos: 1 });

    const a = await connect(withUser(b.url, 'A', pwA), { clientId: 'station-a' });
    expect(a.error).toBeNull();
    const before = b.refused.publish;
    await a.client.publishAsync('aq/v1/stations/A/readings', '{"as":"A"}', { qos: 1 });
    // aedes disconnects a client whose publication it refuses (Mosquitto drops it silently, below).
    a.client.publish('aq/v1/stations/B/readings', '{"as":"B"}', { qos: 0 });
    await until(() => b.refused.publish === before + 1, 5_000, 'the publication as B refused');
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toEqual(['aq/v1/stations/A/readings']);

    const refusedBefore = b.refused.connect;
    expect((await connect(withUser(b.url, 'A', pwB), { clientId: 'a-with-b-pw' })).error).not.toBeNull();
    expect((await connect(b.url, { clientId: 'anon' })).error).not.toBeNull();
    creds.revoke('A', 2);
    expect((await connect(withUser(b.url, 'A', pwA), { clientId: 'a-revoked' })).error).not.toBeNull();
    expect(b.refused.connect).toBe(refusedBefore + 3);
    // Rotation: a new password works, the old one does not.
    const pwA2 = creds.issue('A', 3);
    expect((await connect(withUser(b.url, 'A', pwA2), { clientId: 'a-new' })).error).toBeNull();
    expect(creds.list().map((r) => [r.station, r.revoked])).toEqual([['A', null], ['B', null]]);
  });
});

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find(existsSync);
describe.skipIf(!MOSQUITTO)('Mosquitto with the exported password file and ACL', () => {
  let p: ChildProcess;
  let url = '';
  const dir = tmpDir('creds');
  let pwA = '';
  const watchPw = 'watch-password-0123456789';
  beforeAll(async () => {
    chmodSync(dir, 0o777);
    const c = openStationCredentials(path.join(dir, 'stations.sqlite'));
    pwA = c.issue('A', 1);
    c.issue('B', 1);
    const passwd = c.mosquittoPasswd() + `airdesk-server:${mosquittoHash(watchPw)}\n`;
    const acl = `user airdesk-server\ntopic read aq/v1/#\n\n${mosquittoAcl(c.activeStations())}`;
    c.close();
    writeFileSync(path.join(dir, 'passwd'), passwd, { mode: 0o644 });
    writeFileSync(path.join(dir, 'acl'), acl, { mode: 0o644 });
    const port = await freePort();
    writeFileSync(path.join(dir, 'mosquitto.conf'), [
      `listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${dir}/passwd`, `acl_file ${dir}/acl`, '',
    ].join('\n'));
    p = spawn(MOSQUITTO!, ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    url = `mqtt://127.0.0.1:${port}`;
    await until(async () => (await connect(withUser(url, 'airdesk-server', watchPw), { clientId: 'probe' })).error === null, 10_000, 'mosquitto up');
  }, 20_000);
  afterAll(async () => { if (p) await stopChild(p); });

  it('A publishes as itself; as B it is dropped; a wrong password and anonymous are refused', async () => {
    expect(readFileSync(path.join(dir, 'acl'), 'utf8')).toContain('user A\ntopic write aq/v1/stations/A/readings\n');
    const sub = (await connect(withUser(url, 'airdesk-server', watchPw), { clientId: 'watch' })).client;
    const got: string[] = [];
    sub.on('message', (t) => got.push(t));
    await sub.subscribeAsync('aq/v1/#', { qos: 1 });
    const a = await connect(withUser(url, 'A', pwA), { clientId: 'station-a' });
    expect(a.error).toBeNull();
    await a.client.publishAsync('aq/v1/stations/B/readings', '{"as":"B"}', { qos: 1 });
    await a.client.publishAsync('aq/v1/stations/A/readings', '{"as":"A"}', { qos: 1 });
    await until(() => got.length >= 1, 5_000, 'A\'s own reading');
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual(['aq/v1/stations/A/readings']);
    expect((await connect(withUser(url, 'A', 'wrong'), { clientId: 'a-wrong' })).error).not.toBeNull();
    expect((await connect(url, { clientId: 'anon' })).error).not.toBeNull();
  });
});

describe('npm start (the stack) reads the station accounts of its data folder', () => {
  it('with AIRDESK_BROKER_ANONYMOUS=0: station A signs in and its reading is stored; anonymous and B-as-A are refused', async () => {
    const { startStack } = await import('../../system/stack.ts');
    const pino = (await import('pino')).default;
    const dir = tmpDir('stack-creds');
    const c = openStationCredentials(path.join(dir, 'stations.sqlite'));
    const pwA = c.issue('A', 1);
    c.close();
    const stack = await startStack({ logger: pino({ level: 'silent' }), dataDir: dir, port: 0, simulate: false, brokerAnonymous: false, server: { publicRead: true } });
    try {
      expect((await connect(stack.mqttUrl, { clientId: 'anon' })).error).not.toBeNull();
      expect((await connect(withUser(stack.mqttUrl, 'A', 'guess'), { clientId: 'a-guess' })).error).not.toBeNull();
      const a = await connect(withUser(stack.mqttUrl, 'A', pwA), { clientId: 'station-a' });
      expect(a.error).toBeNull();
      const t = Math.floor(Date.now() / 3_600_000) * 3_600_000;
      await a.client.publishAsync('aq/v1/stations/A/readings', JSON.stringify({ v: 1, station: 'A', time: new Date(t).toISOString(), interval: 'hour', values: { pm25: 35 } }), { qos: 1 });
      await until(async () => (await stack.store.countReadings({ from: t - 1, to: t + 1 })).A === 1, 15_000, 'A\'s reading stored');
    } finally {
      await stack.stop();
    }
  }, 40_000);
});
