import type { IncidentState, IncidentView } from '../core/correlate/correlate';
import type { StoredAlert } from './inbox';

/** Tickets linked to an incident; filled by the ticketing outbox. */
export interface IncidentTickets {
  servicenow?: { number: string; sys_id: string; url: string };
  jira?: { key: string; url: string; id?: string };
}

/** Where the incident's chat messages are, per platform (to update them in place). */
export interface IncidentChat {
  slack?: ChatMessageState;
  teams?: ChatMessageState;
  /** Transition mode: the shadow provider's copy of the message, per platform. */
  shadow?: { slack?: ChatMessageState; teams?: ChatMessageState };
  /** Hand-off offers in the receiving providers' channels, by `<platform>:<hand-off id>`. */
  offers?: Record<string, ChatMessageState>;
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
  /** The shadow provider in transition mode (set when the incident opens), else null. */
  shadow: string | null;
  rule: string;
  impact: number;
  urgency: number;
  priority: number;
  runbookId: string | null;
  openedAt: string;
  updatedAt: string;
  lastAlertAt: string;
  resolveDueAt: string | null;
  /** Alert notifications received (every delivery, repeats included). */
  alertCount: number;
  /** Distinct member alerts (dedup keys) of the incident. */
  memberCount: number;
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

export type NewIncident = Omit<IncidentRecord, 'id'>;
export type IncidentPatch = Partial<Omit<IncidentRecord, 'id' | 'key'>>;

export interface IncidentQuery {
  state?: 'open' | 'resolved';
  limit: number;
  /** Return incidents with id below this (newest first paging). */
  before?: number;
}

/** Incidents as the API, chat and reports read them (outside a transaction). */
export interface IncidentReads {
  list(q: IncidentQuery): Promise<IncidentRecord[]>;
  get(id: number): Promise<IncidentRecord | null>;
  members(incidentId: number): Promise<MemberRecord[]>;
  /** The alert notifications that joined the incident, newest first. */
  alerts(incidentId: number, limit: number): Promise<StoredAlert[]>;
  /** The newest incident whose ServiceNow number or Jira key is `ref` (case-insensitive). */
  findByTicket(ref: string): Promise<IncidentRecord | null>;
}

/** Incidents and their member alerts inside a unit of work (correlation, chat actions, the outbox). */
export interface IncidentWrites {
  get(id: number): Promise<IncidentRecord | null>;
  /** The open/resolving incident holding this dedup key, with the member row. */
  findOpenByKey(dedupKey: string): Promise<{ incident: IncidentRecord; member: MemberRecord } | null>;
  members(incidentId: number): Promise<MemberRecord[]>;
  findOpenByGroup(groupKey: string): Promise<IncidentRecord | null>;
  findLastResolved(groupKey: string): Promise<IncidentRecord | null>;
  insert(incident: NewIncident): Promise<IncidentRecord>;
  update(id: number, patch: IncidentPatch): Promise<void>;
  upsertMember(member: MemberRecord): Promise<void>;
  /** Incidents whose housekeeping may be due: resolving or flapping. */
  needingTick(): Promise<IncidentRecord[]>;
  /**
   * A hint from correlation: the batch will ask `findOpenByGroup` / `findLastResolved` for these
   * groups. A store with a round trip per statement (PostgreSQL) reads them at once; others ignore it.
   */
  prefetchGroups?(groupKeys: readonly string[]): Promise<void>;
}

/** Monitoring downtimes by scope (`host` or `host!service`), inside a unit of work. */
export interface Downtimes {
  set(
    scope: string,
    d: { source: string; startedAt: string; author: string | null; comment: string | null },
  ): Promise<void>;
  clear(scope: string): Promise<void>;
  /** Name (scope) of an active downtime covering one of the scopes, if any. */
  active(scopes: string[]): Promise<string | null>;
}

export type { IncidentState };
