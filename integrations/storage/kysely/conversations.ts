import type { Kysely } from 'kysely';
import type { Conversation, Conversations } from '../../../src/ports/conversations';
import type { Database } from '../database';

/** Conversation references in `chat_conversations`, the reference as JSON text. */
export class KyselyConversations implements Conversations {
  constructor(private readonly db: Kysely<Database>) {}

  async save(c: Conversation & { platform: string; at: string }) {
    const row = {
      id: c.id,
      platform: c.platform,
      name: c.name,
      reference: JSON.stringify(c.reference),
      updated_at: c.at,
    };
    await this.db
      .insertInto('chat_conversations')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ name: row.name, reference: row.reference, updated_at: row.updated_at }),
      )
      .execute();
  }

  async get(id: string) {
    const r = await this.db
      .selectFrom('chat_conversations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? { id: r.id, name: r.name, reference: JSON.parse(r.reference) as unknown } : null;
  }
}
