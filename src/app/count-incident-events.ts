import type { TimelineEvent } from '../core/incident/timeline-event';
import type { Metrics } from '../ports/metrics';
import type { TimelineCommitListener } from '../ports/timeline';

type Counted = Pick<
  Metrics,
  'incidentEvent' | 'incidentOpened' | 'incidentResolved' | 'incidentReopened' | 'escalation'
>;
type EventOf<T extends TimelineEvent['type']> = Extract<TimelineEvent, { type: T }>;

/**
 * Which committed timeline events are lifecycle figures of their own, besides the per-type count. A
 * `Record` over every event type: a new event does not compile until someone decides whether it opens,
 * resolves or escalates something.
 */
const LIFECYCLE: { [T in TimelineEvent['type']]: ((m: Counted, e: EventOf<T>) => void) | null } = {
  opened: (m, e) => m.incidentOpened({ provider: e.data.provider, priority: e.data.priority }),
  reopened: (m) => m.incidentReopened(),
  resolved: (m) => m.incidentResolved({ by: 'monitoring' }),
  resolved_by_user: (m) => m.incidentResolved({ by: 'person' }),
  handoff_escalated: (m) => m.escalation({ kind: 'handoff' }),
  handoff_ping_pong: null,
  alert_joined: null,
  alert_refired: null,
  alert_recovered: null,
  resolving: null,
  flapping: null,
  flapping_ended: null,
  annotated: null,
  acknowledged: null,
  note: null,
  runbook_step_done: null,
  shadow_action: null,
  ticket_create: null,
  ticket_note: null,
  ticket_resolve: null,
  ticket_reopen: null,
  ticket_link: null,
  ticket_ack: null,
  ticket_comment: null,
  ticket_reassign: null,
  ticket_handoff_issue: null,
  ticket_sync: null,
  sync_copied: null,
  sync_not_owned: null,
  sync_stale: null,
  sync_group_changed: null,
  sync_assignee: null,
  ticket_parked: null,
  handoff_offered: null,
  handoff_accepted: null,
  handoff_rejected: null,
  handoff_cancelled: null,
  handoff_reminded: null,
  handoff_expired: null,
  escalation_step: (m, e) => m.escalation({ kind: e.data.kind }),
  escalation_stopped: null,
  storm_started: null,
  storm_absorbed: null,
};

function count<T extends TimelineEvent['type']>(m: Counted, e: EventOf<T>): void {
  m.incidentEvent(e.type);
  (LIFECYCLE[e.type] as ((m: Counted, e: EventOf<T>) => void) | null)?.(m, e);
}

/** The store's commit listener that turns committed timeline events into incident metrics. */
export const countIncidentEvents =
  (metrics: Counted): TimelineCommitListener =>
  (events) => {
    for (const e of events) count(metrics, e);
  };
