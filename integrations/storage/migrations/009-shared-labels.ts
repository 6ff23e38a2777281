import type { Kysely } from 'kysely';

/**
 * Labels and annotations that every alert of one delivery shares (Alertmanager's `commonLabels` and
 * `commonAnnotations`, merged into each alert by the mapper) are stored once per delivery in
 * `alert_shared`; each alert row keeps only its own and points at the shared row (issue 12: a 134 KB
 * request had grown the database by 135 MB). Readers merge them back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alert_shared')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('annotations', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('alerts').addColumn('shared_id', 'integer').execute();
}
