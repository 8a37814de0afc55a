/**
 * VOC files as labs export them (issue 20): date-only samples stay on their own day, NOx/NO/NO2
 * columns pair with the samples for the regime, the five added species resolve, and an implausible
 * ambient level is flagged beside the ranking.
 */
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSampleTime, parseSpeciatedCsv } from '#common/voc/csv.ts';
import { localDayOfEnd, localHour, PLAUSIBLE_MEAN_PPBV } from '#common/voc/analysis.ts';
import { resolveSpecies } from '#common/voc/species.ts';
import { runVoc } from '../../cli/commands/voc.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-voc20-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('date-only samples', () => {
  it.each([8, 0, -5])('7/10/2021 at UTC%+d is day 2021-07-10, whatever the zone', (tz) => {
    const t = parseSampleTime('7/10/2021', tz)!;
    expect(localDayOfEnd(t, tz)).toBe('2021-07-10');
    expect(localDayOfEnd(parseSampleTime('2021-10-31', tz)!, tz)).toBe('2021-10-31');
  });
  it('a timed sample keeps its hour', () => {
    const t = parseSampleTime('7/10/2021 6:00', 8)!;
    expect([localDayOfEnd(t, 8), localHour(t, 8)]).toEqual(['2021-07-10', 6]);
  });
});

describe('a lab file: date-only, NOx column, the added species, methanol at 103 ppbv', () => {
  const f = path.join(dir, 'lab.csv');
  // ppbv; NOx 20 ppbv; hydrocarbons toluene 4 (28 ppbC) + ethylene 6 (12 ppbC) + alpha-pinene 0.2
  // (2 ppbC) + p-cymene 0.05 (0.5 ppbC) = 42.5 ppbC -> ratio 2.125 (OVOCs are not counted)
  writeFileSync(f, [
    'Date,Toluene,Ethylene,Methanol,alpha-Pinene,Phenol,Methyl acetate,Cyclohexanone,p-Cymene,NOx',
    '7/10/2021,4,6,103,0.2,0.1,0.5,0.1,0.05,20',
    '7/11/2021,4,6,103,0.2,0.1,0.5,0.1,0.05,20',
  ].join('\n'));
  it('the five species resolve to the registry', () => {
    expect(['alpha-Pinene', 'Phenol', 'Methyl acetate', 'Cyclohexanone', 'p-Cymene', 'α-蒎烯'].map((n) => resolveSpecies(n)?.id)).toEqual(
      ['alpha-pinene', 'phenol', 'methyl-acetate', 'cyclohexanone', 'p-cymene', 'alpha-pinene']);
  });
  it('parses: no unknown species, NOx as a station gas, every sample on its own day', () => {
    const p = parseSpeciatedCsv(`Date,NOx,Toluene\n7/10/2021,20,4\n`, { unit: 'ppbv' });
    expect(p.columns.find((c) => c.column === 'NOx')).toMatchObject({ reason: 'column.station_gas' });
    expect(p.dateOnly).toBe(true);
    // NOx 20 ppbv as NO2 by mass: 20 x 46.005 / 24.4654 = 37.61 ug/m3
    expect(p.readings[0].values.nox).toBeCloseTo(37.61, 2);
  });
  it('the run pairs NOx (regime determined: VOC/NOx 42.5/20 = 2.125 -> VOC-limited) and flags methanol', () => {
    const r = runVoc([f], { unit: 'ppbv', tzOffsetHours: 8, mirScale: 'carter2010', top: 10, codes: 'hj212-2017' });
    expect(r.unusedColumns).toEqual([]);
    const a = r.analysis;
    expect(a.regime.noxSource).toBe('nox-as-no2');
    expect(a.regime.days.map((d) => d.day)).toEqual(['2021-07-10', '2021-07-11']);
    expect(a.regime.periodRatio).toBeCloseTo(2.125, 3); // NOx ug/m3 -> ppbv round trip
    expect(a.regime.periodRegime).toBe('voc-limited');
    expect(a.plausibility.map((p) => [p.id, p.meanPpbv, p.limit])).toEqual([['methanol', 103, PLAUSIBLE_MEAN_PPBV]]);
    // whole-day samples have no hour of day: no diurnal curve points (not all in the midnight bin)
    expect(a.diurnal.every((c) => c.ppbv.every((v) => v === null))).toBe(true);
  });
});
