import { z } from 'zod';
import type { Selectable } from 'kysely';
import type { Alert } from '../../src/core/alert/alert';
import { parseTimelineEvent, type TimelineEvent } from '../../src/core/incident/timeline-event';
import { parseLaneCommand } from '../../src/core/outbox/outbox-command';
import { HandoffNote, HandoffState, nextHandoffTick, type Handoff } from '../../src/core/handoff/handoff';
import { firstIssue } from '../../src/core/first-issue';
import {
  OnCallPersonSchema,
  ShiftState,
  ShiftSummary,
  ShiftTrigger,
  type NewShiftHandover,
  type ShiftHandover,
} from '../../src/core/oncall/shift-handover';
import {
  EscalationState,
  EscalationStep,
  EscalationTrigger,
  type Escalation,
  type NewEscalation,
} from '../../src/core/escalation/escalation';
import type {
  IncidentRecord,
  MemberRecord,
  NewIncident,
  ClaimedCommand,
  OutboxCommand,
  StoredAlert,
  TimelineEntry,
  TimelineEntryOf,
} from '../../src/ports/store';
import type {
  AlertsTable,
  EscalationsTable,
  HandoffsTable,
  ShiftHandoversTable,
  IncidentAlertsTable,
  IncidentsTable,
  OutboxTable,
  TimelineTable,
} from './database';
import { mergeShared } from './shared-labels';

/**
 * An alert as an `alerts` row: `sharedId` names the delivery's `alert_shared` row, if any, and
 * `requestId` the HTTP request that delivered it.
 */
export function alertToRow(a: Alert, o: { sharedId?: number | null; requestId?: string | null } = {}) {
  return {
    request_id: o.requestId ?? null,
    source: a.source,
    dedup_key: a.dedupKey,
    status: a.status,
    event: a.event,
    severity: a.severity,
    host: a.host,
    service: a.service,
    branch: a.branch,
    summary: a.summary,
    description: a.description,
    labels: JSON.stringify(a.labels),
    annotations: JSON.stringify(a.annotations),
    links: JSON.stringify(a.links),
    starts_at: a.startsAt,
    ends_at: a.endsAt,
    received_at: a.receivedAt,
    shared_id: o.sharedId ?? null,
  };
}

/** An `alerts` row joined with its `alert_shared` row (null columns when it has none). */
export type AlertRowWithShared = Selectable<AlertsTable> & {
  shared_labels: string | null;
  shared_annotations: string | null;
};

export function rowToAlert(r: AlertRowWithShared): StoredAlert {
  return {
    id: r.id,
    source: r.source as Alert['source'],
    dedupKey: r.dedup_key,
    status: r.status as Alert['status'],
    event: r.event as Alert['event'],
    severity: r.severity as Alert['severity'],
    host: r.host,
    service: r.service,
    branch: r.branch,
    summary: r.summary,
    description: r.description,
    labels: mergeShared(r.labels, r.shared_labels),
    annotations: mergeShared(r.annotations, r.shared_annotations),
    links: JSON.parse(r.links),
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    receivedAt: r.received_at,
    processedAt: r.processed_at,
    incidentId: r.incident_id,
    decision: r.decision,
    requestId: r.request_id,
  };
}

export function rowToIncident(r: Selectable<IncidentsTable>): IncidentRecord {
  return {
    id: r.id,
    key: r.key,
    groupKey: r.group_key,
    state: r.state as IncidentRecord['state'],
    title: r.title,
    source: r.source,
    severity: r.severity,
    host: r.host,
    service: r.service,
    branch: r.branch,
    provider: r.provider,
    rule: r.rule,
    impact: r.impact,
    urgency: r.urgency,
    priority: r.priority,
    runbookId: r.runbook_id,
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
    lastAlertAt: r.last_alert_at,
    resolveDueAt: r.resolve_due_at,
    resolvedAt: r.resolved_at,
    firingCount: r.firing_count,
    alertCount: r.alert_count,
    flapping: r.flapping === 1,
    flappingReported: r.flapping_reported === 1,
    memberCount: r.member_count,
    reopenCount: r.reopen_count,
    previousIncidentId: r.previous_incident_id,
    tickets: JSON.parse(r.tickets),
    acknowledged: r.ack_at && r.ack_by ? { at: r.ack_at, by: r.ack_by, name: r.ack_name ?? r.ack_by } : null,
    chat: JSON.parse(r.chat),
  };
}

