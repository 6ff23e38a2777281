import type { Alert } from '../core/alert/alert';
import type { IncidentState, IncidentView } from '../core/correlate/correlate';
import type { StoredTimelineEvent, TimelineEvent } from '../core/incident/timeline-event';
import type {
  ChatLane,
  CommandKind,
  Lane,
  LaneCommand,
  TicketLane,
  UnreadableCommand,
} from '../core/outbox/outbox-command';

export {
  TICKET_LANES,
  isTicketLane,
  type ChatLane,
  type CommandKind,
  type Lane,
  type TicketLane,
} from '../core/outbox/outbox-command';

/** An accepted alert as stored in the inbox. */
export interface StoredAlert extends Alert {
  id: number;
  processedAt: string | null;
  incidentId: number | null;
  decision: string | null;
}

/** Tickets linked to an incident; filled by the ticketing outbox. */
export interface IncidentTickets {
  servicenow?: { number: string; sys_id: string; url: string };
  jira?: { key: string; url: string; id?: string };
}

/** Where the incident's chat messages are, per platform (to update them in place). */
export interface IncidentChat {
  slack?: ChatMessageState;
  teams?: ChatMessageState;
}
/** A posted message and the last timeline entry already threaded under it. */
export interface ChatMessageState {
  channel: string;
  ts: string;
  seen?: number;
}

export interface IncidentRecord extends IncidentView {
  key: string;
  groupKey: string;
  title: string;
  source: string;
  severity: string;
  host: string | null;
  service: string | null;
  branch: string | null;
  provider: string;
  rule: string;
  impact: number;
  urgency: number;
  priority: number;
  runbookId: string | null;
  openedAt: string;
  updatedAt: string;
  lastAlertAt: string;
  resolveDueAt: string | null;
  alertCount: number;
  reopenCount: number;
  previousIncidentId: number | null;
  tickets: IncidentTickets;
  /** Who took the incident (chat actor id such as `slack:U123`, display name) and when. */
  acknowledged: { at: string; by: string; name: string } | null;
  chat: IncidentChat;
}

export interface MemberRecord {
  incidentId: number;
  dedupKey: string;
  status: 'firing' | 'resolved';
  severity: string;
  host: string | null;
  service: string | null;
  summary: string;
  firstSeenAt: string;
  lastSeenAt: string;
  lastChangeAt: string;
  occurrences: number;
  /** Recent status-change times of this alert, for flapping detection. */
  flapChanges: string[];
}

/** Who wrote a timeline entry, when, and why; `type` and `data` come from the event. */
export interface TimelineMeta {
  id: number;
  incidentId: number;
  at: string;
  actor: string;
  reason: string;
  alertId: number | null;
}
/** A timeline entry as read back: narrowing on `type` narrows `data`. */
export type TimelineEntry = TimelineMeta & StoredTimelineEvent;
/** The entries of one type. */
export type TimelineEntryOf<T extends StoredTimelineEvent['type']> = TimelineMeta &
  Extract<StoredTimelineEvent, { type: T }>;
/** What a use-case writes: only known events. */
export type NewTimelineEntry = Omit<TimelineMeta, 'id'> & TimelineEvent;

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** Where an outbox command is in its life, and when it may run next. */
export interface CommandMeta {
  id: number;
  incidentId: number;
  state: 'pending' | 'done' | 'parked';
  attempts: number;
  notBefore: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}
/** One outbox command: something to do on a remote system for an incident, in order per incident and lane. */
export type OutboxCommand = CommandMeta & (LaneCommand | UnreadableCommand);
/** A command of a ticket lane, as its runner sees it. */
export type TicketOutboxCommand = CommandMeta & Extract<LaneCommand, { lane: TicketLane }>;
/** A command of a chat lane, as its runner sees it. */
export type ChatOutboxCommand = CommandMeta & Extract<LaneCommand, { lane: ChatLane }>;

export type NewIncident = Omit<IncidentRecord, 'id'>;
export type IncidentPatch = Partial<Omit<IncidentRecord, 'id' | 'key'>>;

