import { sql, type Kysely } from 'kysely';

/**
 * Escalation runs: one row per policy run of an incident, with the policy's steps (JSON) as they were at
 * the start, the next step and when it is due (`next_due_at`, the stored timer), and how the run ended.
 * A partial unique index allows one running run per incident, provider and trigger.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('escalations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('incident_id', 'integer', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('next_step', 'integer', (c) => c.notNull())
    .addColumn('next_due_at', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('stopped_at', 'text')
    .addColumn('stopped_by', 'text')
    .execute();
  await sql`CREATE UNIQUE INDEX escalations_one_running ON escalations (incident_id, provider, trigger) WHERE state = 'running'`.execute(
    db,
  );
  await db.schema.createIndex('escalations_due').on('escalations').column('next_due_at').execute();
  await db.schema.createIndex('escalations_incident').on('escalations').column('incident_id').execute();
}
