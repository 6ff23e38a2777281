import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** WAL frames (pages) after which the writer checkpoints by itself (SQLite's default: 1000). */
export const WRITER_AUTOCHECKPOINT = 1000;
/** While the checkpointer runs, the writer checkpoints only as a backstop, at 40 MB of WAL. */
const BACKSTOP_AUTOCHECKPOINT = 10_000;

/**
 * The checkpointer thread: its own connection to the database file, a PASSIVE checkpoint every
 * `intervalMs` (PASSIVE never waits for or blocks the writer), closed on the first message.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // Another checkpoint running: the next tick tries again. Anything else ends the thread (see 'error').
    if (err.code !== 'SQLITE_BUSY' && err.code !== 'SQLITE_LOCKED') throw err;
  }
}, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** A running checkpointer; `stop` closes its connection and ends the thread. */
export interface WalCheckpointer {
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the event loop. With `synchronous = NORMAL` a commit writes to the WAL without
 * fsync; the fsyncs happen in checkpoints, which SQLite runs inside the commit that crosses
 * `wal_autocheckpoint` — on a busy disk 10–80 ms during which the server answers nothing (the p99 of the
 * ingest benchmark at 200 req/s). Here a worker thread checkpoints instead and the writer's own
 * autocheckpoint is raised to a backstop; if the thread fails, the writer goes back to checkpointing itself.
 * Durability is unchanged: a commit is in the WAL either way, and a checkpoint only copies committed pages.
 */
export function startWalCheckpointer(
  writer: BetterSqlite3.Database,
  path: string,
  opts: { intervalMs?: number } = {},
): WalCheckpointer {
  writer.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT}`);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      path,
      betterSqlite3: require.resolve('better-sqlite3'),
      intervalMs: opts.intervalMs ?? 200,
    },
  });
  worker.unref();
  const fallBack = () => {
    if (writer.open) writer.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT}`);
  };
  // A thread that dies (it cannot open the file, a checkpoint fails) hands checkpointing back.
  worker.on('error', fallBack);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Unreferenced, the thread would not keep the process alive while close waits for it, and the
      // process would exit before the store is closed.
      worker.ref();
      worker.postMessage('stop');
      await exited;
      fallBack();
    },
  };
}
