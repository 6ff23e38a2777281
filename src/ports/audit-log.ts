import type { ChainHead } from '../core/audit/audit-hash';

/** One record of the hash-chained audit log. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: Record<string, unknown>;
  /** Random per entry; null once the entry's personal data was purged (so the content hash stays opaque). */
  salt: string | null;
  /** Hash of salt, actor and data: what the chain links, so the content itself may be purged. */
  contentHash: string;
  /** When actor and data were pseudonymised (retention); null while they are as written. */
  purgedAt: string | null;
  /** The link hash of the first format, for entries written before the content hash existed. */
  legacyHash: string | null;
  prevHash: string;
  hash: string;
}

/** What a use-case appends; the store assigns `seq` and the hashes. */
export type NewAuditEntry = Pick<AuditEntry, 'at' | 'actor' | 'action' | 'subject' | 'data'>;

/** The audit log inside a unit of work: appended in the same transaction as the change it records. */
export interface AuditLog {
  append(entry: NewAuditEntry): Promise<void>;
}

/** The audit log as verification and export read it. */
export interface AuditReads {
  /** Streams the log in order. */
  entries(fromSeq?: number): AsyncIterable<AuditEntry>;
  /** The last entry's sequence number and hash (seq 0 and the genesis hash when the log is empty). */
  head(): Promise<ChainHead>;
  /** The newest entry with this action (and actor, when given), e.g. the last retention run; or null. */
  lastOf(action: string, actor?: string): Promise<AuditEntry | null>;
}
