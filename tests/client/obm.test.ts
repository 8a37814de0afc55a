/**
 * The box-model section of the O3 panel in a real Chromium against the real server (harness.ts,
 * summer o3 scenario): open 1003A (it hosts a VOC analyzer), run the box model for the day the
 * panel offers, watch the progress bar, then see the RIR bars and the EKMA isopleth with the day's
 * point, in Chinese and in English, with no label cut off. A coarse grid (4 x 4) and no spin-up
 * keep the run to seconds. Screenshots: artifacts/screenshots/obm-zh.png, obm-en.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { Value } from '@sinclair/typebox/value';
import { ObmRun } from '#common/schemas/obm.ts';
import { DEFAULT_OBM_CONFIG } from '../../server/obm/config.ts';
import { CHROMIUM, HAVE_CLIENT, launchBrowser, startDemo, type Demo } from './harness.ts';

const SHOTS = 'artifacts/screenshots';
const skip = !CHROMIUM || !HAVE_CLIENT;
if (skip) console.log(`tests/client/obm: skipped (${!CHROMIUM ? 'no Chromium: set AIRDESK_TEST_CHROMIUM or apt-get install chromium' : 'no dist/client: run npx vite build'})`);

/** Text in the panel's charts that sticks out of its svg (px beyond any edge), by its words. */
async function cutLabels(p: Page): Promise<string[]> {
  return p.$$eval('[data-testid=obm-panel] svg text', (ts) => ts.flatMap((t) => {
    const svg = (t as SVGTextElement).ownerSVGElement!;
    const r = t.getBoundingClientRect(), s = svg.getBoundingClientRect();
    const out = Math.max(s.left - r.left, r.right - s.right, s.top - r.top, r.bottom - s.bottom);
    return out > 0.5 ? [`${t.textContent} (${out.toFixed(1)} px)`] : [];
  }));
}

