/**
 * Quick look (not a test): the demo server with the winter PM scenario, screenshots of the desk,
 * a station drawer and the wall in zh and en at 1920x1080 and 3840x2160, into artifacts/look/.
 * `npx vite build && npx tsx tests/client/look.ts [scenario]`. The browser tests assert; this is
 * for looking at the screens while changing them.
 */
import { mkdirSync } from 'node:fs';
import { launchBrowser, startDemo } from './harness.ts';
import type { ScenarioName } from '../../simulators/scenarios.ts';

const OUT = 'artifacts/look';
mkdirSync(OUT, { recursive: true });
const scenario = (process.argv[2] ?? 'pm') as ScenarioName;
const only = process.argv[3] ?? 'all';
const demo = await startDemo({ scenario, silent: ['1009A'], days: scenario === 'o3' ? 4 : 3 });
const browser = await launchBrowser();
const ready = async (p: import('playwright-core').Page) => {
  await p.waitForFunction(() => ((window as unknown as { __airdesk?: { stations?: { coloured: boolean }[] } }).__airdesk?.stations?.filter((s) => s.coloured).length ?? 0) >= 10, null, { timeout: 120_000 });
  await p.waitForTimeout(2500);
};
try {
  if (only === 'all' || only === 'desk') {
    for (const lang of ['zh', 'en']) {
      const p = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      await p.goto(`${demo.url}/?lang=${lang}`);
      await ready(p);
      await p.screenshot({ path: `${OUT}/main-${lang}.png` });
      await p.evaluate(() => (window as unknown as { __airdesk: { map: { zoomTo(z: number): void } } }).__airdesk.map.zoomTo(11.5));
      await p.waitForTimeout(1500);
      await p.screenshot({ path: `${OUT}/main-z115-${lang}.png` });
      await p.close();
    }
  }
  if (only === 'all' || only === 'voc') {
    for (const lang of ['zh', 'en']) {
      const p = await browser.newPage({ viewport: { width: 1600, height: 3000 } });
      await p.goto(`${demo.url}/?lang=${lang}`);
      await ready(p);
      const st = demo.sim.stations.find((x) => x.code === '1003A')!;
      const xy = await p.evaluate(([lon, lat]) => (window as unknown as { __airdesk: { mapProject(a: number, b: number): { x: number; y: number } } }).__airdesk.mapProject(lon, lat), [st.lon, st.lat]);
      await p.mouse.click(xy.x, xy.y);
      await p.locator('[data-testid=voc-panel][data-state=ready]').waitFor({ timeout: 60_000 });
      await p.evaluate(() => { for (const d of document.querySelectorAll('details')) (d as HTMLDetailsElement).open = true; });
      await p.waitForTimeout(500);
      await p.locator('[data-testid=voc-section]').screenshot({ path: `${OUT}/voc-${lang}.png`, timeout: 60_000 });
      await p.click('[data-testid=voc-compare-tab]');
      await p.locator('[data-testid=voc-compare]:not([data-state=loading])').waitFor({ timeout: 60_000 });
      await p.locator('[data-testid=voc-section]').screenshot({ path: `${OUT}/voc-compare-${lang}.png`, timeout: 60_000 });
      await p.close();
    }
  }
  if (only === 'all' || only === 'wall') {
    for (const [w, h] of [[1920, 1080], [3840, 2160]]) {
      for (const lang of ['zh', 'en']) {
        const p = await browser.newPage({ viewport: { width: w, height: h } });
        await p.goto(`${demo.url}/wall?lang=${lang}`);
        await ready(p);
        await p.screenshot({ path: `${OUT}/wall-${w}-${lang}.png`, timeout: 120_000 });
        await p.close();
      }
    }
  }
} finally {
  await browser.close();
  await demo.close();
}
