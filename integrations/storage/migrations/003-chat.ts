import type { Kysely } from 'kysely';

/**
 * Chat: who acknowledged an incident, where its chat messages live (to update them in place), the
 * requests already handled (Slack retries, replays, double clicks) and Teams conversation references
 * (for proactive cards).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('ack_at', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('ack_by', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('ack_name', 'text').execute();
  await db.schema
    .alterTable('incidents')
    .addColumn('chat', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .createTable('chat_seen')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('chat_seen_at').on('chat_seen').column('at').execute();
  await db.schema
    .createTable('chat_conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
