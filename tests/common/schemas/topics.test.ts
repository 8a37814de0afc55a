/** The one topic parser (common/schemas/topics.ts): every topic the layout builds parses back to
 *  its kind and id; garbage is null, never a throw; filters follow MQTT 3.1.1 section 4.7. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TOPICS, compileFilter, parseTopic, stationTopic, topicLevels } from '../../../common/schemas/topics.ts';

describe('parseTopic', () => {
  it('reads back every topic the layout builds', () => {
    expect(parseTopic(TOPICS.stationReadings('1001A'))).toEqual({ kind: 'stationReadings', station: '1001A' });
    expect(parseTopic(TOPICS.stationStatus('1001A'))).toEqual({ kind: 'stationStatus', station: '1001A' });
    expect(parseTopic(TOPICS.vocCycles('voc-1003A'))).toEqual({ kind: 'vocCycles', analyzer: 'voc-1003A' });
    expect(parseTopic('aq/v1/flat/sensor-7')).toEqual({ kind: 'flatReadings', station: 'sensor-7' });
    expect(parseTopic('hj212/22/MN0001/2061')).toEqual({ kind: 'hj212' });
    expect(parseTopic(TOPICS.acceptedReadings)).toEqual({ kind: 'acceptedReadings' });
    expect(parseTopic(TOPICS.acceptedVoc)).toEqual({ kind: 'acceptedVoc' });
  });
  it.each([
    '', '/', 'aq', 'aq/v1', 'aq/v2/stations/X/readings', 'AQ/v1/stations/X/readings', '/aq/v1/stations/X/readings',
    'aq/v1/stations/X', 'aq/v1/stations/X/readings/extra', 'aq/v1/stations/X/reading', 'aq/v1/voc/A/cycle',
    'aq/v1/voc/A', 'aq/v1/flat', 'aq/v1/flat/a/b', 'aq/v1/internal/readings/x', 'hj2120/x', '\u0000', '北京/v1',
  ])('%j is not one of ours', (t) => {
    expect(parseTopic(t)).toBeNull();
  });
  it('keeps an empty id level as MQTT does (the router dead-letters it on the payload)', () => {
    expect(parseTopic('aq/v1/stations//readings')).toEqual({ kind: 'stationReadings', station: '' });
  });
  it('agrees with the allocation-free station fast path on any topic', () => {
    const level = fc.constantFrom('aq', 'v1', 'stations', 'readings', 'status', '', 'X', 'a/b', '+');
    fc.assert(fc.property(fc.array(level, { maxLength: 7 }), (ls) => {
      const t = ls.join('/');
      const p = parseTopic(t);
      expect(stationTopic(t, 'readings')).toBe(p?.kind === 'stationReadings' ? p.station : null);
      expect(stationTopic(t, 'status')).toBe(p?.kind === 'stationStatus' ? p.station : null);
    }));
  });
});

describe('compileFilter', () => {
  it('matches as MQTT 3.1.1 4.7 says', () => {
    const m = (f: string, t: string) => compileFilter(f)!.matches(topicLevels(t));
    expect(m('sport/tennis/+', 'sport/tennis/player1')).toBe(true);
    expect(m('sport/tennis/+', 'sport/tennis/player1/ranking')).toBe(false);
    expect(m('sport/#', 'sport')).toBe(true); // '#' includes the parent level
    expect(m('sport/#', 'sport/tennis/player1')).toBe(true);
    expect(m('+/+', '/finance')).toBe(true);
    expect(m('+', '/finance')).toBe(false);
    expect(m('#', 'anything/at/all')).toBe(true);
  });
  it('every filter the gateway subscribes to matches the topics the layout builds', () => {
    expect(compileFilter(TOPICS.stationReadingsFilter)!.matches(topicLevels(TOPICS.stationReadings('X')))).toBe(true);
    expect(compileFilter(TOPICS.stationStatusFilter)!.matches(topicLevels(TOPICS.stationStatus('X')))).toBe(true);
    expect(compileFilter(TOPICS.vocCyclesFilter)!.matches(topicLevels(TOPICS.vocCycles('X')))).toBe(true);
    expect(compileFilter(TOPICS.hj212Filter)!.matches(topicLevels('hj212/22/MN/2061'))).toBe(true);
    expect(compileFilter(TOPICS.stationReadingsFilter)!.matches(topicLevels(TOPICS.stationStatus('X')))).toBe(false);
  });
  it.each(['', 'a/#/b', 'a#', 'a/b+', '+a', '##'])('%j is not a filter', (f) => {
    expect(compileFilter(f)).toBeNull();
  });
});
