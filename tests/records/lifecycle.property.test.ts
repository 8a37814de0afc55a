/**
 * Model-based test of the warning lifecycle (records/warnings.ts): any sequence of steps, valid or
 * not, is accepted or refused exactly as the lifecycle table in docs/records.md says, and the
 * state read back equals the table's. Refused steps leave no trace; accepted ones are numbered
 * 1..n without gaps, each with one audit line. (SQLite in memory; the same code runs on PostgreSQL
 * in the contract suite.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordsError } from '../../records/errors.ts';
import { openRecords } from '../../records/open.ts';
import { WARNING_EVENT_KINDS, type WarningEventKind } from '../../records/warnings.ts';

interface Step { kind: WarningEventKind; level: string | null; at: number }
interface Model { active: { level: string; issuedAt: number; inForce: number | null; id?: number } | null; recommended: string | null | undefined }

/** The lifecycle table of docs/records.md, written as plainly as possible. */
function expected(m: Model, s: Step): 'ok' | 'RECORDS_INVALID_INPUT' | 'RECORDS_INVALID_STATE' {
  if ((s.kind === 'issued' || s.kind === 'changed') && s.level === null) return 'RECORDS_INVALID_INPUT';
  const a = m.active;
  switch (s.kind) {
    case 'recommended': return 'ok';
    case 'issued': return a ? 'RECORDS_INVALID_STATE' : 'ok';
    case 'changed': return a && s.at >= a.issuedAt && s.level !== a.level ? 'ok' : 'RECORDS_INVALID_STATE';
    case 'in_force': return a && s.at >= a.issuedAt && a.inForce === null && (s.level === null || s.level === a.level) ? 'ok' : 'RECORDS_INVALID_STATE';
    case 'lifted': return a && s.at >= a.issuedAt && (s.level === null || s.level === a.level) ? 'ok' : 'RECORDS_INVALID_STATE';
  }
}

function apply(m: Model, s: Step, id: number): void {
  if (s.kind === 'recommended') m.recommended = s.level;
  else if (s.kind === 'issued') m.active = { level: s.level!, issuedAt: s.at, inForce: null, id };
  else if (s.kind === 'changed') m.active!.level = s.level!;
  else if (s.kind === 'in_force') m.active!.inForce = s.at;
  else m.active = null;
}

const step = fc.record({
  kind: fc.constantFrom(...WARNING_EVENT_KINDS),
  level: fc.constantFrom(null, 'yellow', 'orange', 'red'), // the 2024 scheme's levels
  at: fc.integer({ min: 0, max: 100 }),
}) as fc.Arbitrary<Step>;

describe('warning lifecycle, model-based', () => {
  it('accepts and refuses exactly as the lifecycle table says, and reads back its state', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
      const r = await openRecords({ sqlitePath: ':memory:' });
      try {
        const m: Model = { active: null, recommended: undefined };
        let accepted = 0;
        for (const s of steps) {
          const want = expected(m, s);
          let got: string = 'ok';
          let id = 0;
          try {
            const ev = await r.warnings.record({ city: 'c', scheme: '2024', kind: s.kind, at: s.at, level: s.level }, { who: 'p', from: 'test' });
            id = ev.id;
            expect(ev.seq).toBe(accepted + 1);
            expect(ev.warningId).toBe(s.kind === 'issued' ? ev.id : m.active?.id ?? null);
          } catch (err) {
            if (!(err instanceof RecordsError)) throw err;
            got = err.code;
          }
          expect(got).toBe(want);
          if (got === 'ok') {
            accepted++;
            apply(m, s, id);
          }
        }
        const cur = await r.warnings.current('c', '2024');
        expect(cur.seq).toBe(accepted);
        expect(cur.recommended?.level).toBe(m.recommended);
        expect(cur.active && { level: cur.active.level, issuedAt: cur.active.issuedAt, inForce: cur.active.inForceAt, id: cur.active.warningId }).toEqual(m.active);
        expect((await r.warnings.history()).map((e) => e.seq)).toEqual(Array.from({ length: accepted }, (_, i) => i + 1));
        expect(await r.audit.list({ limit: 100 })).toHaveLength(accepted);
      } finally {
        await r.close();
      }
    }), { numRuns: 40 });
  });
});
