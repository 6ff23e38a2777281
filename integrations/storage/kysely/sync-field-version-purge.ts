import { sql, type Kysely } from 'kysely';
import {
  PERSONAL_SYNC_FIELDS,
  PURGED,
  purgeSyncFieldVersion,
  type PurgeKinds,
} from '../../../src/core/privacy/pseudonymise';
import type { Database } from '../database';
import type { Rewrite } from './personal-data';
import { rowToIncident } from '../row-mappers';
import { linksRecord, recordPattern } from './sync-ledger';

/** A personal sync field version with the ServiceNow state its incident was last seen in, and when. */
export interface VersionRow {
  system: string;
  record: string;
  field: string;
  value: string | null;
  updated_at: string;
  closing: { state: string | null; at: string } | null;
}

export type VersionKey = [system: string, record: string, field: string];

/**
 * Per record of one page, the ServiceNow state the sync last saw of its incident, and when: the record
 * itself on ServiceNow, the linked incident's ServiceNow ticket for a Jira issue (none: not final, kept).
 * Two queries per page, whatever its size: the purge rereads the rows it keeps every day.
 */
async function closingsOf(tx: Kysely<Database>, rows: readonly { system: string; record: string }[]) {
  const keys = [...new Set(rows.filter((r) => r.system === 'jira').map((r) => r.record))];
  const linked =
    keys.length === 0
      ? []
      : (
          await tx
            .selectFrom('incidents')
            .selectAll()
            .where((w) => w.or(keys.map((k) => w('tickets', 'like', recordPattern(k)))))
            .orderBy('id', 'desc')
            .execute()
        ).map(rowToIncident);
  // The newest incident linked to a Jira issue, as the sync core finds it.
  const sysIdOf = (system: string, record: string) =>
    system === 'servicenow'
      ? record
      : linked.find((i) => linksRecord(i, 'jira', record))?.tickets.servicenow?.sys_id;
  const sysIds = [...new Set(rows.map((r) => sysIdOf(r.system, r.record)))].flatMap((id) => (id ? [id] : []));
  const states =
    sysIds.length === 0
      ? []
      : await tx
          .selectFrom('sync_field_versions')
          .select(['record', 'value', 'updated_at'])
          .where('system', '=', 'servicenow')
          .where('field', '=', 'state')
          .where('record', 'in', sysIds)
          .execute();
  const byId = new Map(states.map((s) => [s.record, { state: s.value, at: s.updated_at }]));
  return (system: string, record: string) => byId.get(sysIdOf(system, record) ?? '') ?? null;
}

/**
 * How the purge rewrites `sync_field_versions`: the assignee and close notes the sync last saw, of
 * incidents Closed or Canceled in ServiceNow, become `(purged)` once both that value and the closing
 * are past the kind's cutoff. The row stays with its update time and version (the sync's "older never
 * overwrites newer"); state, priority and the other fields are not personal and stay as they are.
 */
export function syncFieldVersionPurge(o: {
  page: number;
  /** Rows changed before this may hold a text or a name past retention. */
  before: string;
  kindsAt: (at: string) => PurgeKinds;
  dryRun: boolean;
}): Rewrite<VersionRow, string, VersionKey> {
  return {
    dryRun: o.dryRun,
    select: async (tx, [system, record, field]) => {
      const rows = await tx
        .selectFrom('sync_field_versions')
        .select(['system', 'record', 'field', 'value', 'updated_at'])
        .where('field', 'in', [...PERSONAL_SYNC_FIELDS])
        .where('value', 'is not', null)
        .where('value', '<>', PURGED)
        .where('updated_at', '<', o.before)
        .where(sql<boolean>`(system, record, field) > (${system}, ${record}, ${field})`)
        .orderBy('system')
        .orderBy('record')
        .orderBy('field')
        .limit(o.page)
        .execute();
      const closing = await closingsOf(tx, rows);
      return rows.map((r) => ({ ...r, closing: closing(r.system, r.record) }));
    },
    key: (r) => [r.system, r.record, r.field],
    next: (r) =>
      r.closing === null
        ? null
        : purgeSyncFieldVersion(
            r,
            r.closing.state,
            o.kindsAt(r.closing.at > r.updated_at ? r.closing.at : r.updated_at),
          ),
    write: (tx, r, value) =>
      tx
        .updateTable('sync_field_versions')
        .set({ value })
        .where('system', '=', r.system)
        .where('record', '=', r.record)
        .where('field', '=', r.field)
        .execute(),
  };
}