/** Maps a (partial) incident to column values; only the keys present are written. */
export function incidentToRow(i: Partial<NewIncident>): Partial<Omit<IncidentsTable, 'id'>> {
  const map: [keyof NewIncident, keyof IncidentsTable, ((v: unknown) => unknown)?][] = [
    ['key', 'key'],
    ['groupKey', 'group_key'],
    ['state', 'state'],
    ['title', 'title'],
    ['source', 'source'],
    ['severity', 'severity'],
    ['host', 'host'],
    ['service', 'service'],
    ['branch', 'branch'],
    ['provider', 'provider'],
    ['rule', 'rule'],
    ['impact', 'impact'],
    ['urgency', 'urgency'],
    ['priority', 'priority'],
    ['runbookId', 'runbook_id'],
    ['openedAt', 'opened_at'],
    ['updatedAt', 'updated_at'],
    ['lastAlertAt', 'last_alert_at'],
    ['resolveDueAt', 'resolve_due_at'],
    ['resolvedAt', 'resolved_at'],
    ['firingCount', 'firing_count'],
    ['alertCount', 'alert_count'],
    ['flapping', 'flapping', (v) => (v ? 1 : 0)],
    ['flappingReported', 'flapping_reported', (v) => (v ? 1 : 0)],
    ['memberCount', 'member_count'],
    ['reopenCount', 'reopen_count'],
    ['previousIncidentId', 'previous_incident_id'],
    ['tickets', 'tickets', (v) => JSON.stringify(v)],
    ['chat', 'chat', (v) => JSON.stringify(v)],
  ];
  const row: Record<string, unknown> = {};
  for (const [from, to, conv] of map) {
    if (from in i) row[to] = conv ? conv(i[from]) : i[from];
  }
  if ('acknowledged' in i) {
    row.ack_at = i.acknowledged?.at ?? null;
    row.ack_by = i.acknowledged?.by ?? null;
    row.ack_name = i.acknowledged?.name ?? null;
  }
  return row as Partial<Omit<IncidentsTable, 'id'>>;
}

export function rowToMember(r: Selectable<IncidentAlertsTable>): MemberRecord {
  return {
    incidentId: r.incident_id,
    dedupKey: r.dedup_key,
    status: r.status as MemberRecord['status'],
    severity: r.severity,
    host: r.host,
    service: r.service,
    summary: r.summary,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    lastChangeAt: r.last_change_at,
    occurrences: r.occurrences,
    flapChanges: JSON.parse(r.flap_changes),
  };
}

export function memberToRow(m: MemberRecord): IncidentAlertsTable {
  return {
    incident_id: m.incidentId,
    dedup_key: m.dedupKey,
    status: m.status,
    severity: m.severity,
    host: m.host,
    service: m.service,
    summary: m.summary,
    first_seen_at: m.firstSeenAt,
    last_seen_at: m.lastSeenAt,
    last_change_at: m.lastChangeAt,
    occurrences: m.occurrences,
    flap_changes: JSON.stringify(m.flapChanges),
  };
}

/** A timeline row; its type and data are parsed by the core's schema (a bad row reads as `unreadable`). */
export function rowToTimeline(r: Selectable<TimelineTable>): TimelineEntry {
  return {
    id: r.id,
    incidentId: r.incident_id,
    at: r.at,
    actor: r.actor,
    reason: r.reason,
    alertId: r.alert_id,
    ...parseTimelineEvent(r.type, r.data),
  };
}

/** The entries of one type, narrowed (an unreadable row of that type is left out). */
export function ofType<T extends TimelineEvent['type']>(entries: TimelineEntry[], type: T) {
  return entries.filter((e): e is TimelineEntryOf<T> => e.type === type);
}

const COMMAND_STATES = { pending: true, done: true, parked: true } as const;
const isCommandState = (s: string): s is OutboxCommand['state'] => s in COMMAND_STATES;

/**
 * An outbox row; lane, kind and payload are parsed by the core's schema. A row that does not parse
 * reads as kind `unreadable` (the worker parks it with the reason) instead of crashing the worker.
 */
export function rowToCommand(r: Selectable<OutboxTable>): OutboxCommand {
  return {
    id: r.id,
    incidentId: r.incident_id,
    ...parseLaneCommand(r.lane, r.kind, r.payload),
    state: isCommandState(r.state) ? r.state : 'parked',
    attempts: r.attempts,
    notBefore: r.not_before,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    requestId: r.request_id,
  };
}

/** A claimed command: the command and the number of its claim. */
export function rowToClaimedCommand(r: Selectable<OutboxTable>): ClaimedCommand {
  return { ...rowToCommand(r), claim: r.claim };
}

/** Column values for a command patch; only the keys present are written. */
export function commandPatchToRow(
  p: Partial<Pick<OutboxCommand, 'state' | 'attempts' | 'notBefore' | 'lastError' | 'updatedAt'>>,
): Partial<Omit<OutboxTable, 'id' | 'claim'>> {
  const row: Partial<Omit<OutboxTable, 'id' | 'claim'>> = {};
  if (p.state !== undefined) row.state = p.state;
  if (p.attempts !== undefined) row.attempts = p.attempts;
  if (p.notBefore !== undefined) row.not_before = p.notBefore;
  if (p.lastError !== undefined) row.last_error = p.lastError;
  if (p.updatedAt !== undefined) row.updated_at = p.updatedAt;
  return row;
}

