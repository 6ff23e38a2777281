import { openPostgresStore } from '../../integrations/storage/postgres/open-postgres-store';
import { freshPostgresSchema, postgresTestUrl, postgresWanted } from './postgres';

/**
 * TEST_DATABASE_URL when the PostgreSQL runs take part (see `postgresWanted`: skipped with one line
 * without it, failing under REQUIRE_POSTGRES=1), else null.
 */
export function postgresLimitsUrl(): string | null {
  if (!postgresWanted()) return null;
  const url = postgresTestUrl();
  if (!url) throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set');
  return url;
}

/**
 * A new schema, migrated (the limit tables are the store's, migration 015), and the URL whose connections
 * use it (as a child server's DATABASE_URL), so that one test's rows never meet another's (limit slots
 * and pauses outlive the test otherwise).
 */
export async function freshLimitsSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = await freshPostgresSchema();
  const scoped = new URL(schema.url);
  scoped.searchParams.set('options', `-c search_path=${schema.schema}`);
  await (await openPostgresStore(scoped.toString(), { poolSize: 1 })).close();
  return { url: scoped.toString(), drop: () => schema.drop() };
}
