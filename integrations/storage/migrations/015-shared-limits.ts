import type { Kysely } from 'kysely';

/**
 * The limits several instances share on PostgreSQL (integrations/limits/postgres-shared-limits.ts):
 * concurrency slots as leased rows, one cell-rate row per scope, one pause row per scope. Until now the
 * limits created them at start; `ifNotExists` keeps a database where they did so migrating. SQLite gets
 * them too (one instance keeps its limits in process and never reads them), so both stores have one list
 * of migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('itsm_limit_slots')
    .ifNotExists()
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.notNull())
    .addColumn('holder', 'text')
    .addColumn('lease_until_ms', 'double precision', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('itsm_limit_slots_pkey', ['scope', 'slot'])
    .execute();
  await db.schema
    .createTable('itsm_limit_rates')
    .ifNotExists()
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('tat_ms', 'double precision', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('itsm_limit_pauses')
    .ifNotExists()
    .addColumn('scope', 'text', (c) => c.primaryKey())
    .addColumn('until_ms', 'double precision', (c) => c.notNull())
    .execute();
}
