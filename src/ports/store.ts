import type { AlertInbox, InboxBatch } from './inbox';
import type { AuditLog, AuditReads } from './audit-log';
import type { Conversations } from './conversations';
import type { IncidentHistories } from './incident-histories';
import type { Downtimes, IncidentReads, IncidentWrites } from './incidents';
import type { HandoffReads, HandoffWrites } from './handoffs';
import type { EscalationReads, EscalationWrites } from './escalations';
import type { ShiftHandoverReads, ShiftHandoverWrites } from './shift-handovers';
import type { OutboxQueue, OutboxReads } from './outbox';
import type { RequestLog } from './request-log';
import type { PersonalData } from './personal-data';
import type { TimelineReads, TimelineWrites } from './timeline';
import type { ServiceNowSyncState } from './servicenow-sync';
import type { SyncReads, SyncWrites } from './sync-ledger';
import type { Leadership } from './leader-lease';

/**
 * Everything a correlation batch or a chat action does happens inside one of these: one transaction,
 * all or nothing. Use-cases name the repositories they use (`Pick<UnitOfWork, 'incidents' | 'timeline'>`).
 */
export interface UnitOfWork {
  inbox: InboxBatch;
  incidents: IncidentWrites;
  downtimes: Downtimes;
  timeline: TimelineWrites;
  audit: AuditLog;
  outbox: OutboxQueue;
  handoffs: HandoffWrites;
  escalations: EscalationWrites;
  shifts: ShiftHandoverWrites;
  /** Two-way sync: echo ledger, handled changes, field versions. */
  sync: SyncWrites;
}

/** Runs a unit of work in one transaction. */
export interface Transactional {
  unitOfWork<T>(fn: (uow: UnitOfWork) => Promise<T>): Promise<T>;
}

/**
 * The store: one repository per concern, each a small port of its own (src/ports/*), plus the unit of
 * work. SQLite (default) implements it with prepared statements on the hot paths and Kysely elsewhere;
 * the generic Kysely implementation is the basis for PostgreSQL. Consumers take only the repositories
 * they use (`Pick<Store, 'incidents' | 'timeline'>`).
 */
export interface Store extends Transactional, Leadership {
  inbox: AlertInbox;
  incidents: IncidentReads;
  timeline: TimelineReads;
  audit: AuditReads;
  outbox: OutboxReads;
  requests: RequestLog;
  conversations: Conversations;
  histories: IncidentHistories;
  handoffs: HandoffReads;
  escalations: EscalationReads;
  shifts: ShiftHandoverReads;
  /** The ServiceNow reader's poll cursor and incident snapshots (issue 11). */
  servicenowSync: ServiceNowSyncState;
  sync: SyncReads;
  /** Retention purge and data-subject export across the tables. */
  privacy: PersonalData;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type * from './inbox';
export type * from './incidents';
export type * from './timeline';
export type * from './audit-log';
export type * from './outbox';
export type * from './conversations';
export type * from './incident-histories';
export type * from './request-log';
export type * from './handoffs';
export type * from './escalations';
export type * from './shift-handovers';
export type * from './personal-data';
export type * from './servicenow-sync';
export type * from './sync-ledger';
export type * from './leader-lease';
export {
  TICKET_LANES,
  isTicketLane,
  type ChatLane,
  type CommandKind,
  type Lane,
  type TicketLane,
} from '../core/outbox/outbox-command';
