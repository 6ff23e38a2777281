import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import type { LeaderLease } from '../../../src/ports/leader-lease';
import type { Database } from '../database';
import { holdLeaseRow, releaseLeaseRow } from '../kysely/lease-row';
import { LOCK_SPACE } from './advisory-locks';

/** Leader locks live in their own space (the first key), one per lease name (the second). */
const LEADER_SPACE = LOCK_SPACE + 1;

/** The database's clock (the statement's start) as the ISO text the lease row holds. */
const DB_NOW = `to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The database's clock `ms` later, as ISO text, rounded up to the millisecond (never shorter). */
const dbLater = (ms: number) =>
  sql<string>`to_char((statement_timestamp() + ${Math.ceil(ms) + 1} * interval '1 millisecond') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A leader lease on PostgreSQL: `pg_try_advisory_lock` held on a session connection of its own (not
 * the pool), plus the `leases` row. The lock says who is alive and leading right now — a process that
 * dies loses its session and the lock with it; the row says until when the leader may act on its own
 * clock. An instance leads while it has both. After the leader's death the next one gets the lock at
 * once and the row when its lease runs out, so jobs never run on two instances within one lease. A
 * leader that hangs keeps its session: once its row has expired, the next candidate ends that session
 * (`pg_terminate_backend`), so a hung leader is replaced within a lease too.
 *
 * The row's end is set and judged by the database's clock, not the instances': the caller's `now` and
 * `until` only give the lease's length. A leader counts itself leader until its own clock, read before
 * it asked, passes that length; the database wrote the row's end later than that moment, by its clock,
 * and only its clock says when the row has run out. So the old leader has stopped before another may
 * start, however far apart the instances' clocks are (only their rates must agree).
 *
 * When the lock is free but the row is not ours and has not run out, the row is still respected: the
 * lock only says the old leader's session has ended, which happens to a live leader too — a network
 * partition, a restarted or failed-over database, a terminated backend — and such a leader keeps
 * acting (ServiceNow polling, pages, chat) until its own lease ends. The candidate keeps the lock and
 * takes the row the moment it runs out (`endsIn` says when).
 */
export class PostgresLeaderLease implements LeaderLease {
  #session: pg.Client | null = null;
  #locked = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly newSession: () => pg.Client,
    private readonly lease: { name: string; holder: string },
  ) {}

  async hold(now: string, until: string): Promise<boolean> {
    try {
      if (!(await this.#lock())) return false;
      return await holdLeaseRow(
        this.db,
        this.lease,
        sql.raw<string>(DB_NOW),
        dbLater(Date.parse(until) - Date.parse(now)),
      );
    } catch {
      // A lost session or database: not the leader until both are back.
      await this.#drop();
      return false;
    }
  }

  async endsIn(): Promise<number> {
    const row = await sql<{ ms: number }>`
      SELECT greatest(0, extract(epoch from (until::timestamptz - statement_timestamp())) * 1000)::float8 AS ms
      FROM leases WHERE name = ${this.lease.name}`.execute(this.db);
    return Math.ceil(row.rows[0]?.ms ?? 0);
  }

  async release(): Promise<void> {
    const held = this.#locked;
    await this.#drop();
    if (held) await releaseLeaseRow(this.db, this.lease).catch(() => {});
  }

  async #lock(): Promise<boolean> {
    const session = await this.#connected();
    if (this.#locked) {
      // Still our session? (A terminated or broken one fails here.)
      await session.query('SELECT 1');
      return true;
    }
    const key = [LEADER_SPACE, this.lease.name];
    if (await this.#tryLock(session, key)) return true;
    // The lock is held. If the holder's lease has run out, it is hung: end its session, then try again
    // (the lock goes when that backend has exited, a moment later).
    const expired = await session.query(`SELECT 1 FROM leases WHERE name = $1 AND until <= ${DB_NOW}`, [
      this.lease.name,
    ]);
    if (!expired.rowCount) return false;
    await session.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND classid = $1 AND objsubid = 2
         AND objid = (hashtext(current_schema() || '/' || $2) & 2147483647)::oid`,
      key,
    );
    for (let i = 0; i < 20; i++) {
      if (await this.#tryLock(session, key)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  async #tryLock(session: pg.Client, key: unknown[]): Promise<boolean> {
    // Schema-qualified like the other advisory locks (advisory-locks.ts).
    const got = await session.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_lock($1, hashtext(current_schema() || '/' || $2) & 2147483647) AS ok`,
      key,
    );
    this.#locked = got.rows[0]?.ok === true;
    return this.#locked;
  }

  async #connected(): Promise<pg.Client> {
    if (this.#session) return this.#session;
    const session = this.newSession();
    // An error on an idle session (terminated, network) must not crash the process.
    session.on('error', () => void this.#drop());
    await session.connect();
    this.#session = session;
    return session;
  }

  async #drop(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    this.#locked = false;
    // Ending the session releases its advisory lock.
    await session?.end().catch(() => {});
  }
}
