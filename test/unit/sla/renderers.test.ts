import { createSlaEngine, evaluateTicket } from '../../../src/core/sla/evaluate-ticket';
import { ReportAccumulator } from '../../../src/core/sla/report-accumulator';
import { renderCsv } from '../../../src/report/render-csv';
import { renderHtml } from '../../../src/report/render-html';
import { renderJson } from '../../../src/report/render-json';
import { renderMarkdown } from '../../../src/report/render-markdown';
import { calendar, H, resolution, response, ticket } from './sla-fixtures';

const defs = [response('24x7', { 2: H }), resolution('24x7', { 2: 4 * H })];
const engine = createSlaEngine(defs, [calendar('24x7', 'Europe/Berlin', null)]);
const hostile = {
  ...ticket(
    [
      ['2026-10-05T08:00:00+02:00', 'New', 2, '=HYPERLINK("http://evil")'],
      ['2026-10-05T09:30:00+02:00', 'Active', 2, '=HYPERLINK("http://evil")'],
      ['2026-10-05T14:00:00+02:00', 'Resolved', 2, '=HYPERLINK("http://evil")'],
    ],
    'INC<script>',
  ),
  branch: 'Branch | "A", Nord',
};

const acc = new ReportAccumulator({
  month: '2026-10',
  timeZone: 'Europe/Berlin',
  trendMonths: 1,
  definitions: defs,
  source: 'test',
  generatedAt: '2026-11-01T00:00:00Z',
  keepRecords: true,
});
acc.add(hostile, evaluateTicket(hostile, engine, acc.asOf));
const report = acc.finish();

describe('report renderers', () => {
  it('CSV quotes fields and defuses formula cells', () => {
    const [header, ...rows] = renderCsv(report).trimEnd().split('\r\n');
    expect(header?.split(',')).toHaveLength(26);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(rows[0]).toContain('"Branch | ""A"", Nord"');
  });

  it.each(['\t=1+1', '\r=1+1', '=1+1', '+1', '-1', '@SUM(A1)'])(
    'CSV defuses a cell starting with %j (OWASP CSV injection: = + - @ tab CR)',
    (cell) => {
      const r = { ...report, records: report.records.map((x) => ({ ...x, branch: cell })) };
      const row = renderCsv(r).split('\r\n')[1] ?? '';
      const quoted = `"'${cell.replace(/"/g, '""')}"`;
      expect(row.includes(quoted) || row.includes(`,'${cell},`)).toBe(true);
    },
  );

  it('Markdown escapes raw HTML in ticket data instead of passing it through', () => {
    const md = renderMarkdown({ ...report, source: '<img src=x onerror=alert(1)>' });
    expect(md).not.toMatch(/<script|<img/);
    expect(md).toContain('INC&lt;script&gt;');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('JSON round-trips to the report, each breach with the link to its explanation', () => {
    const breaches = report.breaches.map((b) => ({
      ...b,
      explain: '/reports/sla/explain?ticket=INC%3Cscript%3E&month=2026-10&format=json',
    }));
    expect(report.breaches.length).toBeGreaterThan(0);
    expect(JSON.parse(renderJson(report))).toEqual(JSON.parse(JSON.stringify({ ...report, breaches })));
  });

  it('HTML and Markdown link each breach to its explanation', () => {
    const href = '/reports/sla/explain?ticket=INC%3Cscript%3E&amp;month=2026-10&amp;format=html';
    expect(renderHtml(report)).toContain(`<td><a href="${href}">INC&lt;script&gt;</a></td>`);
    expect(renderMarkdown(report)).toContain(
      '| [INC&lt;script&gt;](/reports/sla/explain?ticket=INC%3Cscript%3E&month=2026-10&format=html) |',
    );
  });

  it('Markdown escapes table pipes', () => {
    expect(renderMarkdown(report)).toContain('Branch \\| "A", Nord');
  });

  it('HTML is self-contained and escapes ticket data', () => {
    const html = renderHtml(report);
    expect(html).not.toMatch(/<script|<link|<img|src=/);
    expect(html.match(/href="[^"]*"/g)?.every((h) => h.startsWith('href="/reports/sla/explain?'))).toBe(true);
    expect(html).toContain('INC&lt;script&gt;');
    expect(html.match(/<svg /g)).toHaveLength(3);
  });
});
