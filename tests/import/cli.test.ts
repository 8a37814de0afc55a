/**
 * `airdesk import` as an operator runs it: the real CLI in a child process, SQLite store in a
 * temp AIRDESK_DATA_DIR, stderr not a terminal (so plain progress lines, no bar).
 */
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const FIX = path.join(ROOT, 'tests/fixtures/import');

describe('airdesk import (CLI)', () => {
  it('imports the fixture folder, prints a JSON summary, and a second run adds nothing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'airdesk-cli-'));
    const env = { ...process.env, AIRDESK_DATA_DIR: dir, INFLUX_URL: '' };
    try {
      const a = await run('node', ['bin/airdesk.mjs', 'import', '--json', FIX], { cwd: ROOT, env });
      const s1 = JSON.parse(a.stdout);
      // README.md and station-list.csv are not data files; empty.csv and html-error.csv are bad
      expect(s1.files.failed).toEqual({ 'file.format': 2, 'file.empty': 1, 'file.html': 1 });
      expect(s1.stationHours.accepted).toBe(18);
      expect(a.stderr).toMatch(/import: 10\/10 files, 18 station-hours accepted, 1 rejected/);
      const b = await run('node', ['bin/airdesk.mjs', 'import', FIX], { cwd: ROOT, env });
      expect(b.stdout).toMatch(/store: 0 new, 0 updated, 18 already stored/);
      expect(b.stdout).toMatch(/hours \(Beijing time, hour end\): 2017-01-01 00:00 \.\. 2017-06-01 10:00/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('bad options are one-line errors, not stack traces', async () => {
    const e = await run('node', ['bin/airdesk.mjs', 'import', '--hour-label', 'middle', FIX], { cwd: ROOT }).catch((x) => x);
    expect(e.code).toBe(2);
    expect(e.stderr.trim()).toBe('airdesk: --hour-label must be end or start');
  });
});
