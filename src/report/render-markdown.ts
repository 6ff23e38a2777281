import type { SlaReport } from '../core/sla/report-model';
import { headline, progressNote, reportTables } from './report-tables';

/**
 * Ticket data is text, never markup: `&`, `<` and `>` become entities, so a renderer that allows raw
 * HTML in Markdown (most wikis, GitHub) shows `<img onerror=…>` instead of running it; pipes are
 * escaped so a cell cannot end its table column, line breaks would end the table row.
 */
const esc = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, ' ');

/** The report as GitHub-flavoured Markdown (for tickets, wikis and chat). */
export function renderMarkdown(r: SlaReport): string {
  const out = [
    `# SLA report ${esc(r.month)}`,
    '',
    `Period ${r.period.start} – ${r.period.end} (${esc(r.timeZone)}), source ${esc(r.source)}, generated ${r.generatedAt}.`,
    '',
    ...(progressNote(r) ? [`> **${esc(progressNote(r) ?? '')}**`, ''] : []),
    `**${esc(headline(r))}**`,
    '',
    'Counted: tickets resolved in the month; tickets open at month end are listed with their status. See docs/sla-report.md for the rules.',
  ];
  for (const t of reportTables(r)) {
    out.push('', `## ${esc(t.title)}`, '');
    if (t.rows.length === 0) {
      out.push('_none_');
      continue;
    }
    out.push(`| ${t.headers.map(esc).join(' | ')} |`, `|${t.headers.map(() => ' --- ').join('|')}|`);
    for (const row of t.rows) out.push(`| ${row.map(esc).join(' | ')} |`);
    if (t.note) out.push('', `_${esc(t.note)}_`);
  }
  return `${out.join('\n')}\n`;
}
