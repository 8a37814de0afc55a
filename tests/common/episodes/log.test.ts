/**
 * The episode log states only what the episode's own data confirm, with day and time, and is
 * corrected when the data change. AQIs hand-derived from HJ 633-2012 Table 1 (PM2.5 24-h column):
 * 160 -> 210, 260 -> 310, 140 -> 186, 100 -> 132.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '#common/episodes/index.ts';
import { endOfBeijingDay } from '#common/time.ts';
import { daily, hours, points } from '../../episodes/series.ts';

describe('episode log', () => {
  it('entries carry codes + parameters with the day and the data hour; values are the days\' own', () => {
    const e = createEngine();
    e.ingest(daily('bj', 'pm25', '2016-12-01', '160 260 160 100 100'));
    const log = e.log('heavy:bj:2016-12-01');
    expect(log.map((l) => [l.code, l.params.day ?? null])).toEqual([
      ['episode.opened', '2016-12-01'],
      ['episode.escalated', '2016-12-02'],
      ['episode.peaked', '2016-12-02'],
      ['episode.closed', null],
    ]);
    const ep = e.episode('heavy:bj:2016-12-01')!;
    expect(log[1].params).toEqual({ level: 'severe', value: 310, metric: 'aqi', day: '2016-12-02', time: endOfBeijingDay('2016-12-02') });
    for (const l of log) if (l.params.value !== undefined) {
      expect(ep.days.find((d) => d.day === l.params.day)!.value).toBe(l.params.value);
    }
    expect(log[3].params).toMatchObject({ start: '2016-12-01', end: '2016-12-03', daysOver: 3 });
    // No English sentence anywhere: codes and numbers only.
    expect(JSON.stringify(log)).not.toMatch(/\b(now|peak of|from|day\(s\))\b\s/);
  });

  it('a corrected day corrects the log: the escalation disappears and the peak follows the data', () => {
    const e = createEngine();
    e.ingest(daily('bj', 'pm25', '2016-12-01', '160 260 160 100 100'));
    expect(e.log('heavy:bj:2016-12-01').some((l) => l.type === 'escalated')).toBe(true);
    // The 12-02 values are corrected to 160 (e.g. a calibration flag found late): AQI 210, not 310.
    e.ingest(daily('bj', 'pm25', '2016-12-02', '160'));
    const log = e.log('heavy:bj:2016-12-01');
    expect(log.some((l) => l.type === 'escalated')).toBe(false);
    expect(log.find((l) => l.type === 'peaked')!.params).toMatchObject({ value: 210, day: '2016-12-01' });
    expect(e.episode('heavy:bj:2016-12-01')!.level).toBe('heavy');
  });

  it('a partial daily mean never escalates: the log waits for the complete day', () => {
    const e = createEngine();
    e.ingest(daily('bj', 'pm25', '2016-12-01', '160'));
    // 8 hours of 300 so far on 12-02: partial AQI 350, but the day may still fall.
    e.ingest(points('bj', 'pm25', hours('2016-12-02T01', Array(8).fill('300').join(' '))));
    expect(e.log('heavy:bj:2016-12-01').map((l) => l.type)).toEqual(['opened']);
    // The rest of the day is clean: mean (8*300 + 16*20)/24 = 113 -> AQI 148: no escalation ever.
    e.ingest(points('bj', 'pm25', hours('2016-12-02T09', Array(16).fill('20').join(' '))));
    expect(e.log('heavy:bj:2016-12-01').some((l) => l.type === 'escalated')).toBe(false);
  });
});
