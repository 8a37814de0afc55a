/**
 * The simulated city: determinism, scenarios (what an operator would check on the dashboard),
 * diurnal cycles, and that everything it emits passes the same normaliser as live data.
 * City values: mean of the 12 national stations per hour (as README of ../shared/data defines the
 * city value); daily means from hours labelled 01..24 (HJ 663); MDA8 = max of the 17 8-h windows
 * ending 08..24 of the day (REFERENCE 2.3), computed here by hand.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createSim, simulateHour, simulateValues, type SimState, type StationValues } from '../../simulators/model.ts';
import { rhFromDewPoint as rhFromDew } from '#common/met.ts';
import { BEIJING_STATIONS } from '../../simulators/city-beijing.ts';
import { SCENARIO_DEFS, type ScenarioName } from '../../simulators/scenarios.ts';
import { readingToHj212 } from '../../simulators/publish.ts';
import { beijingToUtc, HOUR_MS, DAY_MS } from '#common/time.ts';
import { normaliseStationReading, normaliseVocCycle } from '#common/ingest/normalise.ts';
import { resolveSpecies } from '#common/voc/species.ts';
import { parsePacket, packetToReadingMsg } from '#common/hj212/index.ts';

const NATIONAL = BEIJING_STATIONS.map((s) => s.code);
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;

/** City hourly series (24 values, labels 1..24) of day `d` after `start` for quantity k. */
function cityDay(sim: SimState, start: number, d: number, k: keyof StationValues): number[] {
  const out: number[] = [];
  for (let h = 1; h <= 24; h++) {
    const v = simulateValues(sim, start + d * DAY_MS + h * HOUR_MS);
    out.push(mean(NATIONAL.map((c) => v.get(c)![k])));
  }
  return out;
}
function mda8(day: number[]): number {
  let best = -Infinity;
  for (let end = 8; end <= 24; end++) best = Math.max(best, mean(day.slice(end - 8, end)));
  return best;
}
function sim(scenario: ScenarioName, start: number, seed: string | number = 1) {
  return createSim({ seed, scenario, start });
}

describe('determinism', () => {
  const start = beijingToUtc(2017, 6, 10);
  it('same seed + scenario + start gives identical messages, in any order of hours', () => {
    const a = sim('o3', start, 42);
    const b = sim('o3', start, 42);
    const hours = [5, 77, 3, 150, 40].map((h) => start + h * HOUR_MS);
    const fromA = hours.map((t) => simulateHour(a, t));
    const fromB = [...hours].reverse().map((t) => simulateHour(b, t)).reverse();
    expect(fromB).toEqual(fromA);
  });
  it('another seed gives other data', () => {
    const t = start + 15 * HOUR_MS;
    expect(simulateHour(sim('o3', start, 1), t)).not.toEqual(simulateHour(sim('o3', start, 2), t));
  });
  it('publishes the 12 national stations at their coordinates and 2 VOC analyzers', () => {
    const h = simulateHour(sim('normal', start), start + HOUR_MS);
    expect(h.readings.map((r) => r.station)).toEqual(NATIONAL);
    expect(NATIONAL).toEqual(['1001A', '1002A', '1003A', '1004A', '1005A', '1006A', '1007A', '1008A', '1009A', '1010A', '1011A', '1012A']);
    // cnemc-stations.csv: 1003A 东四 116.4174, 39.9289
    expect(BEIJING_STATIONS[2]).toMatchObject({ name: '东四', lon: 116.4174, lat: 39.9289 });
    expect(h.voc).toHaveLength(2);
    expect(h.readings[0].time).toBe('2017-06-10T01:00:00+08:00');
  });
});

