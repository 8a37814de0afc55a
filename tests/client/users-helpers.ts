/**
 * Small helpers for the per-user browser tests (users-*.test.ts): the API calls they make the way
 * a forecaster or duty officer would (POST a forecast, issue a warning), Beijing days from the
 * clock (never an assumed hour), the warning key every view carries, and the zh scan for English.
 */
import type { Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import type { WarningState } from '#common/schemas/api.ts';
import { cityWarningView } from '../../client/src/lib/warnings.ts';
import { CHROMIUM, HAVE_CLIENT, WRITE_HEADERS } from './harness.ts';

export const SHOTS = 'artifacts/screenshots';
export const SKIP = !CHROMIUM || !HAVE_CLIENT;
export const skipReason = () => (!CHROMIUM ? 'no Chromium: set AIRDESK_TEST_CHROMIUM or apt-get install chromium' : 'no dist/client: run npx vite build');
mkdirSync(SHOTS, { recursive: true });

/** Beijing day 'YYYY-MM-DD' `offset` days from now (UTC+8, no DST). */
export const beijingDay = (offset = 0, now = Date.now()) => new Date(now + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: any }> {
  // As the demo's seeded lead forecaster (tests/client/harness.ts).
  const auth = WRITE_HEADERS.get(new URL(url).origin) ?? {};
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}
export async function getJson(url: string): Promise<any> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return r.json();
}

/** Forecast daily AQIs for tomorrow onwards, posted as a forecaster would. */
export const postForecast = (base: string, city: string, aqis: number[], source = 'test') =>
  postJson(`${base}/api/forecasts`, { city, source, days: aqis.map((aqi, i) => ({ day: beijingDay(i + 1), aqi, primary: ['pm25'] })) });

/** The warning key the client must show everywhere, from the server's own state (GET /api/warnings). */
export async function expectedWarningKey(base: string, city: string): Promise<string> {
  const { warnings } = (await getJson(`${base}/api/warnings?city=${encodeURIComponent(city)}`)) as { warnings: WarningState[] };
  return cityWarningView(warnings, city).key;
}

/** Latin words in visible text that are not units, codes or standard names (the zh UI must have none). */
export const ALLOWED_LATIN = ['AQI', 'IAQI', 'PM', 'NO', 'NOx', 'SO', 'CO', 'VOCs', 'VOC', 'OFP', 'TVOC', 'ppbv', 'ppbC', 'mg', 'HJ', 'GB', 'MIR', 'MDA8', 'MDA',
  'OH', 'CV', 'AirDesk', 'English', 'RIR', 'EKMA', 'km', 'CN', 'RH', 'hPa', 'h'];
export function scanEnglish(p: Page): Promise<string[]> {
  return p.evaluate((allowed) => {
    const bad = new Map<string, string>();
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const el = n.parentElement;
      // [translate=no]: identifiers (login names), which are Latin by rule (records/users.ts).
      if (!el || el.closest('script,style,[lang=en],[translate=no]') || el.getClientRects().length === 0) continue;
      for (const w of (n.textContent ?? '').match(/[A-Za-z][A-Za-z_]+/g) ?? []) if (!allowed.includes(w)) bad.set(w, (n.textContent ?? '').trim().slice(0, 60));
    }
    return [...bad.entries()].map(([w, c]) => `${w}: "${c}"`);
  }, ALLOWED_LATIN);
}

/** Text boxes that leave their container (or the viewport), as "what [box] outside [box]". */
export function overflowing(p: Page, pairs: readonly [string, string][]): Promise<string[]> {
  return p.evaluate((ps) => {
    const out: string[] = [];
    const vw = window.innerWidth, vh = window.innerHeight;
    for (const [sel, within] of ps) {
      for (const el of document.querySelectorAll(sel)) {
        const c = within === 'viewport' ? null : el.closest(within) ?? document.querySelector(within);
        const a = el.getBoundingClientRect();
        const b = c ? c.getBoundingClientRect() : { left: 0, top: 0, right: vw, bottom: vh };
        if (a.width === 0 && a.height === 0) continue;
        if (a.left < b.left - 1 || a.right > b.right + 1 || a.top < b.top - 1 || a.bottom > b.bottom + 1) {
          out.push(`${sel} "${(el.textContent ?? '').slice(0, 30)}" [${a.left | 0},${a.top | 0},${a.right | 0},${a.bottom | 0}] outside ${within} [${b.left | 0},${b.top | 0},${b.right | 0},${b.bottom | 0}]`);
        }
        const h = el as HTMLElement;
        if (h.scrollWidth > h.clientWidth + 1 && getComputedStyle(h).overflow !== 'visible') out.push(`${sel} "${(el.textContent ?? '').slice(0, 30)}" clipped: ${h.scrollWidth} > ${h.clientWidth}`);
      }
    }
    return out;
  }, pairs as [string, string][]);
}
