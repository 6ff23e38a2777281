import type { SlaReport } from '../core/sla/report-model';
import { explainLink } from './report-tables';

/**
 * The report as JSON (schemaVersion 1, documented in docs/sla-report.md). Summary sections are
 * indented for reading; `records` and `breaches` hold one compact object per line, which keeps a
 * 100,000-ticket report small and still diffable line by line.
 */
export function renderJson(report: SlaReport): string {
  const { records, ...summary } = report;
  // Each breach names where the server explains it (`GET /reports/sla/explain`), for an auditor's tool.
  const breaches = report.breaches.map((b) => ({
    ...b,
    explain: explainLink(b.number, report.month, 'json'),
  }));
  delete (summary as Partial<SlaReport>).breaches;
  const lines = (rows: unknown[]) =>
    rows.length ? `[\n${rows.map((r) => `    ${JSON.stringify(r)}`).join(',\n')}\n  ]` : '[]';
  const head = JSON.stringify(summary, null, 2).replace(/\n}$/, '');
  return `${head},\n  "breaches": ${lines(breaches)},\n  "records": ${lines(records)}\n}\n`;
}
