/**
 * Issue 15: on an external broker whose ACL lets anyone publish on aq/v1/internal/# (a Mosquitto
 * of this test's own, configured open like the test template), the server computes only on what
 * the gateway signed (AIRDESK_INTERNAL_KEY). A forged reading (unsigned, wrong key, altered after
 * signing, replayed) is refused with its code, counted, and shown in the dead-letter summary;
 * the signed one is computed on. Runs where tests/run.sh put Mosquitto on the machine.
 */
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { makeServer, hourly, bj } from './helpers.ts';
import { startMosquitto, until } from '../gateway/helpers.ts';
import { TOPICS } from '../../common/schemas/topics.ts';
import { signPayload, type MacFn } from '../../common/schemas/internal-sig.ts';
import type { Built } from '../../server/app.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';

const HAVE_MOSQUITTO = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].some(existsSync);
if (!HAVE_MOSQUITTO) console.warn('tests/server/internal-signature.test.ts: skipped, no mosquitto binary (tests/run.sh installs it)');

const mac: MacFn = (k, d) => createHmac('sha256', k).update(d).digest('base64url');
const KEY = 'k'.repeat(32) + '0123456789abcdef0123456789abcdef';
const OTHER = 'z'.repeat(64);

describe.skipIf(!HAVE_MOSQUITTO)('server: internal messages must carry the gateway signature', () => {
  let broker: Awaited<ReturnType<typeof startMosquitto>>;
  let s: Built & { store: TimeSeriesStore };
  let pub: mqtt.MqttClient;
  const T = bj('2026-07-01', 2);

  beforeAll(async () => {
    broker = await startMosquitto();
    s = await makeServer({
      mqttUrl: broker.url, clock: () => bj('2026-07-01', 3) + 60_000,
      config: { internalKeys: { current: KEY, previous: null, previousHours: 0, windowSeconds: 300 } },
    });
    await s.start();
    // Anonymous: this broker, like a badly configured one, lets anybody publish on the internal topic.
    pub = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: 'forger' });
  }, 30_000);
  afterAll(async () => {
    await pub?.endAsync();
    await s?.close();
    await broker?.stop();
  });

  const metric = async (re: RegExp) => re.exec((await s.app.inject({ url: '/metrics' })).body)?.[1];

  it('forged readings are refused with their reason and not computed on; the signed one is', async () => {
    const forged = JSON.stringify({ v: 1, readings: hourly('X1', T, [{ pm25: 900 }]) });
    const good = JSON.stringify({ v: 1, readings: hourly('X2', T, [{ pm25: 35 }]) });
    const now = Date.now();
    const sent: [string, string][] = [
      ['internal.unsigned', forged],
      ['internal.key-unknown', signPayload(TOPICS.acceptedReadings, forged, OTHER, now, mac)],
      ['internal.sig-bad', signPayload(TOPICS.acceptedReadings, good, KEY, now, mac).replace('"pm25":35', '"pm25":900')],
      ['internal.stale', signPayload(TOPICS.acceptedReadings, good, KEY, now - 600_000, mac)],
    ];
    for (const [, p] of sent) await pub.publishAsync(TOPICS.acceptedReadings, p, { qos: 1 });
    await pub.publishAsync(TOPICS.acceptedReadings, signPayload(TOPICS.acceptedReadings, good, KEY, now, mac), { qos: 1 });

    await until(async () => (await metric(/^airdesk_live_readings_total (\d+)/m)) === '1', 10_000, 'the signed reading');
    await until(async () => {
      const sum = (await s.app.inject({ url: '/api/dead-letters/summary' })).json();
      return sum.total === 4;
    }, 10_000, 'four refusals');
    const sum = (await s.app.inject({ url: '/api/dead-letters/summary' })).json() as { available: boolean; byReason: { reason: string; count: number; example: string }[] };
    expect(sum.available).toBe(true);
    expect(sum.byReason.map((r) => [r.reason, r.count]).sort()).toEqual(sent.map(([r]) => [r, 1]).sort());
    expect(sum.byReason.find((r) => r.reason === 'internal.unsigned')!.example).toMatch(/^aq\/v1\/internal\/readings: /);
    for (const [reason] of sent) expect(await metric(new RegExp(`airdesk_live_rejected_total\\{reason="${reason}"\\} (\\d+)`))).toBe('1');
    // Only the signed reading reached the engine: X2 at 35 ug/m3; X1 (the forged 900) has none.
    const latest = (await s.app.inject({ url: '/api/latest?city=Xcity' })).json() as { stations: { station: string; reading: { values: Record<string, number | null> } | null }[] };
    const by = Object.fromEntries(latest.stations.map((r) => [r.station, r]));
    expect(by.X2?.reading?.values.pm25).toBe(35);
    expect(by.X1?.reading ?? null).toBeNull();
  }, 30_000);
});
