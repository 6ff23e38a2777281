import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReportsHandler } from '../../../handlers/http/reports';
import type { SlaReport } from '../../../src/core/sla/report-model';
import { datasetReport, fixedClock } from './dataset';
import { pdfText } from '../../helpers/pdf-text';

describe('GET /reports/sla and /reports over a real server', () => {
  let server: http.Server;
  let base: string;
  const asked: string[] = [];
  beforeAll(async () => {
    const cache = new Map<string, Promise<SlaReport>>();
    const handler = createReportsHandler({
      clock: fixedClock,
      buildReport: (month) => {
        asked.push(month);
        if (!cache.has(month)) cache.set(month, datasetReport(month));
        return cache.get(month) as Promise<SlaReport>;
      },
    });
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      void handler(req, res, url).then((handled) => {
        if (!handled) {
          res.writeHead(404);
          res.end('not mine');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves the JSON report for a month', async () => {
    const res = await fetch(`${base}/reports/sla?month=2016-03&format=json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sla-report-2016-03.json"');
    const body = (await res.json()) as SlaReport;
    expect(body.month).toBe('2016-03');
    expect(body.totals.resolved).toBe((await datasetReport()).totals.resolved);
  });

  it.each([
    ['csv', /^text\/csv/, /^number,ticketId/],
    ['md', /^text\/markdown/, /^# SLA report 2016-03/],
    ['html', /^text\/html/, /<svg[^>]+data-chart="compliance-trend"/],
  ])('serves format %s', async (format, type, body) => {
    const res = await fetch(`${base}/reports/sla?month=2016-03&format=${format}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(type);
    expect(await res.text()).toMatch(body);
  });

  it.each([
    ['month=2016-3&format=json', 'month'],
    ['format=json', 'month'],
    ['month=2016-03&format=xlsx', 'format'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const res = await fetch(`${base}/reports/sla?${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_query',
      issues: [{ path: field, message: expect.any(String) }],
    });
  });

  it('answers 405 for other methods and leaves foreign paths alone', async () => {
    expect((await fetch(`${base}/reports/sla?month=2016-03`, { method: 'POST' })).status).toBe(405);
    const other = await fetch(`${base}/api/incidents`);
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('not mine');
  });

  it('shows the /reports page for the previous month by default, with month picker and downloads', async () => {
    asked.length = 0;
    const res = await fetch(`${base}/reports`);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(asked).toEqual(['2026-10']); // fixed clock: 2026-11-27
    expect(html).toContain('<input type="month" id="month" name="month" value="2026-10" required>');
    expect(html).toContain('href="/reports/sla?month=2026-10&amp;format=pdf"');
  });

  it('serves a PDF drawn without a browser, with the report text in it', async () => {
    const res = await fetch(`${base}/reports/sla?month=2016-03&format=pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sla-report-2016-03.pdf"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(bytes);
    expect(text).toContain('SLA report 2016-03');
    expect(text).toContain(`${(await datasetReport()).totals.resolved} resolved`);
  });
});
