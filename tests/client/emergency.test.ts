/**
 * The emergency view (/emergency) in Chromium against the real server on the simulated Beijing in
 * its winter PM scenario, with 19 days of history in the store (the scenario repeats every 8 days,
 * so today is an episode day): a person issues an orange warning through the API -> its warning
 * response appears in the view, with the live evaluation (observed vs counterfactual PM2.5 so far,
 * the band, the verdict in words) the server computed; zh and en. Screenshots in
 * artifacts/screenshots/emergency-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, HAVE_CLIENT, launchBrowser, startDemo, type Demo } from './harness.ts';

const SHOTS = 'artifacts/screenshots';
const skip = !CHROMIUM || !HAVE_CLIENT;
if (skip) console.log(`tests/client/emergency: skipped (${!CHROMIUM ? 'no Chromium: set AIRDESK_TEST_CHROMIUM or apt-get install chromium' : 'no dist/client: run npx vite build'})`);

describe.skipIf(skip)('emergency view in Chromium: a warning issued -> its measure and evaluation', () => {
  let demo: Demo;
  let browser: Browser;
  let page: Page;
  let city: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await startDemo({
      scenario: 'pm', days: 19,
      // Small model and checks: the point here is the path from warning to screen, not the figures.
      config: { measureEval: { everyMinutes: 0, historyDays: 30, minHistoryDays: 10, rounds: 40, placebos: 20, reps: 200 } },
    });
    city = demo.sim.stations[0].city;
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('shows no measure, then the warning response of a warning just issued, with its evaluation', async () => {
    await page.goto(`${demo.url}/emergency`);
    await page.waitForSelector('[data-testid=em-none]', { timeout: 30_000 });

    const r = await fetch(`${demo.url}/api/warnings/actions`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...demo.writeHeaders },
      body: JSON.stringify({ city, scheme: '2024', action: 'issue', level: 'orange', by: '应急办值班员' }),
    });
    expect(r.status).toBe(200);
    await page.waitForSelector('[data-testid=em-measure]', { timeout: 30_000 });
    // Just issued: no hour of data since its start yet, and the view says so.
    await page.waitForSelector('[data-testid=em-verdict][data-status=no-window-data]', { timeout: 60_000 });
    await page.screenshot({ path: `${SHOTS}/emergency-just-issued.png` });

    const list = await (await fetch(`${demo.url}/api/measures?active=true`)).json();
    expect(list.measures).toHaveLength(1);
    const m = list.measures[0];
    expect(m.measure).toMatchObject({ kind: 'warning-response', level: 'orange', declaredBy: { who: 'e2e-lead', via: 'warning' } }); // the signed-in person who issued it
    // The team records that the response took effect 8 hours before it was entered: the view
    // re-evaluates from the new start (measure:changed, then measure:evaluated).
    const p = await fetch(`${demo.url}/api/measures/${m.id}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json', ...demo.writeHeaders }, body: JSON.stringify({ start: m.measure.start - 8 * 3_600_000, version: m.version }),
    });
    expect(p.status).toBe(200);
    await page.waitForSelector('[data-testid=em-verdict][data-status=evaluated]', { timeout: 90_000 });
    const e = (await (await fetch(`${demo.url}/api/measures/${m.id}/evaluation`)).json()).evaluation;
    expect(e.status).toBe('evaluated');
    expect(await page.getAttribute('[data-testid=em-measure]', 'data-measure-id')).toBe(String(m.id));
    expect(await page.textContent('[data-testid=em-verdict]')).toBe(e.zh);
    expect(e.zh).toMatch(/^截至目前（\d+ 小时）/);
    expect(e.effect.hours).toBeGreaterThanOrEqual(7);
    expect(e.effect.hours).toBeLessThanOrEqual(8);
    // The chart: observed line, counterfactual line and band drawn from the hours so far.
    for (const id of ['em-observed', 'em-cf', 'em-band']) {
      const d = await page.getAttribute(`[data-testid=${id}]`, 'd');
      expect(d?.length ?? 0, id).toBeGreaterThan(20);
    }
    expect(e.hours.length).toBeGreaterThan(0);
    const details = await page.textContent('[data-testid=em-details]');
    expect(details).toContain('e2e-lead'); // declared by the signed-in person who issued the warning
    expect(details).toContain('随预警自动创建');
    expect(await page.textContent('[data-testid=em-measure]')).toContain('橙色预警');
    await page.screenshot({ path: `${SHOTS}/emergency-zh.png` });

    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.querySelector('[data-testid=em-verdict]')?.textContent?.startsWith('So far'));
    expect(await page.textContent('[data-testid=em-verdict]')).toBe(e.en);
    expect(await page.textContent('[data-testid=em-details]')).toContain('created with the warning');
    await page.screenshot({ path: `${SHOTS}/emergency-en.png` });
  }, 180_000);

  it('the lift ends the measure; the view says so', async () => {
    const r = await fetch(`${demo.url}/api/warnings/actions`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...demo.writeHeaders },
      body: JSON.stringify({ city, scheme: '2024', action: 'lift', by: '应急办值班员' }),
    });
    expect(r.status).toBe(200);
    await page.waitForFunction(() => /Ended|已结束/.test(document.querySelector('.em-state')?.textContent ?? ''), null, { timeout: 30_000 });
    expect((await (await fetch(`${demo.url}/api/measures?active=true`)).json()).measures).toEqual([]);
  }, 60_000);
});
