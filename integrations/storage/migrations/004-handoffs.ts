import { sql, type Kysely } from 'kysely';

/**
 * Provider hand-offs: one row per offer with its structured note (JSON), deadline and decision. A
 * partial unique index allows at most one open hand-off (offered, expired, escalated) per incident, so
 * two offers racing each other cannot both be stored. `next_check_at` is the stored timer of the
 * acceptance deadline: a restart loses no reminder or expiry and does none twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('handoffs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('incident_id', 'integer', (c) => c.notNull())
    .addColumn('from_provider', 'text', (c) => c.notNull())
    .addColumn('to_provider', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('offered_at', 'text', (c) => c.notNull())
    .addColumn('offered_by', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('reminded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('decided_at', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('reason', 'text')
    // When the deadline timer must look at it next (reminder, then expiry); null when closed.
    .addColumn('next_check_at', 'text')
    .execute();
  await sql`CREATE UNIQUE INDEX handoffs_one_open ON handoffs (incident_id) WHERE state IN ('offered', 'expired', 'escalated')`.execute(
    db,
  );
  await db.schema.createIndex('handoffs_next_check').on('handoffs').column('next_check_at').execute();
}
