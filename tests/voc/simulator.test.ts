/** The simulator's VOC analyzers (simulators/model.ts) should give a plausible ranking:
 *  aromatics and alkenes high in an urban plume, isoprene rising at noon in summer. */
import { describe, expect, it } from 'vitest';
import type { VocCycle } from '#common/schemas/reading.ts';
import { beijingToUtc, HOUR_MS } from '#common/time.ts';
import { analyzeVoc } from '#common/voc/analysis.ts';
import { normaliseVocValues } from '#common/voc/quality.ts';
import { createSim, simulateHour } from '../../simulators/model.ts';

describe('simulated VOC analyzers (o3 scenario, summer)', () => {
  const start = beijingToUtc(2026, 7, 1);
  const state = createSim({ seed: 42, scenario: 'o3', start });
  const byAnalyzer = new Map<string, VocCycle[]>();
  const unknown = new Set<string>();
  for (let i = 1; i <= 72; i++) {
    for (const m of simulateHour(state, start + i * HOUR_MS).voc) {
      const n = normaliseVocValues(m.species, { unit: m.unit });
      n.issues.filter((x) => x.code === 'species.unknown').forEach((x) => unknown.add(x.name));
      const list = byAnalyzer.get(m.analyzer) ?? [];
      list.push({ analyzer: m.analyzer, station: m.station, time: Date.parse(m.time), source: 'sim', species: n.species, flags: n.flags });
      byAnalyzer.set(m.analyzer, list);
    }
  }
  it('every simulated species name resolves', () => {
    expect([...unknown]).toEqual([]);
    expect(byAnalyzer.size).toBeGreaterThan(0);
  });
  it.each([...byAnalyzer.keys()])('%s: aromatics + alkenes lead the OFP; isoprene peaks around noon', (id) => {
    const a = analyzeVoc(byAnalyzer.get(id)!);
    const share = (g: string) => a.groups.find((x) => x.group === g)?.ofpShare ?? 0;
    console.log(`${id}: top OFP ${a.rankings.ofp.slice(0, 5).map((r) => r.id).join(', ')}; aromatic ${(share('aromatic') * 100).toFixed(0)}%, alkene ${(share('alkene') * 100).toFixed(0)}%, biogenic ${(share('biogenic') * 100).toFixed(0)}%`);
    // 1002A (Dingling) is the background/control site in the north-west hills: isoprene may lead
    // there. The urban analyzers must show the urban-plume pattern.
    if (!id.includes('1002A')) {
      expect(share('aromatic') + share('alkene')).toBeGreaterThan(0.5);
      expect(['aromatic', 'alkene']).toContain(a.rankings.ofp[0].group);
    } else {
      // less traffic (scale 0.45) and more vegetation (biogenic 2.2): isoprene outweighs aromatics
      expect(share('biogenic')).toBeGreaterThan(share('aromatic'));
    }
    const iso = a.diurnal.find((c) => c.id === 'isoprene') ?? null;
    if (iso) {
      const peak = iso.ppbv.indexOf(Math.max(...iso.ppbv.map((v) => v ?? -1)));
      expect(peak).toBeGreaterThanOrEqual(10);
      expect(peak).toBeLessThanOrEqual(16);
    }
  });
});
