import type { IncidentSnapshot, PollCursor, ServiceNowSyncState } from '../../../src/ports/servicenow-sync';
import { rowToSnapshot, snapshotToRow } from '../kysely/servicenow-sync-state';
import { named, type Row, type StatementCache } from './statement-cache';

const SNAPSHOT_COLUMNS = [
  'instance',
  'sys_id',
  'mod_count',
  'updated_on',
  'fields',
  'journal_after',
  'journal_ids',
] as const;

const UPSERT_SNAPSHOT = `INSERT INTO servicenow_snapshots (${SNAPSHOT_COLUMNS.join(', ')})
  VALUES (${named(SNAPSHOT_COLUMNS)})
  ON CONFLICT (instance, sys_id) DO UPDATE SET mod_count = excluded.mod_count,
    updated_on = excluded.updated_on, fields = excluded.fields, journal_after = excluded.journal_after,
    journal_ids = excluded.journal_ids
  WHERE excluded.mod_count >= servicenow_snapshots.mod_count`;
const UPSERT_CURSOR = `INSERT INTO servicenow_poll_cursor (instance, updated_on, sys_id) VALUES (?, ?, ?)
  ON CONFLICT (instance) DO UPDATE SET updated_on = excluded.updated_on, sys_id = excluded.sys_id
  WHERE (excluded.updated_on, excluded.sys_id) > (servicenow_poll_cursor.updated_on, servicenow_poll_cursor.sys_id)`;

/**
 * The ServiceNow reader's state on prepared statements: a poll page of a 10,000-incident instance
 * saves up to a page of snapshots in one transaction. `exclusive` runs the work on the store's one
 * connection between its units of work (Kysely's connection mutex).
 */
export class SqliteServiceNowSyncState implements ServiceNowSyncState {
  constructor(
    private readonly q: StatementCache,
    private readonly exclusive: <T>(work: () => Promise<T>) => Promise<T>,
  ) {}

  cursor(instance: string): Promise<PollCursor | null> {
    return this.exclusive(async () => {
      const r = this.q
        .get<Row<'servicenow_poll_cursor'>>('SELECT * FROM servicenow_poll_cursor WHERE instance = ?')
        .get(instance);
      return r ? { updatedOn: r.updated_on, sysId: r.sys_id } : null;
    });
  }

  snapshots(instance: string, sysIds: readonly string[]): Promise<Map<string, IncidentSnapshot>> {
    return this.exclusive(async () => {
      const out = new Map<string, IncidentSnapshot>();
      const one = this.q.get<Row<'servicenow_snapshots'>>(
        'SELECT * FROM servicenow_snapshots WHERE instance = ? AND sys_id = ?',
      );
      for (const id of sysIds) {
        const r = one.get(instance, id);
        if (r) out.set(id, rowToSnapshot(r));
      }
      return out;
    });
  }

  save(instance: string, snapshots: readonly IncidentSnapshot[], cursor: PollCursor | null): Promise<void> {
    return this.exclusive(async () => {
      // BEGIN outside the try: when it fails there is no transaction to roll back.
      this.q.get('BEGIN IMMEDIATE').run();
      try {
        const upsert = this.q.get(UPSERT_SNAPSHOT);
        for (const s of snapshots) upsert.run(snapshotToRow(instance, s));
        if (cursor) this.q.get(UPSERT_CURSOR).run(instance, cursor.updatedOn, cursor.sysId);
        this.q.get('COMMIT').run();
      } catch (err) {
        this.q.get('ROLLBACK').run();
        throw err;
      }
    });
  }
}
