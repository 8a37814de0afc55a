/** A station-day from the store as an OBM input (common/obm/station-day.ts). */
import { describe, expect, it } from 'vitest';
import { checkObmInput } from '../../../common/obm/input.ts';
import { boxHourOf, dayEndRange, MIN_VOC_HOURS, stationDayInput, STANDARD_HPA } from '../../../common/obm/station-day.ts';
import type { Reading, VocCycle } from '../../../common/schemas/reading.ts';
import { molarVolume, MOLAR_MASS } from '../../../common/standards/units.ts';

const HOUR = 3_600_000;
// 2026-07-10 00:00 Beijing = 2026-07-09 16:00 UTC
const D0 = Date.UTC(2026, 6, 9, 16);
const station = { code: 'S1', lat: 39.9, lon: 116.4 };
const cycle = (endHour: number, species: Record<string, number | null>, flags: Record<string, string[]> = {}): VocCycle =>
  ({ analyzer: 'a1', station: 'S1', time: D0 + endHour * HOUR, source: 'sim', species, flags });
const reading = (endHour: number, values: Record<string, number | null>): Reading =>
  ({ station: 'S1', time: D0 + endHour * HOUR, interval: 'hour', source: 'sim', values, flags: {} });
const met = { temp: 25, rh: 60, pres: 1005 };
const allHours = (f: (endHour: number) => Record<string, number | null>) => Array.from({ length: 24 }, (_, k) => reading(k + 1, f(k + 1)));

describe('hours', () => {
  it.each([
    // [value end (hours after local midnight), box day, box hour]
    [1, '2026-07-10', 0], // ending 01:00 covers 00-01
    [24, '2026-07-10', 23], // ending 24:00 (= next day 00:00) is the day's last hour (HJ 663)
    [0, '2026-07-09', 23],
    [25, '2026-07-11', 0],
    [2.5, '2026-07-10', 2], // a 30-min cycle ending 02:30
  ])('a value ending at +%i h is box hour %s %i', (h, day, hour) => {
    expect(boxHourOf(D0 + h * HOUR)).toEqual({ day, hour });
  });
  it('dayEndRange covers the ends 00:00 (exclusive) to 24:00 (inclusive)', () => {
    const r = dayEndRange('2026-07-10');
    expect(r.from).toBe(D0 + 1);
    expect(r.to).toBe(D0 + 24 * HOUR + 1);
  });
});

describe('stationDayInput', () => {
  const cycles = Array.from({ length: 24 }, (_, k) => cycle(k + 1, { ethylene: 2, toluene: 1 + k / 10, isoprene: null }));
  const readings = allHours(() => ({ ...met, o3: 100, no: 10, no2: 40, co: 0.8 }));

  it('converts the store units back to ppb at 298.15 K, 1013.25 hPa (Vm = RT/P), and is a valid input', () => {
    const r = stationDayInput({ station, day: '2026-07-10', cycles, readings });
    if (!r.ok) throw new Error(r.message);
    expect(checkObmInput(r.input).ok).toBe(true);
    const vm = molarVolume(298.15, 1013.25);
    const h = r.input.hours[5]!;
    expect(h.o3).toBeCloseTo((100 * vm) / MOLAR_MASS.o3, 9);
    expect(h.nox).toBeCloseTo((10 * vm) / MOLAR_MASS.no + (40 * vm) / MOLAR_MASS.no2, 9);
    expect(h.co).toBeCloseTo((0.8 * vm) / MOLAR_MASS.co * 1000, 6);
    expect(h.voc).toEqual({ ethylene: 2, toluene: 1.5 }); // cycle ending 06:00 is hour 5; a null is not a value
    expect(r.coverage).toMatchObject({ vocHours: 24, noxHours: 24, o3Hours: 24, metHours: 24, cycles: 24, analyzers: ['a1'], notes: [] });
  });

  it('averages two cycles in one hour and leaves hours without a cycle to interpolation', () => {
    const cs = [cycle(3, { ethylene: 1 }), { ...cycle(3, { ethylene: 3 }), time: D0 + 2.5 * HOUR }, ...Array.from({ length: 8 }, (_, k) => cycle(10 + k, { ethylene: 2 }))];
    const r = stationDayInput({ station, day: '2026-07-10', cycles: cs, readings });
    if (!r.ok) throw new Error(r.message);
    expect(r.input.hours[2]!.voc).toEqual({ ethylene: 2 });
    expect(r.input.hours[0]!.voc).toBeUndefined();
    expect(r.coverage.vocHours).toBe(9);
  });

  it('flagged VOC values are not used', () => {
    const cs = Array.from({ length: 24 }, (_, k) => cycle(k + 1, { ethylene: 2, toluene: 5 }, { toluene: ['D'] }));
    const r = stationDayInput({ station, day: '2026-07-10', cycles: cs, readings });
    if (!r.ok) throw new Error(r.message);
    expect(r.input.hours[3]!.voc).toEqual({ ethylene: 2 });
  });

  it('missing pressure: standard pressure, said in the notes', () => {
    const r = stationDayInput({ station, day: '2026-07-10', cycles, readings: allHours(() => ({ temp: 25, rh: 60, nox: 50 })) });
    if (!r.ok) throw new Error(r.message);
    expect(r.input.hours.every((h) => h.pressureHPa === STANDARD_HPA)).toBe(true);
    expect(r.coverage.notes.join()).toMatch(/1013.25 hPa assumed/);
  });

  it.each([
    ['no cycles that day', [cycle(30, { ethylene: 2 })], readings, 'no-voc', /no VOC analyzer cycles at station S1 on 2026-07-10/],
    [`fewer than ${MIN_VOC_HOURS} hours`, cycles.slice(0, MIN_VOC_HOURS - 1), readings, 'few-voc-hours', /usable VOC cycles in 5 hour\(s\).*at least 6/],
    ['cycles whose every value is flagged', cycles.map((c) => ({ ...c, flags: { ethylene: ['D'], toluene: ['D'] } })), readings, 'few-voc-hours', /in 0 hour/],
    ['no NOx', cycles, allHours(() => ({ ...met, o3: 100 })), 'no-nox', /no NOx/],
    ['no temperature', cycles, allHours(() => ({ rh: 50, nox: 40 })), 'no-temperature', /no temperature/],
    ['no humidity', cycles, allHours(() => ({ temp: 20, nox: 40 })), 'no-humidity', /no relative humidity/],
    ['readings of another station only', cycles, readings.map((r) => ({ ...r, station: 'S2' })), 'no-nox', /no NOx/],
  ])('%s: a problem that says why', (_n, cs, rs, problem, msg) => {
    const r = stationDayInput({ station, day: '2026-07-10', cycles: cs as VocCycle[], readings: rs as Reading[] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem).toBe(problem);
    expect(r.message).toMatch(msg);
  });
});
