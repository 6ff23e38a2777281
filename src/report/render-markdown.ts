import type { SlaReport } from '../core/sla/report-model';
import { headline, reportTables } from './report-tables';

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The report as GitHub-flavoured Markdown (for tickets, wikis and chat). */
export function renderMarkdown(r: SlaReport): string {
  const out = [
    `# SLA report ${r.month}`,
    '',
    `Period ${r.period.start} – ${r.period.end} (${r.timeZone}), source \`${r.source}\`, generated ${r.generatedAt}.`,
    '',
    `**${headline(r)}**`,
    '',
    'Counted: tickets resolved in the month; tickets open at month end are listed with their status. See docs/sla-report.md for the rules.',
  ];
  for (const t of reportTables(r)) {
    out.push('', `## ${t.title}`, '');
    if (t.rows.length === 0) {
      out.push('_none_');
      continue;
    }
    out.push(`| ${t.headers.map(esc).join(' | ')} |`, `|${t.headers.map(() => ' --- ').join('|')}|`);
    for (const row of t.rows) out.push(`| ${row.map(esc).join(' | ')} |`);
    if (t.note) out.push('', `_${t.note}_`);
  }
  return `${out.join('\n')}\n`;
}
