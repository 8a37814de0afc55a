/**
 * Episode rules on compact hand-made series. Expected AQIs are hand-derived from HJ 633-2012
 * Table 1 (PM2.5 24-h column: 115 -> 150, 150 -> 200, 250 -> 300, linear, rounded up):
 *   PM2.5 160 -> 210, 140 -> 186, 100 -> 132, 260 -> 310, 130 -> 172.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, detectEpisodes } from '#common/episodes/index.ts';
import { at, daily, flatDays, hours, points } from './series.ts';

const ids = (eps: { id: string }[]) => eps.map((e) => e.id);
const heavy = (eps: ReturnType<typeof detectEpisodes>) => eps.filter((e) => e.kind === 'heavy');

describe('heavy-pollution processes (daily AQI > 200, REF 3.3)', () => {
  it('a run of heavy days is one process; levels heavy/severe by peak', () => {
    const eps = heavy(detectEpisodes(daily('bj', 'pm25', '2016-12-01', '100 160 260 160 100 100')));
    expect(ids(eps)).toEqual(['heavy:bj:2016-12-02']);
    expect(eps[0]).toMatchObject({ start: '2016-12-02', end: '2016-12-04', level: 'severe', daysOver: 3, daysSevere: 1, state: 'closed' });
    expect(eps[0].peak).toMatchObject({ at: '2016-12-03', value: 310 });
    expect(eps[0].days.map((d) => d.aqi)).toEqual([210, 310, 210]);
  });

  it.each([
    ['gap of 1 day with AQI 186 (> 150): merged', '160 140 160 100 100', ['heavy:bj:2016-12-01']],
    ['gap of 1 day with AQI 132 (<= 150): two processes', '160 100 160 100 100', ['heavy:bj:2016-12-01', 'heavy:bj:2016-12-03']],
    ['gap of 2 days above 150: two processes', '160 140 140 160 100 100', ['heavy:bj:2016-12-01', 'heavy:bj:2016-12-04']],
    ['a missing day never bridges', '160 . 160 100 100', ['heavy:bj:2016-12-01', 'heavy:bj:2016-12-03']],
  ])('%s', (_n, text, want) => {
    expect(ids(heavy(detectEpisodes(daily('bj', 'pm25', '2016-12-01', text))))).toEqual(want);
  });

  it('merging is configurable (maxGapDays 0 splits)', () => {
    const eps = heavy(detectEpisodes(daily('bj', 'pm25', '2016-12-01', '160 140 160 100 100'), { heavy: { maxGapDays: 0 } }));
    expect(ids(eps)).toEqual(['heavy:bj:2016-12-01', 'heavy:bj:2016-12-03']);
  });

  it('a day needs >= 20 hours: 19 hours of 200 is no heavy day, 20 hours is', () => {
    const day = (n: number) => hours('2016-12-01T01', [...Array(n).fill('200'), ...Array(24 - n).fill('.')].join(' '));
    const next = flatDays('2016-12-02', 2, 50);
    expect(heavy(detectEpisodes(points('bj', 'pm25', [...day(19), ...next])))).toEqual([]);
    expect(ids(heavy(detectEpisodes(points('bj', 'pm25', [...day(20), ...next]))))).toEqual(['heavy:bj:2016-12-01']);
  });

  it('the hour labelled 00 belongs to the previous day (HJ 663 day = labels 01..24)', () => {
    // 2016-12-01: 23 hours of 100 + hour "12-02 T00" of 1300 -> mean (23*100 + 1300)/24 = 150 -> AQI 200 (not > 200).
    // Shift the 1300 to 12-02 T01 and 12-01 has only 23 hours of 100.
    const base = hours('2016-12-01T01', Array(23).fill('100').join(' '));
    const d1 = detectEpisodes(points('bj', 'pm25', [...base, [at('2016-12-02T00'), 1324], ...flatDays('2016-12-03', 1, 50)]));
    const engine = createEngine();
    engine.ingest(points('bj', 'pm25', [...base, [at('2016-12-02T00'), 1324], ...flatDays('2016-12-03', 1, 50)]));
    // (23*100 + 1324)/24 = 151 -> AQI 201: heavy on 12-01, and 12-02 has no hour at all.
    expect(engine.daily('bj').find((d) => d.day === '2016-12-01')!.aqi).toBe(201);
    expect(ids(heavy(d1))).toEqual(['heavy:bj:2016-12-01']);
  });

  it('lifecycle from the data: active -> ending -> closed, with events', () => {
    const e = createEngine();
    const ev1 = e.ingest(daily('bj', 'pm25', '2016-12-01', '160'));
    expect(ev1.filter((x) => x.kind === 'heavy').map((x) => x.type)).toEqual(['opened']);
    expect(e.episodes({ kind: 'heavy' })[0].state).toBe('active');
    const ev2 = e.ingest(daily('bj', 'pm25', '2016-12-02', '140'));
    expect(e.episodes({ kind: 'heavy' })[0].state).toBe('ending');
    expect(ev2.filter((x) => x.kind === 'heavy').map((x) => x.type)).toEqual(['peaked']);
    const ev3 = e.ingest(daily('bj', 'pm25', '2016-12-03', '100'));
    expect(e.episodes({ kind: 'heavy' })[0].state).toBe('closed');
    expect(ev3.filter((x) => x.kind === 'heavy').map((x) => x.type)).toEqual(['closed']);
  });

  it('the ongoing day shows on track; escalation heavy -> severe fires once the day is complete', () => {
    const e = createEngine();
    e.ingest(daily('bj', 'pm25', '2016-12-01', '160'));
    // 8 hours of 300 on 12-02 so far: partial mean 300 -> partial AQI 350 ("on track" for severe),
    // but a partial mean can still fall, so the level stays heavy and nothing escalates yet.
    const ev1 = e.ingest(points('bj', 'pm25', hours('2016-12-02T01', Array(8).fill('300').join(' '))));
    const ep = e.episodes({ kind: 'heavy' })[0];
    expect(ep).toMatchObject({ level: 'heavy', provisional: true, state: 'active', end: '2016-12-02' });
    expect(ep.days[1]).toMatchObject({ provisional: true, aqi: 350 });
    expect(ev1.filter((x) => x.kind === 'heavy')).toEqual([]);
    const rest = points('bj', 'pm25', hours('2016-12-02T09', Array(16).fill('300').join(' ')));
    const ev2 = e.ingest(rest);
    expect(e.episodes({ kind: 'heavy' })[0].level).toBe('severe');
    expect(ev2.filter((x) => x.kind === 'heavy').map((x) => [x.type, x.key])).toEqual([['escalated', 'heavy:bj:2016-12-01:level:severe']]);
    expect(e.ingest(rest).filter((x) => x.kind === 'heavy')).toEqual([]);
  });

  it('a heavy day carried by the ongoing day alone stays forming (no event) until the day completes', () => {
    const e = createEngine();
    e.ingest(daily('bj', 'pm25', '2016-12-01', '50'));
    const ev = e.ingest(points('bj', 'pm25', hours('2016-12-02T01', Array(8).fill('300').join(' '))));
    expect(e.episodes({ kind: 'heavy' })[0].state).toBe('forming');
    expect(ev.filter((x) => x.kind === 'heavy')).toEqual([]);
    // The rest of the day is clean: the day's mean is 100 (AQI 132), the forming episode disappears.
    e.ingest(points('bj', 'pm25', hours('2016-12-02T09', Array(16).fill('0').join(' '))));
    expect(e.episodes({ kind: 'heavy' })).toEqual([]);
  });

  it('late data re-delimits: a late bridging day merges two processes and withdraws the second', () => {
    const e = createEngine();
    e.ingest(daily('bj', 'pm25', '2016-12-01', '160 . 160 100 100'));
    expect(ids(e.episodes({ kind: 'heavy' }))).toEqual(['heavy:bj:2016-12-01', 'heavy:bj:2016-12-03']);
    const ev = e.ingest(daily('bj', 'pm25', '2016-12-02', '140'));
    expect(ids(e.episodes({ kind: 'heavy' }))).toEqual(['heavy:bj:2016-12-01']);
    expect(ev.filter((x) => x.kind === 'heavy').map((x) => x.key)).toEqual(['heavy:bj:2016-12-03:withdrawn']);
    expect(e.episodes({ kind: 'heavy' })[0]).toMatchObject({ end: '2016-12-03', daysOver: 2 });
  });

  it('one event, one episode: the rolling 24-h measure is a facet of the calendar-day process (REF 3.1)', () => {
    // 12 h of 50 then 24 h of 300 then 36 h of 50: 12-01 and 12-02 each average (12*50 + 12*300)/24
    // = 175 (AQI 225 > 200), and the 24 h ending 12-02 12:00 average 300 (AQI 350).
    const s = hours('2016-12-01T01', [...Array(12).fill('50'), ...Array(24).fill('300'), ...Array(36).fill('50')].join(' '));
    const eps = detectEpisodes(points('bj', 'pm25', s));
    expect(eps.map((e) => e.id)).toEqual(['heavy:bj:2016-12-01']);
    const [e] = eps;
    expect(e).toMatchObject({ level: 'heavy', daysOver: 2, peak: { at: '2016-12-01', value: 225 } });
    expect(e.facets!.calendar).toMatchObject({ basis: 'calendar-day', start: '2016-12-01', end: '2016-12-02', durationHours: 48, daysOver: 2, peak: { at: '2016-12-01', value: 225 } });
    expect(e.facets!.rolling).toMatchObject({ basis: 'rolling-24h', peak: { at: '2016-12-02T12', value: 350 } });
    // Rolling AQI > 200 needs the 24-h mean > 150 (HJ 633-2012 PM2.5 150 -> 200). The series starts at
    // 12-01T01, so the window ending 12-01T21 holds 21 hours (>= 20 valid): (12*50 + 9*300)/21 = 157;
    // at T20, (12*50 + 8*300)/20 = 150 is not over. The last: the window ending 12-03T02 holds 10 h of
    // 300: (10*300 + 14*50)/24 = 154; at T03, 9 h: 144. So 12-01T21 .. 12-03T02, 30 hours.
    expect(e.facets!.rolling).toMatchObject({ start: '2016-12-01T21', end: '2016-12-03T02' });
    expect(e.facets!.rolling!.durationHours).toBe(30);
  });

  it('24 h over 200 across midnight with neither calendar day over is one episode on the rolling measure', () => {
    // 16 h of 50 then 16 h of 260 then 40 h of 50: each day (16*50 + 8*260)/24 = 120 (AQI 158),
    // the 24 h ending 12-02 08:00 hold 16 h of 260 and 8 of 50: mean 190 -> AQI 240.
    const s = hours('2016-12-01T01', [...Array(16).fill('50'), ...Array(16).fill('260'), ...Array(40).fill('50')].join(' '));
    const eps = detectEpisodes(points('bj', 'pm25', s));
    expect(eps).toHaveLength(1);
    expect(eps[0]).toMatchObject({ kind: 'heavy', facets: { calendar: null }, level: 'heavy' });
    expect(eps[0].facets!.rolling!.peak).toMatchObject({ at: '2016-12-02T08', value: 240 });
    expect(eps[0].id).toBe(`heavy:bj:${eps[0].facets!.rolling!.start}`);
  });
});

describe('O3 episodes (MDA8 > 160 on consecutive days, REF 4.1)', () => {
  // A day with 8 hours 13..20 (labels) of x and 60 elsewhere has MDA8 = x (one full window).
  const o3day = (day: string, x: number) =>
    hours(`${day}T01`, [...Array(12).fill('60'), ...Array(8).fill(String(x)), ...Array(4).fill('60')].join(' '));

  it('two days > 160 make an episode (default minDays 2); one day does not', () => {
    const two = detectEpisodes(points('bj', 'o3', [...o3day('2017-06-14', 180), ...o3day('2017-06-15', 220), ...o3day('2017-06-16', 100), ...o3day('2017-06-17', 100)]));
    const o3 = two.filter((e) => e.kind === 'o3');
    expect(ids(o3)).toEqual(['o3:bj:2017-06-14']);
    expect(o3[0]).toMatchObject({ level: 'moderate', daysOver: 2, state: 'closed' });
    expect(o3[0].peak).toMatchObject({ at: '2017-06-15', value: 220 });
    const one = detectEpisodes(points('bj', 'o3', [...o3day('2017-06-14', 180), ...o3day('2017-06-15', 100)]));
    expect(one.filter((e) => e.kind === 'o3')).toEqual([]);
  });

  it.each([[161, 'light'], [216, 'moderate'], [266, 'heavy']] as const)('peak MDA8 %d -> %s', (x, level) => {
    const eps = detectEpisodes(points('bj', 'o3', [...o3day('2017-06-14', x), ...o3day('2017-06-15', x)]));
    expect(eps.find((e) => e.kind === 'o3')!.level).toBe(level);
  });

  it('minDays is configurable (3): two days stay "forming" while they may still grow', () => {
    const e = createEngine({ o3: { minDays: 3 } });
    const ev = e.ingest(points('bj', 'o3', [...o3day('2017-06-14', 180), ...o3day('2017-06-15', 180)]));
    expect(ev.filter((x) => x.kind === 'o3')).toEqual([]);
    expect(e.episodes({ kind: 'o3' })[0].state).toBe('forming');
    e.ingest(points('bj', 'o3', o3day('2017-06-16', 100)));
    expect(e.episodes({ kind: 'o3' })).toEqual([]);
  });

  it('a partial day counts once its partial MDA8 is above 160 (on track)', () => {
    const e = createEngine();
    e.ingest(points('bj', 'o3', o3day('2017-06-14', 180)));
    expect(e.episodes({ kind: 'o3' })[0].state).toBe('forming');
    // 06-15 up to 16:00: hours 13..16 at 200 and 60 before: the window ending 16:00 has 8 valid
    // hours (09..16) = (4*60 + 4*200)/8 = 130 -> not yet; up to 20:00: (8*200)/8 = 200 -> on track.
    e.ingest(points('bj', 'o3', hours('2017-06-15T01', '60 60 60 60 60 60 60 60 60 60 60 60 200 200 200 200')));
    expect(e.episodes({ kind: 'o3' })[0].state).toBe('forming');
    const ev = e.ingest(points('bj', 'o3', hours('2017-06-15T17', '200 200 200 200')));
    const ep = e.episodes({ kind: 'o3' })[0];
    expect(ep).toMatchObject({ state: 'active', provisional: true, daysOver: 2 });
    expect(ev.map((x) => x.type)).toContain('opened');
  });

  it('regional episode when >= 3 cities exceed together', () => {
    const pts = ['a', 'b', 'c'].flatMap((c) => points(c, 'o3', [...o3day('2017-06-14', 180), ...o3day('2017-06-15', 180), ...o3day('2017-06-16', 100)]));
    const reg = detectEpisodes(pts).filter((e) => e.scope === 'region');
    expect(reg.map((e) => [e.id, e.members])).toEqual([['o3:region:2017-06-14', ['a', 'b', 'c']]]);
    const cityEp = detectEpisodes(pts).find((e) => e.id === 'o3:a:2017-06-14')!;
    const transport = cityEp.classification.find((c) => c.label === 'regional transport')!;
    expect(transport.indicators.find((i) => i.id === 'concurrent_cities')).toMatchObject({ value: 2, pass: true });
  });
});

describe('combined days and sudden jumps', () => {
  it('PM2.5 > 75 and MDA8 > 160 on the same day is a combined day (REF 4.3; 2012 limit)', () => {
    const pm = flatDays('2017-06-14', 2, 80);
    const o3 = hours('2017-06-14T01', [...Array(12).fill('60'), ...Array(8).fill('200'), ...Array(28).fill('60')].join(' '));
    const eps = detectEpisodes([...points('bj', 'pm25', pm), ...points('bj', 'o3', o3)]).filter((e) => e.kind === 'combined');
    expect(ids(eps)).toEqual(['combined:bj:2017-06-14']);
  });

  it.each([
    ['rise of 60 (> 50)', '40 100 105', ['jump:bj:2016-12-01T02']],
    ['rise of 50 is not > 50 and 100 is not > 2 x 50', '50 100', []],
    ['doubling with a rise >= 20', '15 35', ['jump:bj:2016-12-01T02']],
    ['doubling from 3 to 7 is noise', '3 7', []],
    ['consecutive jump hours are one jump', '20 80 150 150', ['jump:bj:2016-12-01T02']],
    ['a missing hour before: no comparison', '20 . 150', []],
  ])('%s', (_n, text, want) => {
    const e = createEngine();
    e.ingest(points('bj', 'pm25', hours('2016-12-01T01', text)));
    expect(ids(e.alerts())).toEqual(want);
    // A jump is an alert, never an episode.
    expect(e.episodes()).toEqual([]);
  });

  it('a jump inside an episode is attached to it; raised once, not again after a restore', () => {
    const e = createEngine();
    // 12-01 clean, then 12-02 starts with a jump 40 -> 200 and stays at 200 (AQI 250).
    const pts = points('bj', 'pm25', [...hours('2016-12-01T01', Array(24).fill('40').join(' ')), ...hours('2016-12-02T01', Array(48).fill('200').join(' '))]);
    e.ingest(pts);
    const [a] = e.alerts();
    expect(a).toMatchObject({ id: 'jump:bj:2016-12-02T01', rise: 160, from: 40, to: 200, episodeId: 'heavy:bj:2016-12-02' });
    expect(e.episode('heavy:bj:2016-12-02')!.alerts).toEqual([a.id]);
    expect(e.raised().map((x) => x.id)).toEqual([a.id]);
    const b = createEngine();
    b.restore(JSON.parse(JSON.stringify(e.snapshot())));
    b.ingest(pts);
    expect(b.raised()).toEqual([]);
  });
});

describe('city values from stations', () => {
  it('city hour = mean of the stations; below minStationsPerHour the hour is missing', () => {
    const s1 = points('bj', 'pm25', flatDays('2016-12-01', 1, 100), 'A');
    const s2 = points('bj', 'pm25', flatDays('2016-12-01', 1, 220), 'B');
    const e = createEngine();
    e.ingest([...s1, ...s2]);
    expect(e.daily('bj')[0].pm25).toBe(160);
    const strict = createEngine({ minStationsPerHour: 3 });
    strict.ingest([...s1, ...s2]);
    expect(strict.daily('bj')[0]?.pm25 ?? null).toBeNull();
  });
});

describe('restart', () => {
  it('a snapshot from before "one episode per event" withdraws nothing for the retired kinds', () => {
    const data = daily('bj', 'pm25', '2016-12-01', '160 260 140 100 100');
    const a = createEngine();
    a.ingest(data);
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    snap.opened.push('heavy-rolling:bj:2016-12-01T21', 'jump:bj:2016-12-02T01');
    const b = createEngine();
    b.restore(snap);
    expect(b.ingest(data).filter((x) => x.type === 'withdrawn')).toEqual([]);
  });

  it('snapshot/restore repeats no event; ids are deterministic', () => {
    const data = daily('bj', 'pm25', '2016-12-01', '160 260 140 100 100');
    const a = createEngine();
    const first = a.ingest(data);
    expect(first.length).toBeGreaterThan(0);
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    const b = createEngine();
    b.restore(snap);
    expect(b.episodes()).toEqual(a.episodes());
    expect(b.ingest(data)).toEqual([]);
    // Rebuild from the store: only the emitted keys are kept, the data comes back by ingest.
    const c = createEngine();
    c.restore({ ...a.snapshot({ includeData: false }) });
    expect(c.ingest(data)).toEqual([]);
    expect(ids(c.episodes())).toEqual(ids(a.episodes()));
    // New data still produces new events.
    expect(c.ingest(daily('bj', 'pm25', '2016-12-10', '160')).map((x) => x.key)).toContain('heavy:bj:2016-12-10:opened');
  });
});
