import { sql, type Kysely } from 'kysely';

/**
 * Shift handovers: one row per handover of a provider's on-call (at a rotation change, or asked for with
 * `/itsm shift`), with the summary of the open incidents as it was sent (JSON), who acknowledged when,
 * and `escalate_at`, the stored timer of the unacknowledged handover. A rotation change has one handover:
 * a partial unique index on (provider, at) for `trigger = 'rotation'`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('shift_handovers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text')
    .addColumn('outgoing', 'text')
    .addColumn('incoming', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('escalate_at', 'text')
    .execute();
  await sql`CREATE UNIQUE INDEX shift_handovers_rotation ON shift_handovers (provider, at) WHERE trigger = 'rotation'`.execute(
    db,
  );
  await db.schema
    .createIndex('shift_handovers_escalate')
    .on('shift_handovers')
    .column('escalate_at')
    .execute();
}