/** Everything correlation does happens inside one of these: one transaction, all or nothing. */
export interface UnitOfWork {
  pendingAlerts(limit: number): Promise<StoredAlert[]>;
  markProcessed(alertId: number, at: string, incidentId: number | null, decision: string): Promise<void>;
  /** The open/resolving incident holding this dedup key, with the member row. */
  findOpenByKey(dedupKey: string): Promise<{ incident: IncidentRecord; member: MemberRecord } | null>;
  membersOf(incidentId: number): Promise<MemberRecord[]>;
  findOpenByGroup(groupKey: string): Promise<IncidentRecord | null>;
  findLastResolved(groupKey: string): Promise<IncidentRecord | null>;
  getIncident(id: number): Promise<IncidentRecord | null>;
  insertIncident(incident: NewIncident): Promise<IncidentRecord>;
  updateIncident(id: number, patch: IncidentPatch): Promise<void>;
  upsertMember(member: MemberRecord): Promise<void>;
  addTimeline(entry: NewTimelineEntry): Promise<void>;
  /** Timeline entries of one type for an incident, oldest first (read inside the transaction). */
  timelineOfType<T extends TimelineEvent['type']>(incidentId: number, type: T): Promise<TimelineEntryOf<T>[]>;
  /** Appends to the hash-chained audit log. */
  audit(entry: {
    at: string;
    actor: string;
    action: string;
    subject: string;
    data: Record<string, unknown>;
  }): Promise<void>;
  /** Queues a remote command in this transaction (the transactional outbox). */
  enqueue(cmd: { incidentId: number; notBefore: string; at: string } & LaneCommand): Promise<void>;
  /** A pending command of this kind exists for the incident and lane (used to coalesce notes). */
  hasPending(incidentId: number, lane: Lane, kind: CommandKind): Promise<boolean>;
  getCommand(id: number): Promise<OutboxCommand | null>;
  updateCommand(
    id: number,
    patch: Partial<Pick<CommandMeta, 'state' | 'attempts' | 'notBefore' | 'lastError'>> & {
      updatedAt: string;
    },
  ): Promise<void>;
  /**
   * Pending commands of a lane that are due and first in line for their incident (no earlier pending or
   * parked command of the same incident and lane), oldest first.
   */
  dueCommands(lane: Lane, now: string, limit: number): Promise<OutboxCommand[]>;
  /** Parked commands back to pending (after a config fix); returns how many. */
  replayParked(now: string, id?: number): Promise<number>;
  /** Incidents whose housekeeping may be due: resolving or flapping. */
  incidentsNeedingTick(): Promise<IncidentRecord[]>;
  setDowntime(
    scope: string,
    d: { source: string; startedAt: string; author: string | null; comment: string | null },
  ): Promise<void>;
  clearDowntime(scope: string): Promise<void>;
  /** Name (scope) of an active downtime covering the host or host!service, if any. */
  activeDowntime(scopes: string[]): Promise<string | null>;
}

export interface IncidentQuery {
  state?: 'open' | 'resolved';
  limit: number;
  /** Return incidents with id below this (newest first paging). */
  before?: number;
}

/**
 * The store port. SQLite (default) and PostgreSQL implement it with Kysely; use-cases see only this.
 */
export interface Store {
  /** Inserts alerts in one transaction and returns their ids once committed (the webhook's 202 waits for this). */
  acceptAlerts(alerts: Alert[]): Promise<number[]>;
  unitOfWork<T>(fn: (uow: UnitOfWork) => Promise<T>): Promise<T>;
  listIncidents(q: IncidentQuery): Promise<IncidentRecord[]>;
  getIncident(id: number): Promise<IncidentRecord | null>;
  membersOf(incidentId: number): Promise<MemberRecord[]>;
  alertsOf(incidentId: number, limit: number): Promise<StoredAlert[]>;
  timelineOf(incidentId: number, limit: number): Promise<TimelineEntry[]>;
  /** Streams the audit log in order, for verification and export. */
  auditEntries(fromSeq?: number): AsyncIterable<AuditEntry>;
  /** Outbox backlog for /readyz and metrics. */
  outboxStats(): Promise<{ pending: number; parked: number; oldestPendingAt: string | null }>;
  /** Commands of one incident (API: parked ones are shown on the incident). */
  commandsOf(incidentId: number): Promise<OutboxCommand[]>;
  /** Oldest unprocessed alert's received time and the count, for /readyz and metrics. */
  inboxLag(): Promise<{ pending: number; oldestReceivedAt: string | null }>;
  /**
   * Records a request key (Slack `event_id`, a request signature, a button click) and answers true the
   * first time only: retries, replays and double clicks are handled once. Keys older than `forgetBefore`
   * are dropped.
   */
  firstSeen(key: string, at: string, forgetBefore: string): Promise<boolean>;
  /** Whether `firstSeen` has recorded this key (and it has not been forgotten yet). */
  hasSeen(key: string): Promise<boolean>;
  /** Teams conversation references (JSON) by conversation id, saved when the bot is installed or messaged. */
  saveConversation(c: {
    id: string;
    platform: string;
    name: string | null;
    reference: unknown;
    at: string;
  }): Promise<void>;
  getConversation(id: string): Promise<{ id: string; name: string | null; reference: unknown } | null>;
  /** The newest incident whose ServiceNow number or Jira key is `ref` (case-insensitive). */
  findIncidentByTicket(ref: string): Promise<IncidentRecord | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type { IncidentState };
