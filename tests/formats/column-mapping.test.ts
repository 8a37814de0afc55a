/**
 * The column mapping for one-row-per-hour tables (common/formats/column-mapping.ts): units convert
 * at the GB 3095 reference state, bad mappings and bad rows are rejected with their reason and
 * line, and `import` reads a table through the same path (gateway/import/messages.ts).
 */
import { describe, expect, it } from 'vitest';
import { MappingError, inferMapping, parseHourLabel, parseMappedRows, validateMapping } from '#common/formats/column-mapping.ts';
import { archiveHours, splitCsv } from '#common/formats/archive-hours.ts';
import { detectFormat } from '#common/formats/file-sniff.ts';
import { fileToMessages } from '../../gateway/import/messages.ts';
import { normaliseStationReading } from '#common/ingest/normalise.ts';

const rows = (t: string) => splitCsv(t);

describe('mapping validation: every problem named, nothing read', () => {
  it.each([
    [{ time: 'datetime', station: 'A1', columns: { 'PM2.5': 'grains/ft3' } }, /unknown unit "grains\/ft3" for PM2.5 \(known: ug\/m3, mg\/m3\)/],
    [{ time: 'datetime', station: 'A1', columns: { X: { quantity: 'benzene', unit: 'ppb' } } }, /unknown quantity "benzene"/],
    [{ time: 'datetime', columns: { O3: 'ppb' } }, /"station" must be/],
    [{ station: 'A1', columns: { O3: 'ppb' } }, /"time" must be/],
    [{ time: 't', station: 'A1', columns: {} }, /"columns" must map/],
    [{ time: 't', station: 'A1', tz: 99, columns: { O3: 'ppb' } }, /"tz" must be/],
    [{ time: 't', station: 'A1', hourLabel: 'middle', columns: { O3: 'ppb' } }, /"hourLabel"/],
    [null, /JSON object/],
  ])('%j', (m, re) => {
    expect(() => validateMapping(m)).toThrow(MappingError);
    expect(() => validateMapping(m)).toThrow(re);
  });
  it('a mapped column missing from the header is an error, not an empty column', () => {
    const m = validateMapping({ time: 'datetime', station: 'A1', columns: { NO2: 'ug/m3' } });
    expect(() => parseMappedRows(rows('datetime,PM2.5\n2017-06-01 01:00,3'), m)).toThrow(/column "NO2" of the mapping is not in the header/);
  });
  it('inferring says what is missing: the station, the time column, any pollutant', () => {
    expect(() => inferMapping(['datetime', 'PM2.5'])).toThrow(/give --station CODE/);
    expect(() => inferMapping(['when', 'PM2.5'], { station: 'A' })).toThrow(/no time column/);
    expect(() => inferMapping(['datetime', 'foo'], { station: 'A' })).toThrow(/no pollutant column/);
    expect(() => inferMapping(['datetime', 'O3 [furlongs]'], { station: 'A' })).toThrow(/unknown unit "furlongs" for O3/);
  });
});

describe('times: zone, hour convention, line-numbered rejects', () => {
  it.each([
    ['2017-06-01 14:00', 8, Date.UTC(2017, 5, 1, 6)], ['2017/06/01 14', 8, Date.UTC(2017, 5, 1, 6)], ['2017060114', 8, Date.UTC(2017, 5, 1, 6)],
    ['2017-06-01 14:00', 0, Date.UTC(2017, 5, 1, 14)], ['2017-06-01T14:00:00+08:00', 0, Date.UTC(2017, 5, 1, 6)],
    ['2017-06-01 24:00', 8, Date.UTC(2017, 5, 1, 16)], ['6/1/2017 14:00', 8, Date.UTC(2017, 5, 1, 6)],
  ])('%s at UTC%+d', (s, tz, t) => expect(parseHourLabel(s, tz)).toBe(t));
  it.each(['2017-06-01 14:30', '2017-02-30 01:00', 'yesterday', '', '2017-13-01 00:00', '2017-06-01 25:00'])('"%s" is rejected with a reason', (s) => {
    expect(typeof parseHourLabel(s, 8)).toBe('string');
  });
  it('hour-start labels add an hour; a date + hour column pair works; bad rows keep their line', () => {
    const m = validateMapping({ time: { date: 'date', hour: 'hour' }, tz: 8, hourLabel: 'start', station: 'A1', columns: { 'PM2.5': 'ug/m3', CO: 'ug/m3' } });
    const t = parseMappedRows(rows('date,hour,PM2.5,CO\n2017-06-01,13,10,700\n2017-06-01,x,1,1\n\n2017-06-01,14,abc,800'), m);
    expect(t.hours.map((h) => [h.line, new Date(h.time).toISOString(), h.byType['PM2.5'], +h.byType.CO!.toFixed(9)])).toEqual([
      [2, '2017-06-01T06:00:00.000Z', 10, 0.7], [5, '2017-06-01T07:00:00.000Z', null, 0.8],
    ]);
    expect(t.rejects).toEqual([{ line: 3, reason: 'row.time', detail: 'line 3: hour "x" is not 0..24' }]);
    expect(t.badCells).toBe(1);
  });
  it('ppb gases convert at 298.15 K / 1013.25 hPa: NO2 100 ppb = 100 x 46.005 / 24.4654 = 188.04 ug/m3', () => {
    const m = inferMapping(['datetime', 'NO2 (ppb)', 'CO(ppm)'], { station: 'A1' });
    const t = parseMappedRows(rows('datetime,NO2 (ppb),CO(ppm)\n2017-06-01 01:00,100,1'), m);
    expect(t.hours[0].byType.NO2).toBeCloseTo(188.04, 2);
    expect(t.hours[0].byType.CO).toBeCloseTo(28.010 / 24.4654, 4); // 1 ppm CO = 1.145 mg/m3
  });
});

describe('the one importer: a single-station file through import', () => {
  const text = 'datetime,PM2.5,O3,NO2,CO,SO2\n2017-06-01 01:00,35,100,40,0.6,8\n2017-06-01 02:00,-5,100,40,0.6,8\n2017-06-01 2:30,1,1,1,1,1\n';
  it('is recognised as a table, refused without a station, read with one', () => {
    expect(detectFormat(text)).toBe('table');
    expect(() => fileToMessages(text, 'table')).toThrow(/give --station CODE/);
    const fm = fileToMessages(text, 'table', 'end', { infer: { station: '1141A' } });
    expect(fm.lineRejects).toEqual([{ line: 4, reason: 'row.time', detail: 'line 4: "2017-06-01 2:30" is not on the hour' }]);
    const n = fm.msgs.map(({ msg }) => normaliseStationReading(msg, { source: 'import', now: Date.UTC(2026, 0, 1) }));
    expect(n[0]).toMatchObject({ ok: true, reading: { station: '1141A', values: { pm25: 35, o3: 100, co: 0.6 } } });
    // the same bad-value rule as every other path: a negative concentration rejects the station-hour
    expect(n[1]).toMatchObject({ ok: false, reason: 'value.negative' });
  });
  it('a station column instead of --station; the archive core gives the codes', () => {
    const a = archiveHours('time,station,PM10\n2017-06-01 01:00,1141A,80\n2017-06-01 01:00,1142A,90', 'table');
    expect(a.hours.map((h) => [h.station, h.byType.PM10])).toEqual([['1141A', 80], ['1142A', 90]]);
  });
});
