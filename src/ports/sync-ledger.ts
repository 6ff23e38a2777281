import type { SyncSystem } from '../core/sync/remote-change';
import type { IncidentRecord } from './incidents';

/**
 * What the bridge wrote to a remote: system, record (ServiceNow sys_id / Jira key), item (a field name,
 * `comment` or `attachment`) and the hash of the content. An inbound change matching an entry is the
 * echo of our own write and is dropped — whoever the remote names as its author.
 */
export interface EchoEntry {
  system: SyncSystem;
  record: string;
  item: string;
  contentHash: string;
  /** The outbox command that performs the write (null when written by the drift repair itself). */
  commandId: number | null;
  createdAt: string;
  /** When an inbound change matched it, and the remote's id for it (comment / attachment id). */
  matchedAt: string | null;
  remoteId: string | null;
}

/** The last value the sync applied or saw for a field of a record, with the remote's update time. */
export interface FieldVersion {
  value: string | null;
  updatedAt: string;
  version: number | null;
}

/** The sync's state inside a unit of work: written in the same transaction as the change's effects. */
export interface SyncWrites {
  /** The newest incident linked to this remote record (ServiceNow sys_id, Jira key), or null. */
  incidentFor(system: SyncSystem, record: string): Promise<IncidentRecord | null>;
  /**
   * Marks (system, changeId) handled; false when it already was (the caller then does nothing). The
   * row commits with the change's effects, so a crash loses and doubles nothing.
   */
  markProcessed(p: { system: SyncSystem; changeId: string; record: string; at: string }): Promise<boolean>;
  /** Records a write the outbox is about to make, in the transaction that queues its command. */
  recordEcho(e: Omit<EchoEntry, 'matchedAt' | 'remoteId'>): Promise<void>;
  /**
   * Consumes the oldest unmatched ledger entry for this content (setting matchedAt and remoteId); also
   * true when an entry already matched this remote id. False: not ours.
   */
  matchEcho(e: {
    system: SyncSystem;
    record: string;
    item: string;
    contentHash: string;
    remoteId: string | null;
    at: string;
  }): Promise<boolean>;
  fieldVersion(system: SyncSystem, record: string, field: string): Promise<FieldVersion | null>;
  setFieldVersion(system: SyncSystem, record: string, field: string, v: FieldVersion): Promise<void>;
}

/** The sync's state as the drift check and the API read it. */
export interface SyncReads {
  /** Incidents linked to both a ServiceNow and a Jira ticket, opened on or after `since`, oldest first. */
  linkedPairs(since: string, afterId: number, limit: number): Promise<IncidentRecord[]>;
  /** Ledger entries of one record, oldest first. */
  ledgerOf(system: SyncSystem, record: string): Promise<EchoEntry[]>;
  isProcessed(system: SyncSystem, changeId: string): Promise<boolean>;
  fieldVersion(system: SyncSystem, record: string, field: string): Promise<FieldVersion | null>;
}
