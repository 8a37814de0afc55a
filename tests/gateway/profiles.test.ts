/**
 * Third-party flat-JSON profiles (gateway/profiles.ts) and their configuration through
 * AIRDESK_FLAT_PROFILES (gateway/config.ts). Expected times are derived by hand:
 * 2026-07-01T14:05:00+08:00 = 06:05 UTC; 14:00+08:00 is 1782885600 s (common/ingest/normalise.ts
 * header), so 14:05+08:00 is 1782885600 + 300 = 1782885900 s.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { compileProfile, type FlatProfile } from '../../gateway/profiles.ts';
import { route } from '../../gateway/router.ts';
import { loadGatewayConfig, ConfigError } from '../../gateway/config.ts';
import type { NormaliseContext } from '#common/ingest/normalise.ts';

const T_1405_UTC = Date.UTC(2026, 6, 1, 6, 5);
const ctx: NormaliseContext = { source: 'live', now: Date.UTC(2026, 6, 1, 6, 10) };
const seg = (topic: string) => topic.split('/');
const AQ: FlatProfile = { filter: 'aq/+/reading', timeField: 't', flagsField: 'flags' };

describe('flat profile mapping', () => {
  const p = compileProfile(AQ);

  it('maps a valid reading onto the normalised Reading (station, end time in UTC ms, values, N = no flag)', () => {
    const r = p.normalise({ station: 'S1', t: '2026-07-01T14:05:00+08:00', pm25: 35, pm10: 60, temp: 28.1, flags: 'N' }, seg('aq/S1/reading'), ctx);
    expect(r).toEqual({
      ok: true,
      reading: { station: 'S1', time: T_1405_UTC, interval: 'rt', source: 'live', values: { pm25: 35, pm10: 60, temp: 28.1 }, flags: {} },
      warnings: [],
    });
  });

  it('applies one string flag to every quantity, and an object flag per key', () => {
    const r = p.normalise({ station: 'S1', t: '2026-07-01T14:05:00+08:00', pm25: 35, temp: 28.1, flags: 'M' }, seg('aq/S1/reading'), ctx);
    expect(r.ok && r.reading.flags).toEqual({ pm25: ['M'], temp: ['M'] });
    const o = p.normalise({ station: 'S1', t: '2026-07-01T14:05:00+08:00', pm25: 35, pm10: 60, flags: { pm10: 'C' } }, seg('aq/S1/reading'), ctx);
    expect(o.ok && o.reading.flags).toEqual({ pm10: ['C'] });
  });

  it('takes epoch seconds as the time, and the station from a topic segment when configured', () => {
    const q = compileProfile({ filter: 'vendor/+/+/data', stationSegment: 2, interval: 'hour' });
    expect(q.matches(seg('vendor/acme/S9/data'))).toBe(true);
    const r = q.normalise({ time: 1782885900, o3: 120 }, seg('vendor/acme/S9/data'), ctx);
    expect(r.ok && r.reading).toMatchObject({ station: 'S9', time: T_1405_UTC, interval: 'hour', values: { o3: 120 } });
  });

  it('rejects a negative concentration with value.negative', () => {
    const r = p.normalise({ station: 'S1', t: '2026-07-01T14:05:00+08:00', pm25: -5 }, seg('aq/S1/reading'), ctx);
    expect(r).toEqual({ ok: false, reason: 'value.negative', detail: 'pm25 = -5' });
  });

  it('accepts negative meteorology (temperature below zero)', () => {
    const r = p.normalise({ station: 'S1', t: '2026-07-01T14:05:00+08:00', temp: -3.5 }, seg('aq/S1/reading'), ctx);
    expect(r.ok && r.reading.values).toEqual({ temp: -3.5 });
  });

  it('rejects a time without an offset with time.invalid', () => {
    const r = p.normalise({ station: 'S1', t: '2026-07-01T14:05:00', pm25: 35 }, seg('aq/S1/reading'), ctx);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('time.invalid');
    expect(!r.ok && r.detail).toContain('2026-07-01T14:05:00');
  });

  it('ignores an unknown non-quantity field with a flat.ignored warning and keeps the reading', () => {
    const r = p.normalise({ station: 'S1', t: '2026-07-01T14:05:00+08:00', pm25: 35, battery: 3.7, rssi: -71, flags: 'F' }, seg('aq/S1/reading'), ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.reading.values).toEqual({ pm25: 35 });
    // the string flag goes to quantities only, not to battery/rssi (which would be flag.orphan)
    expect(r.reading.flags).toEqual({ pm25: ['F'] });
    expect(r.warnings).toEqual(['flat.ignored:battery,rssi']);
  });

  it('the mapped fields win over payload fields that happen to share a flat-profile name', () => {
    // timeField is "t"; a vendor's own "time" (local clock, no offset) must not replace it,
    // nor a "station" label replace the station field the profile names.
    const q = compileProfile({ filter: 'aq/+/reading', stationField: 'id', timeField: 't' });
    const r = q.normalise({ id: 'S1', station: 'Main St', t: '2026-07-01T14:05:00+08:00', time: '14:05', pm25: 35 }, seg('aq/S1/reading'), ctx);
    expect(r.ok && r.reading).toMatchObject({ station: 'S1', time: T_1405_UTC, values: { pm25: 35 } });
    expect(r.ok && r.warnings).toEqual(['profile.ignored:station,time']);
  });

  it('rejects a payload without the station field, or one that is not an object', () => {
    expect(p.normalise({ t: '2026-07-01T14:05:00+08:00', pm25: 35 }, seg('aq/S1/reading'), ctx)).toMatchObject({ ok: false, reason: 'schema.invalid' });
    expect(p.normalise([1, 2], seg('aq/S1/reading'), ctx)).toMatchObject({ ok: false, reason: 'schema.invalid' });
  });

  it('matches only topics of its filter; a topic no profile matches is topic.unknown in the router', () => {
    expect(p.matches(seg('aq/S1/reading'))).toBe(true);
    expect(p.matches(seg('aq/S1/status'))).toBe(false);
    expect(p.matches(seg('aq/S1/reading/x'))).toBe(false);
    expect(p.matches(seg('aq/reading'))).toBe(false);
    const multi = compileProfile({ filter: 'x/#' });
    expect(multi.matches(seg('x/a/b'))).toBe(true);
    expect(multi.matches(seg('y/a'))).toBe(false);

    const opts = { maxPayloadBytes: 4096, hj212: {}, profiles: [p] };
    const body = new TextEncoder().encode(JSON.stringify({ station: 'S1', t: '2026-07-01T14:05:00+08:00', pm25: 35 }));
    expect(route('aq/S1/reading', body, ctx, opts)).toMatchObject({ kind: 'reading', reading: { station: 'S1', time: T_1405_UTC } });
    expect(route('other/S1/reading', body, ctx, opts)).toEqual({ ok: false, reason: 'topic.unknown', detail: 'other/S1/reading' });
    expect(route('aq/S1/reading', new TextEncoder().encode('{"station":'), ctx, opts)).toMatchObject({ ok: false, reason: 'json.invalid' });
  });
});

describe('the profile\'s fast path', () => {
  // Field names a vendor message may carry: quantities (as written and canonical), the profile's
  // own fields, flat-profile reserved names, the shadowed station/time, junk.
  const key = fc.constantFrom('pm25', 'PM2.5', 'pm10', 'o3', 'O3', 'co', 'no2', 'temp', 'rh', 'battery', 'interval', 'units', 'v', 'flags', 'station', 'time', 't', 'st', 'fl', 'q');
  const value = fc.oneof(
    fc.double({ min: -50, max: 2000, noNaN: true }), fc.integer({ min: -5, max: 600 }), fc.constant(null),
    fc.constantFrom('N', 'D', 'x', ' n ', 'S1', '2026-07-01T14:05:00+08:00', ''), fc.constant(1782885900), fc.constant(1782885900000),
    fc.constantFrom('rt', 'hour'), fc.dictionary(fc.constantFrom('pm25', 'o3', 'zz'), fc.constantFrom('N', 'D', 'bad', 'ug/m3')), fc.boolean(),
  );
  const message = fc.dictionary(key, value, { maxKeys: 9 });
  const profiles: FlatProfile[] = [
    AQ,
    { filter: 'aq/+/reading', stationField: 'st', timeField: 't', flagsField: 'fl', interval: 'hour' },
    { filter: 'x/+/y', stationSegment: 1, timeField: 'time' },
    { filter: 'aq/+/reading', timeField: 't', flagsField: 'q', interval: 'min' },
  ];
  const pctx: NormaliseContext = { ...ctx, unknownStation: 'register', isKnownStation: (c) => c === 'S1' };

  it('gives what the general path gives, for any message and profile', () => {
    fc.assert(
      fc.property(fc.constantFrom(...profiles), message, fc.boolean(), fc.double({ min: 0, max: 500, noNaN: true }), (prof, m, usual, x) => {
        // Half the runs a usual message (the fast path's case), half anything.
        const msg: Record<string, unknown> = usual
          ? { [prof.stationField ?? 'station']: 'S1', [prof.timeField ?? 'time']: '2026-07-01T14:05:00+08:00', pm25: x, o3: x / 2, ...(prof.flagsField ? { [prof.flagsField]: 'N' } : {}) }
          : { [prof.stationField ?? 'station']: 'S1', ...m };
        const segs = ['x', 'S1', 'y'];
        const fast = compileProfile(prof).normalise(msg, segs, { ...pctx });
        const general = compileProfile(prof, { direct: false }).normalise(msg, segs, { ...pctx });
        expect(fast).toEqual(general);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('AIRDESK_FLAT_PROFILES', () => {
  const load = (v: string) => loadGatewayConfig({ AIRDESK_FLAT_PROFILES: v });

  it('parses a valid list; absent or [] means no profiles', () => {
    const c = load('[{"filter":"aq/+/reading","timeField":"t","flagsField":"flags"},{"filter":"v/+/d","stationSegment":1,"interval":"hour"}]');
    expect(c.flatProfiles).toEqual([
      { filter: 'aq/+/reading', timeField: 't', flagsField: 'flags' },
      { filter: 'v/+/d', stationSegment: 1, interval: 'hour' },
    ]);
    expect(loadGatewayConfig({}).flatProfiles).toEqual([]);
    expect(load('[]').flatProfiles).toEqual([]);
  });

  it.each([
    ['not JSON', '[{filter:"aq/+/r"}]', /^AIRDESK_FLAT_PROFILES: not JSON/],
    ['an object, not a list', '{"filter":"aq/+/r"}', /^AIRDESK_FLAT_PROFILES: expected a JSON list/],
    ['a list of numbers', '[42]', /^AIRDESK_FLAT_PROFILES\[0\]: expected an object/],
    ['a null entry', '[null]', /^AIRDESK_FLAT_PROFILES\[0\]: expected an object/],
    ['no filter', '[{"timeField":"t"}]', /^AIRDESK_FLAT_PROFILES\[0\]: filter is required/],
    ['an empty filter', '[{"filter":""}]', /^AIRDESK_FLAT_PROFILES\[0\]: .*not an MQTT filter/],
    ['a # not at the end', '[{"filter":"aq/#/r"}]', /^AIRDESK_FLAT_PROFILES\[0\]: .*not an MQTT filter/],
    ['a misspelt key (second entry)', '[{"filter":"a/+"},{"filter":"b/+","timefield":"t"}]', /^AIRDESK_FLAT_PROFILES\[1\]: unknown key timefield/],
    ['a bad interval', '[{"filter":"a/+","interval":"hourly"}]', /^AIRDESK_FLAT_PROFILES\[0\]: interval must be/],
    ['stationSegment outside the filter', '[{"filter":"a/+","stationSegment":2}]', /^AIRDESK_FLAT_PROFILES\[0\]: .*stationSegment 2 is outside/],
    ['a field name that is not a string', '[{"filter":"a/+","timeField":42}]', /^AIRDESK_FLAT_PROFILES\[0\]: timeField must be a non-empty string/],
    ['an empty field name', '[{"filter":"a/+","stationField":""}]', /^AIRDESK_FLAT_PROFILES\[0\]: stationField must be a non-empty string/],
    ['a stationSegment that is not an integer', '[{"filter":"a/+","stationSegment":"1"}]', /^AIRDESK_FLAT_PROFILES\[0\]: stationSegment must be an integer/],
  ])('rejects %s with a ConfigError naming the variable', (_what, value, msg) => {
    expect(() => load(value)).toThrow(ConfigError);
    expect(() => load(value)).toThrow(msg);
  });
});
