/** `npm start` rebuilds the client when it is missing or older than its sources (a `git pull`
 *  must not leave a client that does not match the new server). */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clientStale } from '../../cli/commands/start.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function tree() {
  const d = mkdtempSync(path.join(tmpdir(), 'airdesk-build-'));
  dirs.push(d);
  mkdirSync(path.join(d, 'src', 'ui'), { recursive: true });
  mkdirSync(path.join(d, 'dist'));
  const src = path.join(d, 'src', 'ui', 'Login.tsx');
  writeFileSync(src, 'x');
  return { d, src, dist: path.join(d, 'dist'), index: path.join(d, 'dist', 'index.html') };
}
const at = (f: string, t: number) => utimesSync(f, t / 1000, t / 1000);

describe('clientStale', () => {
  it('is stale with no build, fresh after one, stale again when a source changes', () => {
    const t = tree();
    const T = Date.UTC(2026, 11, 1);
    at(t.src, T);
    expect(clientStale(t.dist, [path.join(t.d, 'src')])).toBe(true);
    writeFileSync(t.index, '<html>');
    at(t.index, T + 60_000);
    expect(clientStale(t.dist, [path.join(t.d, 'src')])).toBe(false);
    at(t.src, T + 120_000);
    expect(clientStale(t.dist, [path.join(t.d, 'src')])).toBe(true);
  });
  it('a source root that does not exist is not an error', () => {
    const t = tree();
    writeFileSync(t.index, '<html>');
    expect(clientStale(t.dist, [path.join(t.d, 'nowhere')])).toBe(false);
  });
});
