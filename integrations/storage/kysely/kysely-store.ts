import { Migrator, type Kysely } from 'kysely';
import type {
  AlertInbox,
  AuditReads,
  Conversations,
  EscalationReads,
  ShiftHandoverReads,
  HandoffReads,
  IncidentHistories,
  IncidentReads,
  OutboxReads,
  PersonalData,
  RequestLog,
  ServiceNowSyncState,
  Store,
  SyncReads,
  TimelineReads,
  UnitOfWork,
} from '../../../src/ports/store';
import type { TimelineCommitListener } from '../../../src/ports/timeline';
import type { TimelineEvent } from '../../../src/core/incident/timeline-event';
import type { LeaderLease } from '../../../src/ports/leader-lease';
import { LeaseRow } from './lease-row';
import { CommitObservers } from '../commit-observers';
import type { Database } from '../database';
import { migrationProvider } from '../migrations';
import { KyselyAuditLog, KyselyAuditReads } from './audit-log';
import { KyselyConversations } from './conversations';
import { KyselyEscalationReads, KyselyEscalationWrites } from './escalations';
import { KyselyShiftHandoverReads, KyselyShiftHandoverWrites } from './shift-handovers';
import { KyselyHandoffReads, KyselyHandoffWrites } from './handoffs';
import { KyselyInbox, KyselyInboxBatch } from './inbox';
import { KyselyIncidentHistories } from './incident-histories';
import { KyselyDowntimes, KyselyIncidentReads, KyselyIncidentWrites } from './incidents';
import { KyselyOutboxQueue, KyselyOutboxReads } from './outbox';
import { KyselyPersonalData } from './personal-data';
import { KyselyRequestLog } from './request-log';
import { KyselyTimelineReads, KyselyTimelineWrites } from './timeline';
import { KyselyServiceNowSyncState } from './servicenow-sync-state';
import { KyselySyncReads, KyselySyncWrites } from './sync-ledger';

/** The repositories of one unit of work over a Kysely transaction (SQLite or PostgreSQL). */
export function kyselyUnitOfWork(tx: Kysely<Database>): UnitOfWork {
  return {
    inbox: new KyselyInboxBatch(tx),
    incidents: new KyselyIncidentWrites(tx),
    downtimes: new KyselyDowntimes(tx),
    timeline: new KyselyTimelineWrites(tx),
    audit: new KyselyAuditLog(tx),
    outbox: new KyselyOutboxQueue(tx),
    handoffs: new KyselyHandoffWrites(tx),
    escalations: new KyselyEscalationWrites(tx),
    shifts: new KyselyShiftHandoverWrites(tx),
    sync: new KyselySyncWrites(tx),
  };
}

/**
 * The store over Kysely, one repository per concern; the dialect (SQLite or PostgreSQL) is chosen by
 * the caller. The Kysely handle stays inside storage.
 */
export class KyselyStore implements Store {
  readonly inbox: AlertInbox;
  readonly incidents: IncidentReads;
  readonly timeline: TimelineReads;
  readonly audit: AuditReads;
  readonly outbox: OutboxReads;
  readonly requests: RequestLog;
  readonly conversations: Conversations;
  readonly histories: IncidentHistories;
  readonly handoffs: HandoffReads;
  readonly escalations: EscalationReads;
  readonly shifts: ShiftHandoverReads;
  readonly servicenowSync: ServiceNowSyncState;
  readonly sync: SyncReads;
  protected readonly commits = new CommitObservers();
  readonly privacy: PersonalData;
  readonly #migrationSchema: string | undefined;

  /**
   * `inbox` may be replaced by a faster writer of the same backend (SQLite's group commit);
   * `migrationSchema` is the PostgreSQL schema of Kysely's migration tables when not the default one.
   */
  constructor(
    protected readonly db: Kysely<Database>,
    replace: { inbox?: AlertInbox; servicenowSync?: ServiceNowSyncState; migrationSchema?: string } = {},
  ) {
    this.#migrationSchema = replace.migrationSchema;
    this.inbox = replace.inbox ?? new KyselyInbox(db);
    this.incidents = new KyselyIncidentReads(db);
    this.timeline = new KyselyTimelineReads(db);
    this.audit = new KyselyAuditReads(db);
    this.outbox = new KyselyOutboxReads(db);
    this.requests = new KyselyRequestLog(db);
    this.conversations = new KyselyConversations(db);
    this.histories = new KyselyIncidentHistories(db);
    this.handoffs = new KyselyHandoffReads(db);
    this.escalations = new KyselyEscalationReads(db);
    this.shifts = new KyselyShiftHandoverReads(db);
    this.servicenowSync = replace.servicenowSync ?? new KyselyServiceNowSyncState(db);
    this.sync = new KyselySyncReads(db);
    this.privacy = new KyselyPersonalData(db);
  }

  /** Applies pending migrations; refuses to start on a failed one. */
  async migrate(): Promise<void> {
    const { error, results } = await new Migrator({
      db: this.db,
      provider: migrationProvider,
      ...(this.#migrationSchema ? { migrationTableSchema: this.#migrationSchema } : {}),
    }).migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }

  /** The repositories of a unit of work over `tx`; a dialect may swap some for its own. */
  protected repositories(tx: Kysely<Database>): UnitOfWork {
    return kyselyUnitOfWork(tx);
  }

  /**
   * The unit of work over `tx` and what must happen before its commit (a dialect that buffers writes
   * sends them there); by default `repositories(tx)` with nothing to do.
   */
  protected openUnit(tx: Kysely<Database>): { uow: UnitOfWork; beforeCommit(): Promise<void> } {
    return { uow: this.repositories(tx), beforeCommit: async () => {} };
  }

  async unitOfWork<T>(fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    let committed = () => {};
    const result = await this.db.transaction().execute(async (tx) => {
      const unit = this.openUnit(tx);
      const watched = this.commits.watch(unit.uow);
      committed = watched.committed;
      const value = await fn(watched.uow);
      await unit.beforeCommit();
      return value;
    });
    committed();
    return result;
  }

  /** Calls `listener` with the timeline events of every committed unit of work (metrics). */
  onCommit(listener: TimelineCommitListener): void {
    this.commits.add(listener);
  }

  /** Hands the listeners events another connection to the same database committed (the correlation thread). */
  announceCommitted(events: readonly TimelineEvent[]): void {
    this.commits.announce(events);
  }

  /** A leader lease on the `leases` row (SQLite: one file, one writer at a time). */
  leaderLease(name: string, holder: string): LeaderLease {
    return new LeaseRow(this.db, { name, holder });
  }

  async ping() {
    await this.db.selectFrom('incidents').select('id').limit(1).execute();
  }

  async close() {
    await this.db.destroy();
  }
}
