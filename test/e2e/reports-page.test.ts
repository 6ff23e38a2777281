import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { createReportsHandler } from '../../handlers/http/reports';
import { Secret } from '../../src/config/secret';
import { datasetReport, fixedClock } from '../integration/report/dataset';

const TOKEN = 'browser-test-token-0123456789';
import { browserTest, CHROMIUM_ARGS, chromiumPath } from '../helpers/browser';

const test = browserTest();
const withBrowser = test !== it.skip;

describe('/reports page in headless Chromium', () => {
  let server: http.Server;
  let base: string;
  let browser: Browser;
  beforeAll(async () => {
    const handler = createReportsHandler({
      clock: fixedClock,
      apiToken: new Secret(TOKEN),
      buildReport: (month) => datasetReport(month),
      explain: async () => null,
    });
    server = http.createServer((req, res) => {
      void handler(req, res, new URL(req.url ?? '/', 'http://localhost')).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (withBrowser)
      browser = await chromium.launch({ executablePath: chromiumPath() ?? undefined, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('signs in with the token, picks a month, shows the charts and offers downloads', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    await page.goto(`${base}/reports`);
    // Not signed in: the login page, then back to /reports with an HttpOnly session cookie.
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(/\/reports$/), page.click('#login button[type=submit]')]);
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'itsm_session', httpOnly: true, sameSite: 'Strict' });
    expect(cookie?.value).not.toContain(TOKEN);
    expect(await page.inputValue('#month')).toBe('2026-10');
    await page.fill('#month', '2016-03');
    await Promise.all([page.waitForURL(/month=2016-03/), page.click('button[type=submit]')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('SLA report 2016-03');
    for (const chart of ['compliance-trend', 'volume-by-priority', 'mttr-distribution']) {
      expect(await page.locator(`svg[data-chart="${chart}"]`).isVisible()).toBe(true);
    }
    // The P3 bar carries the real count of P3 tickets in the period.
    const report = await datasetReport();
    const p3 = report.volumes.byPriority.find((c) => c.key === 'P3')?.count;
    await expect(
      page.locator('svg[data-chart="volume-by-priority"] rect title').allTextContents(),
    ).resolves.toContain(`P3: ${p3}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[data-format="csv"]')]);
    expect(download.suggestedFilename()).toBe('sla-report-2016-03.csv');
    expect(await page.getAttribute('a[data-format="pdf"]', 'href')).toBe(
      '/reports/sla?month=2016-03&format=pdf',
    );
  });
});
