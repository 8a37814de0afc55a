/**
 * The emergency team in a winter stagnation episode (scenario 'pm', today a heavy day), in Chromium
 * against the real server: one episode per event everywhere (rail, episode view, wall) with both
 * facets; the same warning state (both schemes) in the top bar, the left panel, the episode panel
 * and the wall, equal to the server's; a recommendation shown as one, only the issued warning in
 * force; and when a better forecast is posted the recommendation drops and the system downgrades or
 * lifts the warning everywhere, the step in the history with its rule and who.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { EpisodeSummary } from '#common/schemas/api.ts';
import { WARNING_RANK } from '#common/episodes/warning.ts';
import { launchBrowser, startDemo, type Demo } from './harness.ts';
import { expectedWarningKey, getJson, postForecast, postJson, scanEnglish, SHOTS, SKIP, skipReason } from './users-helpers.ts';

if (SKIP) console.log(`tests/client/users-emergency: skipped (${skipReason()})`);
const CITY = '北京';
/** A page in front gets frames to paint (two SwiftShader maps share the CPU). */
const shot = async (p: Page, name: string) => {
  await p.bringToFront();
  await p.waitForTimeout(800);
  await p.screenshot({ path: `${SHOTS}/${name}.png`, timeout: 90_000 });
};
const rankOf = (key: string) => Math.max(...key.split('|').map((p) => WARNING_RANK[p.split(':')[2] as keyof typeof WARNING_RANK] ?? 0));

