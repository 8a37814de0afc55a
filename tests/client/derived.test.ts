/**
 * The incremental update path of the map (client/src/data/derived.ts over the store's change
 * journal): after any sequence of store changes and clock moves, the state updated in place equals
 * the state derived from scratch, unchanged stations keep their entry objects, and the per-frame
 * batcher applies everything that arrived in one call. Expected colours are HJ 633 Appendix A.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { Store } from '../../client/src/data/store.ts';
import { deriveStates, refreshStates, updateStates, type DeriveKey, type StationStates } from '../../client/src/data/derived.ts';
import { frameBatcher } from '../../client/src/data/live.ts';
import type { MetricKey } from '../../client/src/lib/metrics.ts';
import type { Reading } from '#common/schemas/reading.ts';
import { HOUR_MS } from '#common/time.ts';

const H = Date.UTC(2026, 10, 20, 4); // an hour end (12:00 Beijing)
const N = 8;
const codes = Array.from({ length: N }, (_, i) => `S${i}`);

function newStore(): Store {
  const s = new Store();
  s.setStations(codes.map((code, i) => ({ code, name: code, city: 'Beijing', lon: 116 + i * 0.01, lat: 40, kind: i < 3 ? 'national' : 'micro' })));
  return s;
}

function reading(code: string, time: number, pm25: number, flag = false): Reading {
  return {
    station: code, time, interval: 'hour', source: 'sim', flags: flag ? { pm25: ['H'] } : {},
    values: { pm25, pm10: 40, o3: 60, no2: 20, so2: 5, co: 0.4 },
  };
}

/** What a derived state shows, for comparisons (entries, drawn arrays, subsets). */
function shown(ds: StationStates) {
  return {
    entries: ds.entries, fill: Array.from(ds.fill), coloured: Array.from(ds.coloured), halo: Array.from(ds.halo),
    nodata: ds.nodata.map((s) => s.code), haloed: ds.haloed.map((s) => s.code),
  };
}

type Op =
  | { k: 'reading'; st: number; dh: number; pm25: number; flag: boolean }
  | { k: 'hour'; st: number; dh: number; aqi: number }
  | { k: 'voc'; st: number }
  | { k: 'clock'; min: number }
  | { k: 'render' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('reading' as const), st: fc.nat(N - 1), dh: fc.integer({ min: -30, max: 0 }), pm25: fc.integer({ min: 0, max: 400 }), flag: fc.boolean() }),
  fc.record({ k: fc.constant('hour' as const), st: fc.nat(N - 1), dh: fc.integer({ min: -3, max: 0 }), aqi: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ k: fc.constant('voc' as const), st: fc.nat(N - 1) }),
  fc.record({ k: fc.constant('clock' as const), min: fc.integer({ min: 0, max: 200 }) }),
  fc.constant({ k: 'render' as const }),
);

