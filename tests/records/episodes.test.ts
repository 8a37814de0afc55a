/**
 * The seam between the episode service and the record (records/episodes.ts), driven by the real
 * EpisodeService wired as the server wires it (server/services/warning-record.ts): every posted
 * forecast is kept as a version, every step of a warning's lifecycle is one event with who did
 * it, and after a "restart" (a new service on a new handle to the same database) the service's
 * forecasts and warnings come back equal, and recomputing them records nothing twice. On SQLite
 * and, when available, PostgreSQL.
 */
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Forecast, ForecastIn, WarningState } from '#common/schemas/api.ts';
import { EpisodeService } from '../../server/services/episodes.ts';
import { WarningRecorder } from '../../server/services/warning-record.ts';
import type { Records } from '../../records/open.ts';
import { DESK_SOURCE, ENGINE_ACTOR, REPOST_REASON, beijingDayOf, loadForecasts, loadWarningStates, saveForecast } from '../../records/episodes.ts';
import { PG_URL, postgresTarget, sqliteTarget, type Target, type TargetKind } from './targets.ts';

const DESK = { who: 'wang.fang', from: '10.0.0.7' };
// 2026-07-01 16:00 Beijing = 08:00 UTC.
const T0 = Date.UTC(2026, 6, 1, 8);
const H = 3_600_000;

function service(now: { t: number }, records: Records) {
  const logger = pino({ level: 'silent' });
  return new EpisodeService({ logger, statePath: null, clock: () => now.t, recorder: new WarningRecorder(records, logger) });
}

/** Post a forecast the way POST /api/forecasts does: the route awaits what it wrote. */
function wire(svc: EpisodeService) {
  return async (f: ForecastIn) => {
    const { forecast } = svc.addForecast(f, false, DESK);
    await svc.lastWrite;
    await svc.settled();
    return forecast;
  };
}

const heavy = (city: string): ForecastIn => ({ city, days: [{ day: '2026-07-02', aqi: 230 }, { day: '2026-07-03', aqi: 310 }, { day: '2026-07-04', aqi: 220 }] });
const clean = (city: string): ForecastIn => ({ city, days: [{ day: '2026-07-02', aqi: 60 }, { day: '2026-07-03', aqi: 70 }, { day: '2026-07-04', aqi: 80 }] });

