import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { UnitOfWork } from '../../../src/ports/store';
import type { Database } from '../database';
import { KyselyStore } from '../kysely/kysely-store';
import { KyselyInbox } from '../kysely/inbox';
import { GroupCommitInbox } from './group-commit-inbox';
import { StatementCache } from './statement-cache';
import { sqliteUnitOfWork } from './sqlite-unit-of-work';
import type { WalCheckpointer } from './wal-checkpointer';
import { SqliteServiceNowSyncState } from './servicenow-sync-state';
import type { WriteTurn } from './write-turn';

/**
 * SQLite store: Kysely for migrations and reads, one better-sqlite3 connection with prepared statements
 * for the two hot write paths — ingest (group commit, `GroupCommitInbox`) and the unit of work.
 *
 * Units of work hold Kysely's connection (its mutex serialises them with all Kysely queries) and run
 * without yielding to I/O; ingest flushes wait until no transaction is open, so a delivery can never
 * become part of (and be rolled back with) a correlation transaction.
 */
export class SqliteStore extends KyselyStore {
  readonly #q: StatementCache;
  readonly #raw: BetterSqlite3.Database;
  readonly #inbox: GroupCommitInbox;
  readonly #checkpointer: WalCheckpointer | null;
  readonly #turn: { turn: WriteTurn; who: 'event-loop' | 'thread' } | null;

  constructor(
    db: Kysely<Database>,
    raw: BetterSqlite3.Database,
    opts: {
      checkpointer?: WalCheckpointer | null;
      /** Shared with the correlation thread's connection; `who` is this connection's side. */
      turn?: { turn: WriteTurn; who: 'event-loop' | 'thread' } | null;
    } = {},
  ) {
    const q = new StatementCache(raw);
    const turn = opts.turn ?? null;
    const inbox = new GroupCommitInbox(
      raw,
      q,
      new KyselyInbox(db),
      turn?.who === 'event-loop' ? turn.turn : null,
    );
    super(db, {
      inbox,
      servicenowSync: new SqliteServiceNowSyncState(q, (work) => db.connection().execute(work)),
    });
    this.#q = q;
    this.#raw = raw;
    this.#inbox = inbox;
    this.#checkpointer = opts.checkpointer ?? null;
    this.#turn = turn;
  }

  override unitOfWork<T>(fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    // Holding Kysely's connection for the whole unit serialises it with every Kysely query on this
    // connection (API reads never see a half-done correlation batch) and with other units of work.
    return this.db.connection().execute(async () => {
      const turn = this.#turn;
      // The event loop waits without blocking (requests go on); the thread blocks, it has nothing else to do.
      if (turn?.who === 'event-loop') await turn.turn.takeSoon();
      else turn?.turn.take('thread');
      try {
        return await this.#transaction(fn);
      } finally {
        this.#turn?.turn.give(this.#turn.who);
      }
    });
  }

  async #transaction<T>(fn: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    this.#q.get('BEGIN IMMEDIATE').run();
    try {
      const watched = this.commits.watch(sqliteUnitOfWork(this.#q));
      const result = await fn(watched.uow);
      this.#q.get('COMMIT').run();
      watched.committed();
      return result;
    } catch (err) {
      if (this.#raw.inTransaction) this.#q.get('ROLLBACK').run();
      throw err;
    }
  }

  override async close(): Promise<void> {
    this.#inbox.flush({ wait: true });
    await this.#checkpointer?.stop();
    await super.close();
  }
}
