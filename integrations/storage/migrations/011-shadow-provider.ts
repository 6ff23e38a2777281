import type { Kysely } from 'kysely';

/** Transition mode: the provider that shadows an incident, fixed when it opens (issue 10). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('shadow', 'text').execute();
}
