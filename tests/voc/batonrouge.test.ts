/**
 * Real data: the EPA PMF example PAMS file from Baton Rouge (../shared/data/voc-pams-batonrouge,
 * units not stated, magnitudes fit ppbC). The expected ranking and group shares are computed here
 * independently: the CSV is split by hand and MW/MIR/kOH are read from the markdown table in
 * ../shared/domain/REFERENCE.md (not from common/voc/species.ts); carbon numbers and groups below
 * are typed for this test.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeVoc } from '#common/voc/analysis.ts';
import { parseSpeciatedCsv } from '#common/voc/csv.ts';

const DATA = path.resolve('../shared/data/voc-pams-batonrouge/Dataset-BatonRouge-con.csv');
const REF = path.resolve('../shared/domain/REFERENCE.md');
const have = existsSync(DATA) && existsSync(REF);
if (!have) console.log(`SKIP Baton Rouge VOC test: ${DATA} or ${REF} not found`);

// column -> [REFERENCE species name, carbon atoms, group]
const COLS: Record<string, [string, number, string]> = {
  '124-Trimethylbenzene': ['1,2,4-Trimethylbenzene', 9, 'aromatic'], '224-Trimethylpentane': ['2,2,4-Trimethylpentane', 8, 'alkane'],
  '234-Trimethylpentane': ['2,3,4-Trimethylpentane', 8, 'alkane'], '23-Dimethylbutane': ['2,3-Dimethylbutane', 6, 'alkane'],
  '23-Dimethylpentane': ['2,3-Dimethylpentane', 7, 'alkane'], '2-Methylheptane': ['2-Methylheptane', 8, 'alkane'],
  '3-Methylhexane': ['3-Methylhexane', 7, 'alkane'], '3-Methylpentane': ['3-Methylpentane', 6, 'alkane'],
  Acetylene: ['Acetylene', 2, 'alkyne'], Benzene: ['Benzene', 6, 'aromatic'], 'Cis-2-Butene': ['cis-2-Butene', 4, 'alkene'],
  'Cis-2-Pentene': ['cis-2-Pentene', 5, 'alkene'], Ethane: ['Ethane', 2, 'alkane'], Ethylbenzene: ['Ethylbenzene', 8, 'aromatic'],
  Ethylene: ['Ethylene', 2, 'alkene'], Isobutane: ['Isobutane', 4, 'alkane'], Isopentane: ['Isopentane', 5, 'alkane'],
  Isoprene: ['Isoprene', 5, 'biogenic'], Isopropylbenzene: ['Isopropylbenzene', 9, 'aromatic'], 'M_P Xylene': ['m/p-xylene', 8, 'aromatic'],
  'M-Diethylbenzene': ['m-Diethylbenzene', 10, 'aromatic'], 'M-Ethyltoluene': ['m-Ethyltoluene', 9, 'aromatic'],
  'N-Butane': ['n-Butane', 4, 'alkane'], 'N-Decane': ['n-Decane', 10, 'alkane'], 'N-Heptane': ['n-Heptane', 7, 'alkane'],
  'N-Hexane': ['n-Hexane', 6, 'alkane'], 'N-Nonane': ['n-Nonane', 9, 'alkane'], 'N-Octane': ['n-Octane', 8, 'alkane'],
  'N-Pentane': ['n-Pentane', 5, 'alkane'], 'N-Propylbenzene': ['n-Propylbenzene', 9, 'aromatic'], 'N-Undecane': ['n-Undecane', 11, 'alkane'],
  'O-Ethyltoluene': ['o-Ethyltoluene', 9, 'aromatic'], 'O-Xylene': ['o-Xylene', 8, 'aromatic'], Propane: ['Propane', 3, 'alkane'],
  Propylene: ['Propylene', 3, 'alkene'], Styrene: ['Styrene', 8, 'aromatic'], Toluene: ['Toluene', 7, 'aromatic'],
  'Trans-2-Butene': ['trans-2-Butene', 4, 'alkene'], 'Trans-2-Pentene': ['trans-2-Pentene', 5, 'alkene'],
};

/** MW, MIR Carter-2010, kOH (Atkinson, else AOPWIN) by species name, from REFERENCE.md 5.2. */
function referenceTable(md: string): Map<string, { mw: number; mir: number; koh: number }> {
  const m = new Map<string, { mw: number; mir: number; koh: number }>();
  for (const line of md.split('\n')) {
    const c = line.split('|').map((x) => x.trim());
    if (c.length < 14 || !/^\d+$/.test(c[1])) continue;
    const num = (x: string) => (x === '–' || x === '' ? null : Number(x));
    m.set(c[3], { mw: Number(c[6]), mir: Number(c[7]), koh: (num(c[10]) ?? num(c[11]))! });
  }
  // REFERENCE 5.2 text: co-eluted m/p-xylene MIR 7.80, kOH 18.7 (foqat lumped row)
  m.set('m/p-xylene', { mw: 106.17, mir: 7.8, koh: 18.7 });
  return m;
}

