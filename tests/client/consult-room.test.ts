/**
 * The consultation room (会商, issue 17) in real Chromium against the real server, three people at
 * once in three browser contexts (two duty forecasters and the lead, signed in through
 * /api/auth/login as seeded users): both write proposals and see each other's land live, they
 * comment and one replies, the lead averages the two proposals and signs, the bulletin shows; one
 * forecaster's network is cut mid-edit and restored, and the edit is in the room exactly once with
 * nothing reverted (checked through GET /api/consultations/:id); a display (wall token) sees the
 * room without a single input; a server restart on the same record gives the same room.
 *
 * The room is opened by the server itself (consult.openOnStart) with the guidance and the 30-day
 * verification seeded into the record before the start, so nothing depends on the hour of day.
 * Screenshots: artifacts/screenshots/consult-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ConsultDoc } from '#common/schemas/consult.ts';
import { addDays } from '#common/forecast/history.ts';
import { LEVELS, levelOf } from '#common/standards/levels.ts';
import { DEFAULT_CONSULT } from '../../server/services/consult-config.ts';
import { openRecords, type Records } from '../../records/open.ts';
import { launchBrowser, startDemo, type Demo } from './harness.ts';
import { beijingDay, getJson, postJson, scanEnglish, SHOTS, SKIP, skipReason } from './users-helpers.ts';
import { seedToken } from '../server/helpers.ts';

if (SKIP) console.log(`tests/client/consult-room: skipped (${skipReason()})`);

const CITY = '北京';
const PW = 'consult-room-passphrase';
const A = 'wang.fang';
const B = 'li.lei';
const LEAD = 'zhang.wei';
const TODAY = beijingDay();

/** Guidance of two sources for today's issue, as the guidance service records it. */
async function seedGuidance(records: Records, source: string, base: number) {
  const days = [1, 2, 3, 4, 5].map((lead) => {
    const aqi: [number, number] = [base + 10 * lead, base + 10 * lead + 30];
    const levels = [...new Set([levelOf(aqi[0])!, levelOf(aqi[1])!])];
    return { target: addDays(TODAY, lead), lead, aqi, central: base + 10 * lead + 15, levels, primary: ['pm25'], conc: { pm25_24h: [60, 70, 80] as [number, number, number] } };
  });
  await records.forecasts.add({
    city: CITY, issueDay: TODAY, source, issuedAt: Date.now() - 3_600_000, author: null,
    payload: { v: 1, kind: 'guidance', city: CITY, source, issueDay: TODAY, issueHour: 16, met: 'none', note: null, days },
  }, { who: 'guidance', from: 'test' });
}

/** 10 verified days per source at D+1: 'airdesk' hits on the even days only (5 of 10), 'persistence' on all. */
async function seedScores(records: Records) {
  for (let k = 1; k <= 10; k++) {
    const target = addDays(TODAY, -k);
    const obs = 60 + 5 * k;
    const hit = (lo: number, hi: number) => ({ aqi: [lo, hi], central: Math.round((lo + hi) / 2), levels: [levelOf(obs)!], primary: ['pm25'] });
    const miss = { aqi: [obs + 60, obs + 80], central: obs + 70, levels: [levelOf(obs + 60)!], primary: ['pm25'] };
    await records.verifications.record(CITY, target, [
      { source: 'airdesk', lead: 1, issueDay: addDays(target, -1), forecastId: 1, forecast: k % 2 === 0 ? hit(obs - 10, obs + 10) : miss, observed: { aqi: obs, primary: ['pm25'] }, obsKey: `o${obs}` },
      { source: 'persistence', lead: 1, issueDay: addDays(target, -1), forecastId: 2, forecast: hit(obs - 5, obs + 5), observed: { aqi: obs, primary: ['pm25'] }, obsKey: `o${obs}` },
    ], { who: 'verification', from: 'test' });
  }
}

const demoOpts = (records: Records) => ({
  days: 10, records, seedUsers: `${A}:forecaster:${PW},${B}:forecaster:${PW},${LEAD}:lead_forecaster:${PW}`,
  config: { consult: { ...DEFAULT_CONSULT, openOnStart: true } },
});

