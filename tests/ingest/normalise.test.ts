import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { normaliseStationReading, normaliseVocCycle, validateStationStatus, type NormaliseContext } from '#common/ingest/normalise.ts';
import { normaliseFlatReading } from '#common/ingest/flat.ts';
import { decodeJson, decodeText } from '#common/ingest/decode.ts';
import { MOLAR_VOLUME_L, ppbToUgm3, ugm3ToPpb, MOLAR_MASS } from '#common/ingest/units.ts';
import { isFlatLine, isSpike, FLAT_RUN } from '#common/ingest/qc.ts';
import { REASONS } from '#common/ingest/reasons.ts';

const NOW = Date.parse('2026-07-01T07:00:00Z');
const ctx: NormaliseContext = { source: 'live', now: NOW };
const base = { v: 1, station: '1001A', time: '2026-07-01T15:00:00+08:00', interval: 'hour' } as const;

// Molar volume from the ideal gas law at the GB 3095-2026 reference state (298.15 K, 1013.25 hPa).
const VM = (8.314462618 * 298.15) / 101325 * 1000;

describe('molar volume and ppb -> ug/m3 (GB 3095-2026 reference state)', () => {
  it('V_m = R T / P = 24.465 L/mol', () => {
    expect(VM).toBeCloseTo(24.465, 3);
    expect(MOLAR_VOLUME_L).toBeCloseTo(VM, 10);
  });
  // REFERENCE.md 5.3 worked values: O3 1 ppb = 1.962, NO2 1.880, SO2 2.619 ug/m3; CO 1 ppm = 1.145 mg/m3.
  it.each([
    ['O3', 'ppb', 1, 'o3', 48.00 / VM, 1.962],
    ['NO2', 'ppb', 1, 'no2', 46.0055 / VM, 1.880],
    ['SO2', 'ppb', 1, 'so2', 64.066 / VM, 2.619],
    ['CO', 'ppm', 1, 'co', 28.010 / VM, 1.145],
    ['CO', 'ppb', 1000, 'co', 28.010 / VM, 1.145],
    ['O3', 'ppm', 0.1, 'o3', (100 * 48.00) / VM, 196.2],
    ['NO2', 'mg/m3', 0.05, 'no2', 50, 50],
    ['CO', 'ug/m3', 800, 'co', 0.8, 0.8],
  ])('%s %s x%d', (key, unit, x, q, derived, published) => {
    const r = normaliseStationReading({ ...base, values: { [key]: x }, units: { [key]: unit } }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // Within 0.1 %: the molar masses here (48.00, 64.066) are rounded differently from units.ts.
    const v = r.reading.values[q]!;
    expect(Math.abs(v - derived) / derived).toBeLessThan(1e-3);
    expect(Math.abs(v - published) / published).toBeLessThan(1e-3);
  });
  it('ppb -> ug/m3 -> ppb round-trips (fast-check)', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1e5, noNaN: true }), fc.constantFrom(...Object.values(MOLAR_MASS)), (x, mw) => {
      expect(ugm3ToPpb(ppbToUgm3(x, mw), mw)).toBeCloseTo(x, 6);
    }));
  });
  it('converts meteorology: K, kPa, km/h', () => {
    const r = normaliseStationReading({ ...base, values: { pm25: 10 }, met: { temp: 300.15, pres: 101.3, ws: 36 }, units: { temp: 'K', pres: 'kPa', ws: 'km/h' } }, ctx);
    expect(r.ok && r.reading.values).toEqual({ pm25: 10, temp: expect.closeTo(27, 9), pres: expect.closeTo(1013, 9), ws: expect.closeTo(10, 9) });
  });
});

