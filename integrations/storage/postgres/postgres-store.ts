import type { Insertable, Kysely } from 'kysely';
import type pg from 'pg';
import type { TimelineEvent } from '../../../src/core/incident/timeline-event';
import type { AuditLog, NewAuditEntry } from '../../../src/ports/audit-log';
import type { LeaderLease } from '../../../src/ports/leader-lease';
import type { InboxBatch, UnitOfWork } from '../../../src/ports/store';
import type { SyncSystem } from '../../../src/core/sync/remote-change';
import type { NewTimelineEntry } from '../../../src/ports/timeline';
import type { Database, TimelineTable } from '../database';
import { auditHead, auditRows } from '../kysely/audit-log';
import { KyselyInboxBatch } from '../kysely/inbox';
import { KyselyHandoffWrites } from '../kysely/handoffs';
import { KyselyDowntimes } from '../kysely/incidents';
import { KyselyOutboxQueue } from '../kysely/outbox';
import { KyselySyncWrites } from '../kysely/sync-ledger';
import { KyselyTimelineWrites, timelineRow } from '../kysely/timeline';
import { KyselyStore, kyselyUnitOfWork } from '../kysely/kysely-store';
import { KyselyShiftHandoverWrites } from '../kysely/shift-handovers';
import { LOCK, lockForTransaction, tryLockForTransaction } from './advisory-locks';
import { PostgresInbox } from './postgres-inbox';
import { PostgresIncidentWrites } from './postgres-incidents';
import { PostgresLeaderLease } from './postgres-leader-lease';
import { insertRows, updateRows, WriteBehind } from './write-behind';

/** SQLSTATEs after which a unit of work is simply run again: deadlock, serialisation, unique violation. */
const RETRYABLE = new Set(['40P01', '40001', '23505']);
const MAX_ATTEMPTS = 5;

const sqlState = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;

/**
 * Correlation on PostgreSQL: one batch at a time across all instances (a transaction-scoped advisory
 * lock), so alerts are applied in arrival order exactly as on one SQLite instance, and the same alert
 * is never correlated twice. An instance that finds the lock taken sees an empty batch: the holder is
 * draining the inbox, including what this instance accepted. Inside the lock the batch's dedup keys are
 * looked up at once; the "processed" marks are written in one statement at the flush.
 */
class PostgresInboxBatch implements InboxBatch {
  readonly #batch: KyselyInboxBatch;
  readonly #processed: { id: number; processed_at: string; incident_id: number | null; decision: string }[] =
    [];

  constructor(
    private readonly tx: Kysely<Database>,
    private readonly incidents: PostgresIncidentWrites,
    writes: WriteBehind,
  ) {
    this.#batch = new KyselyInboxBatch(tx);
    writes.add(async () => {
      const rows = this.#processed.splice(0);
      await updateRows(this.tx, 'alerts', ['processed_at', 'incident_id', 'decision'], rows);
    });
  }

  /** True once this unit of work holds the correlation lock. */
  locked = false;

  async pending(limit: number) {
    if (!this.locked && !(await tryLockForTransaction(this.tx, LOCK.correlation))) return [];
    this.locked = true;
    const alerts = await this.#batch.pending(limit);
    if (alerts.length > 0) await this.incidents.prefetch(alerts.map((a) => a.dedupKey));
    return alerts;
  }

  async markProcessed(alertId: number, at: string, incidentId: number | null, decision: string) {
    this.#processed.push({ id: alertId, processed_at: at, incident_id: incidentId, decision });
  }
}

/**
 * Downtimes, read once per correlation batch: inside the correlation lock only correlation itself sets
 * or clears one, so the table (the scopes in downtime right now: a handful) is read at the batch's first
 * question and kept up to date by its own changes.
 */
class PostgresDowntimes extends KyselyDowntimes {
  #scopes: Set<string> | null = null;

  constructor(
    private readonly pgTx: Kysely<Database>,
    private readonly insideLock: () => boolean,
  ) {
    super(pgTx);
  }

  override async set(
    scope: string,
    d: { source: string; startedAt: string; author: string | null; comment: string | null },
  ) {
    await super.set(scope, d);
    this.#scopes?.add(scope);
  }

  override async clear(scope: string) {
    await super.clear(scope);
    this.#scopes?.delete(scope);
  }

