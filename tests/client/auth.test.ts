/**
 * Signing in, in a real browser (issue 15) against the real server with reads closed (the
 * default): the sign-in screen first (zh/en), sign in, the session ending mid-use brings the
 * sign-in back over the page without losing what was set on it, sign out; a wall with a display
 * token in its URL needs no sign-in and keeps working after a server restart; no Content
 * Security Policy violation on any of these pages (the helmet CSP the built client passes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openRecords, type Records } from '../../records/open.ts';
import { CHROMIUM, HAVE_CLIENT, launchBrowser, startDemo, type Demo } from './harness.ts';

const skip = !CHROMIUM || !HAVE_CLIENT;
if (skip) console.log(`tests/client/auth: skipped (${!CHROMIUM ? 'no Chromium' : 'no dist/client: run npx vite build'})`);

const USER = { name: 'li.na', password: 'a-long-passphrase' };

async function watchCsp(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) seen.push(m.text()); });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return seen;
}

const storeStations = (p: Page) => p.evaluate(() => ((window as unknown as { __airdesk?: { store?: { stations: unknown[] } } }).__airdesk?.store?.stations.length ?? 0));

describe.skipIf(skip)('signing in, in Chromium', () => {
  let dir: string;
  let records: Records;
  let demo: Demo;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'airdesk-auth-client-'));
    records = await openRecords({ sqlitePath: path.join(dir, 'records.sqlite') });
    demo = await startDemo({ days: 1, publicRead: false, seedUsers: `${USER.name}:lead_forecaster:${USER.password}`, records });
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await records?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sign-in first; sign in; a session ending mid-use shows the sign-in over the page, which keeps its state; sign out', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const csp = await watchCsp(page);
    await page.goto(`${demo.url}/?lang=en`);
    await page.waitForSelector('[data-testid=login]', { timeout: 60_000 });
    expect(await storeStations(page)).toBe(0); // nothing was read without an identity
    await page.fill('input[name=name]', USER.name);
    await page.fill('input[name=password]', 'wrong-password-here');
    await page.click('button[type=submit]');
    await page.waitForSelector('.login-err');
    expect(await page.textContent('.login-err')).toBe('Wrong name or password');
    await page.fill('input[name=password]', USER.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=login]', { state: 'detached', timeout: 30_000 });
    await page.waitForFunction(() => ((window as unknown as { __airdesk?: { store?: { stations: unknown[] } } }).__airdesk?.store?.stations.length ?? 0) > 0, null, { timeout: 60_000 });
    expect(await page.textContent('[data-testid=user-chip]')).toContain(`Signed in as ${USER.name}`);

    // Something set on the page (the wind layer off), then the session ends on the server.
    const wind = page.locator('label.toggle', { hasText: 'Wind' }).locator('input');
    const was = await wind.isChecked();
    await wind.click();
    expect(await wind.isChecked()).toBe(!was);
    const u = await records.users.get(USER.name);
    await records.sessions.endAll(u!.id, { who: 'test', from: 'tests' });
    demo.server.app.endSockets(() => true);
    await page.waitForSelector('[data-testid=expired]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid=expired]')).toMatch(/session ended/);
    expect(await wind.isChecked()).toBe(!was); // the page under the sign-in is untouched
    await page.fill('input[name=name]', USER.name);
    await page.fill('input[name=password]', USER.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=login]', { state: 'detached', timeout: 30_000 });
    expect(await wind.isChecked()).toBe(!was);

    await page.click('[data-testid=user-chip] button');
    await page.waitForSelector('[data-testid=login]', { timeout: 30_000 });
    const me = await page.evaluate(async () => (await (await fetch('/api/auth/me')).json()).me);
    expect(me).toBeNull();
    expect(csp).toEqual([]);
    await page.close();
  });

  it('the sign-in screen speaks Chinese by default', async () => {
    const page = await browser.newPage();
    await page.goto(`${demo.url}/?lang=zh`);
    await page.waitForSelector('[data-testid=login]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=login] button[type=submit]')).toBe('登录');
    await page.close();
  });

  it('a wall with a display token in its URL shows data without a sign-in, and still does after a restart', async () => {
    const { token } = await demo.server.app.auth.createToken({ kind: 'display', name: 'lobby', scopes: ['read'] }, { who: 'test', from: 'tests' });
    const open = async () => {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      const csp = await watchCsp(page);
      await page.goto(`${demo.url}/wall?token=${encodeURIComponent(token)}&lang=en`);
      await page.waitForFunction(() => ((window as unknown as { __airdesk?: { store?: { stations: unknown[] } } }).__airdesk?.store?.stations.length ?? 0) > 0, null, { timeout: 60_000 });
      expect(await page.locator('[data-testid=login]').count()).toBe(0);
      // The wall's token reads, and cannot write.
      const post = await page.evaluate(async (t) => (await fetch('/api/forecasts', { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: JSON.stringify({ city: '北京', days: [{ day: '2026-12-03', aqi: 300 }] }) })).status, token);
      expect(post).toBe(403);
      expect(csp).toEqual([]);
      await page.close();
    };
    await open();
    await demo.close();
    demo = await startDemo({ days: 1, publicRead: false, records });
    await open();
  });
});
