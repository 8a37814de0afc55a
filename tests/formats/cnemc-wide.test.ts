import { describe, it, expect } from 'vitest';
import { parseCnemcWide, pivotWide, wideRowTime, WideFormatError } from '#common/formats/cnemc-wide.ts';

const text = [
  'date,hour,type,1001A,1002A',
  '20170101,0,PM2.5,80,',
  '20170101,0,AQI,107,',
  '',
  '20170101,1,PM2.5,x,12',
  '20170101,25,PM2.5,1,2',
  '20170101,2,PM2.5,1',
  'garbage,2,PM2.5,1,2',
  '20170101,3,PM2.5,,',
].join('\n');

describe('CNEMC wide CSV', () => {
  it('parses rows, counts non-numeric cells, rejects malformed lines with a reason', () => {
    const f = parseCnemcWide(text);
    expect(f.stations).toEqual(['1001A', '1002A']);
    expect(f.rows.map((r) => [r.hour, r.type, r.values])).toEqual([
      [0, 'PM2.5', [80, null]],
      [0, 'AQI', [107, null]],
      [1, 'PM2.5', [null, 12]],
      [3, 'PM2.5', [null, null]],
    ]);
    expect(f.badCells).toBe(1);
    expect(f.rejects.map((r) => [r.line, r.reason])).toEqual([
      [6, 'row.hour'],
      [7, 'row.columns'],
      [8, 'row.date'],
    ]);
  });
  it('labels mark the end of the hour in Beijing time (UTC+8)', () => {
    expect(new Date(wideRowTime({ date: '20170101', hour: 16 })).toISOString()).toBe('2017-01-01T08:00:00.000Z');
  });
  it('pivots into station-hours and drops all-empty ones', () => {
    const sh = pivotWide(parseCnemcWide(text));
    expect(sh.map((s) => [s.station, s.byType])).toEqual([
      ['1001A', { 'PM2.5': 80, AQI: 107 }],
      ['1002A', { 'PM2.5': 12 }],
    ]);
  });
  it('refuses a file that is not this format (e.g. an HTML error page saved as .csv)', () => {
    expect(() => parseCnemcWide('<html><body>502 Bad Gateway</body></html>')).toThrow(WideFormatError);
    expect(() => parseCnemcWide('')).toThrow(WideFormatError);
  });
});
