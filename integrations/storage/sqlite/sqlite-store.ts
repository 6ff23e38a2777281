import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Alert } from '../../../src/core/alert/alert';
import { StoreUnavailableError } from '../../../src/errors';
import type { UnitOfWork } from '../../../src/ports/store';
import type { Database } from '../database';
import { KyselyStore } from '../kysely-store';
import { alertToRow } from '../row-mappers';
import { SqliteUnitOfWork, StatementCache } from './sqlite-unit-of-work';

interface Pending {
  alerts: Alert[];
  resolve: (ids: number[]) => void;
  reject: (err: Error) => void;
}

/**
 * SQLite store: Kysely for migrations and reads, one better-sqlite3 connection with prepared statements
 * for the two hot write paths.
 *
 * - Ingest uses group commit: deliveries that arrive in the same event-loop turn are written in ONE
 *   transaction, and each caller's promise resolves only after that COMMIT (so the 202 still means
 *   "durable"). A failed commit rejects every caller in the batch and stores none of them.
 * - Units of work hold Kysely's connection (its mutex serialises them with all Kysely queries) and
 *   run without yielding to I/O; ingest flushes wait until no transaction is open, so a delivery can
 *   never become part of (and be rolled back with) a correlation transaction.
 */
export class SqliteStore extends KyselyStore {
  readonly #q: StatementCache;
  #queue: Pending[] = [];
  #flushScheduled = false;

  constructor(
    db: Kysely<Database>,
    private readonly raw: BetterSqlite3.Database,
  ) {
    super(db);
    this.#q = new StatementCache(raw);
  }

  override acceptAlerts(alerts: Alert[]): Promise<number[]> {
    if (alerts.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#queue.push({ alerts, resolve, reject });
      this.#scheduleFlush();
    });
  }

  #scheduleFlush() {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush() {
    this.#flushScheduled = false;
    if (this.raw.inTransaction) return this.#scheduleFlush();
    const batch = this.#queue.splice(0);
    if (batch.length === 0) return;
    const insert = this.#q.get(
      `INSERT INTO alerts (source, dedup_key, status, event, severity, host, service, branch, summary, description, labels, annotations, links, starts_at, ends_at, received_at)
       VALUES (@source, @dedup_key, @status, @event, @severity, @host, @service, @branch, @summary, @description, @labels, @annotations, @links, @starts_at, @ends_at, @received_at)`,
    );
    let ids: number[][];
    try {
      ids = this.raw.transaction(() =>
        batch.map((p) => p.alerts.map((a) => Number(insert.run(alertToRow(a)).lastInsertRowid))),
      )();
    } catch (err) {
      // Disk full, locked by another process, I/O error: every sender in the batch must retry (503).
      const e = new StoreUnavailableError(`could not store alerts: ${(err as Error).message}`);
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => p.resolve(ids[i]!));
  }

  override unitOfWork<T>(fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    // Holding Kysely's connection for the whole unit serialises it with every Kysely query on this
    // connection (API reads never see a half-done correlation batch) and with other units of work.
    return this.db.connection().execute(async () => {
      this.#q.get('BEGIN IMMEDIATE').run();
      try {
        const result = await fn(new SqliteUnitOfWork(this.#q));
        this.#q.get('COMMIT').run();
        return result;
      } catch (err) {
        if (this.raw.inTransaction) this.#q.get('ROLLBACK').run();
        throw err;
      }
    });
  }

  override async close(): Promise<void> {
    this.#flush();
    await super.close();
  }
}
