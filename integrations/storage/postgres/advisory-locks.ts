import { sql, type Kysely } from 'kysely';
import type { Database } from '../database';

/** The first key of every advisory lock the bridge takes, so its locks never meet another application's. */
export const LOCK_SPACE = 0x17b0_15e;

/** The second key: what is locked. Leader leases use `hashtext(name)` in their own space. */
export const LOCK = { auditChain: 1, correlation: 2 } as const;

/** Takes a transaction-scoped lock, waiting for it; released by the commit or rollback. */
export async function lockForTransaction(tx: Kysely<Database>, key: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${LOCK_SPACE}, ${key})`.execute(tx);
}

/** Takes a transaction-scoped lock if free; false when another transaction holds it. */
export async function tryLockForTransaction(tx: Kysely<Database>, key: number): Promise<boolean> {
  const { rows } = await sql<{
    ok: boolean;
  }>`SELECT pg_try_advisory_xact_lock(${LOCK_SPACE}, ${key}) AS ok`.execute(tx);
  return rows[0]?.ok === true;
}
