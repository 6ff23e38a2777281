import { sql, type Kysely } from 'kysely';
import type { IncidentSnapshot, PollCursor, ServiceNowSyncState } from '../../../src/ports/servicenow-sync';
import type { Database, ServiceNowSnapshotsTable } from '../database';

/** sys_ids per `IN (…)` read: well below SQLite's and PostgreSQL's bound-parameter limits. */
const READ_CHUNK = 500;

/** A stored snapshot row → the port's snapshot. */
export function rowToSnapshot(r: Omit<ServiceNowSnapshotsTable, 'instance'>): IncidentSnapshot {
  return {
    sysId: r.sys_id,
    modCount: Number(r.mod_count),
    updatedOn: r.updated_on,
    fields: JSON.parse(r.fields) as Record<string, string>,
    journalAfter: r.journal_after,
    journal: JSON.parse(r.journal_ids) as IncidentSnapshot['journal'],
  };
}

/** The port's snapshot → the row stored for `instance`. */
export const snapshotToRow = (instance: string, s: IncidentSnapshot): ServiceNowSnapshotsTable => ({
  instance,
  sys_id: s.sysId,
  mod_count: s.modCount,
  updated_on: s.updatedOn,
  fields: JSON.stringify(s.fields),
  journal_after: s.journalAfter,
  journal_ids: JSON.stringify(s.journal),
});

/** The ServiceNow reader's cursor and snapshots over Kysely (SQLite or PostgreSQL). */
export class KyselyServiceNowSyncState implements ServiceNowSyncState {
  constructor(private readonly db: Kysely<Database>) {}

  async cursor(instance: string): Promise<PollCursor | null> {
    const r = await this.db
      .selectFrom('servicenow_poll_cursor')
      .select(['updated_on', 'sys_id'])
      .where('instance', '=', instance)
      .executeTakeFirst();
    return r ? { updatedOn: r.updated_on, sysId: r.sys_id } : null;
  }

  async snapshots(instance: string, sysIds: readonly string[]): Promise<Map<string, IncidentSnapshot>> {
    const out = new Map<string, IncidentSnapshot>();
    for (let i = 0; i < sysIds.length; i += READ_CHUNK) {
      const rows = await this.db
        .selectFrom('servicenow_snapshots')
        .selectAll()
        .where('instance', '=', instance)
        .where('sys_id', 'in', sysIds.slice(i, i + READ_CHUNK))
        .execute();
      for (const r of rows) out.set(r.sys_id, rowToSnapshot(r));
    }
    return out;
  }

  async save(
    instance: string,
    snapshots: readonly IncidentSnapshot[],
    cursor: PollCursor | null,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      for (const s of snapshots) {
        await tx
          .insertInto('servicenow_snapshots')
          .values(snapshotToRow(instance, s))
          .onConflict((oc) =>
            oc
              .columns(['instance', 'sys_id'])
              .doUpdateSet({
                mod_count: (eb) => eb.ref('excluded.mod_count'),
                updated_on: (eb) => eb.ref('excluded.updated_on'),
                fields: (eb) => eb.ref('excluded.fields'),
                journal_after: (eb) => eb.ref('excluded.journal_after'),
                journal_ids: (eb) => eb.ref('excluded.journal_ids'),
              })
              // A late push must not take the snapshot back behind what a poll already handed on.
              .where(sql<boolean>`excluded.mod_count >= servicenow_snapshots.mod_count`),
          )
          .execute();
      }
      if (!cursor) return;
      await tx
        .insertInto('servicenow_poll_cursor')
        .values({ instance, updated_on: cursor.updatedOn, sys_id: cursor.sysId })
        .onConflict((oc) =>
          oc
            .column('instance')
            .doUpdateSet({
              updated_on: (eb) => eb.ref('excluded.updated_on'),
              sys_id: (eb) => eb.ref('excluded.sys_id'),
            })
            .where(
              sql<boolean>`(excluded.updated_on, excluded.sys_id) > (servicenow_poll_cursor.updated_on, servicenow_poll_cursor.sys_id)`,
            ),
        )
        .execute();
    });
  }
}
