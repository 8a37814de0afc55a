import { describe, expect, it } from 'vitest';
import { readingsToPoints } from '#common/episodes/index.ts';

describe('readingsToPoints', () => {
  it('keeps hourly readings of known cities; flagged values become missing', () => {
    const base = { station: '1001A', time: 1_500_000 * 3_600_000, source: 'live' as const };
    const pts = readingsToPoints([
      { ...base, interval: 'hour', values: { pm25: 80, o3: 500, benzene: 3 }, flags: { o3: ['ceiling'] } },
      { ...base, interval: 'min', values: { pm25: 1 }, flags: {} },
      { ...base, station: 'X', interval: 'hour', values: { pm25: 1 }, flags: {} },
    ], (s) => (s === '1001A' ? 'beijing' : null));
    expect(pts).toEqual([{ city: 'beijing', station: '1001A', time: base.time, values: { pm25: 80, o3: null } }]);
  });
});
