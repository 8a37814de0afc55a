/**
 * The live guidance service (server/services/guidance.ts) on a simulated city: 60 days of the
 * Beijing simulator in the store, a server on a stepped clock with records in a file, small models
 * (guidanceRounds 20) trained in the real worker thread. Issues at the issue hour, keeps every
 * version across a restart, verifies a day once it is complete and again after late data, and
 * refuses garbage queries with coded errors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { buildServer, type Built } from '../../server/app.ts';
import { openRecords, type Records } from '../../records/open.ts';
import { loadForecasts } from '../../records/episodes.ts';
import { openSqliteStore } from '../../stores/sqlite.ts';
import type { TimeSeriesStore } from '../../stores/types.ts';
import { createSim, simulateHour, type SimState } from '../../simulators/model.ts';
import { normaliseStationReading } from '#common/ingest/normalise.ts';
import { GuidanceIssuedEvt, VerificationCompletedEvt, NO_MET_NOTE_I18N } from '#common/schemas/forecast.ts';
import { NO_MET_NOTE } from '#common/forecast/guidance.ts';
import type { Station } from '#common/schemas/station.ts';
import { levelOf } from '#common/standards/index.ts';
import { DAY_MS, HOUR_MS, beijingToUtc } from '#common/time.ts';
import { quiet, injectAs } from './helpers.ts';

// Issue day D = 2026-11-20; the clock starts at D 17:30 Beijing (after the 16:00 issue hour).
const D = '2026-11-20';
const D1 = '2026-11-21';
const T0 = beijingToUtc(2026, 11, 20, 17, 30);
const HISTORY_DAYS = 60;
const CONFIG = { publicRead: true, tickSeconds: 3600, guidanceCheckSeconds: 3600, guidanceTrainDays: HISTORY_DAYS, guidanceRounds: 20, issueHour: 16 };

let dir: string;
let store: TimeSeriesStore;
let sim: SimState;
let stations: Station[];
let now = T0;
let written = 0; // hour end of the last hour written

async function writeUntil(t: number) {
  const to = Math.floor(t / HOUR_MS) * HOUR_MS;
  for (let h = written + HOUR_MS; h <= to; h += HOUR_MS) {
    const rs = simulateHour(sim, h).readings.map((m) => {
      const r = normaliseStationReading(m, { source: 'sim', now: h + 60_000 });
      if (!r.ok) throw new Error(JSON.stringify(r));
      return r.reading;
    });
    await store.writeReadings(rs);
  }
  written = Math.max(written, to);
}

async function server(records: Records, config: object = CONFIG): Promise<Built & { events: { name: string; e: unknown }[] }> {
  const s = await buildServer({ store, stations, logger: quiet(), clock: () => now, records, config, mqttUrl: null });
  const events: { name: string; e: unknown }[] = [];
  // Every event the server emits to all sockets, recorded (the emit still goes out).
  const io = s.io as unknown as { emit: (n: string, e: unknown) => boolean };
  const emit = io.emit.bind(io);
  io.emit = (n, e) => { events.push({ name: n, e }); return emit(n, e); };
  return Object.assign(s, { events });
}

const get = async (s: Built, url: string) => {
  const r = await s.app.inject({ method: 'GET', url });
  return { status: r.statusCode, body: r.json() };
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'airdesk-guidance-'));
  const start = T0 - HISTORY_DAYS * DAY_MS;
  sim = createSim({ seed: 'guidance-test', scenario: 'normal', start, voc: false });
  stations = sim.stations.map((s) => ({ code: s.code, name: s.name, city: s.city, province: s.province, lon: s.lon, lat: s.lat, kind: s.kind }));
  store = await openSqliteStore(':memory:');
  written = Math.floor(start / HOUR_MS) * HOUR_MS;
  await writeUntil(T0);
}, 120_000);

afterAll(async () => {
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('guidance service', () => {
  const file = () => path.join(dir, 'records.sqlite');
  let city: string;

  it('issues D+1..D+3 with persistence and climatology beside it, says it has no meteorology', async () => {
    const records = await openRecords({ sqlitePath: file(), clock: () => now });
    const s = await server(records);
    try {
      await s.start();
      await s.app.guidance.check();
      city = s.engine.cityNames()[0];
      const { status, body } = await get(s, '/api/guidance');
      expect(status).toBe(200);
      const bySource = new Map(body.forecasts.map((f: { source: string }) => [f.source, f]));
      expect([...bySource.keys()].sort()).toEqual(['airdesk', 'climatology', 'persistence']);
      const g = bySource.get('airdesk') as { issueDay: string; version: number; payload: { days: { target: string; lead: number; aqi: [number, number]; central: number; levels: number[] }[]; note: unknown; met: string; trainedOn: { days: number } } };
      expect(g.issueDay).toBe(D);
      expect(g.version).toBe(1);
      expect(g.payload.met).toBe('none');
      expect(g.payload.note).toEqual(NO_MET_NOTE_I18N);
      expect(NO_MET_NOTE_I18N.en).toBe(NO_MET_NOTE);
      // trained on the past issue days whose D+3 was observed: about 60 - 3 - 1
      expect(g.payload.trainedOn.days).toBeGreaterThan(45);
      expect(g.payload.days.map((d) => [d.target, d.lead])).toEqual([[D1, 1], ['2026-11-22', 2], ['2026-11-23', 3]]);
      for (const d of g.payload.days) {
        expect(d.aqi[0]).toBeLessThanOrEqual(d.central);
        expect(d.central).toBeLessThanOrEqual(d.aqi[1]);
        // the levels named cover the central level and lie inside the range
        expect(d.levels).toContain(levelOf(d.central));
        expect(d.levels.length).toBeLessThanOrEqual(2);
      }
      const issued = s.events.filter((e) => e.name === 'guidance:issued');
      expect(issued).toHaveLength(1);
      expect(Value.Check(GuidanceIssuedEvt, issued[0].e)).toBe(true);
      // every version is audited as issued by the service
      const audit = await records.audit.list({ action: 'forecast.issued' });
      expect(audit.map((a) => a.actor)).toEqual(expect.arrayContaining(['system:guidance']));
      expect(audit.length).toBe(3);
      // checking again issues nothing more
      await s.app.guidance.check();
      expect(s.events.filter((e) => e.name === 'guidance:issued')).toHaveLength(1);
    } finally {
      await s.close();
      await records.close();
    }
  }, 60_000);

  it('keeps every version across a restart and does not issue the same day again', async () => {
    now = T0 + 3 * 60_000;
    const records = await openRecords({ sqlitePath: file(), clock: () => now });
    const s = await server(records);
    try {
      await s.start();
      await s.app.guidance.check();
      const { body } = await get(s, `/api/guidance?versions=all&issueDay=${D}`);
      expect(body.forecasts.map((f: { source: string; version: number }) => `${f.source}:${f.version}`).sort()).toEqual(['airdesk:1', 'climatology:1', 'persistence:1']);
      expect(s.events.filter((e) => e.name === 'guidance:issued')).toHaveLength(0);
      // A renewed run is a new version with its reason; the first stays.
      await s.app.guidance.issue(city, s.engine.memberCodes(city), D, new Set(['persistence', 'climatology']), 'retrained');
      const all = await get(s, `/api/guidance?versions=all&issueDay=${D}&source=airdesk`);
      expect(all.body.forecasts.map((f: { version: number; reason: string | null }) => [f.version, f.reason])).toEqual([[1, null], [2, 'retrained']]);
      const latest = await get(s, `/api/guidance?issueDay=${D}&source=airdesk`);
      expect(latest.body.forecasts.map((f: { version: number }) => f.version)).toEqual([2]);
      // A forecaster's posted forecast shares the table; it stays the one the warnings use.
      const posted = await (await injectAs(s.app, 'forecaster'))({ method: 'POST', url: '/api/forecasts', payload: { city, days: [{ day: D1, aqi: 230 }] } });
      expect(posted.statusCode).toBe(201);
    } finally {
      await s.close();
      await records.close();
    }
  }, 60_000);

  it('verifies every source once the target day is complete, and again when late data changes it', async () => {
    const records = await openRecords({ sqlitePath: file(), clock: () => now });
    const s = await server(records);
    try {
      await s.start();
      // After the restart the posted forecast, not a newer guidance document, is the city's forecast.
      expect((await get(s, `/api/forecasts?city=${encodeURIComponent(city)}`)).body.forecasts.map((f: { days: { aqi: number }[] }) => f.days[0].aqi)).toEqual([230]);
      // D+1 not over yet: nothing to verify.
      await s.app.guidance.check();
      expect(s.events.filter((e) => e.name === 'verification:completed')).toHaveLength(0);
      // Two days later (D+1 ended, grace passed); the hours arrive in the store.
      now = beijingToUtc(2026, 11, 22, 1, 0);
      await writeUntil(now);
      await s.app.guidance.check();
      const ver = s.events.filter((e) => e.name === 'verification:completed').map((e) => e.e as VerificationCompletedEvt);
      expect(ver.map((e) => [e.target, e.revision])).toEqual([[D1, false]]);
      expect(Value.Check(VerificationCompletedEvt, ver[0])).toBe(true);
      // What was published before D+1 began: airdesk version 2 (the retrained one), lead 1.
      expect(ver[0].pairs.map((p) => `${p.source}:${p.lead}`).sort()).toEqual(['airdesk:1', 'climatology:1', 'persistence:1']);
      const airdesk = (await records.forecasts.versions({ city, issueDay: D, source: 'airdesk' }))[1];
      expect(ver[0].pairs.find((p) => p.source === 'airdesk')!.forecastId).toBe(airdesk.id);
      // The observed AQI is the one the dashboard shows for the day (/api/series/daily: live-engine code).
      const daily = await get(s, `/api/series/daily?city=${encodeURIComponent(city)}&from=${D1}&to=2026-11-22`);
      const obsDay = daily.body.points.find((p: { day: string }) => p.day === D1);
      expect(ver[0].observed.aqi).toBe(obsDay.aqi.aqi);

      const v = await get(s, `/api/verification?from=${D1}&to=${D1}`);
      expect(v.status).toBe(200);
      expect(v.body.table.map((r: { source: string; lead: number; n: number }) => `${r.source}:${r.lead}:${r.n}`)).toEqual(['airdesk:1:1', 'climatology:1:1', 'persistence:1:1']);
      for (const c of v.body.confusion) expect(c.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(1);
      const air = v.body.series.find((p: { source: string }) => p.source === 'airdesk');
      const row = v.body.table.find((r: { source: string }) => r.source === 'airdesk');
      // central-level accuracy of one day is 1 or 0 by whether the levels match
      expect(row.metrics.centralLevelAccuracy.rate).toBe(levelOf(air.central) === levelOf(ver[0].observed.aqi!) ? 1 : 0);
      expect(v.body.confusion.find((c: { source: string }) => c.source === 'airdesk').matrix[levelOf(air.central)! - 1][levelOf(ver[0].observed.aqi!)! - 1]).toBe(1);

      // Nothing changed: checking again adds nothing.
      await s.app.guidance.check();
      expect(s.events.filter((e) => e.name === 'verification:completed')).toHaveLength(1);

      // Late data: every station's PM2.5 of D+1 12:00 corrected upwards (same identity, replaced).
      const t = beijingToUtc(2026, 11, 21, 12);
      const late = simulateHour(sim, t).readings.map((m) => {
        const r = normaliseStationReading({ ...m, values: { ...m.values, 'PM2.5': 900 } }, { source: 'sim', now: t + 60_000 });
        if (!r.ok) throw new Error(JSON.stringify(r));
        return r.reading;
      });
      await store.writeReadings(late);
      await s.app.guidance.check();
      const again = s.events.filter((e) => e.name === 'verification:completed').map((e) => e.e as VerificationCompletedEvt);
      expect(again).toHaveLength(2);
      expect(again[1]).toMatchObject({ target: D1, revision: true });
      expect(again[1].observed.aqi!).toBeGreaterThan(ver[0].observed.aqi!);
      expect(again[1].pairs.every((p) => p.version === 2)).toBe(true);
      expect((await records.audit.list({ action: 'verification.revised' })).length).toBe(1);
      const v2 = await get(s, `/api/verification?from=${D1}&to=${D1}&source=airdesk&lead=1`);
      expect(v2.body.series.map((p: { version: number; observed: { aqi: number } }) => [p.version, p.observed.aqi])).toEqual([[2, again[1].observed.aqi]]);
      // Guidance issued after the posted forecast (D+1's, at this check) does not replace it as the
      // forecast the warnings are restored from.
      expect((await records.forecasts.latest({ city, source: 'airdesk' }))[0].issuedAt).toBeGreaterThan(T0 + 3 * 60_000);
      expect((await loadForecasts(records)).map((f) => f.days[0].aqi)).toEqual([230]);
    } finally {
      await s.close();
      await records.close();
    }
  }, 90_000);

  it('says why there is no guidance when the history is too short, and still issues the references', async () => {
    const records = await openRecords({ sqlitePath: ':memory:', clock: () => now });
    const s = await server(records, { ...CONFIG, guidanceTrainDays: 20, issueHour: 24 });
    try {
      await s.start();
      await s.app.guidance.check();
      // issue hour 24 has not passed at 01:00: the due issue is yesterday's, with 20 - 4 training days at most
      const { body } = await get(s, '/api/guidance');
      expect(body.forecasts.map((f: { source: string }) => f.source).sort()).toEqual(['climatology', 'persistence']);
      expect(body.status).toEqual([expect.objectContaining({ state: 'failed', message: expect.stringMatching(/training days; at least 30/) })]);
    } finally {
      await s.close();
      await records.close();
    }
  }, 60_000);

  it('issues no guidance while the data up to the issue time has not arrived, and says so', async () => {
    const records = await openRecords({ sqlitePath: ':memory:', clock: () => now });
    const saved = now;
    now = saved + 4 * DAY_MS; // the store's data ends 4 days before the issue time
    const s = await server(records);
    try {
      await s.start();
      await s.app.guidance.check();
      const { body } = await get(s, '/api/guidance');
      expect(body.forecasts.map((f: { source: string }) => f.source)).not.toContain('airdesk');
      expect(body.forecasts.map((f: { source: string }) => f.source)).not.toContain('persistence');
      expect(body.status).toEqual([expect.objectContaining({ state: 'failed', message: expect.stringMatching(/fewer than 12 hours of PM2.5 in the 24 h before the issue time/) })]);
    } finally {
      now = saved;
      await s.close();
      await records.close();
    }
  }, 60_000);

  it('refuses garbage queries with coded errors', async () => {
    const records = await openRecords({ sqlitePath: ':memory:' });
    const s = await server(records);
    try {
      const cases: [string, number, string][] = [
        ['/api/guidance?issueDay=2026-02-30', 400, 'AIRDESK_BAD_QUERY'],
        ['/api/guidance?issueDay=yesterday', 400, 'AIRDESK_BAD_QUERY'],
        ['/api/guidance?bogus=1', 400, 'AIRDESK_BAD_QUERY'],
        ['/api/guidance?versions=some', 400, 'AIRDESK_BAD_QUERY'],
        ['/api/guidance?limit=0', 400, 'AIRDESK_BAD_QUERY'],
        ['/api/guidance?source=AIRDESK%20!', 400, 'AIRDESK_BAD_QUERY'],
        ['/api/guidance?issueDay=2026-11-20&from=2026-11-01', 400, 'AIRDESK_BAD_QUERY'],
        ['/api/guidance?from=2026-11-20&to=2026-11-01', 400, 'AIRDESK_BAD_RANGE'],
        ['/api/guidance?city=Atlantis', 404, 'AIRDESK_UNKNOWN_CITY'],
        ['/api/verification?lead=0', 400, 'AIRDESK_BAD_QUERY'],
        ['/api/verification?lead=abc', 400, 'AIRDESK_BAD_QUERY'],
        ['/api/verification?from=2026-13-01', 400, 'AIRDESK_BAD_QUERY'],
        ['/api/verification?from=2026-11-20&to=2026-11-01', 400, 'AIRDESK_BAD_RANGE'],
        ['/api/verification?from=2020-01-01&to=2026-01-01', 400, 'AIRDESK_RANGE_TOO_LARGE'],
        ['/api/verification?city=Atlantis', 404, 'AIRDESK_UNKNOWN_CITY'],
        ['/api/verification?period=month', 400, 'AIRDESK_BAD_QUERY'],
      ];
      for (const [url, status, code] of cases) {
        const r = await get(s, url);
        expect([url, r.status, r.body.error?.code]).toEqual([url, status, code]);
      }
      // An empty period is an answer saying so (no rows), not an error.
      const empty = await get(s, '/api/verification?from=2026-01-01&to=2026-01-31');
      expect(empty.body).toMatchObject({ from: '2026-01-01', to: '2026-01-31', table: [], series: [] });
    } finally {
      await s.close();
      await records.close();
    }
  });
});
