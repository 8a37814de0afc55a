/**
 * AIRDESK_DAILY_RULE changes the AQI that episodes and warnings are judged by, not only the map's
 * daily AQI: both come from the one aggregation core with the same rule choice. Two 2016 days with
 * O3 40 except two hours of 600: HJ 633-2012 daily AQI 250 (O3 max 1-h 600 -> IAQI 250) -> a heavy
 * process; with hj633-2026 (no max 1-h indicator) the AQI is the MDA8's 119 -> no episode.
 */
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config.ts';
import { makeServer, hourly, bj } from './helpers.ts';

async function run(env: Record<string, string>) {
  const clock = { now: bj('2016-12-01', 1) };
  const s = await makeServer({ clock: () => clock.now, config: { dailyRule: readConfig(env).dailyRule } });
  await s.start();
  for (const day of ['2016-12-01', '2016-12-02', '2016-12-03']) {
    for (let h = 1; h <= 24; h++) {
      clock.now = bj(day, h) + 60_000;
      const o3 = day === '2016-12-03' ? 40 : h === 13 || h === 14 ? 600 : 40;
      s.ingest(['X1', 'X2'].flatMap((st) => hourly(st, bj(day, h), [{ o3, pm25: 30 }])));
    }
  }
  const out = {
    heavy: s.episodes.list({ kind: 'heavy' }).map((e) => [e.id, e.peak.value]),
    mapDay: s.engine.cityEntity('Xcity')?.days.get('2016-12-01')?.aqi?.aqi,
    episodeDay: s.episodes.engine.daily('Xcity').find((d) => d.day === '2016-12-01')?.aqi,
  };
  await s.close();
  await s.store.close();
  return out;
}

describe('AIRDESK_DAILY_RULE', () => {
  it('by date (hj633-2012 in 2016): a heavy process on the O3 max 1-h; the map and the episodes agree', async () => {
    const r = await run({});
    expect(r).toEqual({ heavy: [['heavy:Xcity:2016-12-01', 250]], mapDay: 250, episodeDay: 250 });
  });
  it('hj633-2026: the same days are AQI 119 for the map AND the episode engine; no episode', async () => {
    const r = await run({ AIRDESK_DAILY_RULE: 'hj633-2026' });
    expect(r).toEqual({ heavy: [], mapDay: 119, episodeDay: 119 });
  });
});
