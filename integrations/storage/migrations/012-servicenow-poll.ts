import type { Kysely } from 'kysely';

/**
 * The ServiceNow reader of the two-way sync (issue 11): where the incident poll resumes, per instance
 * (keyset: `sys_updated_on`, then `sys_id`), and per incident what was last handed to the sync core —
 * `sys_mod_count`, the synced columns (JSON) and the journal entries already handed on — so the next
 * change is diffed against it and nothing is handed on twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('servicenow_poll_cursor')
    .addColumn('instance', 'text', (c) => c.primaryKey())
    .addColumn('updated_on', 'text', (c) => c.notNull())
    .addColumn('sys_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('servicenow_snapshots')
    .addColumn('instance', 'text', (c) => c.notNull())
    .addColumn('sys_id', 'text', (c) => c.notNull())
    .addColumn('mod_count', 'integer', (c) => c.notNull())
    .addColumn('updated_on', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('journal_after', 'text')
    .addColumn('journal_ids', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('servicenow_snapshots_pk', ['instance', 'sys_id'])
    .execute();
}
