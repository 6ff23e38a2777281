import { z } from 'zod';
import { AlertEvent } from '../alert/alert';
import { firstIssue } from '../first-issue';
import type { TicketCommandKind } from '../outbox/outbox-command';

/**
 * What can happen to an incident, one variant per timeline `type` with the shape of its `data`. The
 * store keeps `type` and `data` as columns and parses them back with this schema, so a reader never
 * casts; a new variant is a compile error in every `Record<TimelineEventType, …>` and exhaustive switch
 * (the ticket note summary, the chat thread, the SLA clocks) until it is handled there.
 */
const event = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), data });

/** Written for a decision about one alert (monitoring is the actor). */
const fromAlert = z.object({ dedupKey: z.string() });
/** Written by a person in chat. */
const fromPerson = z.object({ name: z.string(), platform: z.enum(['slack', 'teams']) });
/** Written for a hand-off: which one, and between which providers. */
const handoff = z.object({ handoffId: z.number().int(), from: z.string(), to: z.string() });
/** Written by the outbox worker when a ticket command succeeded. */
const ticketOutcome = z.object({ commandId: z.number().int(), ticket: z.string().optional() });

export const TimelineEvent = z.discriminatedUnion('type', [
  event(
    'opened',
    fromAlert.extend({
      groupKey: z.string(),
      provider: z.string(),
      priority: z.number().int(),
      previousIncidentId: z.number().int().nullable(),
    }),
  ),
  event('reopened', fromAlert),
  event('alert_joined', fromAlert),
  event('alert_refired', fromAlert),
  event('alert_recovered', fromAlert),
  event('resolving', fromAlert.extend({ resolveDueAt: z.string() })),
  event('flapping', fromAlert),
  event('annotated', fromAlert.extend({ event: AlertEvent.nullable() })),
  // The storm guard (src/core/correlate/storm-guard.ts): too many new incidents from one source within
  // the window, so this alert opened the storm incident, or its new group was folded into it.
  event(
    'storm_started',
    fromAlert.extend({ source: z.string(), maxNewIncidents: z.number().int(), window: z.number() }),
  ),
  event('storm_absorbed', fromAlert.extend({ groupKey: z.string(), summary: z.string() })),
  // The correlation loop's housekeeping (no alert behind it).
  event('resolved', z.object({})),
  event('flapping_ended', z.object({})),
  event('acknowledged', fromPerson),
  event('resolved_by_user', fromPerson.extend({ note: z.string() })),
  event('note', fromPerson.extend({ note: z.string() })),
  event('runbook_step_done', fromPerson.extend({ step: z.number().int().nonnegative() })),
  // Transition mode: a member of the shadow provider acknowledged, noted or ticked a step. Recorded for
  // the readiness comparison; it changes no ticket and stops no escalation.
  event(
    'shadow_action',
    fromPerson.extend({
      provider: z.string(),
      action: z.enum(['acknowledged', 'note', 'runbook_step_done']),
      step: z.number().int().nonnegative().optional(),
      note: z.string().optional(),
    }),
  ),
  event('ticket_create', ticketOutcome),
  event('ticket_note', ticketOutcome),
  event('ticket_resolve', ticketOutcome),
  event('ticket_reopen', ticketOutcome),
  event('ticket_link', ticketOutcome),
  event('ticket_ack', ticketOutcome),
  event('ticket_comment', ticketOutcome),
  event('ticket_reassign', ticketOutcome),
  event('ticket_handoff_issue', ticketOutcome),
  event('ticket_sync', ticketOutcome),
  event('ticket_parked', z.object({ commandId: z.number().int() })),
  // Hand-offs between providers (src/core/handoff): who offered to whom, and what became of it.
  event('handoff_offered', handoff.extend({ deadline: z.string() })),
  event('handoff_accepted', handoff),
  event('handoff_rejected', handoff.extend({ reason: z.string() })),
  event('handoff_cancelled', handoff),
  // The acceptance deadline (the hand-off's stored timer): half of it passed, then all of it.
  event('handoff_reminded', handoff),
  event('handoff_expired', handoff.extend({ deadline: z.string() })),
  event('handoff_escalated', handoff),
  // The Nth change of provider on one incident (handoff.pingPongAfter): to the service manager.
  event('handoff_ping_pong', z.object({ changes: z.number().int(), providers: z.array(z.string()) })),
  // Escalation of an unacknowledged incident (src/core/escalation): each step run, and the run stopped.
  event(
    'escalation_step',
    z.object({
      escalationId: z.number().int(),
      provider: z.string(),
      step: z.number().int().nonnegative(),
      of: z.number().int().positive(),
      kind: z.enum(['mention', 'dm', 'page']),
      /** Names of the people reached (mention, dm) or the paging target's name. */
      notified: z.array(z.string()),
      /** Targets nobody filled (no on-call, no lead configured). */
      missing: z.array(z.string()),
    }),
  ),
  // Two-way sync (issue 11): a change copied from one ticket to the other, one that the system it was made
  // in does not own (not copied; set back with `revert`), and one older than what is known (dropped).
  event(
    'sync_copied',
    z.object({ system: z.enum(['servicenow', 'jira']), what: z.string(), name: z.string() }),
  ),
  event(
    'sync_not_owned',
    z.object({
      system: z.enum(['servicenow', 'jira']),
      field: z.string(),
      from: z.string().nullable(),
      to: z.string().nullable(),
      name: z.string(),
      owner: z.enum(['servicenow', 'jira']),
      reverted: z.boolean(),
    }),
  ),
  event(
    'sync_stale',
    z.object({ system: z.enum(['servicenow', 'jira']), field: z.string(), name: z.string() }),
  ),
  // An assignee changed in one system: copied (`copied`), nobody to copy it to (`no_user`), or changed
  // where the other system owns it (`not_owned`, maybe set back). `assignee` is the new one's name.
  event(
    'sync_assignee',
    z.object({
      system: z.enum(['servicenow', 'jira']),
      assignee: z.string().nullable(),
      outcome: z.enum(['copied', 'no_user', 'not_owned']),
      reverted: z.boolean(),
      name: z.string(),
    }),
  ),
  event(
    'sync_group_changed',
    z.object({ group: z.string().nullable(), provider: z.string().nullable(), name: z.string() }),
  ),
  event('escalation_stopped', z.object({ escalationId: z.number().int(), provider: z.string() })),
]);
export type TimelineEvent = z.infer<typeof TimelineEvent>;

