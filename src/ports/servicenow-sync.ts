/**
 * What the ServiceNow side of the two-way sync keeps between polls, and the record it reads (by poll
 * or by push from the business rule). Times are ServiceNow's raw `YYYY-MM-DD HH:mm:ss` (UTC), so they
 * compare as strings and go back into encoded queries unchanged.
 */

/** The synced incident columns, raw values except the two references (their display names). */
export const SERVICENOW_SYNCED_COLUMNS = [
  'state',
  'hold_reason',
  'impact',
  'urgency',
  'priority',
  'assignment_group',
  'assigned_to',
  'close_code',
  'close_notes',
] as const;
export type ServiceNowSyncedColumn = (typeof SERVICENOW_SYNCED_COLUMNS)[number];

/** One journal entry (`sys_journal_field`) of an incident. */
export interface SeenJournalEntry {
  sysId: string;
  element: 'work_notes' | 'comments';
  value: string;
  createdOn: string;
  /** user_name of the author. */
  createdBy: string;
}

/** An incident as read from ServiceNow (Table API row or a business-rule push). */
export interface SeenIncident {
  sysId: string;
  number: string;
  modCount: number;
  updatedOn: string;
  /** user_name of the last writer. */
  updatedBy: string;
  fields: Record<ServiceNowSyncedColumn, string>;
}

/** What the bridge last handed on of one incident: the base the next change is diffed against. */
export interface IncidentSnapshot {
  sysId: string;
  modCount: number;
  /**
   * `sys_updated_on` up to which a poll has read the incident's journal. A push does not move it (it
   * carries only its own entries), so a poll reads the journal of a pushed incident once more.
   */
  updatedOn: string;
  fields: Record<string, string>;
  /** `sys_created_on` of the newest journal entry handed on by a poll, null before the first. */
  journalAfter: string | null;
  /** Journal entries handed on whose `sys_created_on` is within the overlap before `journalAfter`. */
  journal: { sysId: string; createdOn: string }[];
}

/** Where the incident poll resumes: keyset position (sys_updated_on, then sys_id). */
export interface PollCursor {
  updatedOn: string;
  sysId: string;
}

/**
 * Durable state of the ServiceNow reader, per instance (its URL): the poll cursor and the snapshots.
 * `save` is one transaction, run only after the sink resolved, so a crash before it repeats the work
 * (the sink drops what it has handled) and a crash after it loses nothing.
 */
export interface ServiceNowSyncState {
  cursor(instance: string): Promise<PollCursor | null>;
  /** The stored snapshots of these incidents (missing ones are absent from the map). */
  snapshots(instance: string, sysIds: readonly string[]): Promise<Map<string, IncidentSnapshot>>;
  /**
   * Upserts the snapshots — never replacing one with an older `modCount` (a late push after a poll) —
   * and, when given, moves the cursor forward (never back).
   */
  save(instance: string, snapshots: readonly IncidentSnapshot[], cursor: PollCursor | null): Promise<void>;
}
