/** Edge rules that keep a message the store would refuse out of the spool (issue 14). */
import { describe, expect, it } from 'vitest';
import { normaliseStationReading, normaliseVocCycle } from '#common/ingest/normalise.ts';

const ctx = { source: 'live' as const, now: Date.UTC(2026, 6, 2) };
const time = '2026-07-01T15:00:00+08:00';
const msg = (station: string, values: Record<string, number | null>, units?: Record<string, string>) => ({ v: 1, station, time, interval: 'hour', values, ...(units ? { units } : {}) });
const reason = (r: { ok: boolean; reason?: string }) => (r.ok ? 'ok' : r.reason);

describe('names and values the stores cannot hold are refused at the edge', () => {
  it.each([
    ['EVIL\\', 'name.invalid'],
    ['a\\,b', 'name.invalid'],
    ['a\nb', 'name.invalid'],
    ['a\u2028b', 'name.invalid'],
    ['\ud800x', 'name.invalid'],
    ['1001A', 'ok'],
    ['万寿西宫', 'ok'],
    ['time', 'ok'], // a tag value may be any name; only field keys are reserved
  ])('station %j -> %s', (station, want) => {
    expect(reason(normaliseStationReading(msg(station, { pm25: 1 }), ctx))).toBe(want);
  });

  it('1e308 mg/m3 of PM2.5 is Infinity in ug/m3: value.overflow, not a stored missing value', () => {
    const r = normaliseStationReading(msg('S1', { pm25: 1e308 }, { pm25: 'mg/m3' }), ctx);
    expect(r).toMatchObject({ ok: false, reason: 'value.overflow' });
    // The largest value that stays finite is accepted (and range-flagged, visibly).
    const ok = normaliseStationReading(msg('S1', { pm25: 1e300 }, { pm25: 'mg/m3' }), ctx);
    expect(ok.ok && ok.reading.flags.pm25).toEqual(['range']);
  });

  it.each([['time'], ['station'], ['flags'], ['source'], ['x\\']])('VOC species %j -> name.invalid', (sp) => {
    const r = normaliseVocCycle({ v: 1, analyzer: 'GC1', station: 'S1', time, unit: 'ppbv', species: { [sp]: 1, toluene: 2 } }, ctx);
    expect(reason(r)).toBe('name.invalid');
  });

  it('VOC analyzer with a backslash -> name.invalid', () => {
    expect(reason(normaliseVocCycle({ v: 1, analyzer: 'GC\\', station: 'S1', time, unit: 'ppbv', species: { toluene: 2 } }, ctx))).toBe('name.invalid');
  });
});