describe('normaliseStationReading', () => {
  it('stores canonical keys, END time in UTC ms, the source, and nulls as null', () => {
    const r = normaliseStationReading({ ...base, values: { 'PM2.5': 35, PM10: null, O3: 120 } }, { ...ctx, source: 'sim' });
    expect(r).toEqual({
      ok: true,
      reading: { station: '1001A', time: Date.UTC(2026, 6, 1, 7), interval: 'hour', source: 'sim', values: { pm25: 35, pm10: null, o3: 120 }, flags: {} },
      warnings: [],
    });
  });
  it('keeps instrument flags (N is the absence of a flag) and adds range/ceiling flags, without dropping values', () => {
    const r = normaliseStationReading({ ...base, values: { pm25: 35, so2: 500, co: 20.0, rh: 130, o3: 80 }, flags: { pm25: 'M', o3: 'N', so2: 'T' } }, ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.reading.values).toEqual({ pm25: 35, so2: 500, co: 20, rh: 130, o3: 80 });
    expect(r.reading.flags).toEqual({ pm25: ['M'], so2: ['T', 'ceiling'], co: ['ceiling'], rh: ['range'] });
  });
  it('negative temperature is fine, negative concentration is rejected', () => {
    expect(normaliseStationReading({ ...base, values: { pm25: 3 }, met: { temp: -12 } }, ctx).ok).toBe(true);
    const r = normaliseStationReading({ ...base, values: { no2: -4 } }, ctx);
    expect(!r.ok && r.reason).toBe('value.negative');
  });
  it.each([
    ['wrong type', { ...base, values: { pm25: '35' } }, 'schema.invalid'],
    ['missing station', { v: 1, time: base.time, interval: 'hour', values: { pm25: 1 } }, 'schema.invalid'],
    ['extra field', { ...base, values: { pm25: 1 }, extra: 1 }, 'schema.invalid'],
    ['wrong version', { ...base, v: 2, values: { pm25: 1 } }, 'schema.invalid'],
    ['bad interval', { ...base, interval: '5min', values: { pm25: 1 } }, 'schema.invalid'],
    ['NaN value', { ...base, values: { pm25: NaN } }, 'schema.invalid'],
    ['time without offset', { ...base, time: '2026-07-01T15:00:00', values: { pm25: 1 } }, 'time.invalid'],
    ['time garbage', { ...base, time: 'yesterday', values: { pm25: 1 } }, 'time.invalid'],
    ['time 1970', { ...base, time: '1970-01-01T00:00:00Z', values: { pm25: 1 } }, 'time.invalid'],
    ['time 11 min ahead', { ...base, time: new Date(NOW + 11 * 60_000).toISOString(), values: { pm25: 1 } }, 'time.future'],
    ['unknown quantity', { ...base, values: { benzene: 1 } }, 'quantity.unknown'],
    ['duplicate quantity', { ...base, values: { 'PM2.5': 1, pm25: 2 } }, 'quantity.duplicate'],
    ['no values', { ...base, values: {} }, 'values.empty'],
    ['unknown unit', { ...base, values: { o3: 1 }, units: { o3: 'furlongs' } }, 'unit.unknown'],
    ['ppb for particles', { ...base, values: { pm25: 1 }, units: { pm25: 'ppb' } }, 'unit.unknown'],
    ['unknown flag', { ...base, values: { pm25: 1 }, flags: { pm25: 'X' } }, 'flag.unknown'],
    // TypeBox checks Record values only for keys without line breaks unless additionalProperties is false
    ['flag key with a line break, value not a string', { ...base, values: { pm25: 1 }, flags: { 'pm\n25': 5 } }, 'schema.invalid'],
    ['value key with a line break', { ...base, values: { 'pm\n25': 'x' } }, 'schema.invalid'],
  ])('rejects %s', (_n, msg, reason) => {
    const r = normaliseStationReading(msg, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(REASONS[r.reason]).toBeTypeOf('string');
    }
  });
  it('9 minutes ahead is accepted; the future limit is configurable', () => {
    const msg = { ...base, time: new Date(NOW + 9 * 60_000).toISOString(), values: { pm25: 1 } };
    expect(normaliseStationReading(msg, ctx).ok).toBe(true);
    const r = normaliseStationReading(msg, { ...ctx, maxFutureMs: 60_000 });
    expect(!r.ok && r.reason).toBe('time.future');
  });
  it('unknown stations: reject or register by policy', () => {
    const known = (c: string) => c === 'K1';
    const msg = { ...base, station: 'Z9', values: { pm25: 1 } };
    const rej = normaliseStationReading(msg, { ...ctx, isKnownStation: known, unknownStation: 'reject' });
    expect(!rej.ok && rej.reason).toBe('station.unknown');
    const reg = normaliseStationReading(msg, { ...ctx, isKnownStation: known, unknownStation: 'register' });
    expect(reg.ok && reg.warnings).toEqual(['station.registered:Z9']);
  });
});

describe('flat profile', () => {
  it('takes top-level quantity keys, epoch seconds, and ignores other keys with a warning', () => {
    const t = Date.UTC(2026, 6, 1, 6, 30);
    const r = normaliseFlatReading({ time: t / 1000, pm25: 12, temperature: 25, battery: 'ok' }, 'S1', ctx);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.reading).toMatchObject({ station: 'S1', time: t, interval: 'rt', values: { pm25: 12, temp: 25 } });
    expect(r.warnings).toEqual(['flat.ignored:battery']);
  });
  it('rejects a station that contradicts the topic, and strings as values', () => {
    const a = normaliseFlatReading({ station: 'S2', time: '2026-07-01T06:00:00Z', pm25: 1 }, 'S1', ctx);
    expect(!a.ok && a.reason).toBe('topic.mismatch');
    const b = normaliseFlatReading({ time: '2026-07-01T06:00:00Z', pm25: 'high' }, 'S1', ctx);
    expect(!b.ok && b.reason).toBe('schema.invalid');
    const c = normaliseFlatReading([1, 2], 'S1', ctx);
    expect(!c.ok && c.reason).toBe('schema.invalid');
  });
});