describe.skipIf(!have)('Baton Rouge PAMS (real data, ppbC)', () => {
  it('top OFP / L_OH species and group shares match an independent computation', () => {
    const text = readFileSync(DATA, 'utf8');
    const ref = referenceTable(readFileSync(REF, 'utf8'));
    // Independent: mean ppbC per column -> ppbv -> ug/m3 (Vm = 24.4654) -> OFP, L_OH.
    const lines = text.trim().split(/\r?\n/);
    const header = lines[0].split(',');
    const sums = new Map<string, number>();
    for (const l of lines.slice(1)) l.split(',').forEach((v, i) => { if (COLS[header[i]]) sums.set(header[i], (sums.get(header[i]) ?? 0) + Number(v)); });
    const n = lines.length - 1;
    const VM = 24.4654, ND = 2.46149e10;
    const rows = [...sums].map(([col, s]) => {
      const [name, carbon, group] = COLS[col];
      const r = ref.get(name)!;
      const ppbv = s / n / carbon;
      return { col, group, ofp: (ppbv * r.mw) / VM * r.mir, loh: r.koh * 1e-12 * ppbv * ND };
    });
    const totOfp = rows.reduce((a, r) => a + r.ofp, 0);
    const expOfp = [...rows].sort((a, b) => b.ofp - a.ofp).slice(0, 10);
    const expLoh = [...rows].sort((a, b) => b.loh - a.loh).slice(0, 10);
    const groupShare = (g: string) => rows.filter((r) => r.group === g).reduce((a, r) => a + r.ofp, 0) / totOfp;

    const p = parseSpeciatedCsv(text, { unit: 'ppbC', tzOffsetHours: -6 });
    expect(p.cycles).toHaveLength(307);
    expect(p.columns.filter((c) => c.reason && c.reason !== 'column.time').map((c) => c.column)).toEqual(['Unidentified', 'TNMOC']);
    const a = analyzeVoc(p.cycles, [], { tzOffsetHours: -6 });

    console.log('Baton Rouge top OFP (ug/m3 O3):', a.rankings.ofp.map((r) => `${r.name} ${r.value.toFixed(1)}`).join(', '));
    console.log('Baton Rouge top L_OH (s-1):', a.rankings.loh.map((r) => `${r.name} ${r.value.toFixed(3)}`).join(', '));
    console.log('Baton Rouge OFP shares:', a.groups.map((g) => `${g.group} ${((g.ofpShare ?? 0) * 100).toFixed(1)}%`).join(', '), `total ${a.ofpTotal.toFixed(1)} ug/m3`);
    console.log('Independent top OFP:', expOfp.map((r) => `${r.col} ${r.ofp.toFixed(1)}`).join(', '));

    expect(a.ofpTotal).toBeCloseTo(totOfp, 0);
    expect(a.rankings.ofp.map((r) => r.value)).toEqual(expOfp.map((r) => expect.closeTo(r.ofp, 2)));
    expect(a.rankings.loh.map((r) => r.value)).toEqual(expLoh.map((r) => expect.closeTo(r.loh, 4)));
    for (const g of a.groups) expect(g.ofpShare!).toBeCloseTo(groupShare(g.group), 4);
    // sanity (REFERENCE 5.2 typical top contributors): ethylene and propylene lead
    expect(a.rankings.ofp.slice(0, 2).map((r) => r.id)).toEqual(['ethylene', 'propylene']);
  });
});
