import type { TicketEvent } from '../../src/core/sla/types';
import { cell, priorityNumber } from '../../src/sla/servicenow-values';

/** One `sys_audit` row as the Table API returns it. */
export interface AuditRow {
  documentkey: string;
  fieldname: string;
  oldvalue: string;
  newvalue: string;
  sys_created_on: string;
}

/** ServiceNow incident state choices (incident.state). */
const STATES: Record<string, string> = {
  '1': 'New',
  '2': 'In Progress',
  '3': 'On Hold',
  '6': 'Resolved',
  '7': 'Closed',
  '8': 'Canceled',
};
/** On Hold reasons (incident.hold_reason) become the named waiting states the SLA config pauses on. */
const HOLD_REASONS: Record<string, string> = {
  '1': 'Awaiting Caller',
  '3': 'Awaiting Problem',
  '4': 'Awaiting Vendor',
  '5': 'Awaiting Change',
};

/** `YYYY-MM-DD HH:MM:SS` as returned by the Table API (UTC unless the user's zone is applied) → epoch ms. */
export function tableApiDate(value: string | undefined): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(cell(value) ?? '');
  return m
    ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
    : null;
}

function stateName(state: string | null, holdReason: string | null): string {
  if (state === '3' && holdReason && HOLD_REASONS[holdReason]) return HOLD_REASONS[holdReason];
  return (state && STATES[state]) ?? state ?? 'New';
}

/**
 * Replays sys_audit into full snapshots. The value a field had at opening is the first audit row's
 * `oldvalue` (or the current value when the field was never changed), so the history is complete even
 * when inserts are not audited.
 */
export function auditEvents(
  openedAt: number,
  current: Record<string, string>,
  audit: AuditRow[],
): TicketEvent[] {
  const rows = audit
    .map((a, i) => ({ ...a, at: tableApiDate(a.sys_created_on), i }))
    .filter((a): a is AuditRow & { at: number; i: number } => a.at !== null)
    .sort((a, b) => a.at - b.at || a.i - b.i);
  const initial = (field: string) => {
    const first = rows.find((r) => r.fieldname === field);
    return first ? cell(first.oldvalue) : cell(current[field]);
  };
  const cur = {
    state: initial('state'),
    hold_reason: initial('hold_reason'),
    priority: initial('priority'),
    assignment_group: initial('assignment_group'),
  };
  const snapshot = (at: number, seq: number): TicketEvent => ({
    at,
    seq,
    state: stateName(cur.state, cur.hold_reason),
    priority: priorityNumber(cur.priority ?? undefined),
    assignee: cur.assignment_group,
  });
  const events = [snapshot(openedAt, 0)];
  rows.forEach((r, i) => {
    if (r.fieldname in cur) cur[r.fieldname as keyof typeof cur] = cell(r.newvalue);
    events.push(snapshot(r.at, i + 1));
  });
  return events;
}
