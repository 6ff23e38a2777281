import BetterSqlite3 from 'better-sqlite3';
import type { RemoteChange, RemoteChangeSink } from '../../src/core/sync/remote-change';

/**
 * A real sink for the readers' tests until the sync core's `applyRemoteChanges` is wired: like it, it
 * handles each (system, changeId) once, in a transaction of a SQLite file, and resolves after the
 * commit. Every delivery is counted too, and a redelivered change whose content differs from the first
 * is recorded as a conflict — a reader must never hand on two versions of one change.
 */
export interface RecordingSink {
  sink: RemoteChangeSink;
  /** The changes handled, in the order they were first delivered. */
  handled(): RemoteChange[];
  /** Changes delivered, counting each redelivery. */
  deliveries(): number;
  /** changeIds delivered again with different content. */
  conflicts(): string[];
  /** Makes the next `n` calls fail before anything is stored (a sink that could not commit). */
  failNext(n: number): void;
  close(): void;
}

export function recordingSink(path: string): RecordingSink {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS handled (seq INTEGER PRIMARY KEY, system TEXT, change_id TEXT,
    change TEXT, UNIQUE (system, change_id));
    CREATE TABLE IF NOT EXISTS deliveries (seq INTEGER PRIMARY KEY, change_id TEXT, same INTEGER)`);
  let failing = 0;
  const insert = db.prepare('INSERT OR IGNORE INTO handled (system, change_id, change) VALUES (?, ?, ?)');
  const first = db.prepare<[string, string], { change: string }>(
    'SELECT change FROM handled WHERE system = ? AND change_id = ?',
  );
  const delivered = db.prepare('INSERT INTO deliveries (change_id, same) VALUES (?, ?)');
  const store = db.transaction((changes: readonly RemoteChange[]) => {
    for (const c of changes) {
      const text = JSON.stringify(c);
      insert.run(c.system, c.changeId, text);
      delivered.run(c.changeId, first.get(c.system, c.changeId)?.change === text ? 1 : 0);
    }
  });
  return {
    async sink(changes) {
      if (failing > 0) {
        failing--;
        throw new Error('sink unavailable (test)');
      }
      store(changes);
    },
    handled: () =>
      db
        .prepare<[], { change: string }>('SELECT change FROM handled ORDER BY seq')
        .all()
        .map((r) => JSON.parse(r.change) as RemoteChange),
    deliveries: () => db.prepare<[], { n: number }>('SELECT count(*) AS n FROM deliveries').get()!.n,
    conflicts: () =>
      db
        .prepare<[], { change_id: string }>('SELECT change_id FROM deliveries WHERE same = 0')
        .all()
        .map((r) => r.change_id),
    failNext(n) {
      failing = n;
    },
    close: () => db.close(),
  };
}