function suite(kind: TargetKind) {
  describe(`episode service -> records: ${kind.name}`, () => {
    const made: Target[] = [];
    afterEach(async () => {
      for (const t of made.splice(0)) await t.cleanup();
    });
    afterAll(() => kind.dispose());

    it('keeps every posted forecast and each change of a recommended level; a restart gets the same back, nothing twice', async () => {
      const t = await kind.make();
      made.push(t);
      const r = await t.open();
      const now = { t: T0 };
      const svc = service(now, r);
      const post = wire(svc);

      await post(heavy('Xcity'));
      now.t += H;
      await post({ ...heavy('Xcity'), source: 'cmaq' });
      now.t += H;
      await post(clean('Xcity')); // same day, same desk source: version 2, and the warnings fall
      await post(heavy('Ycity'));

      // Forecasts: every version kept.
      const desk = await r.forecasts.versions<Forecast>({ city: 'Xcity', issueDay: '2026-07-01', source: DESK_SOURCE });
      expect(desk.map((v) => [v.version, v.payload.days[0].aqi, v.reason])).toEqual([[1, 230, null], [2, 60, REPOST_REASON]]);
      expect(desk[1].supersedes).toBe(desk[0].id);
      expect((await r.forecasts.versions({ city: 'Xcity', issueDay: '2026-07-01', source: 'cmaq' }))).toHaveLength(1);

      // Warnings: REF 3.1 orange then none (2018); REF 3.2 red then none (2024); Ycity's own stream.
      const hist = await r.warnings.history({ city: 'Xcity' });
      expect(hist.map((e) => [e.scheme, e.kind, e.level, e.actor])).toEqual([
        ['2018', 'recommended', 'orange', ENGINE_ACTOR.who], ['2018', 'recommended', null, ENGINE_ACTOR.who],
        ['2024', 'recommended', 'red', ENGINE_ACTOR.who], ['2024', 'recommended', null, ENGINE_ACTOR.who],
      ]);
      expect(hist[0].rule).toBe('2018-orange');
      expect(hist[0].at).toBe(T0);
      expect(hist[1].at).toBe(T0 + 2 * H);

      // A person issues the 2024 warning at the level recommended for Ycity, and lifts it.
      svc.warningAction({ city: 'Ycity', scheme: '2024', action: 'issue', level: 'red', by: 'li.lei' }, '10.0.0.9');
      await svc.lastWrite;
      now.t += H;
      svc.warningAction({ city: 'Ycity', scheme: '2024', action: 'change', level: 'orange', by: 'li.lei' }, '10.0.0.9');
      await svc.lastWrite;
      const y = await r.warnings.history({ city: 'Ycity', scheme: '2024' });
      expect(y.map((e) => [e.kind, e.level, e.actor])).toEqual([['recommended', 'red', ENGINE_ACTOR.who], ['issued', 'red', 'li.lei'], ['changed', 'orange', 'li.lei']]);

      // The restart: a new service on a new handle to the same database gives the state back, exactly.
      await r.close();
      const r2 = await t.open();
      const key = (w: WarningState) => `${w.city}|${w.scheme}`;
      const byKey = (a: WarningState, b: WarningState) => key(a).localeCompare(key(b));
      const svc2 = service(now, r2);
      await svc2.restoreRecords();
      expect(svc2.forecastList().sort((a, b) => a.city.localeCompare(b.city))).toEqual(svc.forecastList().sort((a, b) => a.city.localeCompare(b.city)));
      expect(svc2.warnings().sort(byKey).map((w) => ({ ...w, basis: null, updated: 0 }))).toEqual(svc.warnings().sort(byKey).map((w) => ({ ...w, basis: null, updated: 0 })));
      expect(svc2.warnings({ city: 'Ycity', scheme: '2024' })[0]).toMatchObject({ status: 'in-force', inForce: { level: 'orange', issuedBy: 'li.lei' } });
      // The service recomputes its warnings after a restart: that records nothing.
      const before = (await r2.warnings.history()).length;
      await svc2.addForecast(clean('Zcity'), false, DESK) && (await svc2.lastWrite, await svc2.settled());
      expect((await r2.warnings.history()).filter((e) => e.city !== 'Zcity')).toHaveLength(before);
      expect(await loadWarningStates(r2, now.t)).toHaveLength(4);
      // Every forecast version and every event has its audit line.
      expect(await r2.audit.list({ action: 'forecast.' })).toHaveLength(5);
      expect(await r2.audit.list({ action: 'warning.' })).toHaveLength(before);
    });

    it('the issue day is the Beijing calendar day of issue, across UTC midnight', async () => {
      expect(beijingDayOf(Date.UTC(2026, 6, 1, 15, 59))).toBe('2026-07-01'); // 23:59 Beijing
      expect(beijingDayOf(Date.UTC(2026, 6, 1, 16, 0))).toBe('2026-07-02'); // 00:00 Beijing
      const t = await kind.make();
      made.push(t);
      const r = await t.open();
      const f: Forecast = { city: 'Xcity', id: 'Xcity:1', issued: Date.UTC(2026, 6, 1, 16, 30), days: [{ day: '2026-07-03', aqi: 90 }] };
      expect((await saveForecast(r, f, DESK)).issueDay).toBe('2026-07-02');
    });

    it('a first "no warning" is not an event; a stored payload that is no longer a Forecast is skipped, not returned', async () => {
      const t = await kind.make();
      made.push(t);
      const r = await t.open();
      // A service that has only ever seen clean forecasts records no warning event at all.
      const now = { t: T0 };
      const svc = service(now, r);
      svc.addForecast(clean('Zcity'), false, DESK);
      await svc.settled();
      expect(await r.warnings.history()).toEqual([]);
      await r.forecasts.add({ city: 'Zcity', issueDay: '2026-07-01', source: DESK_SOURCE, issuedAt: T0, payload: { not: 'a forecast' }, reason: 'another tool wrote this' }, DESK);
      const warned: string[] = [];
      const logger = pino({ level: 'warn' }, { write: (s: string) => { warned.push(JSON.parse(s).msg); } });
      expect(await loadForecasts(r, logger)).toEqual([]);
      expect(warned).toEqual(['records: stored forecast is not a Forecast; skipped']);
    });
  });
}

suite(sqliteTarget);
if (PG_URL) suite(postgresTarget);
