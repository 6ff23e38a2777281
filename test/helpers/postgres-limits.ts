import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL the shared-limit tests use: TEST_DATABASE_URL (as the store's tests). Without it the
 * PostgreSQL cases are skipped with one line, unless REQUIRE_POSTGRES=1 (`.ci/run`), where they fail.
 */
export function postgresLimitsUrl(): string | null {
  const url = process.env.TEST_DATABASE_URL || null;
  if (url) return url;
  if (process.env.REQUIRE_POSTGRES === '1')
    throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set');
  if (!warned) {
    warned = true;
    console.log(
      'Skipping the PostgreSQL shared-limit runs: TEST_DATABASE_URL is not set (e.g. postgres://itsm:itsm@127.0.0.1:5432/itsm_test).',
    );
  }
  return null;
}
let warned = false;

/**
 * A new empty schema on `url` and the URL whose connections use it, so that one test's limit rows never
 * meet another's (slots and pauses outlive the test otherwise).
 */
export async function freshLimitsSchema(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `limits_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: scoped.toString(),
    async drop() {
      try {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}
