import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the tests may use (`.ci/run` starts one and sets it), or null. */
export function postgresTestUrl(): string | null {
  return process.env.TEST_DATABASE_URL || null;
}

/**
 * Whether the PostgreSQL runs of the tests take part: yes when TEST_DATABASE_URL is set; without it
 * they are left out with one line saying how to run them, unless REQUIRE_POSTGRES=1 (set by `.ci/run`),
 * where a missing server fails instead.
 */
export function postgresWanted(): boolean {
  if (postgresTestUrl()) return true;
  if (process.env.REQUIRE_POSTGRES === '1') return true;
  if (!warned) {
    warned = true;
    console.log(
      'Skipping the PostgreSQL runs: TEST_DATABASE_URL is not set (e.g. postgres://itsm:itsm@127.0.0.1:5432/itsm_test).',
    );
  }
  return false;
}
let warned = false;

function requireUrl(): string {
  const url = postgresTestUrl();
  if (!url) throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set');
  return url;
}

/** A schema of its own on the test server, so each test starts from an empty database. */
export interface TestSchema {
  url: string;
  schema: string;
  /** Runs SQL in the schema past any store (`?` placeholders, as in SQLite). */
  query(statement: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** Creates an empty schema with a random name on TEST_DATABASE_URL. */
export async function freshPostgresSchema(): Promise<TestSchema> {
  const url = requireUrl();
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  return {
    url,
    schema,
    async query(statement, ...params) {
      let n = 0;
      const text = statement.replace(/\?/g, () => `$${++n}`);
      return (await client.query(text, params)).rows as Record<string, unknown>[];
    },
    async drop() {
      try {
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
