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

/**
 * RFC 4180 quoting. A text cell starting with =, +, -, @, tab or carriage return is prefixed with ' so
 * spreadsheets do not run it as a formula: Excel skips leading tab/CR before parsing a formula
 * (https://owasp.org/www-community/attacks/CSV_Injection).
 */
function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s) && typeof value === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One row per ticket and SLA record (cycle), the data every report figure is computed from. The last two
 * columns repeat the report's `asOf` and `monthInProgress` on every row, so a CSV of a month in progress
 * says so wherever it is opened.
 */
export function renderCsv(report: SlaReport): string {
  const lines = [[...COLUMNS, 'asOf', 'monthInProgress'].join(',')];
  const tail = `,${report.asOf},${report.monthInProgress}`;
  for (const r of report.records) lines.push(COLUMNS.map((c) => field(r[c])).join(',') + tail);
  return `${lines.join('\r\n')}\r\n`;
}
