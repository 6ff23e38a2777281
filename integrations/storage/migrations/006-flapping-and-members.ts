import { sql, type Kysely } from 'kysely';

/**
 * Flapping reported by the monitoring tool (FLAPPINGSTART) is held until it reports the end, so it is
 * kept apart from the flapping the correlator computes; and the number of distinct member alerts, which
 * `alert_count` (every delivery) is not.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('incidents')
    .addColumn('flapping_reported', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('incidents')
    .addColumn('member_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE incidents SET member_count =
    (SELECT count(*) FROM incident_alerts m WHERE m.incident_id = incidents.id)`.execute(db);
}