  override async active(scopes: string[]) {
    if (!this.insideLock()) return super.active(scopes);
    this.#scopes ??= new Set(
      (await this.pgTx.selectFrom('downtimes').select('scope').execute()).map((r) => r.scope),
    );
    return scopes.find((s) => this.#scopes!.has(s)) ?? null;
  }
}

/** Timeline entries written at the flush; a read of the timeline flushes first. */
class PostgresTimelineWrites extends KyselyTimelineWrites {
  readonly #rows: Insertable<TimelineTable>[] = [];

  constructor(
    tx: Kysely<Database>,
    private readonly writes: WriteBehind,
  ) {
    super(tx);
    writes.add(() => insertRows(tx, 'timeline', this.#rows.splice(0)));
  }

  override async add(e: NewTimelineEntry) {
    this.#rows.push(timelineRow(e));
  }

  override async ofType<T extends TimelineEvent['type']>(incidentId: number, type: T) {
    await this.writes.flush();
    return super.ofType(incidentId, type);
  }
}

/**
 * The audit chain on PostgreSQL: entries are linked and written at the flush, right before the commit,
 * so the chain's lock is held from there to the commit only, not for the whole unit of work.
 */
class PostgresAuditLog implements AuditLog {
  readonly #entries: NewAuditEntry[] = [];

  constructor(tx: Kysely<Database>, writes: WriteBehind) {
    writes.add(async () => {
      if (this.#entries.length === 0) return;
      await lockForTransaction(tx, LOCK.auditChain);
      await insertRows(tx, 'audit_log', auditRows(await auditHead(tx), this.#entries.splice(0)));
    });
  }

  async append(e: NewAuditEntry) {
    // The data as it is now: the caller may change its object after the call.
    this.#entries.push({ ...e, data: JSON.parse(JSON.stringify(e.data)) as Record<string, unknown> });
  }
}

/** The sync's repository, reading incidents only after the buffered writes are in. */
class PostgresSyncWrites extends KyselySyncWrites {
  constructor(
    tx: Kysely<Database>,
    private readonly writes: WriteBehind,
  ) {
    super(tx);
  }

  override async incidentFor(system: SyncSystem, record: string) {
    await this.writes.flush();
    return super.incidentFor(system, record);
  }
}

/**
 * The store on PostgreSQL: the generic Kysely repositories, with what concurrent transactions (several
 * connections, several instances) need — incident, hand-off and shift-handover rows locked when a unit
 * of work reads them to change them, the audit chain appended by one transaction at a time, correlation
 * one batch at a time — and a unit of work run again when the database aborted it for a deadlock or a
 * lost race on a unique key.
 */
export class PostgresStore extends KyselyStore {
  readonly #newSession: () => pg.Client;

  /** `newSession`: a connection outside the pool, for the session-level locks of leader leases. */
  constructor(db: Kysely<Database>, opts: { migrationSchema?: string; newSession: () => pg.Client }) {
    super(db, { migrationSchema: opts.migrationSchema, inbox: new PostgresInbox(db) });
    this.#newSession = opts.newSession;
  }

  override leaderLease(name: string, holder: string): LeaderLease {
    return new PostgresLeaderLease(this.db, this.#newSession, { name, holder });
  }

  protected override openUnit(tx: Kysely<Database>) {
    const writes = new WriteBehind();
    const incidents = new PostgresIncidentWrites(tx, writes);
    const inbox = new PostgresInboxBatch(tx, incidents, writes);
    const uow: UnitOfWork = {
      ...kyselyUnitOfWork(tx),
      inbox,
      incidents,
      handoffs: new KyselyHandoffWrites(tx, { lockRows: true }),
      shifts: new KyselyShiftHandoverWrites(tx, { lockRows: true }),
      downtimes: new PostgresDowntimes(tx, () => inbox.locked),
      timeline: new PostgresTimelineWrites(tx, writes),
      outbox: new KyselyOutboxQueue(tx, { skipLocked: true }),
      audit: new PostgresAuditLog(tx, writes),
      sync: new PostgresSyncWrites(tx, writes),
    };
    return { uow, beforeCommit: () => writes.flush() };
  }

  override async unitOfWork<T>(fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await super.unitOfWork(fn);
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has(sqlState(err) ?? '')) throw err;
      }
    }
  }
}
