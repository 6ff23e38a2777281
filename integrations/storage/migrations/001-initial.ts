import { sql, type Kysely } from 'kysely';

/**
 * Inbox, incidents and their members, timeline, hash-chained audit log, downtimes.
 * Written in Kysely's schema builder so the same migration runs on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('dedup_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('event', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('host', 'text')
    .addColumn('service', 'text')
    .addColumn('branch', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('annotations', 'text', (c) => c.notNull())
    .addColumn('links', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text')
    .addColumn('ends_at', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text')
    .addColumn('incident_id', 'integer')
    .addColumn('decision', 'text')
    .execute();
  // The correlator's work queue: only unprocessed rows are indexed, so the index stays tiny.
  await sql`CREATE INDEX alerts_pending ON alerts (id) WHERE processed_at IS NULL`.execute(db);
  await db.schema.createIndex('alerts_incident').on('alerts').columns(['incident_id', 'id']).execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('group_key', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('host', 'text')
    .addColumn('service', 'text')
    .addColumn('branch', 'text')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('impact', 'integer', (c) => c.notNull())
    .addColumn('urgency', 'integer', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('runbook_id', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('last_alert_at', 'text', (c) => c.notNull())
    .addColumn('resolve_due_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('firing_count', 'integer', (c) => c.notNull())
    .addColumn('alert_count', 'integer', (c) => c.notNull())
    .addColumn('flapping', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('previous_incident_id', 'integer')
    .addColumn('tickets', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  // At most one open incident per group: the database, not only the correlator, forbids a duplicate.
  await sql`CREATE UNIQUE INDEX incidents_open_group ON incidents (group_key) WHERE state <> 'resolved'`.execute(
    db,
  );
  await db.schema
    .createIndex('incidents_group_resolved')
    .on('incidents')
    .columns(['group_key', 'resolved_at'])
    .execute();
  await db.schema.createIndex('incidents_state').on('incidents').columns(['state', 'id']).execute();

  await db.schema
    .createTable('incident_alerts')
    .addColumn('incident_id', 'integer', (c) => c.notNull())
    .addColumn('dedup_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('host', 'text')
    .addColumn('service', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_change_at', 'text', (c) => c.notNull())
    .addColumn('occurrences', 'integer', (c) => c.notNull())
    .addColumn('flap_changes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addPrimaryKeyConstraint('incident_alerts_pk', ['incident_id', 'dedup_key'])
    .execute();
  await db.schema
    .createIndex('incident_alerts_key')
    .on('incident_alerts')
    .columns(['dedup_key', 'incident_id'])
    .execute();

  await db.schema
    .createTable('timeline')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('incident_id', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'integer')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('timeline_incident').on('timeline').columns(['incident_id', 'id']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('downtimes')
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('author', 'text')
    .addColumn('comment', 'text')
    .execute();
}
