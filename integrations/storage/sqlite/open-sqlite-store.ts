import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database';
import { SqliteStore } from './sqlite-store';
import { startWalCheckpointer } from './wal-checkpointer';

/** Path from `sqlite:./data/x.sqlite` (or `sqlite::memory:`). */
export function sqlitePath(url: string, cwd = process.cwd()): string {
  const p = url.replace(/^sqlite:(\/\/)?/, '');
  return p === ':memory:' ? p : resolve(cwd, p);
}

/**
 * Opens (creating if needed) the SQLite store in WAL mode and migrates it. WAL + NORMAL is durable
 * across process crashes (what the SIGKILL test proves); FULL also survives power loss at some cost.
 */
export async function openSqliteStore(
  url: string,
  opts: { synchronous?: 'NORMAL' | 'FULL'; busyTimeoutMs?: number } = {},
): Promise<SqliteStore> {
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${opts.synchronous ?? 'NORMAL'}`);
  database.pragma(`busy_timeout = ${Math.floor(opts.busyTimeoutMs ?? 5000)}`);
  database.pragma('foreign_keys = ON');
  const store = new SqliteStore(
    new Kysely<Database>({ dialect: new SqliteDialect({ database }) }),
    database,
    {
      // An in-memory database has no WAL and no other connection can reach it.
      checkpointer: path === ':memory:' ? null : startWalCheckpointer(database, path),
    },
  );
  await store.migrate();
  return store;
}
