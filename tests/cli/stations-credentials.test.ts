/**
 * `airdesk stations credentials` as an operator runs it (the real CLI in a child process): issue
 * prints each password once and it verifies against what is stored; list, revoke, hj212-pw and
 * export write what the embedded broker and Mosquitto read; bad codes, unknown stations and bad
 * PWs are one-line errors with exit 2, never a stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStationCredentials, verifyMosquittoHash } from '../../stores/station-credentials.ts';
import { hj212PwChecker } from '../../gateway/hj212-pw.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/airdesk.mjs');
let dir = '';
let db = '';
beforeAll(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'airdesk-creds-')); db = path.join(dir, 'stations.sqlite'); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = execFile(process.execPath, [BIN, 'stations', 'credentials', ...args, '--db', db], { timeout: 30_000 }, (e, out, err) => {
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, out, err });
    });
    if (stdin !== undefined) p.stdin!.end(stdin);
    else p.stdin!.end();
  });
}

describe('airdesk stations credentials', () => {
  it('issue, list, revoke, hj212-pw, export', async () => {
    const issued = await cli(['issue', '1001A', '1002A']);
    expect(issued.code).toBe(0);
    const pw = Object.fromEntries(issued.out.trim().split('\n').map((l) => l.split('\t')));
    expect(Object.keys(pw)).toEqual(['1001A', '1002A']);
    for (const p of Object.values(pw)) expect(p).toMatch(/^[A-Za-z0-9_-]{32}$/); // 24 random bytes
    expect(issued.err).toMatch(/not shown again/);
    const c = openStationCredentials(db);
    expect(c.verify('1001A', pw['1001A'])).toBe(true);
    expect(c.verify('1001A', pw['1002A'])).toBe(false);
    c.close();

    expect((await cli(['revoke', '1002A'])).out).toMatch(/^1 revoked/);
    expect((await cli(['hj212-pw', '1001A'], '123456\n')).out).toMatch(/HJ 212 PW set/);
    const list = JSON.parse((await cli(['list', '--json'])).out) as { station: string; revoked: number | null; hj212Pw: boolean }[];
    expect(list.map((r) => [r.station, r.revoked === null, r.hj212Pw])).toEqual([['1001A', true, true], ['1002A', false, false]]);
    const c2 = openStationCredentials(db);
    expect(hj212PwChecker('checked', c2.hj212Hashes())('1001A', '123456')).toBeNull();
    c2.close();

    const exp = await cli(['export', '--passwd', path.join(dir, 'passwd'), '--acl', path.join(dir, 'acl')]);
    expect(exp.code).toBe(0);
    const lines = readFileSync(path.join(dir, 'passwd'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1); // the revoked account is not exported
    const [user, hash] = [lines[0].slice(0, lines[0].indexOf(':')), lines[0].slice(lines[0].indexOf(':') + 1)];
    expect(user).toBe('1001A');
    expect(verifyMosquittoHash(pw['1001A'], hash)).toBe(true);
    expect(statSync(path.join(dir, 'passwd')).mode & 0o777).toBe(0o600);
    const acl = readFileSync(path.join(dir, 'acl'), 'utf8');
    expect(acl).toContain('user 1001A\ntopic write aq/v1/stations/1001A/readings\n');
    expect(acl).not.toContain('1002A');
  }, 60_000);

  it.each([
    [['issue', 'A/B'], /^airdesk: .*a broker account needs a code of letters, digits/],
    [['issue', 'OK1', 'a b'], /^airdesk: "a b": a broker account needs a code/],
    [['revoke', 'NOPE'], /^airdesk: no active account: NOPE$/m],
    [['hj212-pw', '1001A'], /HJ 212 PW: 1\.\.64 printable characters on stdin/],
    [['export', '--passwd', '/nonexistent-dir/x', '--acl', '/nonexistent-dir/y'], /^airdesk: ENOENT/m],
  ] as const)('%j -> exit 2, one line', async (args, msg) => {
    const r = await cli([...args], args[0] === 'hj212-pw' ? 'has space\n' : undefined);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(msg);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    // Nothing was issued for the good code given beside a bad one.
    const c = openStationCredentials(db);
    expect(c.list().map((x) => x.station)).not.toContain('OK1');
    c.close();
  }, 30_000);
});
