import { describe, expect, it } from 'vitest';
import { box, rankingBars, regimeSeries, stackedComposition } from '../../client/src/voc/chartData.ts';
import { vocT } from '../../client/src/voc/labels.ts';
import { composition, rankSpecies } from '#common/voc/metrics.ts';

describe('VOC panel chart data', () => {
  it('bars keep the API ranking order and scale to the largest value', () => {
    const r = rankSpecies(composition({ toluene: 1, 'mp-xylene': 2, ethylene: 5 }), 'ofp');
    const bars = rankingBars(r, box(520, 230), 'zh');
    expect(bars.map((b) => b.id)).toEqual(['mp-xylene', 'ethylene', 'toluene']);
    expect(bars[0].label).toBe('间/对二甲苯');
    // the scale is .nice(): 67.7 -> axis to 70; room is kept right of the longest bar for its value
    expect(bars[0].width).toBeCloseTo(((520 - 110 - 8 - 48) * 67.6977) / 70, 3);
    expect(bars[1].width / bars[0].width).toBeCloseTo(51.5933 / 67.6977, 4);
    expect(bars[1].y).toBeGreaterThan(bars[0].y);
  });
  it('stacks groups: the top of the stack equals the TVOC', () => {
    const pts = [0, 1].map((i) => ({ time: i * 3_600_000, tvocPpbv: 3 + i, tvocPpbC: 0, tvocUgm3: 0, ofpTotal: 0, lohTotal: 0, groupsPpbv: { alkane: 1 + i, aromatic: 2 }, groupsOfp: {} }));
    const s = stackedComposition(pts, ['alkane', 'aromatic'], box(200, 100));
    expect(s.yMax).toBe(4);
    expect(s.layers.map((l) => l.group)).toEqual(['alkane', 'aromatic']);
    expect(s.layers[0].path).toMatch(/^M/);
  });
  it('regime series is null without data; labels translate', () => {
    expect(regimeSeries([], { vocLimitedBelow: 4, noxLimitedAbove: 15 }, box(200, 100))).toBeNull();
    expect(vocT('en', 'error', { m: 'x' })).toBe('Failed to load: x');
    expect(vocT('zh', 'title', {}, { title: { zh: '自定义', en: 'Custom' } })).toBe('自定义');
  });
});
