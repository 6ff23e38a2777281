import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReportsHandler } from '../../../handlers/http/reports';
import { Secret } from '../../../src/config/secret';
import type { SlaExplanation } from '../../../src/core/sla/explain-ticket';
import type { SlaReport } from '../../../src/core/sla/report-model';
import { datasetExplanation, datasetReport, fixedClock } from './dataset';

const TOKEN = 'reports-test-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
import { pdfText } from '../../helpers/pdf-text';

describe('GET /reports/sla and /reports over a real server', () => {
  let server: http.Server;
  let base: string;
  const asked: string[] = [];
  beforeAll(async () => {
    const cache = new Map<string, Promise<SlaReport>>();
    const handler = createReportsHandler({
      clock: fixedClock,
      apiToken: new Secret(TOKEN),
      buildReport: (month) => {
        asked.push(month);
        if (!cache.has(month)) cache.set(month, datasetReport(month));
        return cache.get(month) as Promise<SlaReport>;
      },
      explain: (ticket, month) => datasetExplanation(ticket, month),
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
    const res = await fetch(`${base}/reports/sla?month=2016-03&format=json`, { headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sla-report-2016-03.json"');
    const body = (await res.json()) as SlaReport;
    expect(body.month).toBe('2016-03');
    expect(body.totals.resolved).toBe((await datasetReport()).totals.resolved);
    expect(body.breaches[0]).toMatchObject({
      explain: expect.stringMatching(/^\/reports\/sla\/explain\?ticket=INC/),
    });
  });

  it('explains a breach at the link the JSON report gives, as JSON and as HTML', async () => {
    const report = (await (
      await fetch(`${base}/reports/sla?month=2016-03&format=json`, { headers: AUTH })
    ).json()) as {
      breaches: (SlaReport['breaches'][number] & { explain: string })[];
    };
    const b = report.breaches.find((x) => x.status === 'resolved');
    const res = await fetch(`${base}${b?.explain}`, { headers: AUTH });
    expect(res.status).toBe(200);
    const e = (await res.json()) as SlaExplanation;
    expect(e.number).toBe(b?.number);
    expect(
      e.records.find((r) => r.definitionId === b?.definitionId && r.cycle === b?.cycle)?.breachedAt,
    ).toBe(b?.breachedAt);
    const html = await fetch(`${base}${b?.explain.replace('format=json', 'format=html')}`, { headers: AUTH });
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain(`SLA explanation ${b?.number}, 2016-03`);
  });

  it.each([
    ['ticket=&month=2016-03', 'ticket'],
    ['ticket=INC%0A1&month=2016-03', 'ticket'],
    ['ticket=INC0000549&month=2016', 'month'],
    ['ticket=INC0000549&month=2016-03&format=pdf', 'format'],
  ])('explain answers 400 naming the field for %s', async (query, field) => {
    const res = await fetch(`${base}/reports/sla/explain?${query}`, { headers: AUTH });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe(field);
  });

  it('explain answers 404 for a ticket the source does not have', async () => {
    const res = await fetch(`${base}/reports/sla/explain?ticket=INC9999999&month=2016-03`, { headers: AUTH });
    expect(res.status).toBe(404);
  });

  it.each([
    ['csv', /^text\/csv/, /^number,ticketId/],
    ['md', /^text\/markdown/, /^# SLA report 2016-03/],
    ['html', /^text\/html/, /<svg[^>]+data-chart="compliance-trend"/],
  ])('serves format %s', async (format, type, body) => {
    const res = await fetch(`${base}/reports/sla?month=2016-03&format=${format}`, { headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(type);
    expect(await res.text()).toMatch(body);
  });

  it.each([
    ['month=2016-3&format=json', 'month'],
    ['format=json', 'month'],
    ['month=2016-03&format=xlsx', 'format'],
  ])('answers 400 naming the field for %s', async (query, field) => {
    const res = await fetch(`${base}/reports/sla?${query}`, { headers: AUTH });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid_query',
      issues: [{ path: field, message: expect.any(String) }],
    });
  });

  it('answers 405 for other methods and leaves foreign paths alone', async () => {
    expect((await fetch(`${base}/reports/sla?month=2016-03`, { method: 'POST', headers: AUTH })).status).toBe(
      405,
    );
    const other = await fetch(`${base}/api/incidents`, { headers: AUTH });
    expect(other.status).toBe(404);
    expect(await other.text()).toBe('not mine');
  });

  it('shows the /reports page for the previous month by default, with month picker and downloads', async () => {
    asked.length = 0;
    const res = await fetch(`${base}/reports`, { headers: AUTH });
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(asked).toEqual(['2026-10']); // fixed clock: 2026-11-27
    expect(html).toContain('<input type="month" id="month" name="month" value="2026-10" required>');
    expect(html).toContain('href="/reports/sla?month=2026-10&amp;format=pdf"');
  });

  it('serves a PDF drawn without a browser, with the report text in it', async () => {
    const res = await fetch(`${base}/reports/sla?month=2016-03&format=pdf`, { headers: AUTH });
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