/** A hand-off row; state and note are parsed by the core's schemas. */
export function rowToHandoff(r: Selectable<HandoffsTable>): Handoff {
  const note = HandoffNote.safeParse(JSON.parse(r.note));
  const state = HandoffState.safeParse(r.state);
  if (!note.success || !state.success)
    throw new Error(
      `hand-off ${r.id} cannot be read: ${note.success ? 'state' : firstIssue(note.error, 'note')}`,
    );
  return {
    id: r.id,
    incidentId: r.incident_id,
    from: r.from_provider,
    to: r.to_provider,
    state: state.data,
    note: note.data,
    offeredAt: r.offered_at,
    offeredBy: r.offered_by,
    deadline: r.deadline,
    reminded: r.reminded === 1,
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
    reason: r.reason,
  };
}

/** Column values of a hand-off (without its id). */
export function handoffToRow(h: Omit<Handoff, 'id'>): Omit<HandoffsTable, 'id'> {
  return {
    incident_id: h.incidentId,
    from_provider: h.from,
    to_provider: h.to,
    state: h.state,
    note: JSON.stringify(h.note),
    offered_at: h.offeredAt,
    offered_by: h.offeredBy,
    deadline: h.deadline,
    reminded: h.reminded ? 1 : 0,
    decided_at: h.decidedAt,
    decided_by: h.decidedBy,
    reason: h.reason,
    next_check_at: nextHandoffTick(h),
  };
}

const EscalationRow = z.object({
  steps: z.array(EscalationStep),
  trigger: EscalationTrigger,
  state: EscalationState,
});

/** An escalation run from its row; a row this version cannot read is an error naming the run. */
export function rowToEscalation(r: Selectable<EscalationsTable>): Escalation {
  let steps: unknown;
  try {
    steps = JSON.parse(r.steps);
  } catch {
    steps = null;
  }
  const parsed = EscalationRow.safeParse({ steps, trigger: r.trigger, state: r.state });
  if (!parsed.success)
    throw new Error(`escalation ${r.id} cannot be read: ${firstIssue(parsed.error, 'steps')}`);
  return {
    id: r.id,
    incidentId: r.incident_id,
    provider: r.provider,
    priority: r.priority,
    ...parsed.data,
    startedAt: r.started_at,
    nextStep: r.next_step,
    nextDueAt: r.next_due_at,
    stoppedAt: r.stopped_at,
    stoppedBy: r.stopped_by,
  };
}

/** Column values of an escalation run (without its id). */
export function escalationToRow(e: NewEscalation): Omit<EscalationsTable, 'id'> {
  return {
    incident_id: e.incidentId,
    provider: e.provider,
    priority: e.priority,
    trigger: e.trigger,
    steps: JSON.stringify(e.steps),
    started_at: e.startedAt,
    next_step: e.nextStep,
    next_due_at: e.nextDueAt,
    state: e.state,
    stopped_at: e.stoppedAt,
    stopped_by: e.stoppedBy,
  };
}

const ShiftRow = z.object({
  trigger: ShiftTrigger,
  state: ShiftState,
  summary: ShiftSummary,
  outgoing: OnCallPersonSchema.nullable(),
  incoming: OnCallPersonSchema.nullable(),
});
const json = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** A shift handover from its row; a row this version cannot read is an error naming it. */
export function rowToShiftHandover(r: Selectable<ShiftHandoversTable>): ShiftHandover {
  const parsed = ShiftRow.safeParse({
    trigger: r.trigger,
    state: r.state,
    summary: json(r.summary),
    outgoing: json(r.outgoing),
    incoming: json(r.incoming),
  });
  if (!parsed.success)
    throw new Error(`shift handover ${r.id} cannot be read: ${firstIssue(parsed.error, 'summary')}`);
  const { outgoing, incoming, ...rest } = parsed.data;
  const person = (p: typeof outgoing) => (p ? { ...p } : null);
  return {
    id: r.id,
    provider: r.provider,
    at: r.at,
    requestedBy: r.requested_by,
    ...rest,
    outgoing: person(outgoing),
    incoming: person(incoming),
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
    escalateAt: r.escalate_at,
  };
}

/** Column values of a shift handover (without its id). */
export function shiftHandoverToRow(h: NewShiftHandover): Omit<ShiftHandoversTable, 'id'> {
  return {
    provider: h.provider,
    at: h.at,
    trigger: h.trigger,
    requested_by: h.requestedBy,
    outgoing: h.outgoing ? JSON.stringify(h.outgoing) : null,
    incoming: h.incoming ? JSON.stringify(h.incoming) : null,
    summary: JSON.stringify(h.summary),
    state: h.state,
    acknowledged_by: h.acknowledgedBy,
    acknowledged_at: h.acknowledgedAt,
    escalate_at: h.escalateAt,
  };
}
