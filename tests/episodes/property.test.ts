/**
 * Streaming detection over any chunking and order equals batch detection (fast-check).
 * The series mixes heavy days, O3 days and gaps so merges, jumps and rolling runs all occur.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createEngine, detectEpisodes, type HourlyPoint } from '#common/episodes/index.ts';
import { daily, flatDays, hours, points } from './series.ts';

const o3day = (day: string, x: number) =>
  hours(`${day}T01`, [...Array(12).fill('60'), ...Array(8).fill(String(x)), ...Array(4).fill('60')].join(' '));

const SERIES: HourlyPoint[] = [
  ...daily('bj', 'pm25', '2016-12-01', '100 160 140 260 . 160 100 40'),
  ...points('bj', 'pm25', hours('2016-12-09T01', '30 90 95 . 200 210 20')),
  ...points('bj', 'o3', [...o3day('2016-12-01', 180), ...o3day('2016-12-02', 230), ...o3day('2016-12-03', 90), ...o3day('2016-12-06', 170)]),
  ...daily('sh', 'pm25', '2016-12-02', '170 170 40'),
  ...points('sh', 'pm25', flatDays('2016-12-05', 1, 60), 'S1'),
];

describe('chunking and order invariance', () => {
  const batch = detectEpisodes(SERIES);
  const be = createEngine();
  be.ingest(SERIES);
  const batchAlerts = be.alerts();

  it('the series has jump alerts', () => expect(batchAlerts.length).toBeGreaterThan(0));

  it('the batch finds several kinds (so the property is not vacuous)', () => {
    expect(new Set(batch.map((e) => e.kind))).toEqual(new Set(['heavy', 'o3', 'combined']));
    expect(batch.some((e) => e.facets?.rolling)).toBe(true);
  });

  it('any permutation in any chunks gives the batch episodes', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(SERIES.map((_, i) => i), { minLength: SERIES.length, maxLength: SERIES.length }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 12 }),
        (perm, sizes) => {
          const e = createEngine();
          let i = 0;
          let k = 0;
          while (i < perm.length) {
            const n = sizes[k++ % sizes.length];
            e.ingest(perm.slice(i, i + n).map((j) => SERIES[j]));
            i += n;
          }
          expect(e.episodes()).toEqual(batch);
          expect(e.alerts()).toEqual(batchAlerts);
        },
      ),
      { numRuns: 25 },
    );
  });
});
