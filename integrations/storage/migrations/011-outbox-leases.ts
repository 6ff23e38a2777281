import type { Kysely } from 'kysely';

/**
 * Several instances on one database (issue 15). An outbox command is claimed by one worker at a time:
 * `claim` counts the claims (the number a completion must present, so a worker that stalled past its
 * lease cannot record a stale outcome), `claimed_by` and `lease_until` say who holds it until when (a
 * dead instance's claims expire). `leases` holds named leader leases (who runs the jobs only one
 * instance may run, until when, and the term, counted up at every change of holder).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('outbox')
    .addColumn('claim', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('outbox').addColumn('claimed_by', 'text').execute();
  await db.schema.alterTable('outbox').addColumn('lease_until', 'text').execute();
  await db.schema
    .createTable('leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('until', 'text', (c) => c.notNull())
    .addColumn('term', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
