import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { freshPostgresSchema } from './postgres';

/** The database a test's server runs on, and SQL past the server (`?` placeholders on both). */
export interface TestDatabase {
  /** DATABASE_URL for the server. */
  url: string;
  query(statement: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Removes it (PostgreSQL: drops its schema; SQLite files stay in the test's temp dir). */
  drop(): Promise<void>;
}

/** Which store the end-to-end tests run on: `TEST_STORE=postgres` (with TEST_DATABASE_URL) or SQLite. */
export const testStore = (): 'postgres' | 'sqlite' =>
  process.env.TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** A schema of its own on TEST_DATABASE_URL, named in the URL (so a child server process uses it too). */
export async function postgresTestDatabase(): Promise<TestDatabase> {
  const schema = await freshPostgresSchema();
  const url = new URL(schema.url);
  url.searchParams.set('options', `-c search_path=${schema.schema}`);
  return { url: url.toString(), query: schema.query, drop: schema.drop };
}

/**
 * A new, empty database for one test: a SQLite file in `dir`, or with `TEST_STORE=postgres` a schema of
 * its own on TEST_DATABASE_URL (named in the URL, so a child server process uses it too).
 */
export async function testDatabase(dir: string, file = 'test.sqlite'): Promise<TestDatabase> {
  if (testStore() === 'postgres') return postgresTestDatabase();
  const path = join(dir, file);
  return {
    url: `sqlite:${path}`,
    async query(statement, ...params) {
      const db = new BetterSqlite3(path);
      try {
        const s = db.prepare(statement);
        return s.reader ? (s.all(...params) as Record<string, unknown>[]) : (s.run(...params), []);
      } finally {
        db.close();
      }
    },
    async drop() {},
  };
}
