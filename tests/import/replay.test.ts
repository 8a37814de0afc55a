/**
 * `airdesk replay` core over MQTT (embedded broker on port 0): archive rows go out as live JSON
 * readings in time order, paced by the speed, bad files skipped and counted.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { replayFiles } from '../../gateway/import/replay.ts';
import { TOPICS } from '#common/schemas/topics.ts';
import { normaliseStationReading } from '#common/ingest/normalise.ts';

const FIX = path.join(import.meta.dirname, '../fixtures/import');
const fx = (...f: string[]) => f.map((x) => path.join(FIX, x));
let server: Server;
let broker: Aedes;
let url = '';

beforeAll(async () => {
  broker = await Aedes.createBroker();
  server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => broker.close(() => r()));
  await new Promise<void>((r) => server.close(() => r()));
});

async function subscribe() {
  const got: { station: string; time: string; msg: unknown }[] = [];
  const c = await mqtt.connectAsync(url);
  c.on('message', (_t, p) => {
    const m = JSON.parse(p.toString());
    got.push({ station: m.station, time: m.time, msg: m });
  });
  await c.subscribeAsync(TOPICS.stationReadingsFilter, { qos: 1 });
  return { got, close: () => c.endAsync() };
}

describe('replay', () => {
  it('publishes every station-hour of the good files in time order; bad files are counted', async () => {
    const sub = await subscribe();
    const files = fx('empty.csv', 'html-error.csv', 'station-list.csv', 'china_sites_20170101-gzip.csv', 'beijing_all_20170601-gbk.csv',
      'truncated-line.csv', 'absurd-values.csv', 'blank-rows.csv', 'prsa-small.csv');
    const s = await replayFiles(files, { mqttUrl: url, speed: 3_600_000 });
    // gzip 5 + gbk 3 + truncated 3 + absurd 3 + blank-rows 3 + prsa 2 = 19 station-hours over 7 distinct hours
    expect(s).toMatchObject({ published: 19, hours: 7, errors: 0, rejectedLines: 2, skippedFiles: { 'file.empty': 1, 'file.html': 1, 'file.format': 1 } });
    const end = Date.now() + 5000;
    while (sub.got.length < 19 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(sub.got).toHaveLength(19);
    const times = sub.got.map((g) => Date.parse(g.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // What goes out is a valid live message (the -999 one is for the gateway to reject, as live).
    const verdicts = sub.got.map((g) => normaliseStationReading(g.msg, { source: 'live', now: Date.now() }));
    expect(verdicts.filter((v) => !v.ok).map((v) => !v.ok && v.reason)).toEqual(['value.negative']);
    await sub.close();
  });
  it('paces an hour of data per 3600/speed seconds', async () => {
    // hours 1, 2 (gzip), 3 (absurd), 4 (truncated), 6 (blank-rows): 5 hour steps at 100 ms each
    const t0 = Date.now();
    const s = await replayFiles(fx('china_sites_20170101-gzip.csv', 'absurd-values.csv', 'truncated-line.csv', 'blank-rows.csv'), { mqttUrl: url, speed: 36_000 });
    const ms = Date.now() - t0;
    expect(s.hours).toBe(5);
    expect(ms).toBeGreaterThanOrEqual(480);
    expect(ms).toBeLessThan(5000);
  });
});
