import { PURGED } from '../../src/core/privacy/pseudonymise';
import type { RemoteChange, SyncField } from '../../src/core/sync/remote-change';
import {
  SERVICENOW_SYNCED_COLUMNS,
  type IncidentSnapshot,
  type SeenIncident,
  type SeenJournalEntry,
  type ServiceNowSyncedColumn,
} from '../../src/ports/servicenow-sync';

/** The sync contract's name of each synced incident column. */
const FIELD: Record<ServiceNowSyncedColumn, SyncField> = {
  state: 'state',
  hold_reason: 'holdReason',
  impact: 'impact',
  urgency: 'urgency',
  priority: 'priority',
  assignment_group: 'assignmentGroup',
  assigned_to: 'assignedTo',
  close_code: 'closeCode',
  close_notes: 'closeNotes',
};

/** `2026-11-02 08:00:05` (ServiceNow raw, UTC) → epoch ms. */
export const glideMs = (t: string): number => Date.parse(`${t.replace(' ', 'T')}Z`);
/** Epoch ms → ServiceNow's raw `YYYY-MM-DD HH:mm:ss` (UTC), the literal encoded queries take. */
export const glideTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const isoOf = (t: string): string => new Date(glideMs(t)).toISOString();

export interface ChangeContext {
  /** user_name of the bridge's integration user: a hint on the actor, the echo ledger decides. */
  integrationUser: string;
  /** Display name of a user_name ("Service Desk"); the user_name itself when unknown. */
  nameOf: (userName: string) => string;
  /** How far back journal entries already handed on are remembered (the poll's overlap). */
  overlapMs: number;
  /**
   * A push: it carries the entries of its own update only, not those of earlier pushes that were lost
   * (the bridge down for both of the rule's tries), so it leaves the journal watermark where the last
   * poll put it and the next poll still reads those.
   */
  pushed?: boolean;
}

/**
 * What changed on one incident since its snapshot, as RemoteChanges, and the snapshot to store once the
 * sink has them. A field change is `<sys_id>@<sys_mod_count>` with the synced columns that differ; a
 * journal entry is its own change (`changeId` = its sys_id). The first sight of an incident that was
 * written after its creation (`sys_mod_count` > 0) hands on every non-empty column (`from: null`): the
 * person's edit before the first poll is not lost, the sync core's echo ledger drops the bridge's own
 * values. A record not newer than the snapshot (a late push) gives no field change.
 */
export function changesOf(
  seen: SeenIncident,
  journal: readonly SeenJournalEntry[],
  before: IncidentSnapshot | undefined,
  ctx: ChangeContext,
): { changes: RemoteChange[]; snapshot: IncidentSnapshot } {
  const changes: RemoteChange[] = [];
  const newer = !before || seen.modCount > before.modCount;
  const fields: RemoteChange['fields'] = [];
  if (newer && (before || seen.modCount > 0)) {
    for (const column of SERVICENOW_SYNCED_COLUMNS) {
      // Purged by retention (a closed incident's assignee and close notes): the old value is gone, and
      // reporting the current one as new would copy a change nobody made.
      if (before?.fields[column] === PURGED) continue;
      const from = before ? (before.fields[column] ?? '') : null;
      const to = seen.fields[column];
      if (from === to || (from === null && to === '')) continue;
      fields.push({ field: FIELD[column], from: from === '' ? null : from, to: to === '' ? null : to });
    }
  }
  const actor = (userName: string) => ({
    id: userName,
    name: ctx.nameOf(userName),
    integration: userName === ctx.integrationUser,
  });
  if (fields.length > 0)
    changes.push({
      system: 'servicenow',
      changeId: `${seen.sysId}@${seen.modCount}`,
      record: seen.sysId,
      updatedAt: isoOf(seen.updatedOn),
      version: seen.modCount,
      actor: actor(seen.updatedBy),
      fields,
      comments: [],
      attachments: [],
    });
  const handed = new Map((before?.journal ?? []).map((j) => [j.sysId, j.createdOn]));
  // Older than the remembered window: handed on before. (One journal query serves a whole batch, from
  // the oldest bound in it, so it can return such entries of the other incidents.)
  const forgotten = before?.journalAfter ? glideTime(glideMs(before.journalAfter) - ctx.overlapMs) : '';
  const fresh = journal
    .filter((j) => !handed.has(j.sysId) && j.createdOn >= forgotten)
    .sort((a, b) => (a.createdOn === b.createdOn ? cmp(a.sysId, b.sysId) : cmp(a.createdOn, b.createdOn)));
  for (const j of fresh) {
    handed.set(j.sysId, j.createdOn);
    changes.push({
      system: 'servicenow',
      changeId: j.sysId,
      record: seen.sysId,
      updatedAt: isoOf(j.createdOn),
      actor: actor(j.createdBy),
      fields: [],
      comments: [
        { id: j.sysId, body: j.value, visibility: j.element === 'work_notes' ? 'internal' : 'customer' },
      ],
      attachments: [],
    });
  }
  const newest = ctx.pushed
    ? (before?.journalAfter ?? '')
    : [before?.journalAfter ?? '', ...handed.values()].reduce((a, b) => (b > a ? b : a));
  // Remembered: what a journal query from `newest - overlap` can return again.
  const keepFrom = newest ? glideTime(glideMs(newest) - ctx.overlapMs) : '';
  const kept = [...handed]
    .filter(([, createdOn]) => createdOn >= keepFrom)
    .map(([sysId, createdOn]) => ({ sysId, createdOn }));
  const journalAfter = newest || null;
  // The update a poll has read the journal for; a push leaves it behind, so the next poll reads again.
  const polledOn = ctx.pushed
    ? (before?.updatedOn ?? '')
    : [before?.updatedOn ?? '', seen.updatedOn].reduce((a, b) => (b > a ? b : a));
  const snapshot: IncidentSnapshot = newer
    ? {
        sysId: seen.sysId,
        modCount: seen.modCount,
        updatedOn: polledOn,
        fields: { ...seen.fields },
        journalAfter,
        journal: kept,
      }
    : { ...before, updatedOn: polledOn, journalAfter, journal: kept };
  return { changes, snapshot };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One `sys_attachment` row on an incident, as the poller reads it. */
export interface SeenAttachment {
  sysId: string;
  incident: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  /** ServiceNow's `hash` where it is a hex SHA-256 (newer releases). */
  sha256: string | null;
  createdBy: string;
  createdOn: string;
}

/** A new attachment as its own change (`changeId` = `attachment:<sys_id>`), handled once by the sink. */
export function attachmentChange(a: SeenAttachment, ctx: ChangeContext): RemoteChange {
  return {
    system: 'servicenow',
    changeId: `attachment:${a.sysId}`,
    record: a.incident,
    updatedAt: isoOf(a.createdOn),
    actor: {
      id: a.createdBy,
      name: ctx.nameOf(a.createdBy),
      integration: a.createdBy === ctx.integrationUser,
    },
    fields: [],
    comments: [],
    attachments: [
      {
        id: a.sysId,
        fileName: a.fileName.slice(0, 255) || 'attachment',
        contentType: a.contentType.slice(0, 200),
        sizeBytes: a.sizeBytes,
        ...(a.sha256 ? { sha256: a.sha256 } : {}),
      },
    ],
  };
}