describe.skipIf(skip)('box model in the O3 panel (Chromium)', () => {
  let demo: Demo;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = await startDemo({ scenario: 'o3', seedUsers: 'ana.lyst:analyst:a-long-passphrase-2026', config: { obm: { ...DEFAULT_OBM_CONFIG, gridStep: 0.5, spinupDays: 0, keySpecies: 3 } } });
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('runs for 1003A with a progress bar, then shows the RIR chart and the isopleth (zh, then en)', async () => {
    const p = await browser.newPage({ viewport: { width: 1600, height: 2400 } });
    // An analyst runs the box model: signed in (reads are open in this demo, writes are not).
    await p.goto(`${demo.url}/?lang=zh`);
    expect(await p.evaluate(async () => (await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ana.lyst', password: 'a-long-passphrase-2026' }) })).status)).toBe(200);
    await p.goto(`${demo.url}/?lang=zh`);
    await p.waitForSelector('[data-testid=map][data-ready="1"]', { timeout: 60_000 });
    await p.waitForFunction(() => (window as unknown as { __airdesk: { store: { byCode: Map<string, { voc: boolean }> } } }).__airdesk.store.byCode.get('1003A')?.voc === true, null, { timeout: 30_000 });
    const st = demo.sim.stations.find((x) => x.code === '1003A')!;
    const xy = await p.evaluate(([lon, lat]) => (window as unknown as { __airdesk: { mapProject(a: number, b: number): { x: number; y: number } } }).__airdesk.mapProject(lon, lat), [st.lon, st.lat]);
    await p.mouse.click(xy.x, xy.y);
    await p.locator('[data-testid=voc-panel][data-state=ready]').waitFor({ timeout: 60_000 });
    const panel = p.locator('[data-testid=obm-panel]');
    await panel.scrollIntoViewIfNeeded();
    const day = await p.locator('[data-testid=obm-day]').inputValue();
    expect(day).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The panel follows its run on the socket: GETs of the run are the one after obm:completed and
    // at most the 10-s safety net (polling at 0.7 s would make one per 0.7 s of the run).
    const gets: number[] = [];
    p.on('request', (q) => { if (/\/api\/obm\/runs\/\d+$/.test(q.url()) && q.method() === 'GET') gets.push(Date.now()); });
    const posted = p.waitForResponse((r) => r.url().endsWith('/api/obm/runs') && r.request().method() === 'POST');
    await p.click('[data-testid=obm-run]');
    const first = await (await posted).json();
    expect(Value.Check(ObmRun, first)).toBe(true);
    expect(first).toMatchObject({ station: '1003A', day });
    await p.locator('[data-testid=obm-progress]').waitFor({ timeout: 30_000 });
    const t0 = Date.now();
    await p.locator('[data-testid=obm-panel][data-state=done]').waitFor({ timeout: 120_000 });
    const ranMs = Date.now() - t0;
    expect(gets.length).toBeGreaterThanOrEqual(1);
    expect(gets.length).toBeLessThanOrEqual(1 + Math.ceil(ranMs / 10_000));

    // What is drawn is what the server computed.
    const run = (await (await p.request.get(`${demo.url}/api/obm/runs/${first.id}`)).json()) as ObmRun;
    const res = run.result!;
    console.log(`tests/client/obm: box model ${res.ekma.grid.voc.length}x${res.ekma.grid.nox.length} grid in ${res.elapsedMs} ms`);
    const bars = await p.$$eval('[data-testid=obm-rir-bar]', (gs) => gs.map((g) => [g.getAttribute('data-group'), g.getAttribute('data-rir')]));
    expect(bars).toEqual(res.rir.groups.map((g) => [g.name, g.rir == null ? '' : String(g.rir)]));
    const contours = await p.locator('[data-testid=obm-contour]').count();
    expect(contours).toBeGreaterThanOrEqual(2);
    expect(await p.locator('[data-testid=obm-point]').count()).toBe(1);
    // P(O3) through the day: the peak hour and the day's net production are the run's.
    const po3 = p.locator('[data-testid=obm-po3]');
    const peakHour = res.hours.reduce((b, h) => (h.pO3 > b.pO3 ? h : b)).hour;
    expect(await po3.getAttribute('data-peak-hour')).toBe(String(peakHour));
    expect(Number(await po3.getAttribute('data-net-day'))).toBeCloseTo(res.hours.reduce((a, h) => a + h.pO3 - h.lO3, 0), 0);
    expect(await p.locator('[data-testid=obm-po3-summary]').innerText()).toMatch(/最大生成 [\d.]+ ppb\/h/);
    expect(await p.locator('[data-testid=obm-ratio]').getAttribute('data-regime')).toBe(res.ekma.regime);
    const words = await p.locator('[data-testid=obm-ratio]').innerText();
    expect(words).toMatch(/敏感性/);
    expect(await cutLabels(p)).toEqual([]);
    // Chinese throughout: Latin words only for names and units (as tests/client/e2e.test.ts allows).
    const latin = await panel.evaluate((el) => [...new Set((el.textContent ?? '').match(/[A-Za-z][A-Za-z_]+/g) ?? [])]);
    expect(latin.filter((w) => !['VOCs', 'NOx', 'CO', 'CB', 'OBM', 'RIR', 'EKMA', 'ppb', 'VOC'].includes(w))).toEqual([]);
    await panel.screenshot({ path: `${SHOTS}/obm-zh.png` });

    await p.click('[data-testid=lang-toggle]');
    await p.locator('[data-testid=obm-ratio]').filter({ hasText: 'Regime' }).waitFor({ timeout: 10_000 });
    expect(await p.locator('[data-testid=obm-rir-bar]').count()).toBe(res.rir.groups.length);
    expect(await p.locator('[data-testid=obm-po3-summary]').innerText()).toMatch(/Largest production [\d.]+ ppb\/h/);
    expect(await cutLabels(p)).toEqual([]);
    await panel.screenshot({ path: `${SHOTS}/obm-en.png` });
    await p.close();
  }, 240_000);
});
