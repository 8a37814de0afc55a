/** The gateway's own health (gateway/health.ts) and its subscription filters. */
import { describe, expect, it } from 'vitest';
import { metricsText, readiness } from '../../gateway/health.ts';
import { coveringFilters, GATEWAY_FILTERS } from '../../gateway/app.ts';
import type { GatewayStats } from '../../gateway/app.ts';

const base = {
  started: true, connected: 1, storeUp: true, lastError: null, storeLagMs: 800, backlog: { readings: 10, voc: 0 },
  disk: { freeBytes: 5e9, low: false }, deadLetters: { rows: 3, bytes: 120, pruned: 0, skipped: 0 }, byReason: { 'json.invalid': 2, 'name.invalid': 1 },
  received: 100, accepted: 97, stored: 90, refused: 1, stationLimited: 0,
} as unknown as GatewayStats;

describe('gateway readiness', () => {
  it('ready when started, connected, store up, lag under the limit, disk above the watermark', () => {
    expect(readiness(base, 30_000)).toMatchObject({ ready: true, failing: [], storeLagSeconds: 0.8 });
  });
  it.each([
    [{ storeLagMs: 45_000 }, /store lag 45 s > 30 s/],
    [{ storeUp: false, lastError: 'STORE_UNREACHABLE' }, /store down: STORE_UNREACHABLE/],
    [{ disk: { freeBytes: 1, low: true } }, /disk below the watermark/],
    [{ connected: 0 }, /broker not connected/],
    [{ started: false }, /not started/],
  ])('not ready with %o', (patch, why) => {
    const r = readiness({ ...base, ...patch } as GatewayStats, 30_000);
    expect(r.ready).toBe(false);
    expect(r.failing.join('; ')).toMatch(why);
  });
  it('metrics: lag, dead letters by reason, disk, refusals as Prometheus text', () => {
    const t = metricsText(base);
    expect(t).toContain('airdesk_gateway_store_lag_seconds 0.8\n');
    expect(t).toContain('airdesk_gateway_dead_letters_total{reason="json.invalid"} 2\n');
    expect(t).toContain('airdesk_gateway_store_refused_total 1\n');
    expect(t).toContain('airdesk_gateway_disk_free_bytes 5000000000\n');
    expect(t).toMatch(/# TYPE airdesk_gateway_dead_letters_total counter/);
  });
});

describe('subscription filters', () => {
  it('the whole aq/ and hj212/ space; a profile filter under aq/# is not subscribed twice', () => {
    expect(GATEWAY_FILTERS).toEqual(['aq/#', 'hj212/#']);
    expect(coveringFilters([...GATEWAY_FILTERS, 'aq/+/reading', 'vendor/acme/+/data', 'hj212/#', 'aq'])).toEqual(['aq/#', 'hj212/#', 'vendor/acme/+/data']);
    // A filter with a wildcard before its '#' covers nothing here (kept as it is).
    expect(coveringFilters(['+/#', 'aq/x'])).toEqual(['+/#', 'aq/x']);
  });
});