describe('derived map state: incremental update equals recomputation', () => {
  it('after any sequence of readings, hours, VOC marks and clock moves (property)', () => {
    const keyArb = fc.record({
      metric: fc.constantFrom<MetricKey>('aqi', 'pm25', 'pm25_24h', 'o3_8h'),
      at: fc.constantFrom<number | null>(null, H, H - HOUR_MS),
      connUp: fc.boolean(),
    });
    fc.assert(fc.property(keyArb, fc.array(opArb, { maxLength: 40 }), (key: DeriveKey, ops) => {
      const store = newStore();
      let now = H + 10 * 60_000;
      let ds = deriveStates(store, key, now);
      for (const op of ops) {
        if (op.k === 'reading') store.applyReadings([reading(codes[op.st], H + op.dh * HOUR_MS, op.pm25, op.flag)]);
        else if (op.k === 'hour') store.applyHour('station', codes[op.st], { time: H + op.dh * HOUR_MS, values: { pm25: op.aqi }, aqi: { rule: 'HJ633-2026', aqi: op.aqi, published: op.aqi > 50, level: 1, primary: [], iaqi: {} } } as never);
        else if (op.k === 'voc') store.markVoc(codes[op.st]);
        else if (op.k === 'clock') now += op.min * 60_000;
        else {
          const before = ds;
          ds = refreshStates(ds, store, key, now);
          expect(ds).toBe(before); // the journal reaches back: updated in place
          expect(shown(ds)).toEqual(shown(deriveStates(store, key, now)));
        }
      }
      ds = refreshStates(ds, store, key, now);
      expect(shown(ds)).toEqual(shown(deriveStates(store, key, now)));
      // latestHour is kept as hours arrive: it equals the scan over every station's last hour.
      const scan = Math.max(-Infinity, ...store.lastHour.values());
      expect(store.latestHour()).toBe(store.lastHour.size ? scan : null);
    }), { numRuns: 300 });
  });

  it('recomputes only the station a reading touched; the others keep their entry objects', () => {
    const store = newStore();
    for (const c of codes) store.applyReadings([reading(c, H, 30)]);
    const key: DeriveKey = { metric: 'aqi', at: null, connUp: true };
    const now = H + 10 * 60_000;
    const ds = deriveStates(store, key, now);
    expect(ds.recomputed).toBe(N);
    const before = [...ds.entries];
    const drawn = ds.drawVersion;
    // PM2.5 30 -> IAQI 43 (level 1); 200 -> IAQI 250 (level 5, #99004C) under HJ 633-2026 Table 1.
    store.applyReadings([reading('S5', H, 200)]);
    expect(updateStates(ds, store, key, now)).toBe(true);
    expect(ds.recomputed).toBe(1);
    ds.entries.forEach((e, i) => (i === 5 ? expect(e).not.toBe(before[i]) : expect(e).toBe(before[i])));
    expect(Array.from(ds.fill.slice(5 * 4, 5 * 4 + 4))).toEqual([153, 0, 76, 255]);
    expect(ds.drawVersion).toBe(drawn + 1);
    expect(ds.colouredVersion).toBe(0); // still coloured: the marker radii need no update
    // The same value again changes nothing drawn: the deck attributes are left alone.
    store.applyReadings([reading('S5', H, 200)]);
    updateStates(ds, store, key, now);
    expect(ds.recomputed).toBe(1);
    expect(ds.drawVersion).toBe(drawn + 1);
    // No change at all: nothing recomputed.
    updateStates(ds, store, key, now);
    expect(ds.recomputed).toBe(0);
  });

  it('the clock alone greys stations whose data went stale, and only those', () => {
    const store = newStore();
    store.applyReadings([reading('S0', H - 2 * HOUR_MS, 30)]);
    for (const c of codes.slice(1)) store.applyReadings([reading(c, H, 30)]);
    const key: DeriveKey = { metric: 'aqi', at: null, connUp: true };
    // 12:40 Beijing: S0's 10:00 hour is one hour late (colour kept), the others fresh.
    const ds = deriveStates(store, key, H + 40 * 60_000);
    expect(ds.entries[0].freshness).toBe('late');
    expect(ds.nodata.map((s) => s.code)).toEqual([]);
    // 13:30: S0 misses 11:00, 12:00 and 13:00 -> stale (three hours), grey; the others are late.
    updateStates(ds, store, key, H + 90 * 60_000);
    expect(ds.entries[0]).toMatchObject({ freshness: 'stale', coloured: false });
    expect(ds.nodata.map((s) => s.code)).toEqual(['S0']);
    expect(ds.colouredVersion).toBe(1);
    expect(Array.from(ds.fill.slice(0, 4))).toEqual([128, 134, 140, 200]);
    expect(ds.recomputed).toBe(N); // every station's freshness moved (fresh -> late, late -> stale)
    expect(shown(ds)).toEqual(shown(deriveStates(store, key, H + 90 * 60_000)));
  });

  it('falls back to a full derivation when the journal no longer reaches back, or the key changes', () => {
    const store = newStore();
    const key: DeriveKey = { metric: 'aqi', at: null, connUp: true };
    const now = H + 10 * 60_000;
    const ds = deriveStates(store, key, now);
    for (let k = 0; k < 100; k++) store.applyReadings([reading(codes[k % N], H, k)]);
    expect(store.changedSince(ds.storeVersion)).toBeNull();
    expect(updateStates(ds, store, key, now)).toBe(false);
    const full = refreshStates(ds, store, key, now);
    expect(full).not.toBe(ds);
    expect(full.drawVersion).toBeGreaterThan(ds.drawVersion);
    expect(shown(full)).toEqual(shown(deriveStates(store, key, now)));
    expect(updateStates(full, store, { ...key, metric: 'pm25' }, now)).toBe(false);
  });

  it('halo subset: VOC sites and flagged stations only', () => {
    const store = newStore();
    for (const c of codes) store.applyReadings([reading(c, H, 30)]);
    const key: DeriveKey = { metric: 'aqi', at: null, connUp: true };
    const ds = deriveStates(store, key, H + 600_000);
    expect(ds.haloed).toEqual([]);
    store.markVoc('S2');
    store.applyReadings([reading('S6', H, 30, true)]);
    const sub = ds.subsetVersion;
    updateStates(ds, store, key, H + 600_000);
    expect(ds.haloed.map((s) => s.code)).toEqual(['S2', 'S6']);
    expect(ds.subsetVersion).toBe(sub + 1);
  });
});

