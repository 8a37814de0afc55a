import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { route, routeBySegments, stationTopic, type RouterOptions, type Routed } from '../../gateway/router.ts';
import { compileProfile } from '../../gateway/profiles.ts';
import { AMBIENT_FACTORS } from '#common/hj212/index.ts';
import type { NormaliseContext } from '#common/ingest/normalise.ts';

// route() answers aq/v1/stations/<id>/readings|status without splitting the topic; everything
// else goes through routeBySegments. Both must give the same result for every topic.
const NOW = Date.parse('2026-07-01T07:00:00Z');
const ctx: NormaliseContext = { source: 'live', now: NOW };
const opts: RouterOptions = {
  maxPayloadBytes: 4096, hj212: { factors: AMBIENT_FACTORS },
  profiles: [compileProfile({ filter: 'aq/+/+/+/#', stationSegment: 3 }), compileProfile({ filter: 'vendor/+/reading' })],
};
const enc = (x: unknown) => new TextEncoder().encode(JSON.stringify(x));
const PAYLOADS = [
  enc({ v: 1, station: 'B1', time: '2026-07-01T15:00:00+08:00', interval: 'hour', values: { pm25: 35 } }),
  enc({ v: 1, station: '', time: '2026-07-01T15:00:00+08:00', interval: 'hour', values: { pm25: 35 } }),
  enc({ v: 1, station: 'B1', state: 'online', time: '2026-07-01T15:00:00+08:00' }),
  enc({ station: 'B1', time: '2026-07-01T15:00:00+08:00', pm25: 35 }),
  new Uint8Array(0),
  new TextEncoder().encode('{"v":1,'),
];
const SEGMENTS = ['aq', 'v1', 'v2', 'stations', 'readings', 'status', 'flat', 'voc', 'cycles', 'hj212', 'vendor', 'reading', 'B1', '', ' ', '+', 'readings ', 'Stations'];
const segment = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...SEGMENTS) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) });
// Mostly near the station topics (to exercise the fast path's edges), some arbitrary strings.
const topic = fc.oneof(
  fc.array(segment, { minLength: 0, maxLength: 7 }).map((s) => s.join('/')),
  fc.tuple(fc.array(segment, { maxLength: 3 }), fc.constantFrom('readings', 'status')).map(([s, leaf]) => ['aq/v1/stations', ...s, leaf].join('/')),
  fc.string({ maxLength: 40 }),
);
const general = (t: string, p: Uint8Array): Routed => {
  try {
    return routeBySegments(t, p, ctx, opts);
  } catch (err) {
    return { ok: false, reason: 'schema.invalid', detail: `internal error while validating: ${(err as Error).message}` };
  }
};
const splitStation = (t: string, leaf: string) => {
  const s = t.split('/');
  return s.length === 5 && s[0] === 'aq' && s[1] === 'v1' && s[2] === 'stations' && s[4] === leaf ? s[3] : null;
};

describe('router fast path for station topics', () => {
  it.each([
    ['aq/v1/stations/B1/readings', 'readings', 'B1'],
    ['aq/v1/stations//readings', 'readings', ''],
    ['aq/v1/stations/B1/status', 'status', 'B1'],
    ['aq/v1/stations/readings', 'readings', null],
    ['aq/v1/stations/B1/readings/', 'readings', null],
    ['aq/v1/stations/B1//readings', 'readings', null],
    ['aq/v1/stations/a/b/readings', 'readings', null],
    ['/aq/v1/stations/B1/readings', 'readings', null],
    ['aq/v1/stations/B1/xreadings', 'readings', null],
    ['aq/v1/stations/B1/status', 'readings', null],
    ['aq/v1/stations/', 'readings', null],
    ['aq/v1/stationsreadings', 'readings', null],
  ])('%s (%s) -> %s', (t, leaf, station) => {
    expect(stationTopic(t, leaf)).toBe(station);
    expect(splitStation(t, leaf)).toBe(station);
  });

  it('stationTopic agrees with split("/") on generated topics', () => {
    fc.assert(fc.property(topic, fc.constantFrom('readings', 'status'), (t, leaf) => {
      expect(stationTopic(t, leaf)).toBe(splitStation(t, leaf));
    }), { numRuns: 5000 });
  });

  it('route() gives what the split-based router gives, for any topic and payload', () => {
    fc.assert(fc.property(topic, fc.constantFrom(...PAYLOADS), (t, p) => {
      expect(route(t, p, ctx, opts)).toEqual(general(t, p));
    }), { numRuns: 5000 });
  });
});