describe('scenarios', () => {
  it('o3: city MDA8 > 160 on every episode day, for several seeds', () => {
    const start = beijingToUtc(2017, 6, 10);
    for (const seed of [1, 2, 3]) {
      const s = sim('o3', start, seed);
      for (const d of SCENARIO_DEFS.o3.episodeDays) {
        expect(mda8(cityDay(s, start, d, 'o3')), `seed ${seed} day ${d}`).toBeGreaterThan(160);
      }
    }
  });
  it('normal (June): city MDA8 mostly at or below 160', () => {
    const start = beijingToUtc(2017, 6, 1);
    for (const seed of [1, 2]) {
      const s = sim('normal', start, seed);
      const days = Array.from({ length: 10 }, (_, d) => mda8(cityDay(s, start, d, 'o3')));
      expect(days.filter((m) => m > 160).length, days.map(Math.round).join(' ')).toBeLessThanOrEqual(2);
    }
  });
  it('pm: daily PM2.5 > 150 on the episode days, then a NW wind >= 5 m/s clears it', () => {
    const start = beijingToUtc(2016, 12, 10);
    const s = sim('pm', start, 7);
    const daily = Array.from({ length: 8 }, (_, d) => mean(cityDay(s, start, d, 'pm25')));
    for (const d of SCENARIO_DEFS.pm.episodeDays) expect(daily[d], `day ${d}`).toBeGreaterThan(150);
    expect(daily.filter((m) => m > 150).length).toBeGreaterThanOrEqual(4);
    // Front reaches the centre on day 6 at 06:00 Beijing; look at 09:00-12:00.
    const ws = cityDay(s, start, 6, 'ws').slice(9, 12);
    const wd = cityDay(s, start, 6, 'wd').slice(9, 12);
    for (const w of ws) expect(w).toBeGreaterThanOrEqual(5);
    for (const d of wd) expect(d).toBeGreaterThan(292.5); // NW to NNW sector
    const pm = cityDay(s, start, 6, 'pm25');
    expect(pm[3]).toBeGreaterThan(150); // before the front
    expect(pm[14]).toBeLessThan(50); // hours after it
    expect(daily[7]).toBeLessThan(75); // the day after: back to Grade II
  });
  it('dust: PM10 jumps with PM2.5/PM10 < 0.35, strong wind and low RH', () => {
    const start = beijingToUtc(2017, 4, 1);
    const s = sim('dust', start, 3);
    let dustHours = 0;
    for (let h = 0; h < 5 * 24; h++) {
      const v = simulateValues(s, start + (h + 1) * HOUR_MS);
      const pm10 = mean(NATIONAL.map((c) => v.get(c)!.pm10));
      const pm25 = mean(NATIONAL.map((c) => v.get(c)!.pm25));
      if (pm10 < 400) continue;
      dustHours++;
      expect(pm25 / pm10).toBeLessThan(0.35);
      expect(mean(NATIONAL.map((c) => v.get(c)!.ws))).toBeGreaterThan(5);
      expect(mean(NATIONAL.map((c) => v.get(c)!.rh))).toBeLessThan(30);
    }
    expect(dustHours).toBeGreaterThanOrEqual(8);
    // before the dust: an ordinary spring day
    expect(Math.max(...cityDay(s, start, 1, 'pm10'))).toBeLessThan(250);
  });
  it('spatial variation: stations differ, the background site has the least NO2', () => {
    const start = beijingToUtc(2017, 1, 10);
    const s = sim('normal', start);
    const no2 = new Map(NATIONAL.map((c) => [c, 0]));
    for (let h = 1; h <= 72; h++) {
      const v = simulateValues(s, start + h * HOUR_MS);
      for (const c of NATIONAL) no2.set(c, no2.get(c)! + v.get(c)!.no2);
    }
    const lowest = [...no2.entries()].sort((a, b) => a[1] - b[1])[0][0];
    expect(lowest).toBe('1002A'); // 定陵, the control (background) site
  });
});

describe('diurnal cycles', () => {
  const start = beijingToUtc(2017, 7, 1);
  const s = sim('normal', start, 5);
  const byHour = (k: keyof StationValues) => {
    const acc = Array.from({ length: 24 }, () => 0);
    for (let d = 0; d < 10; d++) cityDay(s, start, d, k).forEach((v, i) => (acc[i] += v / 10));
    return acc; // index i = hour label i+1 = hour (i, i+1]
  };
  it('O3 peaks in the afternoon (13-17 Beijing)', () => {
    const o3 = byHour('o3');
    const peakLabel = o3.indexOf(Math.max(...o3)) + 1;
    expect(peakLabel).toBeGreaterThanOrEqual(14);
    expect(peakLabel).toBeLessThanOrEqual(17);
  });
  it('NO2 has a morning rush-hour peak (07-09) above the afternoon', () => {
    const no2 = byHour('no2');
    const morning = no2.slice(6, 10); // labels 7..10
    const peakLabel = no2.indexOf(Math.max(...morning)) + 1;
    expect(peakLabel).toBeGreaterThanOrEqual(7);
    expect(peakLabel).toBeLessThanOrEqual(10);
    expect(Math.max(...morning)).toBeGreaterThan(1.3 * mean(no2.slice(12, 16)));
  });
  it('PM builds up at night', () => {
    const pm = byHour('pm25');
    expect(mean([...pm.slice(20, 24), ...pm.slice(0, 2)])).toBeGreaterThan(1.2 * mean(pm.slice(11, 15)));
  });
});

