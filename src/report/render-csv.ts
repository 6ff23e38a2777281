import type { ReportRecord, SlaReport } from '../core/sla/report-model';

const COLUMNS: (keyof ReportRecord)[] = [
  'number',
  'ticketId',
  'definitionId',
  'kind',
  'cycle',
  'status',
  'priority',
  'targetSeconds',
  'calendar',
  'startedAt',
  'stoppedAt',
  'stage',
  'elapsedBusinessSeconds',
  'elapsedWallSeconds',
  'pausedBusinessSeconds',
  'pausedWallSeconds',
  'breached',
  'breachedAt',
  'dueAt',
  'breachProvider',
  'branch',
  'service',
  'category',
  'externalMadeSla',
];

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@]/.test(s) && typeof value === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per ticket and SLA record (cycle), the data every report figure is computed from. */
export function renderCsv(report: SlaReport): string {
  const lines = [COLUMNS.join(',')];
  for (const r of report.records) lines.push(COLUMNS.map((c) => field(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
