import type { StoredTimelineEvent, TimelineEventType } from '../incident/timeline-event';
import { unhandled } from '../unhandled';
import type { TicketEvent } from './types';

/** What an incident timeline entry means for the SLA clocks, in the engine's ServiceNow-style terms. */
export type ClockChange = Omit<TicketEvent, 'at' | 'seq'>;

/**
 * The one place that says which of the bridge's own timeline events move an SLA clock: opened (New,
 * with priority and owning provider), acknowledged (In Progress, a human took it), reopened (New
 * again), resolved by recovery or by a person (Resolved), an accepted hand-off (the receiving
 * provider holds it from then on). Everything else leaves the clocks alone — a shadow acknowledgement
 * (transition mode) too: the owner's clocks run on.
 */
export function clockChangeOf(e: StoredTimelineEvent): ClockChange | null {
  switch (e.type) {
    case 'opened':
      return { state: 'New', priority: e.data.priority, assignee: e.data.provider };
    case 'acknowledged':
      return { state: 'In Progress', acknowledged: true };
    case 'reopened':
      return { state: 'New' };
    case 'resolved':
    case 'resolved_by_user':
      return { state: 'Resolved' };
    // Ownership moves only on accept: from then on the clocks count for the receiving provider.
    case 'handoff_accepted':
      return { assignee: e.data.to };
    case 'alert_joined':
    case 'alert_refired':
    case 'alert_recovered':
    case 'resolving':
    case 'flapping':
    case 'flapping_ended':
    case 'annotated':
    case 'storm_started':
    case 'storm_absorbed':
    case 'note':
    case 'runbook_step_done':
    case 'shadow_action':
    case 'ticket_create':
    case 'ticket_note':
    case 'ticket_resolve':
    case 'ticket_reopen':
    case 'ticket_link':
    case 'ticket_ack':
    case 'ticket_comment':
    case 'ticket_reassign':
    case 'ticket_handoff_issue':
    case 'ticket_sync':
    case 'sync_copied':
    case 'sync_not_owned':
    case 'sync_stale':
    case 'sync_group_changed':
    case 'sync_assignee':
    case 'ticket_parked':
    case 'handoff_offered':
    case 'handoff_rejected':
    case 'handoff_cancelled':
    case 'handoff_reminded':
    case 'handoff_expired':
    case 'handoff_escalated':
    case 'handoff_ping_pong':
    case 'escalation_step':
    case 'escalation_stopped':
    case 'unreadable':
      return null;
    default:
      return unhandled(e);
  }
}

/** The types `clockChangeOf` maps to a change: a store reads only these rows for the report. */
export const CLOCK_EVENT_TYPES = [
  'opened',
  'acknowledged',
  'reopened',
  'resolved',
  'resolved_by_user',
  'handoff_accepted',
] as const satisfies readonly TimelineEventType[];
