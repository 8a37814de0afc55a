/**
 * The gateway refuses an open broker (gateway/open-broker.ts, issue 15): against real Mosquittos
 * configured open (the test template: allow_anonymous true, no ACL), closed (no anonymous access,
 * password file, ACL) and half-closed (anonymous allowed, but not on aq/v1/internal/#), and the
 * embedded broker, the probe says open / closed / closed / closed; `airdesk gateway` on the open
 * one stops with a clear message, and starts with AIRDESK_ALLOW_OPEN_BROKER=1.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { freePort, startMosquitto, stopChild, tmpDir, until } from './helpers.ts';
import { probeOpenBroker, anonymousUrl } from '../../gateway/open-broker.ts';
import { refuseOpenBroker } from '../../gateway/main.ts';
import { loadGatewayConfig } from '../../gateway/config.ts';
import { mosquittoHash } from '../../stores/station-credentials.ts';
import { startEmbeddedBroker } from '../../system/broker.ts';
import mqtt from 'mqtt';

const MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find(existsSync);
const BIN = path.join(import.meta.dirname, '../../bin/airdesk.mjs');
const GW_PW = 'gateway-password-0123456789';

/** A Mosquitto with `lines` as its whole config (plus the listener), files written in its folder. */
async function ownMosquitto(lines: (dir: string) => string[], files: Record<string, string> = {}) {
  const dir = tmpDir('probe');
  chmodSync(dir, 0o777);
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text, { mode: 0o644 });
  const port = await freePort();
  writeFileSync(path.join(dir, 'mosquitto.conf'), [`listener ${port} 127.0.0.1`, ...lines(dir), ''].join('\n'));
  const p = spawn(MOSQUITTO!, ['-c', path.join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  const url = `mqtt://airdesk-gateway:${GW_PW}@127.0.0.1:${port}`;
  await until(async () => {
    const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 1000 }).catch(() => null);
    await c?.endAsync(true);
    return c !== null;
  }, 10_000, 'mosquitto up');
  return { url, stop: () => stopChild(p) };
}

const passwd = `airdesk-gateway:${mosquittoHash(GW_PW)}\n`;
const acl = (anonymousLine: string) => `${anonymousLine}\n\nuser airdesk-gateway\ntopic readwrite aq/v1/#\n`;

describe.skipIf(!MOSQUITTO)('open-broker probe against real Mosquittos', () => {
  const stops: (() => Promise<void>)[] = [];
  let open = '';
  let closed = '';
  let half = '';
  beforeAll(async () => {
    const o = await startMosquitto();
    stops.push(o.stop);
    open = o.url;
    const c = await ownMosquitto((d) => ['allow_anonymous false', `password_file ${d}/passwd`, `acl_file ${d}/acl`], { passwd, acl: acl('') });
    stops.push(c.stop);
    closed = c.url;
    // Anonymous clients may publish station readings, not internal messages (ACL lines before any
    // `user` apply to anonymous clients).
    const h = await ownMosquitto((d) => ['allow_anonymous true', `password_file ${d}/passwd`, `acl_file ${d}/acl`], { passwd, acl: acl('topic write aq/v1/stations/#') });
    stops.push(h.stop);
    half = h.url;
  }, 40_000);
  afterAll(async () => { for (const s of stops) await s(); });

  it('anonymousUrl drops user and password only', () => {
    expect(anonymousUrl('mqtt://u:p%40ss@10.0.0.5:1883')).toBe('mqtt://10.0.0.5:1883');
    expect(anonymousUrl('mqtts://broker.example:8883/')).toBe('mqtts://broker.example:8883/');
  });

  it.each([
    ['open (the test template)', () => open, 5, 'open', /published on aq\/v1\/internal\/probe\/[0-9a-f]{24}, and it was delivered/],
    ['closed (no anonymous, password file, ACL)', () => closed, 5, 'closed', /anonymous connect refused/],
    ['half-closed (anonymous, ACL keeps it off internal)', () => half, 5, 'closed', /was not delivered in 2000 ms/],
    ['closed, MQTT 3.1.1', () => closed, 4, 'closed', /anonymous connect refused/],
  ] as const)('%s -> %s', async (_n, url, protocolVersion, state, detail) => {
    const r = await probeOpenBroker(url(), { protocolVersion, clientId: 'airdesk-gateway-t' });
    expect(r.state).toBe(state);
    expect(r.detail).toMatch(detail);
  }, 15_000);

  it('a broker nobody answers on is unknown, not closed', async () => {
    const r = await probeOpenBroker(`mqtt://127.0.0.1:${await freePort()}`, { protocolVersion: 5, clientId: 'airdesk-gateway-t' });
    expect(r.state).toBe('unknown');
  }, 15_000);

  it('refuseOpenBroker throws on the open one unless AIRDESK_ALLOW_OPEN_BROKER=1', async () => {
    const log = pino({ level: 'silent' });
    await expect(refuseOpenBroker(loadGatewayConfig({ MQTT_URL: open }), log)).rejects.toThrow(/refusing to run: the broker lets clients without an account publish on aq\/v1\/internal\/#.*AIRDESK_ALLOW_OPEN_BROKER=1/);
    expect((await refuseOpenBroker(loadGatewayConfig({ MQTT_URL: open, AIRDESK_ALLOW_OPEN_BROKER: '1' }), log)).state).toBe('open');
    expect((await refuseOpenBroker(loadGatewayConfig({ MQTT_URL: closed }), log)).state).toBe('closed');
  }, 20_000);

  it('`airdesk gateway` on the open broker exits 2 with the message', async () => {
    const dir = tmpDir('probe-gw');
    const p = spawn(process.execPath, [BIN, 'gateway'], {
      env: { ...process.env, MQTT_URL: open, AIRDESK_DATA_DIR: dir, AIRDESK_GATEWAY_HTTP: '', AIRDESK_ALLOW_OPEN_BROKER: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (b) => { err += b; });
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => { p.kill('SIGKILL'); resolve(null); }, 30_000);
      p.once('exit', (c) => { clearTimeout(t); resolve(c); });
    });
    expect(code).toBe(2);
    expect(err).toMatch(/^airdesk: refusing to run: the broker lets clients without an account publish/m);
  }, 40_000);
});

describe('open-broker probe against the embedded broker', () => {
  it('is closed: aedes refuses anonymous publishing on the internal topics', async () => {
    const b = await startEmbeddedBroker(0, '127.0.0.1');
    try {
      const r = await probeOpenBroker(b.gatewayUrl, { protocolVersion: 4, clientId: 'airdesk-gateway' });
      expect(r).toEqual({ state: 'closed', detail: 'the broker disconnected an anonymous client publishing on the internal topics' });
      expect(b.refused.publish).toBe(1);
    } finally {
      await b.close();
    }
  }, 15_000);
});
