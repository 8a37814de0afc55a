/**
 * The audit CSV export (records/audit.ts auditCsv) against a real CSV parser: whatever the actor,
 * origin, target or before/after hold (commas, quotes, CR/LF, Chinese, formula starters), every
 * field parses back as written, except that a cell a spreadsheet would run as a formula
 * (= + - @ TAB CR first, OWASP "CSV injection") gains one leading apostrophe.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_CSV_HEADER, auditCsv, type AuditEntry } from '../../records/audit.ts';

const tricky = fc.string({ unit: fc.constantFrom(',', '"', '\n', '\r', '\r\n', '=', '+', '-', '@', '\t', 'a', '北', '京', ' ', "'", ';') });
const text = fc.oneof(tricky, fc.string({ unit: 'grapheme', maxLength: 12 }));
const jsonValue = fc.oneof(fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
const entry = fc.record({
  id: fc.nat(), at: fc.integer({ min: 0, max: 4e12 }), actor: text, origin: text, action: text, target: text, before: jsonValue, after: jsonValue,
}) as fc.Arbitrary<AuditEntry>;

const defused = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

describe('auditCsv', () => {
  it('parses back to the same fields, formulas defused', () => {
    fc.assert(fc.property(fc.array(entry, { maxLength: 8 }), (entries) => {
      const rows = parse(auditCsv(entries)) as string[][];
      expect(rows[0]).toEqual([...AUDIT_CSV_HEADER]);
      expect(rows).toHaveLength(entries.length + 1);
      entries.forEach((e, i) => {
        const r = rows[i + 1];
        expect(r[0]).toBe(String(e.id));
        expect(r[2]).toBe(String(e.at));
        expect(r.slice(3, 7)).toEqual([e.actor, e.origin, e.action, e.target].map(defused));
        // before/after: JSON text (a JSON document never starts with a formula character except '-').
        expect(r[7]).toBe(e.before === null ? '' : defused(JSON.stringify(e.before)));
        expect(r[8]).toBe(e.after === null ? '' : defused(JSON.stringify(e.after)));
      });
    }), { numRuns: 300 });
  });

  it('a hand-worked line: Beijing time, quotes doubled, CRLF', () => {
    const csv = auditCsv([{ id: 7, at: Date.UTC(2026, 11, 1, 8, 0, 5), actor: '王芳', origin: '10.0.0.7', action: 'forecast.issued', target: 'forecast:beijing/2026-12-01/desk', before: null, after: { note: 'a "b", c' } }]);
    expect(csv).toBe(`${AUDIT_CSV_HEADER.join(',')}\r\n7,2026-12-01T16:00:05+08:00,1796112005000,王芳,10.0.0.7,forecast.issued,forecast:beijing/2026-12-01/desk,,"{""note"":""a \\""b\\"", c""}"\r\n`);
  });
});
