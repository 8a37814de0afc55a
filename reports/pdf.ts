/**
 * HTML -> PDF through Chromium's own print (playwright-core driving Debian's /usr/bin/chromium, as
 * the browser tests do; ../shared/STACK-NOTES.md). The page is the same self-contained HTML the
 * html format writes, so the PDF carries the same SVG charts. Network is refused: a report page
 * needs nothing outside itself.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { ReportError } from '#common/reports/errors.ts';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'];

/** Print an HTML document to A4 PDF bytes. Throws ReportError('report.render') when Chromium is
 *  missing or fails. */
export async function htmlToPdf(html: string, executablePath = DEFAULT_CHROMIUM): Promise<Buffer> {
  if (!existsSync(executablePath)) throw new ReportError('report.render', `Chromium not found at ${executablePath} (apt-get install -y chromium fonts-noto-cjk, or give --chromium PATH)`);
  let browser;
  try {
    browser = await chromium.launch({ executablePath, args: ARGS, headless: true });
  } catch (e) {
    throw new ReportError('report.render', `Chromium did not start: ${String((e as Error).message).split('\n')[0]}`);
  }
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } catch (e) {
    throw new ReportError('report.render', `printing failed: ${String((e as Error).message).split('\n')[0]}`);
  } finally {
    await browser.close();
  }
}
