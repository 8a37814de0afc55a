/**
 * Automatic box-model runs (server/obm/auto.ts) against the real service on the simulated city's
 * o3 scenario: the threshold is set just under / just over the day's MDA8 computed here from the
 * stored readings, so the test does not depend on what the simulator happens to produce.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseStationReading, normaliseVocCycle } from '../../common/ingest/normalise.ts';
import { dayEndRange } from '../../common/obm/station-day.ts';
import type { VocCycle } from '../../common/schemas/reading.ts';
import type { Station } from '../../common/schemas/station.ts';
import { DAY_MS, HOUR_MS } from '../../common/time.ts';
import { episodeDaysFromReadings } from '../../common/voc/analysis.ts';
import { ConfigError, readConfig } from '../../server/config.ts';
import { DEFAULT_OBM_CONFIG } from '../../server/obm/config.ts';
import { createSim, simulateHour } from '../../simulators/model.ts';
import { openSqliteStore } from '../../stores/sqlite.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import type { Built } from '../../server/app.ts';
import { makeServer } from './helpers.ts';

const START = Date.UTC(2026, 6, 8, 16); // 2026-07-09 00:00 Beijing
const DAY = '2026-07-10';
const NOW = Date.UTC(2026, 6, 12, 4);
const FAST = { ...DEFAULT_OBM_CONFIG, workers: 2, keySpecies: 2, spinupDays: 0, gridMax: 1.5, gridStep: 0.5, autoAfterHour: 17 };

async function seeded(): Promise<{ store: TimeSeriesStore; stations: Station[]; cycles: VocCycle[] }> {
  const sim = createSim({ seed: 'obm-test', scenario: 'o3', start: START });
  const store = await openSqliteStore(':memory:');
  const ctx = { source: 'sim' as const, now: NOW };
  const cycles: VocCycle[] = [];
  for (let t = START + HOUR_MS; t <= START + 3 * DAY_MS; t += HOUR_MS) {
    const h = simulateHour(sim, t);
    await store.writeReadings(h.readings.map((m) => { const r = normaliseStationReading(m, ctx); if (!r.ok) throw new Error('rejected'); return r.reading; }));
    const cs = h.voc.map((v) => normaliseVocCycle(v, ctx)).flatMap((c) => (c.ok ? [c.cycle] : []));
    await store.writeVocCycles(cs);
    cycles.push(...cs);
  }
  const stations = sim.stations.map((s) => ({ code: s.code, name: s.name, city: s.city, province: s.province, lon: s.lon, lat: s.lat, kind: s.kind }));
  return { store, stations, cycles };
}

/** Cycles of 1003A ending in DAY at Beijing hour `h` (1..24). */
const at = (cycles: readonly VocCycle[], h: number) => cycles.filter((c) => c.station === '1003A' && c.time === dayEndRange(DAY).from - 1 + h * HOUR_MS);

let data: Awaited<ReturnType<typeof seeded>>;
let mda8: number;
beforeAll(async () => {
  data = await seeded();
  const { from, to } = dayEndRange(DAY);
  const readings = await data.store.queryReadings({ stations: ['1003A'], interval: 'hour', from, to });
  mda8 = episodeDaysFromReadings(readings, [DAY]).mda8.get(DAY)!;
}, 60_000);

