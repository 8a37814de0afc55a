import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { positive, runObm, runObmEkma } from '../../cli/commands/obm.ts';
import { DEFAULT_MECHANISM, diagnosticsFor, inputFromText, kineticsFromText, prepared } from '../../cli/obm/model.ts';
import { ekmaCell, obmRunner } from '../../common/obm/analysis.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-obm-'));
const fixture = JSON.parse(readFileSync(new URL('../fixtures/obm/urban-summer-day.json', import.meta.url), 'utf8'));
const write = (name: string, body: string) => { const f = path.join(dir, name); writeFileSync(f, body); return f; };
const fast = write('fast.json', JSON.stringify({ ...fixture, settings: { spinupDays: 0 } }));
const base = { mechanism: DEFAULT_MECHANISM, cut: 0.2, key: 0 };

describe('airdesk obm run', () => {
  it('prints hourly species, budgets, RIR and the regime as JSON', () => {
    const r = runObm({ ...base, input: fast, json: true });
    const back = JSON.parse(JSON.stringify(r));
    expect(back.hours).toHaveLength(24);
    expect(Object.keys(back.hours[12].ppb)).toHaveLength(48);
    expect(back.hours[12].pTerms['HO2+NO']).toBeGreaterThan(0);
    expect(back.rir.groups.map((g: { name: string }) => g.name)).toEqual(['AVOC', 'alkane', 'alkene', 'alkyne', 'aromatic', 'ovoc', 'BVOC', 'NOx', 'CO']);
    expect(['VOC-limited', 'transitional', 'NOx-limited', 'undetermined']).toContain(back.regime);
    expect(back.unused).toEqual([{ path: 'voc.dichloromethane', message: 'no CB05 lumping (treated as unreactive)' }]);
  });

  it.each([
    ['a mechanism with an unknown species', () => ({ mechanism: write('bad.kpp', '#DEFVAR\nNO = IGNORE;\n#EQUATIONS\n<R1> NO + FOO = NO : 1.0 ;\n'), input: fast }), /mechanism .*bad\.kpp:\n {2}line 4: unknown species FOO/],
    ['a missing mechanism file', () => ({ mechanism: path.join(dir, 'none.kpp'), input: fast }), /cannot read mechanism .*ENOENT/],
    ['input that is not JSON', () => ({ mechanism: DEFAULT_MECHANISM, input: write('x.json', '{"v":1,') }), /is not JSON/],
    ['input with a wrong field', () => ({ mechanism: DEFAULT_MECHANISM, input: write('y.json', JSON.stringify({ ...fixture, tzOffsetHours: 'eight' })) }), /tzOffsetHours: must be a number/],
    ['a mechanism without the O3 budget species', () => ({ mechanism: write('tiny.kpp', '#DEFVAR\nA = IGNORE; B = IGNORE;\n#EQUATIONS\nA = B : 1.0 ;\n'), input: write('z.json', JSON.stringify({ ...fixture, lumping: 'none', hours: fixture.hours.map((h: object) => ({ ...h, voc: {} })), initial: {} })) }), /mechanism lacks NO, NO2, O3, OH, HO2/],
  ])('%s: one clear error', (_n, args, msg) => {
    expect(() => runObm({ ...base, ...args() })).toThrow(msg);
  });
});

describe('airdesk obm ekma', () => {
  it('runs a grid in worker threads and reports ridge, regime and ratio', async () => {
    const r = await runObmEkma({ mechanism: DEFAULT_MECHANISM, input: fast, max: 1.5, step: 0.75, metric: 'peakO3', workers: 2 });
    expect(r.grid.voc).toEqual([0, 0.75, 1.5]);
    expect(r.grid.value.flat().every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(r.ridge).toHaveLength(3);
    // 100 % is not a node of 0, 0.75, 1.5: the base value is interpolated, the target is 90 % of it
    expect(r.target! / (0.9 * r.baseValue)).toBeCloseTo(1, 2); // both rounded to 4 digits
    expect(['VOC-limited', 'transitional', 'NOx-limited']).toContain(r.regime);
    expect(JSON.parse(JSON.stringify(r)).coReduction.paths.at(-1).ratio).toBe('VOC-only');
    // The workers' cells land where they belong: value[iNox][iVoc] equals an in-process run.
    const kin = kineticsFromText(readFileSync(DEFAULT_MECHANISM, 'utf8'), 'cb05');
    const run = obmRunner(kin, diagnosticsFor(kin), prepared(inputFromText(readFileSync(fast, 'utf8'), fast), kin, fast));
    expect(r.grid.value[0]![2]).toBeCloseTo(Number(ekmaCell(run, 1.5, 0, 'peakO3').toPrecision(4)), 6);
    expect(r.grid.value[2]![0]).toBeCloseTo(Number(ekmaCell(run, 0, 1.5, 'peakO3').toPrecision(4)), 6);
  }, 60_000);
});

describe('obm option parsing', () => {
  it.each(['2', '-0.1', 'abc', '', 'NaN', 'Infinity'])('--cut %j is refused with the range', (v) => {
    expect(() => positive('cut', 0.01, 0.5)(v)).toThrow(/--cut must be a number in 0.01..0.5/);
  });
  it('accepts a value in range', () => expect(positive('cut', 0.01, 0.5)('0.1')).toBe(0.1));
});
