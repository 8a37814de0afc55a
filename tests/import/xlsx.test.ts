/**
 * `import` of an .xlsx workbook (one sheet per station, a bad sheet among them) and of a
 * single-station CSV through the column mapping: the same pipeline, normaliser and store as every
 * other archive (gateway/import/pipeline.ts). The workbook is generated here with exceljs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../gateway/import/pipeline.ts';
import { openStore } from '../../stores/open.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-xlsx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('import: .xlsx sheets and mapped tables', () => {
  it('imports every good sheet (station column), counts the bad one, keeps wall-clock times', async () => {
    const wb = new ExcelJS.Workbook();
    for (const st of ['1141A', '1142A']) {
      const ws = wb.addWorksheet(st);
      ws.addRow(['time', 'station', 'PM2.5', 'CO']);
      ws.addRow([new Date(Date.UTC(2017, 5, 1, 13)), st, 30, 0.5]);
      ws.addRow([new Date(Date.UTC(2017, 5, 1, 14)), st, 31, 0.6]);
    }
    wb.addWorksheet('notes').addRow(['written by hand', 'no data']);
    const f = path.join(dir, 'month.xlsx');
    await wb.xlsx.writeFile(f);
    const csv = path.join(dir, 'one-station.csv');
    writeFileSync(csv, 'datetime,PM2.5,O3 [ppb]\n2017-06-01 13:00,20,50\n2017-06-01 13:30,1,1\n');
    const store = await openStore({ sqlitePath: path.join(dir, 'store.sqlite') });
    try {
      await store.init();
      const s = await importFiles([f, csv], { store, read: { infer: { station: '1143A' } } });
      expect(s.files).toEqual({ total: 2, imported: 2, failed: {} });
      expect(s.perFile[0].notes?.join(' ')).toMatch(/file\.format: .*notes/);
      expect(s.lines.rejected).toEqual({ 'row.time': 1 });
      expect(s.stationHours.accepted).toBe(5);
      const got = await store.queryReadings({ interval: 'hour', source: 'import', from: 0, to: Date.UTC(2030, 0, 1) });
      const byStation = got.map((r) => [r.station, new Date(r.time).toISOString(), r.values.pm25]).sort();
      expect(byStation).toContainEqual(['1141A', '2017-06-01T05:00:00.000Z', 30]); // 13:00 Beijing
      // --station is the CSV's; the sheets name theirs in a column
      expect(byStation).toContainEqual(['1143A', '2017-06-01T05:00:00.000Z', 20]);
      const o3 = got.find((r) => r.station === '1143A')!.values.o3!;
      expect(o3).toBeCloseTo((50 * 47.997) / 24.4654, 1); // 50 ppb O3 = 98.09 ug/m3
    } finally {
      await store.close();
    }
  }, 30_000);
});
