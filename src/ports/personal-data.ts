import type { Handoff } from '../core/handoff/handoff';
import type { ShiftHandover } from '../core/oncall/shift-handover';
import type { AuditEntry } from './audit-log';
import type { TimelineEntry } from './timeline';

/** Per kind of personal data, the instant before which it is past retention (ISO-8601 UTC). */
export interface RetentionCutoffs {
  alertPayloads: string;
  chatTexts: string;
  personalNames: string;
}

/** What a purge changed (or, dry, would change), per place. */
export interface PurgeCounts {
  /** Processed alerts whose labels, annotations, description and links were emptied. */
  alertPayloads: number;
  /** Timeline entries with names, chat ids or texts replaced. */
  timelineEntries: number;
  /** Audit entries whose actor and details were pseudonymised (their hashes stay in the chain). */
  auditEntries: number;
  /** Incidents whose acknowledging person was pseudonymised. */
  acknowledgements: number;
  /** Closed hand-offs whose note, reason and people were purged. */
  handoffs: number;
  /** Shift handovers (not open) whose people and last-action texts were purged. */
  shiftHandovers: number;
  /** Escalation runs whose stopping person was pseudonymised. */
  escalations: number;
  /** Finished outbox commands deleted (their payloads carry notes, names and e-mails). */
  outboxCommands: number;
  /** Snapshots of closed ServiceNow incidents whose assignee and close notes were purged. */
  servicenowSnapshots: number;
  /** Last synced values (assignee, close notes) of closed incidents' tickets replaced by `(purged)`. */
  syncFieldVersions: number;
}

/** The last value the two-way sync saw of one personal field of a ticket, for the data-subject export. */
export interface StoredSyncFieldVersion {
  /** `servicenow` or `jira`. */
  system: string;
  /** The ServiceNow sys_id or the Jira issue key. */
  record: string;
  /** `assignedTo` (display name), `assignee` (Jira account) or `closeNotes`. */
  field: string;
  value: string | null;
  /** The remote's update time of the change that set it. */
  updatedAt: string;
}

/** What the ServiceNow poll last read of one incident (its diff base), for the data-subject export. */
export interface StoredServiceNowSnapshot {
  /** The instance URL. */
  instance: string;
  sysId: string;
  /** `sys_updated_on` the poll read it at (ServiceNow's `YYYY-MM-DD HH:mm:ss`, UTC). */
  updatedOn: string;
  /** The synced columns: state, assignee and group by display name, close code and notes. */
  fields: Record<string, string>;
}

/** An outbox command as stored, for the data-subject export. */
export interface StoredCommand {
  id: number;
  incidentId: number;
  lane: string;
  kind: string;
  state: string;
  createdAt: string;
  payload: unknown;
}

/** Everything the store holds that names one person. */
export interface PersonRecords {
  acknowledgements: { incidentId: number; at: string; by: string; name: string }[];
  timeline: TimelineEntry[];
  audit: AuditEntry[];
  handoffs: Handoff[];
  /** Handovers they asked for, or handed over or took over as the on-call. */
  shiftHandovers: ShiftHandover[];
  /** Escalation runs their acknowledgement stopped. */
  escalationsStopped: { incidentId: number; provider: string; at: string; by: string }[];
  outbox: StoredCommand[];
  /** ServiceNow incidents whose synced columns name them (assignee, close notes): searched by name. */
  servicenowSnapshots: StoredServiceNowSnapshot[];
  /** The sync's last seen assignees and close notes containing one of their names or e-mail addresses. */
  syncFieldVersions: StoredSyncFieldVersion[];
}

/**
 * Personal data across the store, for retention and data-subject requests (GDPR art. 15 and 17).
 * The purge works in bounded pages, each its own transaction; it is idempotent, so an interrupted
 * purge is finished by the next one.
 */
export interface PersonalData {
  /** Removes or pseudonymises what is past its cutoff; with `dryRun`, only counts it. */
  purge(cutoffs: RetentionCutoffs, o: { dryRun: boolean; at: string }): Promise<PurgeCounts>;
  /**
   * Every record naming one of the chat ids (`slack:U…`, `teams:…`) or e-mail addresses; the
   * ServiceNow snapshots, which name people only by display name, by one of `names`; the sync's last
   * seen assignees and close notes by a name or an e-mail address they contain.
   */
  aboutPerson(who: {
    ids: readonly string[];
    emails: readonly string[];
    names?: readonly string[];
  }): Promise<PersonRecords>;
}
