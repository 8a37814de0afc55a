import { describe, expect, it } from 'vitest';
import type { Reading, VocCycle } from '#common/schemas/reading.ts';
import { beijingToUtc } from '#common/time.ts';
import { analyzeVoc, compareEpisodes } from '#common/voc/analysis.ts';
import { classifyRegime, noxPpbv } from '#common/voc/regime.ts';
import { vocSummary } from '#common/voc/summary.ts';

const cyc = (t: number, species: Record<string, number>): VocCycle => ({ analyzer: 'A1', station: 'S1', time: t, source: 'sim', species, flags: {} });
const rd = (t: number, values: Record<string, number>): Reading => ({ station: 'S1', time: t, interval: 'hour', source: 'sim', values, flags: {} });

describe('regime', () => {
  it.each([[3.9, 'voc-limited'], [4, 'transitional'], [15, 'transitional'], [15.1, 'nox-limited'], [null, null]] as const)('ratio %s -> %s (default band <4, >15)', (r, want) => {
    expect(classifyRegime(r)).toBe(want);
  });
  it('NOx ppbv: NO + NO2 when both, else NOx as NO2 (ug/m3 at 298.15 K)', () => {
    // 18.805 ug/m3 NO2 = 10 ppbv (46.0055/24.4654 = 1.88044 ug/m3 per ppbv); 12.265 ug/m3 NO = 10 ppbv
    expect(noxPpbv({ no2: 18.8044, no: 12.2648 })!.ppbv).toBeCloseTo(20, 2);
    expect(noxPpbv({ nox: 18.8044 })).toMatchObject({ how: 'nox-as-no2' });
    expect(noxPpbv({ no2: 5 })).toBeNull();
  });
});

describe('analyzeVoc over two days with NOx and O3', () => {
  // Day 1 (2026-07-01): morning hours 07-09: 30 ppbv ethane (60 ppbC) + 1 ppbv toluene (7 ppbC) = 67 ppbC;
  // NOx 20 ppbv -> ratio 3.35 -> VOC-limited. O3 250 ug/m3 all day -> MDA8 250 > 160: episode.
  // Day 2: same VOC, NOx 2 ppbv -> ratio 33.5 -> NOx-limited. O3 100 -> not an episode.
  const cycles: VocCycle[] = [];
  const readings: Reading[] = [];
  for (const [d, nox, o3] of [[1, 20, 250], [2, 2, 100]] as const) {
    for (let h = 1; h <= 24; h++) {
      const t = beijingToUtc(2026, 7, d, h);
      cycles.push(cyc(t, { ethane: 30, toluene: 1, isoprene: h >= 11 && h <= 15 ? 2 : 0.5 }));
      readings.push(rd(t, { no2: nox * 1.880441, no: 0, o3 }));
    }
  }
  const a = analyzeVoc(cycles, readings);
  it('classifies each day and the episode/non-episode groups', () => {
    const d1 = a.regime.days.find((d) => d.day === '2026-07-01')!, d2 = a.regime.days.find((d) => d.day === '2026-07-02')!;
    // the isoprene (C5) is in NMHC too: 0.5 ppbv x 5 = 2.5 ppbC in the morning -> 69.5 ppbC
    expect(d1.ratio).toBeCloseTo(69.5 / 20, 3);
    expect(d1).toMatchObject({ regime: 'voc-limited', episode: true, n: 3 });
    expect(d2.ratio).toBeCloseTo(69.5 / 2, 3);
    expect(d2).toMatchObject({ regime: 'nox-limited', episode: false });
    expect(d1.mda8).toBeCloseTo(250, 6);
    expect(a.regime.episodeDaysSource).toBe('computed');
    expect(a.regime.episode.counts['voc-limited']).toBe(1);
    expect(a.regime.nonEpisode.counts['nox-limited']).toBe(1);
    expect(a.regime.caveats.length).toBeGreaterThan(0);
  });
  it('diurnal curve shows isoprene at noon; isoprene marker midday/night = 4', () => {
    const iso = a.diurnal.find((c) => c.id === 'isoprene')!;
    expect(iso.ppbv[13]).toBe(2);
    expect(iso.ppbv[3]).toBe(0.5);
    expect(a.isoprene.middayToNight).toBeCloseTo(4, 6);
  });
  it('given episode days override the computed ones', () => {
    const b = analyzeVoc(cycles, readings, { episodeDays: ['2026-07-02'] });
    expect(b.regime.days.find((d) => d.day === '2026-07-02')!.episode).toBe(true);
    expect(b.regime.episodeDaysSource).toBe('given');
  });
  it('compare: species rising on episode mornings rank first', () => {
    const c2 = cycles.map((c, i) => (i < 24 ? { ...c, species: { ...c.species, propylene: 3 } } : { ...c, species: { ...c.species, propylene: 1 } }));
    const cmp = compareEpisodes(c2, readings);
    expect(cmp.episodeDays).toEqual(['2026-07-01']);
    expect(cmp.cleanDays).toEqual(['2026-07-02']);
    expect(cmp.species[0]).toMatchObject({ id: 'propylene', ratio: 3 });
    expect(cmp.episodeCycles).toBe(10); // hour labels 1..10
  });
  it('summary names groups, top species and regime', () => {
    expect(a.summary.en).toMatch(/top species: Toluene, Ethane|top species: /);
    expect(a.summary.en).toMatch(/regime: (VOC-limited|transitional|NOx-limited)/);
  });
});

describe('vocSummary (pure)', () => {
  const base = {
    cycles: 24, ofpTotal: 100,
    groups: [{ group: 'aromatic' as const, ofpShare: 0.4 }, { group: 'alkene' as const, ofpShare: 0.28 }, { group: 'alkane' as const, ofpShare: 0.32 }],
    rankings: { ofp: [{ id: 'mp-xylene', name: 'm/p-Xylene', zh: '间/对二甲苯' }, { id: 'toluene', name: 'Toluene', zh: '甲苯' }, { id: 'ethylene', name: 'Ethylene', zh: '乙烯' }] },
    regime: { periodRatio: 3.14, periodRegime: 'voc-limited' as const },
    periodLabel: { en: 'today', zh: '今日' },
  };
  it('English and Chinese', () => {
    const s = vocSummary(base);
    expect(s.en).toBe("Aromatics and alkanes supply 72% of today's OFP; top species: m/p-Xylene, Toluene, Ethylene; regime: VOC-limited (morning VOC/NOx 3.1 ppbC/ppbv, a coarse screen).");
    expect(s.zh).toBe('芳香烃和烷烃贡献了今日臭氧生成潜势(OFP)的72%；关键物种：间/对二甲苯、甲苯、乙烯；臭氧生成敏感性：VOCs控制区（早间VOCs/NOx为3.1 ppbC/ppbv，仅作粗略判断）。');
  });
  it('one group when it alone covers half; regime unknown without NOx; empty period', () => {
    const s = vocSummary({ ...base, groups: [{ group: 'alkene', ofpShare: 0.55 }, { group: 'aromatic', ofpShare: 0.45 }], regime: { periodRatio: null, periodRegime: null } });
    expect(s.en).toMatch(/^Alkenes supply 55%/);
    expect(s.en).toMatch(/not determined/);
    expect(vocSummary({ ...base, cycles: 0 }).en).toBe('No usable VOC data in this period.');
  });
});