describe.skipIf(SKIP)('consultation room, three people in Chromium', () => {
  let dir: string;
  let records: Records;
  let demo: Demo;
  let browser: Browser;
  let id: number;
  const ctx: Record<string, BrowserContext> = {};
  const page: Record<string, Page> = {};
  const pageErrors: string[] = [];
  const doc = async (): Promise<ConsultDoc> => (await getJson(`${demo.url}/api/consultations/${id}`)).doc;
  const live = (p: Page) => p.locator('[data-testid=consult-view][data-status=live]').waitFor({ timeout: 20_000 });

  async function signIn(who: string): Promise<Page> {
    ctx[who] = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const p = await ctx[who].newPage();
    p.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`));
    await p.goto(`${demo.url}/api/auth/me`);
    const status = await p.evaluate(async ([name, password]) => (await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) })).status, [who, PW]);
    expect(status, `login ${who}`).toBe(200);
    await p.goto(`${demo.url}/consult?lang=zh`);
    await live(p);
    page[who] = p;
    return p;
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'airdesk-consult-client-'));
    records = await openRecords({ sqlitePath: path.join(dir, 'records.sqlite') });
    await seedGuidance(records, 'airdesk', 60);
    await seedGuidance(records, 'persistence', 80);
    await seedScores(records);
    [demo, browser] = await Promise.all([startDemo(demoOpts(records)), launchBrowser()]);
    const list = (await getJson(`${demo.url}/api/consultations?city=${encodeURIComponent(CITY)}&issueDay=${TODAY}`)).consultations;
    id = list.find((c: { kind: string }) => c.kind === 'regular')?.id;
    // The server opened it at start (openOnStart); open it by hand only if it did not.
    if (!id) id = (await postJson(`${demo.url}/api/consultations`, { city: CITY, kind: 'regular' })).body.doc.id;
    await Promise.all([signIn(A), signIn(B), signIn(LEAD)]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    await records?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Type a proposal's AQI ranges (D+1..D+3) and PM2.5 as primary each day. */
  async function propose(p: Page, lo: number) {
    for (const i of [0, 1, 2]) {
      await p.getByTestId(`cs-p-days-${i}-aqi-lo`).fill(String(lo + 10 * i));
      await p.getByTestId(`cs-p-days-${i}-aqi-hi`).fill(String(lo + 10 * i + 30 + (lo > 85 ? 10 : 0)));
      await p.getByTestId(`cs-p-days-${i}-primary`).locator('[data-key=pm25]').click();
    }
  }
  const cellText = (p: Page, fieldPath: string) => p.locator(`.cs-field[data-path="${fieldPath}"]`).innerText();

  it('opens the newest room at /consult with the seeded guidance, scores in their levels, the deadline clock and everyone present', async () => {
    const p = page[A];
    expect(new URL(p.url()).pathname).toBe(`/consult/${id}`);
    const head = p.getByTestId('cs-header');
    expect(await head.innerText()).toContain(CITY);
    expect(await p.getByTestId('cs-state').innerText()).toBe('会商中');
    const d = await doc();
    const left = d.deadline - Date.now();
    expect(await p.getByTestId('cs-clock').getAttribute('data-state')).toBe(left <= 0 ? 'missed' : left < 30 * 60_000 ? 'urgent' : 'running');
    // Guidance: both sources, D+1..D+5, chips in the colours of the levels of each range.
    const src = p.locator('[data-testid=cs-source][data-source=persistence]');
    expect(await src.locator('tr').count()).toBe(5);
    const chip = src.locator('tr[data-lead="1"] .level-chip').first();
    expect(await chip.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(255, 255, 0)'); // 90..120 starts in 良 (#FFFF00)
    // Scores: 5 of 10 for airdesk, 10 of 10 for persistence, at D+1.
    expect(await p.locator('[data-testid=cs-source][data-source=airdesk] [data-testid=cs-score]').innerText()).toMatch(/D\+1 50% \/ 50%/);
    expect(await src.getByTestId('cs-score').innerText()).toMatch(/D\+1 100% \/ 100%/);
    // Observed bars coloured by level.
    const bars = await p.$$eval('[data-testid=cs-observed] g[data-aqi]:not([data-aqi=""]) rect', (rs) => rs.map((r) => [Number(r.parentElement!.getAttribute('data-aqi')), r.getAttribute('fill')]));
    expect(bars.length).toBeGreaterThan(0);
    for (const [aqi, fill] of bars) expect(fill).toBe(LEVELS[levelOf(aqi as number)! - 1].hex);
    await expect.poll(async () => (await p.locator('[data-testid=cs-person]').evaluateAll((xs) => xs.map((x) => x.getAttribute('data-name')))).sort(), { timeout: 10_000 }).toEqual([A, B, LEAD].sort());
  });

  it('both forecasters propose, each sees the other\'s column update live, and the field one is in shows to the others', async () => {
    await Promise.all([propose(page[A], 80), propose(page[B], 90)]);
    // A's view of B's proposal, and B's of A's: as typed, without a reload.
    await expect.poll(() => cellText(page[A], `proposals.${B}.days.0.aqi`), { timeout: 10_000 }).toContain('90–130');
    await expect.poll(() => cellText(page[B], `proposals.${A}.days.2.aqi`), { timeout: 10_000 }).toContain('100–130');
    await expect.poll(async () => (await doc()).proposals[B]?.days[2].primary, { timeout: 10_000 }).toEqual(['pm25']);
    // A in their text field: the others see where.
    await page[A].getByTestId('cs-p-text').click();
    await page[A].getByTestId('cs-p-text').pressSequentially('静稳，', { delay: 20 });
    await expect.poll(() => page[B].locator(`[data-testid=cs-person][data-name="${A}"]`).getAttribute('data-path'), { timeout: 10_000 }).toBe(`proposals.${A}.text`);
    await expect.poll(() => page[LEAD].locator(`.cs-field[data-path="proposals.${A}.text"] [data-testid=cs-typing]`).innerText(), { timeout: 10_000 }).toContain(A);
    await expect.poll(() => cellText(page[LEAD], `proposals.${A}.text`), { timeout: 10_000 }).toContain('静稳，');
    // A sub-day segment: A asks for the rows, writes tonight's range and pollutant; the room has
    // it, and the rows appear for B because someone wrote one.
    await page[A].getByTestId('cs-segments').check();
    await page[A].getByTestId('cs-p-days-0-segments-night-lo').fill('60');
    await page[A].getByTestId('cs-p-days-0-segments-night-hi').fill('80');
    await page[A].locator('[data-testid=cs-p-days-0-segments-night-primary] [data-key=pm25]').click();
    await expect.poll(async () => (await doc()).proposals[A]?.days[0].segments.night, { timeout: 10_000 }).toEqual({ aqi: [60, 80], primary: ['pm25'] });
    await expect.poll(() => cellText(page[B], `proposals.${A}.days.0.segments.night`), { timeout: 10_000 }).toContain('60–80');
  }, 60_000);

  it('they comment about a day, one replies; the thread is the same on every screen', async () => {
    const a = page[A];
    await a.getByTestId('cs-comment-text').fill('周四冷空气到达，D+2 好转');
    await a.getByTestId('cs-about').selectOption(`d:${addDays(TODAY, 2)}`);
    await a.getByTestId('cs-send').click();
    const b = page[B];
    await b.locator('[data-testid=cs-comment][data-id="1"]').waitFor({ timeout: 10_000 });
    expect(await b.locator('[data-testid=cs-comment][data-id="1"] [data-testid=cs-ref]').innerText()).toContain('D+2');
    await b.locator('[data-testid=cs-comment][data-id="1"] [data-testid=cs-reply]').click();
    await b.getByTestId('cs-comment-text').fill('同意，但夜间仍可能轻度污染');
    await b.getByTestId('cs-send').click();
    for (const who of [A, B, LEAD]) {
      await page[who].locator('[data-testid=cs-comment][data-id="2"][data-reply-to="1"]').waitFor({ timeout: 10_000 });
    }
    const t = (await doc()).thread;
    expect(t.map((c) => [c.id, c.by, c.replyTo])).toEqual([[1, A, null], [2, B, 1]]);
    expect(t[0].ref).toEqual({ target: addDays(TODAY, 2) });
    await page[A].locator('.cs-main').evaluate((e) => { e.scrollTop = 0; });
    await page[A].screenshot({ path: `${SHOTS}/consult-forecaster-zh.png` });
    expect(await scanEnglish(page[A])).toEqual([]);
  }, 60_000);

  it('a forecaster cut off mid-edit: the edit and a comment reach the room exactly once after the reconnect, nothing reverted', async () => {
    const a = page[A];
    const before = await doc();
    await ctx[A].setOffline(true);
    await a.locator('[data-testid=cs-conn][data-state=offline]').waitFor({ timeout: 10_000 });
    const text = a.getByTestId('cs-p-text');
    await text.click();
    await text.pressSequentially('离线时写的理由', { delay: 15 });
    await a.getByTestId('cs-p-days-1-aqi-hi').fill('125');
    await a.getByTestId('cs-comment-text').fill('断网时发出的评论');
    await a.getByTestId('cs-send').click();
    await a.waitForTimeout(600); // past the debounce: the ops are made, and wait for the network
    expect(await a.getByTestId('cs-conn').innerText()).toMatch(/连接中断：[1-9]\d* 项修改将在重新连接后发送/);
    expect((await doc()).seq).toBe(before.seq); // nothing reached the room
    await ctx[A].setOffline(false);
    await a.locator('[data-testid=cs-conn][data-state=synced]').waitFor({ timeout: 20_000 });
    const after = await doc();
    expect(after.proposals[A].text).toBe('静稳，离线时写的理由');
    expect(after.proposals[A].days[1].aqi).toEqual([90, 125]);
    // Nothing reverted: the fields set before the cut are as they were.
    expect(after.proposals[A].days[0].aqi).toEqual([80, 110]);
    expect(after.proposals[A].days[2].aqi).toEqual([100, 130]);
    expect(after.proposals[B]).toEqual(before.proposals[B]);
    // Exactly once: one new comment, and each field changed by one op (the room's seq counts them).
    expect(after.thread.map((c) => c.text)).toEqual([...before.thread.map((c) => c.text), '断网时发出的评论']);
    expect(after.seq).toBe(before.seq + 3);
    await expect.poll(() => cellText(page[B], `proposals.${A}.text`), { timeout: 10_000 }).toContain('离线时写的理由');
  }, 60_000);

  it('the lead averages both proposals and signs; the bulletin shows with a copy button', async () => {
    const l = page[LEAD];
    for (const who of [A, B]) await l.locator(`[data-testid=cs-avg-pick][data-owner="${who}"]`).check();
    await l.getByTestId('cs-average').click();
    // Means of A's and B's ranges: D+1 [80,110]+[90,130] -> [85,120]; D+2 [90,125]+[100,140] -> [95,133] (132.5 rounded).
    await expect.poll(async () => (await doc()).official.days.map((d) => d.aqi), { timeout: 10_000 }).toEqual([[85, 120], [95, 133], [105, 140]]);
    await expect.poll(() => l.getByTestId('cs-official-days-0-aqi-lo').inputValue(), { timeout: 10_000 }).toBe('85');
    await l.locator('[data-testid=cs-sign]:not([disabled])').click();
    await l.getByTestId('cs-bulletin').waitFor({ timeout: 15_000 });
    const d = await doc();
    expect(d.state).toBe('published');
    expect(d.published[0]).toMatchObject({ version: 1, signedBy: LEAD });
    const bulletin = await getJson(`${demo.url}/api/consultations/${id}/bulletin`);
    expect(await l.getByTestId('cs-bulletin-text').innerText()).toBe(bulletin.zh.trim());
    expect(bulletin.zh).toContain('85～120');
    expect(await l.getByTestId('cs-state').innerText()).toBe('已签发');
    // Everyone sees the signature; proposals are now read-only.
    await page[A].getByTestId('cs-bulletin').waitFor({ timeout: 10_000 });
    expect(await page[A].locator('[data-testid=cs-grid] input').count()).toBe(0);
    await l.screenshot({ path: `${SHOTS}/consult-lead-signed-zh.png` });
    expect(await scanEnglish(l)).toEqual([]);
    await l.getByTestId('lang-toggle').click();
    await expect.poll(() => l.getByTestId('cs-state').innerText()).toBe('Published');
    expect(await l.getByTestId('cs-bulletin-text').innerText()).toBe(bulletin.en.trim());
    await l.screenshot({ path: `${SHOTS}/consult-lead-signed-en.png` });
    await l.getByTestId('lang-toggle').click();
  }, 60_000);

  it('a display (wall token) sees the room, read-only: not one input', async () => {
    const { token } = await seedToken(demo.server.app, 'display', 'lobby-consult');
    const c = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const p = await c.newPage();
    await p.goto(`${demo.url}/consult?token=${encodeURIComponent(token)}&lang=zh`);
    await live(p);
    await p.getByTestId('cs-bulletin').waitFor({ timeout: 10_000 });
    expect(await p.locator('[data-testid=consult-view] :is(input, textarea, select)').count()).toBe(0);
    expect(await p.locator('[data-testid=cs-leadbar], [data-testid=cs-send], [data-testid=cs-reply]').count()).toBe(0);
    expect(await p.getByTestId('cs-conn').getAttribute('data-state')).toBe('readonly');
    expect(await cellText(p, 'official.days.0.aqi')).toContain('85–120');
    expect(await p.locator('[data-testid=cs-comment]').count()).toBe(3);
    await p.screenshot({ path: `${SHOTS}/consult-display-zh.png` });
    expect(await scanEnglish(p)).toEqual([]);
    await c.close();
  }, 60_000);

  it('after a server restart on the same record the room is exactly as before', async () => {
    const before = await doc();
    await demo.close();
    demo = await startDemo(demoOpts(records));
    expect(await doc()).toEqual(before);
    // A fresh page (the session survives in the record; the port is new).
    const p = await ctx[LEAD].newPage();
    await p.goto(`${demo.url}/consult/${id}?lang=zh`);
    await live(p);
    await p.getByTestId('cs-bulletin').waitFor({ timeout: 10_000 });
    expect(Number(await p.getByTestId('consult-view').getAttribute('data-seq'))).toBe(before.seq);
    expect(await p.locator('[data-testid=cs-comment]').count()).toBe(before.thread.length);
    expect(await cellText(p, `proposals.${A}.text`)).toContain('静稳，离线时写的理由');
    // The lead may correct: the reopen is offered with a reason.
    expect(await p.getByTestId('cs-reopen').isDisabled()).toBe(true);
    await p.close();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
