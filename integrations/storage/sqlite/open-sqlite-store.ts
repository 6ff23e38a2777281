import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database';
import { SqliteStore } from './sqlite-store';
import { startWalCheckpointer } from './wal-checkpointer';
import type { WriteTurn } from './write-turn';

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
  opts: {
    synchronous?: 'NORMAL' | 'FULL';
    busyTimeoutMs?: number;
    /**
     * The correlation thread's connection (`who: 'thread'`) beside the event loop's: the file is already
     * migrated and checkpointed by the event loop's store, and the two share the write turn.
     */
    turn?: { turn: WriteTurn; who: 'event-loop' | 'thread' };
  } = {},
): Promise<SqliteStore> {
  const path = sqlitePath(url);
  const thread = opts.turn?.who === 'thread';
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // The thread's connection opens the event loop's file; it must never create one of its own.
  const database = new BetterSqlite3(path, { fileMustExist: thread });
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${opts.synchronous ?? 'NORMAL'}`);
  database.pragma(`busy_timeout = ${Math.floor(opts.busyTimeoutMs ?? 5000)}`);
  database.pragma('foreign_keys = ON');
  // The event loop's checkpointer thread checkpoints for both connections.
  if (thread) database.pragma('wal_autocheckpoint = 0');
  const store = new SqliteStore(
    new Kysely<Database>({ dialect: new SqliteDialect({ database }) }),
    database,
    {
      // An in-memory database has no WAL and no other connection can reach it.
      checkpointer: path === ':memory:' || thread ? null : startWalCheckpointer(database, path),
      turn: opts.turn ?? null,
    },
  );
  if (!thread) await store.migrate();
  return store;
}
