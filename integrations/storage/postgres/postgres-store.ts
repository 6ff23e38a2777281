import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { LeaderLease } from '../../../src/ports/leader-lease';
import type { InboxBatch, UnitOfWork } from '../../../src/ports/store';
import type { Database } from '../database';
import { KyselyAuditLog } from '../kysely/audit-log';
import { KyselyInboxBatch } from '../kysely/inbox';
import { KyselyHandoffWrites } from '../kysely/handoffs';
import { KyselyIncidentWrites } from '../kysely/incidents';
import { KyselyOutboxQueue } from '../kysely/outbox';
import { KyselyStore, kyselyUnitOfWork } from '../kysely/kysely-store';
import { KyselyShiftHandoverWrites } from '../kysely/shift-handovers';
import { LOCK, lockForTransaction, tryLockForTransaction } from './advisory-locks';
import { PostgresLeaderLease } from './postgres-leader-lease';

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
 * draining the inbox, including what this instance accepted.
 */
class PostgresInboxBatch implements InboxBatch {
  readonly #batch: KyselyInboxBatch;

  constructor(private readonly tx: Kysely<Database>) {
    this.#batch = new KyselyInboxBatch(tx);
  }

  async pending(limit: number) {
    if (!(await tryLockForTransaction(this.tx, LOCK.correlation))) return [];
    return this.#batch.pending(limit);
  }

  markProcessed(alertId: number, at: string, incidentId: number | null, decision: string) {
    return this.#batch.markProcessed(alertId, at, incidentId, decision);
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
    super(db, { migrationSchema: opts.migrationSchema });
    this.#newSession = opts.newSession;
  }

  override leaderLease(name: string, holder: string): LeaderLease {
    return new PostgresLeaderLease(this.db, this.#newSession, { name, holder });
  }

  protected override repositories(tx: Kysely<Database>): UnitOfWork {
    return {
      ...kyselyUnitOfWork(tx),
      inbox: new PostgresInboxBatch(tx),
      incidents: new KyselyIncidentWrites(tx, { lockRows: true }),
      handoffs: new KyselyHandoffWrites(tx, { lockRows: true }),
      shifts: new KyselyShiftHandoverWrites(tx, { lockRows: true }),
      outbox: new KyselyOutboxQueue(tx, { skipLocked: true }),
      audit: new KyselyAuditLog(tx, (t) => lockForTransaction(t, LOCK.auditChain)),
    };
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
