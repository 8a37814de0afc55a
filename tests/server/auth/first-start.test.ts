/**
 * First start (issue 15): with no users the server creates `admin` with a one-time password,
 * printed once on stdout and never stored (only its argon2id hash), forced to change at first
 * login; AIRDESK_SEED_USERS seeds users instead (inline or a JSON file) and refuses garbage with
 * a one-line reason.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { parseSeedUsers } from '../../../server/services/auth.ts';
import { makeServer } from '../helpers.ts';

describe('first start', () => {
  it('no users: an admin with a one-time password printed once, which must be changed', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => { out.push(String(c)); return true; });
    const s = await makeServer({ config: { publicRead: false, printFirstPassword: true } });
    try {
      await s.app.ready();
    } finally {
      spy.mockRestore();
    }
    const line = out.join('').match(/sign in as "admin" with the one-time password (\S+)/);
    expect(line).not.toBeNull();
    const pw = line![1];
    const admin = await s.app.records.users.get('admin');
    expect(admin).toMatchObject({ roles: ['admin'], mustChangePassword: true });
    expect(admin!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(admin!.passwordHash).not.toContain(pw);
    const r = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'admin', password: pw } });
    expect(r.json().me).toMatchObject({ name: 'admin', mustChangePassword: true });
    const cookie = r.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await s.app.inject({ url: '/api/admin/users', headers: { cookie } })).json().error.code).toBe('AIRDESK_PASSWORD_CHANGE_REQUIRED');
    await s.close();
    // A second start on the same records creates nobody and prints nothing.
  });

  it('users exist: nothing created, nothing printed', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => { out.push(String(c)); return true; });
    const s = await makeServer({ config: { printFirstPassword: true, seedUsers: 'li.na:forecaster:a-long-passphrase' } });
    try {
      await s.app.ready();
    } finally {
      spy.mockRestore();
    }
    expect(out.join('')).not.toMatch(/one-time password/);
    expect((await s.app.records.users.list()).map((u) => u.name)).toEqual(['li.na']);
    expect((await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'li.na', password: 'a-long-passphrase' } })).json().me.mustChangePassword).toBe(false);
    await s.close();
  });

  it('AIRDESK_SEED_USERS: inline and JSON file; garbage refused with a one-line reason', () => {
    expect(parseSeedUsers('a:forecaster:a-long-passphrase, b:lead_forecaster+analyst:another-passphrase')).toEqual([
      { name: 'a', roles: ['forecaster'], password: 'a-long-passphrase' },
      { name: 'b', roles: ['lead_forecaster', 'analyst'], password: 'another-passphrase' },
    ]);
    // A colon in the password is kept (only the first two separate fields).
    expect(parseSeedUsers('c:analyst:pass:with:colons')[0].password).toBe('pass:with:colons');
    const dir = mkdtempSync(path.join(tmpdir(), 'airdesk-seed-'));
    const f = path.join(dir, 'users.json');
    writeFileSync(f, JSON.stringify([{ name: 'wall', roles: ['display'], password: 'display-passphrase' }]));
    expect(parseSeedUsers(f)).toEqual([{ name: 'wall', roles: ['display'], password: 'display-passphrase' }]);
    for (const [raw, why] of [
      ['nobody', /expected name:role\[\+role\]:password/],
      ['A:forecaster:a-long-passphrase', /user name "A"/],
      ['a:wizard:a-long-passphrase', /roles \["wizard"\]/],
      ['a:forecaster:short', /at least 10 characters/],
      ['a:forecaster:a-long-passphrase,a:analyst:a-long-passphrase', /given twice/],
      [path.join(dir, 'missing.json'), /cannot read/],
      ['{"name":"x"}', /list of/],
      ['[{"name": "x", "roles": ["analyst"]}]', /password must be a string/],
    ] as const) {
      expect(() => parseSeedUsers(raw), raw).toThrow(why);
      try { parseSeedUsers(raw); } catch (e) { expect((e as Error).message).not.toMatch(/\n/); expect((e as Error).message).toMatch(/^AIRDESK_SEED_USERS: /); }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('a server with a malformed AIRDESK_SEED_USERS does not start', async () => {
    const s = await makeServer({ config: { seedUsers: 'x:root:a-long-passphrase' } });
    await expect(s.app.ready()).rejects.toThrow(/AIRDESK_SEED_USERS: user x: roles/);
    await s.close().catch(() => {});
  });
});