describe('what it emits passes the live normaliser', () => {
  const now = Date.UTC(2030, 0, 1);
  it('every reading and VOC cycle of a PM episode is accepted, no range flags, species all known', () => {
    const start = beijingToUtc(2016, 12, 10);
    const s = sim('pm', start);
    for (let h = 1; h <= 8 * 24; h += 5) {
      const out = simulateHour(s, start + h * HOUR_MS);
      for (const r of out.readings) {
        const n = normaliseStationReading(r, { source: 'sim', now });
        expect(n.ok, JSON.stringify(n)).toBe(true);
        if (n.ok) expect(n.reading.flags).toEqual({});
      }
      for (const v of out.voc) {
        const n = normaliseVocCycle(v, { source: 'sim', now, resolveSpecies: (x) => resolveSpecies(x) });
        expect(n.ok).toBe(true);
        if (n.ok) {
          expect(n.warnings).toEqual([]);
          expect(Object.keys(n.cycle.species)).toHaveLength(56);
          expect(n.cycle.species['mp-xylene']).toBeGreaterThan(0);
        }
      }
    }
  });
  it('HJ 212 packets decode to the same normalised reading as the JSON message', () => {
    const start = beijingToUtc(2017, 6, 10);
    const r = simulateHour(sim('o3', start), start + 15 * HOUR_MS).readings[3];
    const p = parsePacket(readingToHj212(r, r.station, start));
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.packet.cp.DataTime).toBe('20170610140000'); // START of the hour ending 15:00
    const m = packetToReadingMsg(p.packet);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    const a = normaliseStationReading(r, { source: 'sim', now });
    const b = normaliseStationReading(m.msg, { source: 'sim', now });
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(b.reading.time).toBe(a.reading.time);
      // HJ 212 Table B.2 has no precipitation factor: everything else travels.
      expect(Object.keys(b.reading.values).sort()).toEqual(Object.keys(a.reading.values).filter((k) => k !== 'precip').sort());
      for (const [k, v] of Object.entries(b.reading.values)) expect(v, k).toBeCloseTo(a.reading.values[k] as number, 6);
    }
  });
  it('property: any seed and hour give physical values', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 24 * 365 * 3 }), (seed, si, h) => {
        const scen = (['normal', 'o3', 'pm', 'dust'] as const)[si];
        const start = beijingToUtc(2016, 1, 1);
        const v = simulateValues(sim(scen, start, seed), start + h * HOUR_MS);
        for (const x of v.values()) {
          for (const k of ['pm25', 'pm10', 'so2', 'no2', 'co', 'o3', 'no', 'ws', 'precip'] as const) expect(x[k]).toBeGreaterThanOrEqual(0);
          expect(x.pm25).toBeLessThanOrEqual(x.pm10);
          expect(x.rh).toBeGreaterThan(0);
          expect(x.rh).toBeLessThanOrEqual(100);
          expect(x.wd).toBeGreaterThanOrEqual(0);
          expect(x.wd).toBeLessThan(360);
          expect(x.nox).toBeGreaterThanOrEqual(x.no2);
        }
      }),
      { numRuns: 200 },
    );
  });
  it('Magnus RH: dew point = temperature gives 100 %, 10 degC below at 20 degC about 52 %', () => {
    expect(rhFromDew(20, 20)).toBeCloseTo(100, 9);
    // es(10) = 6.1094 exp(176.25 / 253.04) = 12.2605 hPa; es(20) = 6.1094 exp(352.5 / 263.04) = 23.3351 hPa
    expect(rhFromDew(20, 10)).toBeCloseTo((100 * 12.2605) / 23.3351, 2);
  });
});
