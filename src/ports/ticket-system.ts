import type { SyncWrite } from '../core/outbox/outbox-command';

/**
 * What the outbox needs from a ticket system (ServiceNow, Jira). Small on purpose: one adapter per
 * vendor implements it and throws IntegrationError (never vendor types) with `retryable` set.
 */
export type TicketSystemName = 'servicenow' | 'jira';

/** A ticket as we remember it: remote id (sys_id / issue id), human key (INC…/PROJ-1), browser URL. */
export interface TicketRef {
  id: string;
  key: string;
  url: string;
}

export interface TicketAlertLine {
  host: string | null;
  service: string | null;
  severity: string;
  status: 'firing' | 'resolved';
  summary: string;
  startsAt: string | null;
}

/** Everything needed to open a ticket; text is already redacted. */
export interface TicketDraft {
  /** Our stable incident key; ServiceNow `correlation_id`, Jira label/property. Idempotency hinges on it. */
  incidentKey: string;
  incidentId: string;
  title: string;
  description: string;
  impact: 1 | 2 | 3;
  urgency: 1 | 2 | 3;
  /** Provider name from config (selects assignment group / Jira project). */
  provider: string;
  cmdbCi: string | null;
  branch: string | null;
  alerts: TicketAlertLine[];
  /** How many alerts the incident has; `alerts` may list fewer (the first ones). Default: `alerts.length`. */
  alertTotal?: number;
  /** The incident in the bridge's API, where a ticket too small for every alert links to the full list. */
  incidentUrl?: string;
  runbook: { id: string; title: string; steps: string[] } | null;
  links: { label: string; url: string }[];
}

export interface TicketSystem {
  readonly name: TicketSystemName;
  /** Recovery path after a crash between remote create and our commit: find the ticket by our key. */
  findByIncidentKey(incidentKey: string, provider: string): Promise<TicketRef | null>;
  create(draft: TicketDraft): Promise<TicketRef>;
  addNote(ticket: TicketRef, text: string): Promise<void>;
  resolve(ticket: TicketRef, resolution: { code: string; notes: string }): Promise<void>;
  /** Reopens; answers 'closed' when the remote no longer allows it (ServiceNow state 7) so we open a new one. */
  reopen(ticket: TicketRef, note: string): Promise<'reopened' | 'closed'>;
  /** Links this ticket to the other system's ticket (Jira remote link / ServiceNow work note). Idempotent. */
  linkTo(ticket: TicketRef, other: { system: TicketSystemName; key: string; url: string }): Promise<void>;
  /**
   * Someone took the incident: ServiceNow state 2 (In Progress) and `assigned_to` (the user found by
   * e-mail); Jira assignee (found by e-mail) and a transition into an "In Progress"-category status.
   * Adds `note` as work note / comment. A person not found remotely is not an error: the ticket is still
   * moved and the note names them. Idempotent (a second call changes nothing but may add the note).
   */
  acknowledge(ticket: TicketRef, who: { email: string | null; name: string; note: string }): Promise<void>;
  /**
   * An accepted hand-off: the ticket now belongs to `provider`. ServiceNow: `assignment_group` becomes
   * the provider's group and `assigned_to` the person who accepted (by e-mail) or empty; Jira: the
   * person as assignee when found. Adds `note` (the hand-off note) as work note / comment. Idempotent.
   */
  reassign(
    ticket: TicketRef,
    to: { provider: string; email: string | null; name: string | null; note: string },
  ): Promise<void>;
  /**
   * One write of the two-way sync, sent as given (its text is already redacted and is what the echo
   * ledger hashed). Idempotent where the remote allows: a transition or state already reached is not
   * repeated. A comment is added once: with `repeat` (an earlier attempt may have written it before a
   * crash or a lost answer) it is written only when the ticket's recent comments do not hold it yet.
   */
  writeSync(ticket: TicketRef, write: SyncWrite, opts?: { repeat?: boolean }): Promise<void>;
  /**
   * What the drift check compares: ServiceNow `state` and `hold_reason`; Jira status name and category.
   * Null when the ticket no longer exists.
   */
  syncState(ticket: TicketRef): Promise<SyncState | null>;
}

/** A ticket's lifecycle as the two-way sync maps it. */
export interface SyncState {
  state?: string;
  holdReason?: string | null;
  status?: string | null;
  category?: string | null;
}

/**
 * Jira: an accepted hand-off gives the receiving provider its own issue (found or created by the
 * outbox through `findByIncidentKey`/`create` with the hand-off's key) that this links to the original.
 */
export interface HandoffIssues {
  /**
   * Links `issue` to `original` with the issue link type `linkType` ("Relates": "relates to") unless that
   * link exists, adds the remote link to the ServiceNow incident, comments `comment` on the original and
   * moves it by the transition named `transition` when it is available. Repeating it adds no second link.
   */
  linkHandoff(issue: TicketRef, original: TicketRef, o: HandoffLink): Promise<void>;
}

/** How a hand-off's issue is tied to the original (HandoffIssues.linkHandoff). */
export interface HandoffLink {
  linkType: string;
  servicenow: { key: string; url: string } | null;
  comment: string;
  transition: string | null;
}

/**
 * Tickets created twice for one incident: the remote applied a create whose answer we never committed (a
 * crash, or a lost answer), and it was not visible yet when we looked again (Jira search is eventually
 * consistent; ServiceNow may run a queued create after the look-up). Found later and closed in favour of
 * ours.
 */
export interface DuplicateTickets {
  readonly name: TicketSystemName;
  /** Tickets carrying `incidentKey` other than `keep` (the one the store references); none when clean. */
  duplicatesOf(incidentKey: string, provider: string, keep: TicketRef): Promise<TicketRef[]>;
  /** Closes `duplicate`, links it to `keep` and takes the incident's key off it, so it is never found again. */
  closeAsDuplicate(duplicate: TicketRef, keep: TicketRef, incidentKey: string): Promise<void>;
}
