/**
 * Box-model runs in the system of record (records/obm-runs.ts), against SQLite and, under
 * tests/run.sh, the real PostgreSQL: the state machine, the result kept faithfully, the audit lines,
 * the reuse lookup, and runs a stopped server left behind.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RecordsError } from '../../records/errors.ts';
import { PG_URL, postgresTarget, sqliteTarget, type Target, type TargetKind } from './targets.ts';

const T0 = Date.UTC(2026, 6, 10, 4);
const by = { who: 'forecaster1', from: '10.0.0.7' };

function suite(kind: TargetKind) {
  describe(`obm runs: ${kind.name}`, () => {
    let made: Target[] = [];
    afterEach(async () => { for (const t of made) await t.cleanup(); made = []; });
    afterAll(() => kind.dispose());
    let tick = 0;
    const open = async () => { const t = await kind.make(); made.push(t); return t.open({ clock: () => T0 + 1000 * ++tick }); };

    it('queued -> running -> done keeps the result as written, audited by who asked and by the system', async () => {
      const r = await open();
      const rec = await r.obmRuns.create({ station: '1003A', day: '2026-07-10', inputHash: 'abc', options: { grid: { max: 1.5, step: 0.25 } } }, by);
      expect(rec).toMatchObject({ state: 'queued', requestedBy: 'forecaster1', requestedFrom: '10.0.0.7', startedAt: null });
      await r.obmRuns.markRunning(rec.id);
      const result = { peakO3: 123.4, grid: [[1, 2.5], [3, 4]], regime: 'VOC-limited', note: '中文' };
      await r.obmRuns.finish(rec.id, result, { peakO3: 123.4 });
      const got = await r.obmRuns.get(rec.id);
      expect(got).toMatchObject({ state: 'done', result });
      expect(got!.finishedAt).toBeGreaterThan(got!.requestedAt);
      expect((await r.obmRuns.latestDone('1003A', '2026-07-10', 'abc'))!.id).toBe(rec.id);
      expect(await r.obmRuns.latestDone('1003A', '2026-07-10', 'other')).toBeNull();
      const audit = await r.audit.list({ target: 'obm:1003A/2026-07-10' });
      expect(audit.map((a) => [a.action, a.actor]).reverse()).toEqual([['obm.run.requested', 'forecaster1'], ['obm.run.finished', 'system']]);
    });

    it('refuses a step the state does not allow, and garbage input, with a code', async () => {
      const r = await open();
      const rec = await r.obmRuns.create({ station: 'S', day: '2026-07-10', inputHash: 'h', options: {} }, by);
      await expect(r.obmRuns.finish(rec.id, {}, {})).rejects.toMatchObject({ code: 'RECORDS_INVALID_STATE' });
      await expect(r.obmRuns.markRunning(999_999)).rejects.toMatchObject({ code: 'RECORDS_INVALID_INPUT' });
      await expect(r.obmRuns.create({ station: 'S', day: '2026-02-30', inputHash: 'h', options: {} }, by)).rejects.toBeInstanceOf(RecordsError);
      await expect(r.obmRuns.create({ station: '', day: '2026-07-10', inputHash: 'h', options: {} }, by)).rejects.toMatchObject({ code: 'RECORDS_INVALID_INPUT' });
      await expect(r.obmRuns.create({ station: 'S', day: '2026-07-10', inputHash: 'h', options: { x: NaN } }, by)).rejects.toMatchObject({ code: 'RECORDS_INVALID_INPUT' });
    });

    it('runs left queued or running are failed as interrupted, once', async () => {
      const r = await open();
      const a = await r.obmRuns.create({ station: 'S', day: '2026-07-10', inputHash: 'h', options: {} }, by);
      const b = await r.obmRuns.create({ station: 'S', day: '2026-07-11', inputHash: 'h', options: {} }, by);
      await r.obmRuns.markRunning(b.id);
      expect(await r.obmRuns.failInterrupted()).toBe(2);
      expect(await r.obmRuns.failInterrupted()).toBe(0);
      for (const id of [a.id, b.id]) expect(await r.obmRuns.get(id)).toMatchObject({ state: 'failed', error: { code: 'AIRDESK_OBM_INTERRUPTED' } });
    });
  });
}

suite(sqliteTarget);
if (PG_URL) suite(postgresTarget);
