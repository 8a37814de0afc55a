/**
 * The server's episode log: pushed entries are re-checked against the data. A pushed escalation
 * that a correction no longer supports is kept as withdrawn, a pushed peak whose value changed is
 * revised (with the value pushed), and every entry has code + params for zh/en rendering.
 */
import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { EpisodeService } from '../../../server/services/episodes.ts';
import { daily } from '../../episodes/series.ts';

function service() {
  const s = new EpisodeService({ logger: pino({ level: 'silent' }), statePath: null, clock: () => Date.UTC(2016, 11, 10) });
  const feed = (pts: ReturnType<typeof daily>) => {
    for (const p of pts) s.stationHour({ city: p.city, station: 'S1', time: p.time, values: p.values });
    s.flush(false);
  };
  return { s, feed };
}

describe('episode log in the server', () => {
  it('a correction removes an escalation never pushed and withdraws the pushed peak', () => {
    const { s, feed } = service();
    const pushed: string[] = [];
    s.on((ev) => { if (ev.kind === 'episode') pushed.push(ev.e.entry.code ?? ''); });
    feed(daily('bj', 'pm25', '2016-12-01', '160 260 160 100 100'));
    expect(pushed).toEqual(expect.arrayContaining(['episode.opened', 'episode.peaked', 'episode.closed']));
    const before = s.detail('heavy:bj:2016-12-01')!.timeline;
    expect(before.map((t) => t.code)).toEqual(['episode.opened', 'episode.escalated', 'episode.peaked', 'episode.closed']);
    // Late correction of 12-02 down to PM2.5 160 (AQI 210).
    feed(daily('bj', 'pm25', '2016-12-02', '160'));
    const after = s.detail('heavy:bj:2016-12-01')!;
    expect(after.level).toBe('heavy');
    const esc = after.timeline.filter((t) => t.code === 'episode.escalated');
    // The escalation was never pushed as an event (the episode opened severe in one batch), so it
    // simply is no longer in the log; the pushed peak of 310 on 12-02 is no longer the data's.
    expect(esc).toEqual([]);
    const peaks = after.timeline.filter((t) => t.type === 'peaked');
    expect(peaks.find((t) => !t.withdrawn)!.params).toMatchObject({ value: 210, day: '2016-12-01' });
    expect(peaks.find((t) => t.withdrawn)!.params).toMatchObject({ value: 310, day: '2016-12-02' });
    for (const t of after.timeline) {
      expect(t.code).toMatch(/^episode\./);
      expect(t.params).toBeDefined();
    }
  });

  it('an escalation pushed live and later corrected stays in the log as withdrawn', () => {
    const { s, feed } = service();
    feed(daily('bj', 'pm25', '2016-12-01', '160'));
    feed(daily('bj', 'pm25', '2016-12-02', '260'));
    const d = s.detail('heavy:bj:2016-12-01')!;
    expect(d.timeline.find((t) => t.code === 'episode.escalated')!.params).toMatchObject({ level: 'severe', value: 310, day: '2016-12-02' });
    feed(daily('bj', 'pm25', '2016-12-02', '160'));
    const esc = s.detail('heavy:bj:2016-12-01')!.timeline.filter((t) => t.code === 'episode.escalated');
    expect(esc).toHaveLength(1);
    expect(esc[0].withdrawn).toBe(true);
  });

  it('a revised value is marked with what was pushed', () => {
    const { s, feed } = service();
    feed(daily('bj', 'pm25', '2016-12-01', '160 100 100'));
    const peak = () => s.detail('heavy:bj:2016-12-01')!.timeline.find((t) => t.type === 'peaked' && !t.withdrawn)!;
    expect(peak().params).toMatchObject({ value: 210 });
    // The same day re-sent with 170 (a correction): HJ 633-2012 PM2.5 150 -> 200, 250 -> 300, so 170 -> 220.
    feed(daily('bj', 'pm25', '2016-12-01', '170'));
    expect(peak()).toMatchObject({ revised: true, was: { value: 210 }, params: { value: 220 } });
  });
});
