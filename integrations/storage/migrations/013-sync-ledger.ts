import type { Kysely } from 'kysely';

/**
 * Two-way sync (issue 11): the echo ledger (what the bridge wrote to a remote, by content hash, written
 * with the outbox command), the changes already handled (system + change id, written with their
 * effects) and per record and field the last value with the remote's update time, so an older change
 * never overwrites a newer one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_echo_ledger')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('command_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('matched_at', 'text')
    .addColumn('remote_id', 'text')
    .execute();
  await db.schema
    .createIndex('sync_echo_ledger_lookup')
    .on('sync_echo_ledger')
    .columns(['system', 'record', 'item', 'content_hash'])
    .execute();
  await db.schema
    .createTable('sync_processed')
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('change_id', 'text', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('processed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_processed_pk', ['system', 'change_id'])
    .execute();
  await db.schema
    .createTable('sync_field_versions')
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer')
    .addPrimaryKeyConstraint('sync_field_versions_pk', ['system', 'record', 'field'])
    .execute();
}
