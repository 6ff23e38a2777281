import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';

/** The first key of every advisory lock the bridge takes, so its locks never meet another application's. */
export const LOCK_SPACE = 0x17b_015e;

/** What is locked; the second key is a hash of the schema and this name. */
export const LOCK = { auditChain: 'audit-chain', correlation: 'correlation' } as const;

/**
 * The second key of a lock. Advisory locks are per database, so the name is qualified by the schema:
 * two bridges in two schemas of one database never wait for each other. Positive, to compare with
 * `pg_locks.objid`. (The leader lease's session queries spell out the same expression.)
 */
const lockKey = (name: string) => sql`(hashtext(current_schema() || '/' || ${name}) & 2147483647)`;

/** Takes a transaction-scoped lock, waiting for it; released by the commit or rollback. */
export async function lockForTransaction(tx: Kysely<Database>, name: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${LOCK_SPACE}, ${lockKey(name)})`.execute(tx);
}

/** Takes a transaction-scoped lock if free; false when another transaction holds it. */
export async function tryLockForTransaction(tx: Kysely<Database>, name: string): Promise<boolean> {
  const { rows } = await sql<{
    ok: boolean;
  }>`SELECT pg_try_advisory_xact_lock(${LOCK_SPACE}, ${lockKey(name)}) AS ok`.execute(tx);
  return rows[0]?.ok === true;
}
