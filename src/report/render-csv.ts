import type { HandoffRow } from '../core/sla/handoff-ola';
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

const HANDOFF_COLUMNS: (keyof HandoffRow)[] = [
  'number',
  'ticketId',
  'handoffId',
  'from',
  'to',
  'offeredAt',
  'deadline',
  'deadlineSeconds',
  'state',
  'decidedAt',
  'expired',
  'secondsToAccept',
  'withinDeadline',
  'refs',
];

/**
 * One row per hand-off offered in the month (`format=handoffs-csv`): the rows every OLA figure of the
 * report is counted from, each naming the timeline rows of its offer and decision. Header only when the
 * source knows no hand-offs.
 */
export function renderHandoffsCsv(report: SlaReport): string {
  const lines = [[...HANDOFF_COLUMNS, 'asOf', 'monthInProgress'].join(',')];
  const tail = `,${report.asOf},${report.monthInProgress}`;
  for (const h of report.ola?.handoffs ?? [])
    lines.push(HANDOFF_COLUMNS.map((c) => field(h[c])).join(',') + tail);
  return `${lines.join('\r\n')}\r\n`;
}
