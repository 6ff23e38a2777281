import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { cellRate } from '../../src/core/limits/cell-rate';
import type { SharedLimits } from '../../src/ports/shared-limits';

/** The database clock in epoch milliseconds: every instance measures leases, rates and pauses on it. */
const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::float8`;

/**
 * SharedLimits in PostgreSQL, for several instances on one database: a concurrency slot is a leased row
 * (taken with `FOR UPDATE SKIP LOCKED`, renewed by its holder, free again when its lease has run out), a
 * rate is one cell-rate row updated under its row lock, a pause is one row per scope whose end only ever
 * moves later. Uses its own small pool, so a busy store never delays a limit decision. The tables are
 * the store's (migration 015): open the store on the same URL first.
 */
export async function openPostgresSharedLimits(url: string, o: { max?: number } = {}): Promise<SharedLimits> {
  const pool = new Pool({ connectionString: url, max: o.max ?? 4 });
  // The store's migration 015 creates the tables (in the schema the URL's connections use).
  const missing = await pool
    .query<{ ok: boolean }>(`SELECT to_regclass('itsm_limit_slots') IS NOT NULL AS ok`)
    .then((r) => !r.rows[0]?.ok)
    .catch(async (err: unknown) => {
      await pool.end();
      throw err;
    });
  if (missing) {
    await pool.end();
    throw new Error('the shared-limit tables are missing: open the store first (its migrations create them)');
  }
  const seeded = new Set<string>();
  return {
    async tryAcquire(scope, limit, leaseMs) {
      const key = `${scope}\u0000${limit}`;
      if (!seeded.has(key)) {
        await pool.query(
          `INSERT INTO itsm_limit_slots (scope, slot) SELECT $1, g FROM generate_series(0, $2::int - 1) g
           ON CONFLICT DO NOTHING`,
          [scope, limit],
        );
        seeded.add(key);
      }
      const holder = randomUUID();
      // `slot < limit`: a lowered limit leaves the higher slots unused, never over the new limit.
      const r = await pool.query(
        `UPDATE itsm_limit_slots SET holder = $2, lease_until_ms = ${NOW_MS} + $3
         WHERE (scope, slot) = (
           SELECT scope, slot FROM itsm_limit_slots
           WHERE scope = $1 AND slot < $4 AND (holder IS NULL OR lease_until_ms <= ${NOW_MS})
           ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
         RETURNING slot`,
        [scope, holder, leaseMs, limit],
      );
      return r.rowCount === 1 ? holder : null;
    },
    async renew(scope, holder, leaseMs) {
      const r = await pool.query(
        `UPDATE itsm_limit_slots SET lease_until_ms = ${NOW_MS} + $3
         WHERE scope = $1 AND holder = $2 AND lease_until_ms > ${NOW_MS}`,
        [scope, holder, leaseMs],
      );
      return r.rowCount === 1;
    },
    async release(scope, holder) {
      await pool.query(
        `UPDATE itsm_limit_slots SET holder = NULL, lease_until_ms = 0 WHERE scope = $1 AND holder = $2`,
        [scope, holder],
      );
    },
    tryTake: (scope, rate) =>
      transaction(pool, async (c) => {
        await c.query(`INSERT INTO itsm_limit_rates (scope, tat_ms) VALUES ($1, 0) ON CONFLICT DO NOTHING`, [
          scope,
        ]);
        const row = (
          await c.query<{ tat_ms: number; now_ms: number }>(
            `SELECT tat_ms, ${NOW_MS} AS now_ms FROM itsm_limit_rates WHERE scope = $1 FOR UPDATE`,
            [scope],
          )
        ).rows[0]!;
        const r = cellRate(row.tat_ms, row.now_ms, rate);
        if (!r.granted) return r.waitMs;
        await c.query(`UPDATE itsm_limit_rates SET tat_ms = $2 WHERE scope = $1`, [scope, r.tatMs]);
        return 0;
      }),
    async pause(scope, seconds) {
      if (!Number.isFinite(seconds) || seconds <= 0) return;
      await pool.query(
        `INSERT INTO itsm_limit_pauses (scope, until_ms) VALUES ($1, ${NOW_MS} + $2 * 1000)
         ON CONFLICT (scope) DO UPDATE SET until_ms = GREATEST(itsm_limit_pauses.until_ms, EXCLUDED.until_ms)`,
        [scope, seconds],
      );
    },
    async pauseLeft(scope) {
      const r = await pool.query<{ left_ms: number }>(
        `SELECT GREATEST(0, until_ms - ${NOW_MS}) AS left_ms FROM itsm_limit_pauses WHERE scope = $1`,
        [scope],
      );
      return Math.ceil(r.rows[0]?.left_ms ?? 0);
    },
    close: () => pool.end(),
  };
}

async function transaction<T>(pool: Pool, work: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const result = await work(c);
    await c.query('COMMIT');
    return result;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