describe.skipIf(SKIP)('emergency team, winter episode', () => {
  let demo: Demo;
  let browser: Browser;
  let desk: Page;
  let wall: Page;
  /** every view's warning key, as rendered */
  const keys = async () => ({
    topbar: await desk.locator('[data-testid=topbar-warning]').getAttribute('data-warning', { timeout: 3000 }).catch(() => 'absent'),
    rail: await desk.locator('[data-testid=rail-warning]').getAttribute('data-warning', { timeout: 3000 }).catch(() => 'absent'),
    episode: await desk.locator('[data-testid=episode-warning]').getAttribute('data-warning', { timeout: 3000 }).catch(() => 'absent'),
    wall: await wall.locator('[data-testid=wall-warning]').getAttribute('data-warning', { timeout: 3000 }).catch(() => 'absent'),
  });

  beforeAll(async () => {
    const t0 = Date.now();
    [demo, browser] = await Promise.all([startDemo({ scenario: 'pm', seed: 'users-emergency' }), launchBrowser()]);
    const t1 = Date.now();
    // The forecast says the episode goes on: three more days over 200, one over 300.
    const f = await postForecast(demo.url, CITY, [260, 320, 240]);
    expect(f.status).toBe(201);
    [desk, wall] = await Promise.all([
      browser.newPage({ viewport: { width: 1600, height: 900 } }),
      browser.newPage({ viewport: { width: 1920, height: 1080 } }),
    ]);
    // One page at a time: a page loads and paints while it is in front.
    await desk.bringToFront();
    await desk.goto(`${demo.url}/?lang=zh`);
    await desk.waitForSelector('[data-testid=episode-item]', { timeout: 60_000 });
    const t2 = Date.now();
    await wall.bringToFront();
    await wall.goto(`${demo.url}/wall?lang=zh`);
    await wall.waitForSelector('[data-testid=wall-banner]', { timeout: 60_000 });
    console.log(`tests/client/users-emergency: desk ${t2 - t1} ms`);
    console.log(`tests/client/users-emergency: demo ${t1 - t0} ms, pages ${Date.now() - t1} ms`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('one episode per event: the rail lists each server episode once, with both facets; the wall shows the same one', async () => {
    const { episodes, alerts } = (await getJson(`${demo.url}/api/episodes?city=${encodeURIComponent(CITY)}`)) as { episodes: EpisodeSummary[]; alerts: unknown[] };
    const heavy = episodes.filter((e) => e.kind === 'heavy');
    expect(heavy.length).toBeGreaterThanOrEqual(1);
    // No two heavy episodes of the city overlap in time (the rolling run is a facet, not a second episode).
    const byStart = [...heavy].sort((a, b) => a.start - b.start);
    for (let i = 1; i < byStart.length; i++) expect(byStart[i].start).toBeGreaterThanOrEqual(byStart[i - 1].end ?? Infinity);
    await desk.locator('[data-testid=episode-item]').first().waitFor({ timeout: 30_000 });
    const listed = await desk.$$eval('[data-testid=episode-item]', (xs) => xs.map((x) => x.getAttribute('data-episode-id')));
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(episodes.map((e) => e.id).sort());
    // Jumps are alerts, never episodes.
    expect(episodes.map((e) => e.kind)).not.toContain('jump');
    expect(await desk.locator('[data-testid=alert-item]').count()).toBe(Math.min(5, alerts.length));
    const open = heavy.find((e) => e.status === 'open')!;
    expect(open).toBeTruthy();
    const item = desk.locator(`[data-testid=episode-item][data-episode-id="${open.id}"]`);
    const facets = await item.locator('[data-testid=episode-facets]').innerText();
    const c = open.facets!.calendar!, r = open.facets!.rolling;
    expect(facets).toContain(`日历日 ${c.durationHours} 小时 / 峰值 ${Math.round(c.peak.value)}`);
    if (r) expect(facets).toContain(`滑动24h ${r.durationHours} 小时 / 峰值 ${Math.round(r.peak.value)}`);
    expect(await wall.locator('[data-testid=wall-episode]').getAttribute('data-episode-id')).toBe(open.id);
    expect(await wall.locator('[data-testid=wall-episode]').innerText()).toContain(`日历日 ${c.durationHours} 小时 / 峰值 ${Math.round(c.peak.value)}`);
    await item.click();
    await desk.locator('[data-testid=episode-detail]').waitFor({ timeout: 15_000 });
    expect(await desk.locator('[data-testid=episode-facets]').last().innerText()).toContain(`峰值 ${Math.round(c.peak.value)}`);
  }, 120_000);

  it('a recommendation is shown as one, the same in the top bar, left panel, episode panel and wall', async () => {
    const want = await expectedWarningKey(demo.url, CITY);
    expect(want).toMatch(/recommended/);
    expect(want).not.toMatch(/in-force/);
    await expect.poll(keys, { timeout: 20_000 }).toEqual({ topbar: want, rail: want, episode: want, wall: want });
    // "建议", never as a warning in force; the rule in Chinese; the lead time.
    const panel = await desk.locator('[data-testid=episode-warning]').innerText();
    expect(panel).toMatch(/建议.色预警/);
    expect(panel).not.toContain('已发布');
    expect(panel).toContain('预测日AQI>200');
    expect(panel).toMatch(/提前量: (提前 \d+ 小时|过程已开始)/);
    expect(await wall.locator('[data-testid=wall-warning] [data-status=in-force]').count()).toBe(0);
    expect(await wall.locator('[data-testid=wall-warning] [data-status=recommended]').count()).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('an issued warning is in force everywhere, with its step (time, rule, who) in the history', async () => {
    const ws = (await getJson(`${demo.url}/api/warnings?city=${encodeURIComponent(CITY)}&scheme=2024`)).warnings;
    const level = ws[0].recommended.level as string;
    const r = await postJson(`${demo.url}/api/warnings/actions`, { city: CITY, scheme: '2024', action: 'issue', level, by: '应急值班员' });
    expect(r.status).toBe(200);
    const want = await expectedWarningKey(demo.url, CITY);
    expect(want).toContain(`2024:in-force:${level}`);
    await expect.poll(keys, { timeout: 20_000 }).toEqual({ topbar: want, rail: want, episode: want, wall: want });
    expect(await wall.locator('[data-testid=wall-warning] [data-scheme="2024"] [data-status=in-force]').count()).toBe(1);
    const issued = desk.locator('[data-testid=episode-warning] [data-scheme="2024"] [data-step=issued]');
    // Who issued it is the signed-in person (the demo's seeded lead forecaster), not a name in the body.
    expect(await issued.innerText()).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d 发布 · .色 · 预测日AQI.*操作：e2e-lead/);
    await shot(desk, 'users-emergency-issued');
    await shot(wall, 'users-emergency-wall-issued');
  }, 120_000);

  it('a better forecast: the recommendation drops and the system downgrades or lifts the warning, everywhere', async () => {
    const before = await expectedWarningKey(demo.url, CITY);
    const f = await postForecast(demo.url, CITY, [90, 70, 60]);
    expect(f.status).toBe(201);
    const after = await expectedWarningKey(demo.url, CITY);
    expect(rankOf(after)).toBeLessThan(rankOf(before));
    await expect.poll(keys, { timeout: 20_000 }).toEqual({ topbar: after, rail: after, episode: after, wall: after });
    // The system's step: changed (downgraded to today's level) or lifted, by the lift rule.
    const step = desk.locator('[data-testid=episode-warning] [data-scheme="2024"] li').last();
    expect(await step.getAttribute('data-step')).toMatch(/^(changed|lifted)$/);
    expect(await step.innerText()).toMatch(/解除规则.*系统/);
    await shot(desk, 'users-emergency-lifted');
    await shot(wall, 'users-emergency-wall-lifted');
    expect({ desk: await scanEnglish(desk), wall: await scanEnglish(wall) }).toEqual({ desk: [], wall: [] });
  }, 120_000);
});
