import type { SlaReport } from '../../src/core/sla/report-model';
import { REPORT_CSS, reportBody } from '../../src/report/render-html';
import { escapeXml as esc } from '../../src/report/svg-charts';

const DOWNLOADS = [
  ['html', 'HTML'],
  ['pdf', 'PDF'],
  ['csv', 'CSV (one row per ticket and SLA)'],
  ['handoffs-csv', 'CSV of hand-offs (OLA)'],
  ['json', 'JSON'],
  ['md', 'Markdown'],
] as const;

/** The /reports page: a month picker (plain GET form, works without JavaScript), downloads and the report. */
export function reportsPage(month: string, report: SlaReport | null, error: string | null): string {
  const q = encodeURIComponent(month);
  const links = DOWNLOADS.map(
    ([f, label]) =>
      `<li><a href="/reports/sla?month=${q}&amp;format=${f}" data-format="${f}" download>${esc(label)}</a></li>`,
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>SLA reports · ${esc(month)}</title><style>${REPORT_CSS}
form{margin:0 0 1rem}nav ul{display:flex;gap:1rem;list-style:none;padding:0}</style></head>
<body>
<form method="get" action="/reports" id="month-picker">
<label for="month">Month</label> <input type="month" id="month" name="month" value="${esc(month)}" required>
<button type="submit">Show report</button>
</form>
<nav aria-label="Downloads"><ul>${links}</ul></nav>
${error ? `<p role="alert">${esc(error)}</p>` : ''}
${report ? reportBody(report) : ''}
</body></html>
`;
}
