import type { Kysely } from 'kysely';

/**
 * The HTTP request behind an accepted alert and behind the outbox command it caused (the X-Request-Id
 * the bridge answered with), so the log line of a remote call names the request that led to it. Null
 * for rows written before this migration and for work no request caused (timers, replays).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('request_id', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('request_id', 'text').execute();
}
