import type { SlaReport } from '../core/sla/report-model';
import { headline, progressNote, reportTables, type ReportTable } from './report-tables';

/**
 * Ticket data is text, never markup: `&`, `<` and `>` become entities, so a renderer that allows raw
 * HTML in Markdown (most wikis, GitHub) shows `<img onerror=…>` instead of running it; pipes are
 * escaped so a cell cannot end its table column, line breaks would end the table row.
 */
export const esc = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, ' ');

/** One titled table as Markdown lines; a row link wraps the row's first cell. */
export function markdownTable(t: ReportTable): string[] {
  const out = ['', `## ${esc(t.title)}`, ''];
  if (t.rows.length === 0) return [...out, '_none_'];
  out.push(`| ${t.headers.map(esc).join(' | ')} |`, `|${t.headers.map(() => ' --- ').join('|')}|`);
  t.rows.forEach((row, i) => {
    const link = t.links?.[i];
    const cells = row.map(esc);
    if (link && cells.length) cells[0] = `[${cells[0]}](${link})`;
    out.push(`| ${cells.join(' | ')} |`);
  });
  if (t.note) out.push('', `_${esc(t.note)}_`);
  return out;
}

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
  for (const t of reportTables(r)) out.push(...markdownTable(t));
  return `${out.join('\n')}\n`;
}