describe('store journal', () => {
  it('reports the stations changed after a version; panel-level version moves only for panels', () => {
    const store = newStore();
    const v0 = store.version, ui0 = store.uiVersion;
    store.applyReadings([reading('S1', H, 10)]);
    const ui1 = store.uiVersion;
    expect(ui1).toBe(ui0 + 1); // first hour seen: "data as of" moves
    store.applyReadings([reading('S3', H, 10), reading('S4', H, 10)]);
    expect(store.uiVersion).toBe(ui1); // same hour: readings alone do not touch the panels
    expect([...store.changedSince(v0)!].sort()).toEqual(['S1', 'S3', 'S4']);
    expect([...store.changedSince(v0 + 1)!].sort()).toEqual(['S3', 'S4']);
    expect(store.changedSince(store.version)!.size).toBe(0);
    expect(store.stamp.get('S3')).toBe(store.version);
    store.setWarning({ city: 'Beijing', scheme: 'x', level: 'blue', reason: 'r', basis: null, since: H } as never);
    expect(store.uiVersion).toBe(ui1 + 1);
    expect(store.changedSince(v0 + 1)!.size).toBe(2);
  });
});

describe('frame batcher', () => {
  afterEach(() => { vi.useRealTimers(); });
  it('applies the first message at once and the ones after it together, one update per frame', () => {
    vi.useFakeTimers();
    const calls: string[][] = [];
    const b = frameBatcher((rs) => calls.push(rs.map((r) => r.station)), 250);
    b.push([reading('S0', H, 1)]);
    expect(calls).toEqual([['S0']]);
    b.push([reading('S1', H, 1)]);
    b.push([reading('S2', H, 1), reading('S3', H, 1)]);
    expect(calls).toEqual([['S0']]);
    // No animation frames here (as in a hidden tab): the timer stands in for the next frame.
    vi.advanceTimersByTime(250);
    expect(calls).toEqual([['S0'], ['S1', 'S2', 'S3']]);
    b.push([reading('S4', H, 1)]); // same "frame" as the last apply: waits
    expect(calls.length).toBe(2);
    vi.advanceTimersByTime(250);
    expect(calls).toEqual([['S0'], ['S1', 'S2', 'S3'], ['S4']]);
    vi.advanceTimersByTime(250); // a frame with nothing waiting frees the next one
    b.push([reading('S5', H, 1)]);
    expect(calls.at(-1)).toEqual(['S5']);
    expect(b.pending()).toBe(0);
  });
});
