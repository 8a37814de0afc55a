/**
 * Registration of unknown stations is bounded and rate limited (issue 14: 110,000 junk stations
 * until InfluxDB's max-values-per-tag refused every write). Unit rules with hand-worked numbers,
 * then the gateway end to end on Mosquitto: beyond the limit, dead letter station.limit.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import mqtt from 'mqtt';
import { TokenBucket } from '#common/token-bucket.ts';
import { normaliseStationReading } from '#common/ingest/normalise.ts';
import { StationAdmission } from '../../gateway/station-admission.ts';
import { buildGateway } from '../../gateway/app.ts';
import { openSqliteStore } from '../../stores/sqlite.ts';
import { TOPICS } from '#common/schemas/topics.ts';
import { tmpDir, until } from './helpers.ts';

const MQTT_URL = process.env.AIRDESK_TEST_MQTT_URL;

describe('TokenBucket', () => {
  it('a burst of `burst`, then one token per 1/perSecond s', () => {
    const b = new TokenBucket(3, 0.5); // 3 at once, then one every 2 s
    const t = 1_000_000;
    expect([b.take(t), b.take(t), b.take(t), b.take(t)]).toEqual([true, true, true, false]);
    expect(b.waitMs(t)).toBe(2000);
    expect(b.take(t + 1999)).toBe(false);
    expect(b.take(t + 2000)).toBe(true);
    // 60 s idle refills to the burst, not beyond.
    expect([b.take(t + 62_000), b.take(t + 62_000), b.take(t + 62_000), b.take(t + 62_000)]).toEqual([true, true, true, false]);
  });
});

describe('StationAdmission', () => {
  it('bounded by the registry size (counted at the first unknown station) and by the rate', () => {
    const a = new StationAdmission({ max: 10, perMinute: 4, registered: () => 7 });
    const t = 5_000_000;
    const got: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const ok = a.admit(t);
      got.push(ok);
      if (ok) a.added();
    }
    // 7 already: room for 3 (the bound), the rate would allow 4.
    expect(got).toEqual([true, true, true, false, false]);
    expect([a.registered, a.limited]).toEqual([3, 2]);
  });

  it('admitted but not registered (the message was then rejected) spends a token, not the bound', () => {
    const a = new StationAdmission({ max: 2, perMinute: 60 });
    for (let i = 0; i < 10; i++) a.admit(1000 + i * 1000); // garbage: never added
    expect(a.admit(100_000)).toBe(true);
    a.added();
    expect(a.admit(101_000)).toBe(true);
    a.added();
    expect(a.admit(200_000)).toBe(false);
  });

  it('the normaliser dead-letters station.limit when admission says no, and registers when yes', () => {
    const msg = { v: 1, station: 'NEW1', time: '2026-07-01T15:00:00+08:00', interval: 'hour', values: { pm25: 1 } };
    const base = { source: 'live' as const, now: Date.UTC(2026, 6, 2), isKnownStation: () => false };
    expect(normaliseStationReading(msg, { ...base, admitStation: () => false })).toMatchObject({ ok: false, reason: 'station.limit' });
    expect(normaliseStationReading(msg, { ...base, admitStation: () => true })).toMatchObject({ ok: true, warnings: ['station.registered:NEW1'] });
  });
});

describe.skipIf(!MQTT_URL)('gateway: unknown stations beyond the limit (Mosquitto)', () => {
  it('30 unknown stations with a rate of 10 a minute: 10 registered, 20 dead-lettered station.limit, known ones unaffected', async () => {
    const dir = tmpDir('admit');
    const store = await openSqliteStore(path.join(dir, 'store.sqlite'));
    const run = `a${Date.now().toString(36)}${process.pid}`;
    const registered: string[] = [];
    const gw = buildGateway({
      mqttUrl: MQTT_URL!, store, spoolPath: path.join(dir, 'spool.sqlite'), clientId: `gw-${run}`, sessionExpirySec: 30, storeLingerMs: 0,
      isKnownStation: (c) => c.startsWith('K'), registerStation: (c) => registered.push(c),
      stationLimit: { max: 1000, perMinute: 10 },
    });
    await gw.start();
    const pub = await mqtt.connectAsync(MQTT_URL!, { clientId: `pub-${run}` });
    try {
      const time = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
      const send = (st: string) => pub.publishAsync(TOPICS.stationReadings(st), JSON.stringify({ v: 1, station: st, time, interval: 'hour', values: { pm25: 5 } }), { qos: 1 });
      for (let i = 0; i < 30; i++) {
        await send(`U${run}${i}`);
        await send(`K${run}${i}`);
      }
      // A registered station's next readings are accepted without a token.
      await send(`U${run}0`);
      await until(() => gw.stats().accepted + gw.stats().rejected >= 61, 10_000, 'all messages handled');
      expect(registered.length).toBe(10);
      expect(gw.stats()).toMatchObject({ accepted: 41, rejected: 20, stationsRegistered: 10, stationLimited: 20 });
      expect(gw.stats().byReason).toEqual({ 'station.limit': 20 });
      const dead = gw.spool!.recentDeadLetters(100);
      expect(dead.every((d) => d.reason === 'station.limit' && /registration limit/.test(d.detail))).toBe(true);
    } finally {
      await pub.endAsync();
      await gw.stop();
      await store.close();
    }
  });
});
