import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { LeaderLease } from '../../../src/ports/leader-lease';
import type { Database } from '../database';
import { holdLeaseRow, releaseLeaseRow } from '../kysely/lease-row';
import { LOCK_SPACE } from './advisory-locks';

/** Leader locks live in their own space (the first key), one per lease name (the second). */
const LEADER_SPACE = LOCK_SPACE + 1;

/**
 * A leader lease on PostgreSQL: `pg_try_advisory_lock` held on a session connection of its own (not
 * the pool), plus the `leases` row. The lock says who is alive and leading right now — a process that
 * dies loses its session and the lock with it; the row says until when the leader may act on its own
 * clock. An instance leads while it has both. After the leader's death the next one gets the lock at
 * once and the row when its lease runs out, so jobs never run on two instances within one lease. A
 * leader that hangs keeps its session: once its row has expired, the next candidate ends that session
 * (`pg_terminate_backend`), so a hung leader is replaced within a lease too.
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
      if (!(await this.#lock(now))) return false;
      return await holdLeaseRow(this.db, this.lease, now, until);
    } catch {
      // A lost session or database: not the leader until both are back.
      await this.#drop();
      return false;
    }
  }

  async release(): Promise<void> {
    const held = this.#locked;
    await this.#drop();
    if (held) await releaseLeaseRow(this.db, this.lease).catch(() => {});
  }

  async #lock(now: string): Promise<boolean> {
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
    const expired = await session.query('SELECT 1 FROM leases WHERE name = $1 AND until <= $2', [
      this.lease.name,
      now,
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
