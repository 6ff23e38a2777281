import { chromium } from 'playwright-core';
import type { SlaReport } from '../core/sla/report-model';
import { renderHtml } from './render-html';

/** Debian's chromium package path; CI installs it (`.ci/run`). */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The HTML report printed to A4 by headless Chromium through playwright-core: the PDF shows exactly
 * what the page shows (same SVG charts and CSS), and no second layout engine has to be maintained.
 * Why this and not a PDF library: see docs/sla-report.md.
 */
export async function renderPdf(report: SlaReport, executablePath = CHROMIUM_PATH): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    // The HTML has no external resources; offline mode guarantees nothing is fetched while printing.
    await page.context().setOffline(true);
    await page.setContent(renderHtml(report), { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-size:8px;width:100%;text-align:center">SLA report ${report.month} · page <span class="pageNumber"></span>/<span class="totalPages"></span></div>`,
    });
  } finally {
    await browser.close();
  }
}
