import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  startWalCheckpointer,
  WRITER_AUTOCHECKPOINT,
} from '../../../integrations/storage/sqlite/wal-checkpointer';

const freshDb = () => {
  const path = join(mkdtempSync(join(tmpdir(), 'itsm-wal-')), 'w.sqlite');
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  return { db, path };
};
const autocheckpoint = (db: BetterSqlite3.Database) => db.pragma('wal_autocheckpoint', { simple: true });
const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  return ok();
};

describe('WAL checkpointer thread', () => {
  it('copies committed pages into the database file while the writer no longer checkpoints itself', async () => {
    const { db, path } = freshDb();
    const checkpointer = startWalCheckpointer(db, path, { intervalMs: 20 });
    expect(autocheckpoint(db)).toBeGreaterThan(WRITER_AUTOCHECKPOINT);
    const before = statSync(path).size;
    // About 1,200 pages in the WAL: more than the writer's default, less than its backstop.
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 4000; i++) insert.run('x'.repeat(1000));
    })();
    expect(await until(() => statSync(path).size > before + 4_000_000)).toBe(true);
    expect(db.prepare('SELECT count(*) n FROM t').get()).toEqual({ n: 4000 });
    await checkpointer.stop();
    expect(autocheckpoint(db)).toBe(WRITER_AUTOCHECKPOINT);
    db.close();
  });

  it('hands checkpointing back to the writer when the thread cannot work', async () => {
    const { db, path } = freshDb();
    const checkpointer = startWalCheckpointer(db, `${path}-missing`, { intervalMs: 20 });
    expect(await until(() => autocheckpoint(db) === WRITER_AUTOCHECKPOINT)).toBe(true);
    await checkpointer.stop();
    db.close();
  });
});
