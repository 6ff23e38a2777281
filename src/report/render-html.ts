import type { SlaReport } from '../core/sla/report-model';
import { headline, progressNote, reportTables, type ReportTable } from './report-tables';
import { reportCharts } from './report-charts';
import { escapeXml as esc, svgChart } from './svg-charts';

const CSS = `body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1d2430}
h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:1.6rem 0 .5rem;break-after:avoid}
table{border-collapse:collapse;margin:.3rem 0;font-size:12.5px}th,td{border:1px solid #ccd;padding:3px 8px;text-align:left}
th{background:#eef1f6}td:not(:first-child){font-variant-numeric:tabular-nums}.meta{color:#555}.headline{font-size:1.05rem;font-weight:600;margin:.8rem 0}
.in-progress{border-left:4px solid #d9822b;background:#fff6ea;padding:.4rem .7rem}
.charts{display:flex;flex-wrap:wrap;gap:1rem}.charts figure{margin:0;break-inside:avoid}figcaption{font-weight:600;margin-bottom:.2rem}
@media print{body{margin:0}.charts svg{width:100%;height:auto}tr{break-inside:avoid}}`;

/** Charts of the report as inline SVG: compliance trend, volume by priority, MTTR distribution. */
function chartsHtml(r: SlaReport): string {
  const figures = reportCharts(r).map(
    ({ caption, chart }) => `<figure><figcaption>${esc(caption)}</figcaption>${svgChart(chart)}</figure>`,
  );
  return `<div class="charts">${figures.join('')}</div>`;
}

/** One titled table as an HTML section (cells escaped; a row link wraps the row's first cell). */
export function htmlTable(t: ReportTable): string {
  const body = t.rows.length
    ? `<table id="${t.id}"><thead><tr>${t.headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${t.rows.map((row, i) => `<tr>${row.map((c, j) => `<td>${j === 0 && t.links?.[i] ? `<a href="${esc(t.links[i] ?? '')}">${esc(c)}</a>` : esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
    : '<p><em>none</em></p>';
  return `<section><h2>${esc(t.title)}</h2>${body}${t.note ? `<p class="meta">${esc(t.note)}</p>` : ''}</section>`;
}

/** The report body (headline, charts, tables) without the page frame, reused by the /reports page. */
export function reportBody(r: SlaReport): string {
  return [
    `<h1>SLA report ${esc(r.month)}</h1>`,
    `<p class="meta">Period ${esc(r.period.start)} – ${esc(r.period.end)} (${esc(r.timeZone)}) · source ${esc(r.source)} · generated ${esc(r.generatedAt)}</p>`,
    ...(progressNote(r) ? [`<p class="in-progress" role="note">${esc(progressNote(r) ?? '')}</p>`] : []),
    `<p class="headline">${esc(headline(r))}</p>`,
    chartsHtml(r),
    ...reportTables(r).map(htmlTable),
  ].join('\n');
}

/** A self-contained HTML document: inline CSS and SVG, no scripts, no external resources. */
export function renderHtml(r: SlaReport): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>SLA report ${esc(r.month)}</title><style>${CSS}</style></head>
<body>
${reportBody(r)}
</body></html>
`;
}

export { CSS as REPORT_CSS };
