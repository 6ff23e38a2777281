import { Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../database';
import { PortableSchemaPlugin } from './portable-schema-plugin';
import { CurrentSchemaPostgresDialect } from './current-schema-dialect';
import { PostgresStore } from './postgres-store';

/** `postgres://…` or `postgresql://…`: the URL selects the PostgreSQL store. */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /**
   * The schema the tables live in (default: the first of the role's search_path, normally `public`; a
   * URL may also say `?options=-c%20search_path%3Ditsm`).
   */
  schema?: string;
}

/**
 * Opens the PostgreSQL store and migrates it (Kysely's Migrator takes an advisory lock, so instances
 * starting together migrate once). Integer columns come back as numbers; the few bigint results (counts,
 * sums) are converted by the repositories.
 */
export async function openPostgresStore(
  url: string,
  opts: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const connection = {
    connectionString: url,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  };
  const pool = new pg.Pool({ ...connection, max: opts.poolSize ?? 10 });
  const db = new Kysely<Database>({
    dialect: new CurrentSchemaPostgresDialect({ pool }),
    plugins: [new PortableSchemaPlugin()],
  });
  try {
    // Kysely's migration tables go in the schema the tables do (with several schemas on one server,
    // the Migrator would otherwise find another schema's).
    const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
    const store = new PostgresStore(db, {
      migrationSchema: rows[0]?.schema ?? opts.schema,
      newSession: () => new pg.Client(connection),
    });
    await store.migrate();
    return store;
  } catch (err) {
    await db.destroy();
    throw err;
  }
}
