/**
 * records.verifications (migration 004_guidance) on SQLite and on the real PostgreSQL of
 * tests/run.sh: a day verified adds one version per pair, the same observation again adds
 * nothing, a changed observation or a newer forecast version adds a revision; bad input is a coded
 * RECORDS_INVALID_INPUT and writes nothing.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RecordsError } from '../../records/errors.ts';
import type { VerificationIn } from '../../records/verifications.ts';
import { PG_URL, postgresTarget, sqliteTarget, type Target, type TargetKind } from './targets.ts';

const BY = { who: 'system:guidance', from: 'system' };
const T0 = Date.UTC(2026, 11, 3, 0);

function suite(kind: TargetKind) {
  describe(`records verifications: ${kind.name}`, () => {
    let made: Target[] = [];
    afterEach(async () => { for (const t of made) await t.cleanup(); made = []; });
    afterAll(() => kind.dispose());
    const open = async () => { const t = await kind.make(); made.push(t); return t.open({ clock: () => T0 }); };

    it('adds versions only when the observation or the forecast version changes', async () => {
      const r = await open();
      const f1 = await r.forecasts.add({ city: 'beijing', issueDay: '2026-12-01', source: 'airdesk', issuedAt: T0 - 86_400_000, payload: { days: [] } }, BY);
      const pair = (obsKey: string, forecastId = f1.id): VerificationIn => ({
        source: 'airdesk', lead: 1, issueDay: '2026-12-01', forecastId,
        forecast: { aqi: [80, 120], central: 95, levels: [2, 3], primary: ['pm25'] }, observed: { aqi: 131, primary: ['pm25'] }, obsKey,
      });
      const a = await r.verifications.record('beijing', '2026-12-02', [pair('[131]')], BY);
      expect(a).toMatchObject({ revision: false, added: [{ version: 1, lead: 1, targetDay: '2026-12-02', forecastId: f1.id }] });
      expect((await r.verifications.record('beijing', '2026-12-02', [pair('[131]')], BY)).added).toEqual([]);
      const b = await r.verifications.record('beijing', '2026-12-02', [pair('[140]')], BY);
      expect(b).toMatchObject({ revision: true, added: [{ version: 2 }] });
      const f2 = await r.forecasts.add({ city: 'beijing', issueDay: '2026-12-01', source: 'airdesk', issuedAt: T0 - 86_000_000, payload: { days: [] }, reason: 'retrained' }, BY);
      expect((await r.verifications.record('beijing', '2026-12-02', [pair('[140]', f2.id)], BY)).added.map((x) => x.version)).toEqual([3]);
      const latest = await r.verifications.latest({ city: 'beijing', fromDay: '2026-12-01', toDay: '2026-12-31' });
      expect(latest.map((x) => [x.version, x.forecastId, x.obsKey])).toEqual([[3, f2.id, '[140]']]);
      expect(latest[0].forecast).toEqual(pair('x').forecast);
      expect((await r.audit.list({ action: 'verification.' })).map((x) => x.action)).toEqual(['verification.revised', 'verification.revised', 'verification.completed']);
      expect(await r.verifications.latest({ lead: 2 })).toEqual([]);
    });

    it('refuses bad input, writing nothing', async () => {
      const r = await open();
      const f = await r.forecasts.add({ city: 'beijing', issueDay: '2026-12-01', source: 'airdesk', issuedAt: T0, payload: {} }, BY);
      const good: VerificationIn = { source: 'airdesk', lead: 1, issueDay: '2026-12-01', forecastId: f.id, forecast: {}, observed: {}, obsKey: 'k' };
      const bad: [string, () => Promise<unknown>][] = [
        ['day', () => r.verifications.record('beijing', '2026-02-30', [good], BY)],
        ['lead', () => r.verifications.record('beijing', '2026-12-02', [{ ...good, lead: 0 }], BY)],
        ['NaN', () => r.verifications.record('beijing', '2026-12-02', [good, { ...good, source: 'persistence', observed: { aqi: NaN } }], BY)],
        ['pairs', () => r.verifications.record('beijing', '2026-12-02', 'x' as never, BY)],
        ['actor', () => r.verifications.record('beijing', '2026-12-02', [good], {} as never)],
        ['filter', () => r.verifications.latest({ fromDay: 'today' })],
      ];
      for (const [what, fn] of bad) {
        const err = await fn().then(() => null, (e) => e);
        expect([what, err instanceof RecordsError && err.code]).toEqual([what, 'RECORDS_INVALID_INPUT']);
      }
      expect(await r.verifications.latest()).toEqual([]);
    });
  });
}

suite(sqliteTarget);
if (PG_URL) suite(postgresTarget);
else describe('records verifications: postgres', () => it.skip('AIRDESK_TEST_DATABASE_URL not set (tests/run.sh starts PostgreSQL)', () => {}));
