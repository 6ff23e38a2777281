import { sql, type Kysely } from 'kysely';

/**
 * The transactional outbox: commands to ServiceNow and Jira are written in the same transaction as the
 * incident change that causes them, and executed by the outbox worker, one lane per remote system.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('incident_id', 'integer', (c) => c.notNull())
    .addColumn('lane', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_before', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX outbox_due ON outbox (lane, not_before, id) WHERE state = 'pending'`.execute(db);
  await db.schema
    .createIndex('outbox_incident')
    .on('outbox')
    .columns(['incident_id', 'lane', 'id'])
    .execute();
}
