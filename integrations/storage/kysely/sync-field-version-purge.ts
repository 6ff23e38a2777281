import { sql, type Kysely } from 'kysely';
import {
  PERSONAL_SYNC_FIELDS,
  PURGED,
  purgeSyncFieldVersion,
  type PurgeKinds,
} from '../../../src/core/privacy/pseudonymise';
import type { Database } from '../database';
import type { Rewrite } from './personal-data';
import { KyselySyncWrites } from './sync-ledger';

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
 * The ServiceNow state of the incident a record belongs to, as the sync last saw it: the record itself
 * on ServiceNow, the linked incident's ServiceNow ticket for a Jira issue (none: not final, kept).
 */
async function closingOf(tx: Kysely<Database>, system: string, record: string) {
  const sync = new KyselySyncWrites(tx);
  const sysId =
    system === 'servicenow' ? record : (await sync.incidentFor('jira', record))?.tickets.servicenow?.sys_id;
  const v = sysId ? await sync.fieldVersion('servicenow', sysId, 'state') : null;
  return v ? { state: v.value, at: v.updatedAt } : null;
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
      // A record has up to three personal fields: its incident is looked up once per page.
      const closings = new Map<string, VersionRow['closing']>();
      const out: VersionRow[] = [];
      for (const r of rows) {
        const at = `${r.system}\n${r.record}`;
        if (!closings.has(at)) closings.set(at, await closingOf(tx, r.system, r.record));
        out.push({ ...r, closing: closings.get(at) ?? null });
      }
      return out;
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