/** The event the outbox records when a ticket command of this kind succeeded. */
export type TicketOutcomeType = `ticket_${TicketCommandKind}`;
// Every ticket command kind has its outcome event above: this stops compiling when one is missing.
const everyOutcomeIsAnEvent: TicketOutcomeType extends TimelineEvent['type'] ? true : never = true;
void everyOutcomeIsAnEvent;

/** A stored entry this version cannot read (an unknown type or data that does not match it). */
export interface UnreadableEvent {
  type: 'unreadable';
  data: { storedType: string; error: string };
}

/** What reading the timeline yields: a known event, or an unreadable row shown as such. */
export type StoredTimelineEvent = TimelineEvent | UnreadableEvent;
export type TimelineEventType = StoredTimelineEvent['type'];

const KNOWN_TYPES: ReadonlySet<string> = new Set(TimelineEvent.options.map((o) => o.shape.type.value));

/** Parses a stored `type` + JSON `data` pair; never throws (a bad row becomes an UnreadableEvent). */
export function parseTimelineEvent(type: string, data: string): StoredTimelineEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return { type: 'unreadable', data: { storedType: type, error: 'data is not JSON' } };
  }
  if (!KNOWN_TYPES.has(type))
    return { type: 'unreadable', data: { storedType: type, error: `unknown type "${type}"` } };
  const parsed = TimelineEvent.safeParse({ type, data: raw });
  if (parsed.success) return parsed.data;
  return { type: 'unreadable', data: { storedType: type, error: firstIssue(parsed.error, 'type') } };
}
