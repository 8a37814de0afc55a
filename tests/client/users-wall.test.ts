/**
 * The lobby wall during a winter episode with a warning in force (scenario 'pm'; the 2024 warning
 * issued by a person, the 2018 scheme only recommended: the fullest banner), at 1920x1080 and
 * 3840x2160 in Chinese and English: no tile overflows (hero number and level name in their tile,
 * title, primary pollutant, "data as of" and the three worst stations inside the left column, every
 * banner part inside the banner, nothing off screen), no text under 28 px (scaled), only the issued
 * warning shown as in force, the recommendation as "建议" / "Recommended", and no English in zh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, startDemo, type Demo } from './harness.ts';
import { expectedWarningKey, getJson, overflowing, postForecast, postJson, scanEnglish, SHOTS, SKIP, skipReason } from './users-helpers.ts';

if (SKIP) console.log(`tests/client/users-wall: skipped (${skipReason()})`);
const CITY = '北京';

describe.skipIf(SKIP)('wall display with a warning in force', () => {
  let demo: Demo;
  let browser: Browser;
  let key: string;

  beforeAll(async () => {
    [demo, browser] = await Promise.all([startDemo({ scenario: 'pm', seed: 'users-wall' }), launchBrowser()]);
    expect((await postForecast(demo.url, CITY, [260, 320, 240])).status).toBe(201);
    const level = (await getJson(`${demo.url}/api/warnings?city=${encodeURIComponent(CITY)}&scheme=2024`)).warnings[0].recommended.level;
    expect((await postJson(`${demo.url}/api/warnings/actions`, { city: CITY, scheme: '2024', action: 'issue', level, by: '应急值班员' })).status).toBe(200);
    key = await expectedWarningKey(demo.url, CITY);
    expect(key).toMatch(/^2018:recommended:\w+\|2024:in-force:\w+$/);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  for (const [w, h, lang] of [[1920, 1080, 'zh'], [1920, 1080, 'en'], [3840, 2160, 'zh'], [3840, 2160, 'en']] as const) {
    it(`${w}x${h} ${lang}: nothing overflows, nothing under 28 px, only the issued warning in force`, async () => {
      const p = await browser.newPage({ viewport: { width: w, height: h } });
      await p.goto(`${demo.url}/wall?lang=${lang}`);
      await p.waitForFunction(() => /\d/.test(document.querySelector('.wall-aqi')?.textContent ?? ''), null, { timeout: 90_000 });
      await p.locator('[data-testid=wall-warning]').waitFor({ timeout: 60_000 });
      await p.locator('[data-testid=wall-episode]').waitFor({ timeout: 60_000 });
      expect(await p.locator('[data-testid=wall-warning]').getAttribute('data-warning')).toBe(key);
      // Only the issued (2024) warning is in force; the 2018 one is a recommendation and says so.
      expect(await p.locator('[data-testid=wall-warning] [data-status=in-force]').count()).toBe(1);
      expect(await p.locator('[data-testid=wall-warning] [data-scheme="2024"] [data-status=in-force]').count()).toBe(1);
      const rec = await p.locator('[data-testid=wall-warning] [data-scheme="2018"] [data-status=recommended]').innerText();
      expect(rec).toMatch(lang === 'zh' ? /^建议.色预警$/ : /^Recommended: \w+ alert$/);
      const k = w / 1920;
      const small = await p.evaluate((min) => {
        const out: string[] = [];
        for (const el of document.querySelectorAll('.wall *')) {
          if (el.closest('.map') || el.tagName === 'SUB') continue;
          if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim())) continue;
          const fs = parseFloat(getComputedStyle(el).fontSize);
          if (fs < min - 0.5) out.push(`${el.tagName}.${el.className} ${fs}px "${el.textContent!.slice(0, 20)}"`);
        }
        return out;
      }, 28 * k);
      expect(small).toEqual([]);
      const out = await overflowing(p, [
        ['.wall-aqi', '[data-testid=wall-aqi]'], ['.wall-level', '[data-testid=wall-aqi]'],
        ['.wall-title', '.wall-left'], ['.wall-primary', '.wall-left'], ['.wall-asof', '.wall-left'], ['.tick', '.wall-left'],
        ['.wall-banner > *', '.wall-banner'], ['.warn-chip', '.wall-banner'], ['.wall-banner-text', '.wall-banner'],
        ['.wall-banner', 'viewport'], ['.wall-left', 'viewport'],
      ]);
      expect(out).toEqual([]);
      expect(await p.locator('[data-testid=wall-tick]').count()).toBe(3);
      if (lang === 'zh') expect(await scanEnglish(p)).toEqual([]);
      else expect(await p.locator('.wall-banner').innerText()).not.toMatch(/[\u4e00-\u9fff]/);
      await p.waitForTimeout(1500);
      await p.screenshot({ path: `${SHOTS}/users-wall-${w}x${h}-${lang}.png`, timeout: 90_000 });
      await p.close();
    }, 180_000);
  }
});