describe('VOC cycles', () => {
  const voc = { v: 1, analyzer: 'GC1', station: '1001A', time: '2026-07-01T15:00:00+08:00', unit: 'ppbv', species: { ' Isoprene ': 0.8, Benzene: 1.2 } } as const;
  it('keeps ppbv, keys lower-cased and trimmed without a species resolver', () => {
    const r = normaliseVocCycle(voc, ctx);
    expect(r.ok && r.cycle.species).toEqual({ isoprene: 0.8, benzene: 1.2 });
  });
  it('converts ppbC by carbon count and ug/m3 by molar mass from the resolver', () => {
    const resolveSpecies = (n: string) => (n.trim().toLowerCase() === 'isoprene' ? { id: 'isoprene', mw: 68.12, carbons: 5 } : null);
    const c = normaliseVocCycle({ ...voc, unit: 'ppbC', species: { isoprene: 5 } }, { ...ctx, resolveSpecies });
    expect(c.ok && c.cycle.species.isoprene).toBeCloseTo(1, 9);
    const u = normaliseVocCycle({ ...voc, unit: 'ugm3', species: { isoprene: 68.12 / VM } }, { ...ctx, resolveSpecies });
    expect(u.ok && u.cycle.species.isoprene).toBeCloseTo(1, 9);
    const x = normaliseVocCycle({ ...voc, unit: 'ppbC', species: { benzene: 6 } }, { ...ctx, resolveSpecies });
    expect(!x.ok && x.reason).toBe('unit.unconvertible');
  });
  it('rejects negative species', () => {
    const r = normaliseVocCycle({ ...voc, species: { benzene: -1 } }, ctx);
    expect(!r.ok && r.reason).toBe('value.negative');
  });
});

describe('station status', () => {
  it('validates', () => {
    expect(validateStationStatus({ v: 1, station: 'S1', state: 'offline', time: '2026-07-01T06:00:00Z' }).ok).toBe(true);
    const r = validateStationStatus({ v: 1, station: 'S1', state: 'asleep', time: '2026-07-01T06:00:00Z' });
    expect(!r.ok && r.reason).toBe('schema.invalid');
  });
});

describe('decode', () => {
  it.each([
    ['truncated JSON', Buffer.from('{"v":1,"station":"A"'), 'json.invalid'],
    ['NaN token', Buffer.from('{"v":1,"values":{"pm25":NaN}}'), 'json.nan'],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'encoding.invalid'],
    ['empty', Buffer.alloc(0), 'payload.empty'],
    ['oversized', Buffer.alloc(300 * 1024, 0x20), 'payload.oversized'],
  ])('%s', (_n, bytes, reason) => {
    const r = decodeJson(bytes, 256 * 1024);
    expect(!r.ok && r.reason).toBe(reason);
  });
  it('a word containing NaN inside a string is plain invalid JSON, not json.nan', () => {
    const r = decodeText(Buffer.from('{"s":"NaNa"'), 100);
    expect(r.ok).toBe(true);
    const j = decodeJson(Buffer.from('{"s":"NaNa"'), 100);
    expect(!j.ok && j.reason).toBe('json.invalid');
  });
});

describe('QC rules', () => {
  it('flat line after FLAT_RUN identical hourly values, not for precipitation', () => {
    expect(isFlatLine('pm25', 'hour', 35, FLAT_RUN.hour - 2, 35)).toBe(false);
    expect(isFlatLine('pm25', 'hour', 35, FLAT_RUN.hour - 1, 35)).toBe(true);
    expect(isFlatLine('pm25', 'hour', 35, 100, 36)).toBe(false);
    expect(isFlatLine('precip', 'hour', 0, 100, 0)).toBe(false);
  });
  it('spike: large absolute AND relative jump', () => {
    expect(isSpike('pm25', 30, 400)).toBe(true);
    expect(isSpike('pm25', 200, 600)).toBe(false); // +400 but only 3x
    expect(isSpike('pm25', 30, 110)).toBe(false); // 3.7x but only +80
    expect(isSpike('pm25', null, 900)).toBe(false);
  });
});
