/**
 * The forecast and verification views in Chromium against the real server: 60 days of the
 * simulated city in the store, the guidance service trains small models (20 rounds) in its worker
 * and issues; the forecast view then shows D+1..D+3 of every source as bands in the level colours
 * (each band's colours are exactly the levels its AQI range spans, common/standards), over the
 * observed days, with the no-meteorology note, in zh and in en. Screenshots in artifacts/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { LEVELS } from '#common/standards/levels.ts';
import { NO_MET_NOTE_I18N } from '#common/schemas/forecast.ts';
import { bandSegments } from '../../client/src/forecast/bands.ts';
import { addDays } from '#common/forecast/history.ts';
import { issueTimeOf } from '#common/forecast/features.ts';
import { runIssue } from '#common/forecast/issue.ts';
import { DAY_MS } from '#common/time.ts';
import { storeHistory } from '../../server/services/guidance.ts';
import { CHROMIUM, HAVE_CLIENT, launchBrowser, startDemo, type Demo } from './harness.ts';

const SHOTS = 'artifacts/screenshots';
/** past issue days written as a fixture for the verification view */
const PAST = 7;
const skip = !CHROMIUM || !HAVE_CLIENT;
if (skip) console.log(`tests/client/forecast: skipped (${!CHROMIUM ? 'no Chromium' : 'no dist/client: run npx vite build'})`);

type Band = { source: string; target: string; levels: string; aqi: string; fills: string[] };
const bands = (p: Page) => p.$$eval('[data-testid=fc-band]', (gs) => gs.map((g) => ({
  source: g.getAttribute('data-source')!, target: g.getAttribute('data-target')!, levels: g.getAttribute('data-levels')!,
  aqi: g.getAttribute('data-aqi')!, fills: [...g.querySelectorAll('rect')].map((r) => r.getAttribute('fill')!).filter((f) => f !== 'none'),
})));

describe.skipIf(skip)('forecast views in Chromium', () => {
  let demo: Demo;
  let browser: Browser;
  let page: Page;
  let sources: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await startDemo({ scenario: 'normal', days: 60, config: { rebuildDays: 3, guidanceTrainDays: 60, guidanceRounds: 20 } });
    // The service issues at start (the due issue is missing): wait for it, bounded.
    for (let i = 0; i < 120; i++) {
      const r = await fetch(`${demo.url}/api/guidance`).then((x) => x.json());
      sources = r.forecasts.map((f: { source: string }) => f.source);
      if (sources.includes('airdesk')) break;
      await new Promise((res) => setTimeout(res, 500));
    }
    // Fixture for the verification view: the issues of the last PAST days as the service would have
    // made them at the time (runIssue on the store's history up to each issue time, recorded with
    // that issue time), then one check verifies the days that have ended since.
    const app = demo.server.app;
    const city = app.engine.cityNames()[0];
    const members = app.engine.memberCodes(city);
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    for (let k = PAST; k >= 2; k--) {
      const day = addDays(today, -k);
      const t = issueTimeOf(day, 16);
      const hist = await storeHistory(app.store, city, members, t - 60 * DAY_MS, t);
      for (const doc of runIssue({ hist, issueDay: day, issueHour: 16, leads: [1, 2, 3], gbm: { rounds: 20 } }).docs) {
        await app.records.forecasts.add({ city, issueDay: day, source: doc.source, issuedAt: t, author: 'test-fixture', payload: doc }, { who: 'test', from: 'test' });
      }
    }
    await app.guidance.check();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('shows D+1..D+3 of every source as bands in the level colours, in zh', async () => {
    expect(sources.sort()).toEqual(['airdesk', 'climatology', 'persistence']);
    await page.goto(`${demo.url}/forecast?lang=zh`);
    await page.waitForSelector('[data-testid=fc-band]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid=fc-obs]', { timeout: 30_000 });
    const bs: Band[] = await bands(page);
    expect(bs).toHaveLength(9);
    expect(new Set(bs.map((b) => b.target)).size).toBe(3);
    for (const b of bs) {
      const [lo, hi] = b.aqi.split('-').map(Number);
      // the colours of a band are those of the levels its range spans, lowest first
      expect(b.fills, `${b.source} ${b.target} ${b.aqi}`).toEqual(bandSegments(lo, hi).map((s) => LEVELS[s.level - 1].hex));
      // and the named levels are among them
      for (const l of b.levels.split(',').map(Number)) expect(b.fills).toContain(LEVELS[l - 1].hex);
    }
    expect(await page.$$eval('[data-testid=fc-obs]', (x) => x.length)).toBeGreaterThanOrEqual(9);
    expect(await page.$$eval('[data-testid=fc-day-card]', (x) => x.length)).toBe(3);
    expect(await page.textContent('[data-testid=fc-note]')).toBe(NO_MET_NOTE_I18N.zh);
    const head = await page.textContent('h1');
    expect(head).toContain('未来三天');
    expect(await page.$$eval('[data-testid=fc-score]', (x) => x.map((e) => e.getAttribute('data-source')))).toEqual(['airdesk', 'persistence', 'climatology']);
    await page.screenshot({ path: `${SHOTS}/forecast-zh.png`, fullPage: true });
  });

  it('switches to English', async () => {
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('next three days'));
    expect(await page.textContent('[data-testid=fc-note]')).toBe(NO_MET_NOTE_I18N.en);
    expect(await page.textContent('[data-testid=fc-day-card]')).toContain('AirDesk guidance');
    expect((await bands(page)).length).toBe(9);
    await page.screenshot({ path: `${SHOTS}/forecast-en.png`, fullPage: true });
  });

  it('shows each source\'s 30-day score once days are verified', async () => {
    const scores = await page.$$eval('[data-testid=fc-score]', (x) => x.map((e) => e.textContent));
    // PAST - 1 issue days, the last of them verified at D+1 only when its target has ended
    for (const sc of scores) expect(sc).toMatch(/\d+(\.\d)?% level accuracy · \d+ days/);
  });

  it('the verification view: metrics table, confusion matrix and series, in en and zh', async () => {
    const v = await fetch(`${demo.url}/api/verification?lead=1`).then((x) => x.json());
    const n = v.table.find((r: { source: string }) => r.source === 'airdesk').n;
    expect(n).toBeGreaterThanOrEqual(PAST - 2);
    await page.goto(`${demo.url}/verification?lang=en`);
    await page.waitForSelector('[data-testid=ver-table]', { timeout: 30_000 });
    const rows = await page.$$eval('[data-testid=ver-table] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-source')));
    expect(rows.sort()).toEqual(['airdesk', 'climatology', 'persistence']);
    // the confusion matrix of the selected source counts every verified day once
    const cells = await page.$$eval('[data-testid=ver-confusion] td', (tds) => tds.map((td) => Number(td.textContent || 0)));
    expect(cells.reduce((a, b) => a + b, 0)).toBe(n);
    expect(await page.$$eval('[data-testid=ver-obs]', (x) => x.length)).toBe(n);
    await page.screenshot({ path: `${SHOTS}/verification-en.png`, fullPage: true });
    await page.click('[data-testid=lead-2]');
    await page.waitForFunction(() => document.querySelector('[data-testid=lead-2]')?.classList.contains('on'));
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('预报检验'));
    await page.waitForSelector('[data-testid=ver-table]');
    await page.screenshot({ path: `${SHOTS}/verification-zh-d2.png`, fullPage: true });
  });
});
