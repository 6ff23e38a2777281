import type { TimelineEventType } from '../core/incident/timeline-event';
import type { TimelineEntry } from '../ports/store';
import { labelled } from './timeline-labels';

/**
 * What the coalesced ticket note says for each kind of timeline entry; null: not in the note (the
 * ticket learns of it by its own command, or it is about the bridge rather than the problem).
 */
const LABELS: Record<TimelineEventType, string | null> = {
  opened: null,
  reopened: null,
  alert_joined: 'joined',
  alert_refired: 'fired again',
  alert_recovered: 'recovered',
  resolving: 'all recovered (resolving after the grace period)',
  resolved: null,
  flapping: 'flapping',
  flapping_ended: 'flapping ended',
  annotated: 'note from monitoring',
  storm_started: null,
  storm_absorbed: 'absorbed by the alert storm',
  acknowledged: null,
  resolved_by_user: null,
  note: null,
  runbook_step_done: null,
  // Transition mode: what the shadow provider does never reaches the tickets.
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
  handoff_escalated: null,
  handoff_ping_pong: 'hand-off ping-pong: to the service manager',
  escalation_step: 'escalated',
  escalation_stopped: null,
  unreadable: null,
};

/**
 * One work note / comment for everything that happened since the last one (coalescing): counts per kind
 * and the first lines of detail, so a storm of 300 joins is one readable note, not 300 remote calls.
 */
export function summarizeChanges(entries: TimelineEntry[], maxLines = 15): string | null {
  const relevant = labelled(entries, LABELS);
  if (relevant.length === 0) return null;
  const counts = new Map<string, number>();
  for (const { label } of relevant) counts.set(label, (counts.get(label) ?? 0) + 1);
  const head = [...counts].map(([label, n]) => `${n} × ${label}`).join(', ');
  const lines = relevant
    .slice(0, maxLines)
    .map(({ e, label }) => `- ${e.at.slice(0, 19).replace('T', ' ')}Z ${label}: ${e.reason}`);
  const more =
    relevant.length > maxLines
      ? [`… and ${relevant.length - maxLines} more (see the incident timeline in itsm-bridge)`]
      : [];
  return [`[itsm-bridge] Since the last update: ${head}.`, ...lines, ...more].join('\n');
}