describe('automatic runs', () => {
  let s: Built & { store: TimeSeriesStore };
  afterAll(async () => { await s?.close(); });

  it('an O3 episode day (MDA8 above the threshold): the first afternoon cycle starts one run as system, later cycles none', async () => {
    expect(mda8).toBeGreaterThan(50); // the o3 scenario has a real photochemical day
    s = await makeServer({ store: data.store, stations: data.stations, clock: () => NOW, config: { obm: { ...FAST, autoMda8: Math.floor(mda8) - 1 } } });
    // A morning cycle starts nothing (before autoAfterHour).
    const morning = at(data.cycles, 10);
    expect(morning.length).toBe(1);
    s.app.obmAuto.onCycles(morning);
    expect((await s.app.obmAuto.settled()).get(`1003A/${DAY}`)).toBe('not-yet');
    s.app.obmAuto.onCycles(at(data.cycles, 17));
    s.app.obmAuto.onCycles(at(data.cycles, 17)); // the same burst twice: still one check
    expect((await s.app.obmAuto.settled()).get(`1003A/${DAY}`)).toBe('started');
    s.app.obmAuto.onCycles(at(data.cycles, 18));
    expect((await s.app.obmAuto.settled()).get(`1003A/${DAY}`)).toBe('seen');
    await s.app.obm.idle();
    const run = await s.app.obm.get(1);
    expect(run?.state).toBe('done');
    expect(run?.station).toBe('1003A');
    expect(run?.day).toBe(DAY);
    expect(run?.requestedBy).toBe('system');
    expect(await s.app.obm.get(2)).toBeNull();
    const audit = await s.app.records.audit.list({ target: `obm:1003A/${DAY}` });
    const req = audit.find((a) => a.action === 'obm.run.requested')!;
    expect(req.actor).toBe('system');
    expect(req.origin).toMatch(new RegExp(`^obm-auto: MDA8 O3 ${Math.round(mda8)} > ${Math.floor(mda8) - 1} ug/m3$`));
  }, 120_000);
});

describe('no automatic run', () => {
  let s: Built & { store: TimeSeriesStore };
  afterAll(async () => { await s?.close(); });

  it('MDA8 at or under the threshold; a station without a VOC analyzer; automatic runs off', async () => {
    s = await makeServer({ store: data.store, stations: data.stations, clock: () => NOW, config: { obm: { ...FAST, autoMda8: Math.ceil(mda8) + 1 } } });
    s.app.obmAuto.onCycles(at(data.cycles, 20));
    // A cycle naming a station with no VOC input for the day: no-input, and not counted as done.
    s.app.obmAuto.onCycles(at(data.cycles, 20).map((c) => ({ ...c, station: '1001A' })));
    const o = await s.app.obmAuto.settled();
    expect(o.get(`1003A/${DAY}`)).toBe('not-episode');
    expect(['not-episode', 'no-input']).toContain(o.get(`1001A/${DAY}`));
    expect(await s.app.obm.get(1)).toBeNull();
    await s.close();
    s = await makeServer({ store: data.store, stations: data.stations, clock: () => NOW, config: { obm: { ...FAST, autoMda8: null } } });
    s.app.obmAuto.onCycles(at(data.cycles, 20));
    expect((await s.app.obmAuto.settled()).size).toBe(0);
    expect(await s.app.obm.get(1)).toBeNull();
  }, 60_000);

  it('a full queue is not counted: the next cycle of the day tries again', async () => {
    await s.close();
    s = await makeServer({ store: data.store, stations: data.stations, clock: () => NOW, config: { obm: { ...FAST, maxActive: 0, maxQueued: 0, autoMda8: Math.floor(mda8) - 1 } } });
    s.app.obmAuto.onCycles(at(data.cycles, 19));
    expect((await s.app.obmAuto.settled()).get(`1003A/${DAY}`)).toBe('busy');
    s.app.obmAuto.onCycles(at(data.cycles, 20));
    expect((await s.app.obmAuto.settled()).get(`1003A/${DAY}`)).toBe('busy');
  }, 60_000);
});

describe('config', () => {
  it.each([
    [{}, 160, 17],
    [{ AIRDESK_OBM_AUTO: '0' }, null, 17],
    [{ AIRDESK_OBM_AUTO_MDA8: '200', AIRDESK_OBM_AUTO_AFTER_HOUR: '24' }, 200, 24],
  ])('%j', (env, m, h) => {
    const c = readConfig(env).obm;
    expect(c.autoMda8).toBe(m);
    expect(c.autoAfterHour).toBe(h);
  });
  it.each([
    [{ AIRDESK_OBM_AUTO: 'maybe' }],
    [{ AIRDESK_OBM_AUTO_MDA8: '-1' }],
    [{ AIRDESK_OBM_AUTO_MDA8: 'high' }],
    [{ AIRDESK_OBM_AUTO_AFTER_HOUR: '0' }],
    [{ AIRDESK_OBM_AUTO_AFTER_HOUR: '12.5' }],
  ])('%j is refused', (env) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
  });
});
