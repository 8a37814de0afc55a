/**
 * Shared by the report tests: where ../shared/data is (AIRDESK_SHARED_DATA overrides it, for a
 * worktree that sits elsewhere), the CLI in a child process, and a synthetic PRSA file writer.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SHARED_DATA = process.env.AIRDESK_SHARED_DATA || path.resolve(ROOT, '../shared/data');

export interface Run { code: number; stdout: string; stderr: string }

/** `airdesk report ...args`, never rejecting: exit code and both streams. */
export function report(args: readonly string[], timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile('node', ['bin/airdesk.mjs', 'report', ...args], { cwd: ROOT, maxBuffer: 64 << 20, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export const PRSA_HEADER = 'No,year,month,day,hour,PM2.5,PM10,SO2,NO2,CO,O3,TEMP,PRES,DEWP,RAIN,wd,WSPM,station';

/** A PRSA CSV of one station: `pm25(dayIndex, hour)` per hour (null: no row) from `first` (Beijing 'YYYY-MM-DD',
 *  hour label 0) for `days` days; the other pollutants fixed and modest (CO in ug/m3 as PRSA). */
export function prsaText(station: string, first: string, days: number, pm25: (day: number, hour: number) => number | null, o3: (day: number, hour: number) => number = (_d, h) => 40 + 6 * Math.max(0, 8 - Math.abs(h - 15))): string {
  const lines = [PRSA_HEADER];
  const [y, m, d] = first.split('-').map(Number);
  let no = 1;
  for (let k = 0; k < days; k++) {
    const date = new Date(Date.UTC(y, m - 1, d + k));
    for (let h = 0; h < 24; h++) {
      const v = pm25(k, h);
      if (v === null) continue; // null: the station has no row for the hour (the file ends there)
      lines.push([no++, date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), h, v.toFixed(0), (1.3 * v).toFixed(0), 8, 40, 900, o3(k, h).toFixed(0), -2, 1020, -15, 0, 'NW', 1.5, `"${station}"`].join(','));
    }
  }
  return lines.join('\n') + '\n';
}
