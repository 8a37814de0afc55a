/**
 * The PDF as a reader gets it: a synthetic month's report printed by Chromium (reports/pdf.ts),
 * then read back with poppler (pdfinfo, pdftotext, pdftoppm -> PNG): its pages, its Chinese text
 * (fonts-noto-cjk embedded, text extractable), and its charts (the SVG charts' own titles are in
 * the text, and the level colours fill far more of the rendered pages than the same report printed
 * with the charts taken out). Skips, saying so, without Chromium or poppler-utils.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cityEngine, parsePeriod, periodReport, type PeriodReport } from '../../common/reports/index.ts';
import type { HourlyPoint } from '../../common/episodes/types.ts';
import { LEVELS } from '../../common/standards/index.ts';
import { beijingToUtc } from '../../common/time.ts';
import { periodReportHtml } from '../../reports/html.ts';
import { htmlToPdf } from '../../reports/pdf.ts';
import { readPng } from '../client/png.ts';

const CHROMIUM = process.env.AIRDESK_TEST_CHROMIUM || '/usr/bin/chromium';
const which = (c: string) => { try { execFileSync('sh', ['-c', `command -v ${c}`]); return true; } catch { return false; } };
const have = existsSync(CHROMIUM) && which('pdftoppm') && which('pdftotext') && which('pdfinfo');
if (!have) console.warn('tests/reports/pdf: Chromium or poppler-utils (pdftoppm, pdftotext, pdfinfo) missing, skipping the PDF checks');

function monthReport(): PeriodReport {
  // one station, January 2017: PM2.5 cycling through every level 1..5, a heavy run on days 12..15
  const pts: HourlyPoint[] = [];
  for (let d = 0; d < 31; d++) for (let h = 1; h <= 24; h++) {
    const pm25 = d >= 11 && d <= 14 ? 180 + 30 * (d - 11) : [20, 50, 90, 130, 60][d % 5];
    pts.push({ city: 'beijing', station: '1001A', time: beijingToUtc(2017, 1, 1 + d, h), values: { pm25, pm10: pm25 * 1.3, so2: 8, no2: 40, co: 0.9, o3: 60 } });
  }
  const p = parsePeriod('month', '2017-01');
  if (!p.ok) throw new Error(p.error);
  const r = periodReport(cityEngine(pts, 'beijing', 1), p.period);
  if (!r.ok) throw new Error(r.message);
  return r.report;
}

let dir = '';
beforeAll(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'airdesk-report-pdf-')); });
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

/** Pixels of the PNG pages within 12 of a level colour, per page. */
function levelPixels(prefix: string): number[] {
  const pages = readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.png')).sort();
  return pages.map((f) => {
    const png = readPng(readFileSync(path.join(dir, f)));
    let n = 0;
    for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) {
      const [r, g, b] = png.px(x, y);
      if (LEVELS.some((l) => Math.abs(l.rgb[0] - r) + Math.abs(l.rgb[1] - g) + Math.abs(l.rgb[2] - b) < 12)) n++;
    }
    return n;
  });
}

describe.skipIf(!have)('PDF of a monthly report (Chromium print, read back with poppler)', () => {
  it('has its pages, the Chinese text and the charts', async () => {
    const r = monthReport();
    const html = periodReportHtml(r, 'zh', { cityName: '北京' });
    const pdf = path.join(dir, 'm.pdf');
    writeFileSync(pdf, await htmlToPdf(html, CHROMIUM));
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    // report body and the daily annex, which starts on a page of its own
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(pages).toBeLessThanOrEqual(6);

    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('北京2017年1月环境空气质量月报');
    expect(text).toMatch(/优良天数比例为\d+\.\d%/);
    expect(text).toContain('附表：逐日空气质量');
    // the charts' own titles (SVG text drawn by ECharts, nowhere else on the page)
    expect(text).toContain('逐日AQI');
    expect(text).toContain('级别构成');

    execFileSync('pdftoppm', ['-r', '40', '-png', pdf, path.join(dir, 'with')]);
    const withCharts = levelPixels('with');
    expect(withCharts.length).toBe(pages);

    const bare = path.join(dir, 'bare.pdf');
    writeFileSync(bare, await htmlToPdf(html.replace(/<svg class="report-chart"[\s\S]*?<\/svg>/g, ''), CHROMIUM));
    execFileSync('pdftoppm', ['-r', '40', '-png', bare, path.join(dir, 'bare')]);
    const without = levelPixels('bare');
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    // the bars and the ring: several times the colour of the small level swatches in the tables
    expect(sum(withCharts)).toBeGreaterThan(3 * sum(without) + 500);
  }, 120_000);
});
