/**
 * The whole system wired by system/stack.ts, as `npm start` runs it: simulated city -> broker ->
 * gateway (spool) -> store, and gateway -> internal topic -> server -> API. Once on embedded
 * defaults (aedes + SQLite), once on the real servers started by tests/run.sh (Mosquitto + InfluxDB).
 */
import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startStack, type Stack } from '../../system/stack.ts';
import { readStartConfig } from '../../system/config.ts';
import { loadGatewayConfig } from '../../gateway/config.ts';

const MQTT = process.env.AIRDESK_TEST_MQTT_URL;
const INFLUX = process.env.AIRDESK_TEST_INFLUX_URL;
if (!MQTT || !INFLUX) console.warn('tests/system: AIRDESK_TEST_MQTT_URL / AIRDESK_TEST_INFLUX_URL not set (run through tests/run.sh); the real-server variant is skipped');

async function until<T>(what: string, fn: () => Promise<T | null | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let stack: Stack | null = null;
let dir = '';
afterEach(async () => {
  await stack?.stop();
  stack = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function variants() {
  const v: { name: string; opts: { mqttUrl?: string; influxUrl?: string } }[] = [{ name: 'embedded (aedes + SQLite)', opts: {} }];
  if (MQTT && INFLUX) v.push({ name: 'real servers (Mosquitto + InfluxDB)', opts: { mqttUrl: MQTT, influxUrl: `${INFLUX}/stack_${process.pid}` } });
  return v;
}

describe.each(variants())('stack on $name', ({ opts }) => {
  it('serves the simulated city: 12 stations with hourly AQI, stored readings and no dead letters', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'airdesk-stack-'));
    // Reads open (publicRead, AIRDESK_PUBLIC_READ=1): this test is about the wiring, not access.
    stack = await startStack({ logger: pino({ level: 'warn' }), dataDir: dir, port: 0, backfillHours: 30, seed: 7, server: { publicRead: true }, ...opts,
      // The test Mosquitto is the open template (deploy/mosquitto.conf.tmpl): the gateway's
      // open-broker check would refuse it (gateway/open-broker.ts), as it should.
      ...(opts.mqttUrl ? { gateway: loadGatewayConfig({ AIRDESK_DATA_DIR: dir, AIRDESK_ALLOW_OPEN_BROKER: '1' }) } : {}) });
    const url = stack.url;
    const latest = await until('hourly AQI for all 12 stations', async () => {
      const r = (await (await fetch(`${url}/api/latest`)).json()) as { stations: { station: string; hour: { aqi: { aqi: number | null; level: number | null } | null } | null }[] };
      const withAqi = r.stations.filter((s) => s.hour?.aqi?.aqi != null);
      return withAqi.length >= 12 ? withAqi : null;
    });
    for (const s of latest) {
      expect(s.hour!.aqi!.aqi).toBeGreaterThan(0);
      expect(s.hour!.aqi!.aqi).toBeLessThanOrEqual(500);
    }
    // Everything the simulator published is durably stored (30 backfilled hours x 12 stations at least).
    const counts = await until('30 h x 12 stations stored', async () => {
      const c = await stack!.store.countReadings({ from: 0, to: Date.now() + 3_600_000 });
      return Object.keys(c).length >= 12 && Object.values(c).every((n) => n >= 30) ? c : null;
    });
    expect(Object.keys(counts)).toEqual(expect.arrayContaining(['1001A', '1012A']));
    const dl = (await (await fetch(`${url}/api/dead-letters/summary`)).json()) as { available: boolean; total: number };
    expect(dl).toMatchObject({ available: true, total: 0 });
    // The live path is signed (a key per start, common/schemas/internal-sig.ts): the server computed
    // on the gateway's push (at least the 30 h x 12 stations above) and refused none of it.
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(Number(/^airdesk_live_readings_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(360);
    expect(metrics).not.toMatch(/airdesk_live_rejected_total\{reason="internal/);
    const page = await fetch(`${url}/wall`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });
});

describe('stack config', () => {
  it('runs the server and gateway with the config `npm start` read from the environment', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'airdesk-stack-'));
    const cfg = readStartConfig({ AIRDESK_DATA_DIR: dir, AIRDESK_STALE_MINUTES: '45', AIRDESK_REBUILD_DAYS: '9', AIRDESK_AQI_RULE: 'hj633-2012', AIRDESK_SIMULATE: '0', PORT: '0' });
    stack = await startStack({ logger: pino({ level: 'warn' }), dataDir: dir, port: 0, simulate: false, server: cfg.server, gateway: cfg.gateway });
    const sync = stack.server.engine.config;
    expect(sync.staleMinutes).toBe(45);
    expect(sync.rules.hourly?.name).toBe('hj633-2012');
    expect(stack.gateway.spool?.path).toBe(path.join(dir, 'gateway-spool.sqlite'));
    await stack.stop();
    stack = null;
    // The engine state is kept in the data folder (restart-safe), as under `airdesk serve`.
    expect(existsSync(path.join(dir, 'server-state.json'))).toBe(true);
  });
});
