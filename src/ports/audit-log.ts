/** One record of the hash-chained audit log. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: Record<string, unknown>;
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
}
