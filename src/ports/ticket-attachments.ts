import type { TicketRef } from './ticket-system';

/** One attachment of a ticket as the two-way sync and its drift check see it. */
export interface TicketAttachment {
  /** Jira attachment id; ServiceNow `sys_attachment.sys_id`. */
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  /** Hex SHA-256 of the content where the remote says (ServiceNow's `hash`); null otherwise. */
  sha256: string | null;
  /** Jira accountId or ServiceNow user name of whoever attached it. */
  author: string;
  /** Display name where the remote gives it (Jira), else the author id. */
  authorName: string;
  /** Whether the bridge's own account attached it (a hint: the echo ledger decides). */
  integration: boolean;
  /** ISO-8601 UTC. */
  createdAt: string;
}

/** A comment or journal entry as the drift check compares it. */
export interface TicketComment {
  id: string;
  body: string;
  visibility: 'internal' | 'customer';
  author: string;
  /** Display name where the remote gives it, else the author id. */
  authorName: string;
  integration: boolean;
  /** ISO-8601 UTC. */
  createdAt: string;
}

/**
 * Attachments and comments of a ticket (issue 11): what the outbox copies from one system to the other
 * and what the drift check lists. Downloads are bounded: nothing above `maxBytes` is ever buffered.
 */
export interface TicketAttachments {
  /** The ticket's attachments, oldest first (at most `limit`). */
  attachments(ticket: TicketRef, limit: number): Promise<TicketAttachment[]>;
  /** One attachment's metadata; null when it no longer exists. */
  attachment(ticket: TicketRef, id: string): Promise<TicketAttachment | null>;
  /** The content, or `too_large` as soon as more than `maxBytes` arrived (or were announced). */
  download(ticket: TicketRef, id: string, maxBytes: number): Promise<Buffer | 'too_large'>;
  upload(
    ticket: TicketRef,
    file: { fileName: string; contentType: string; content: Buffer },
  ): Promise<TicketAttachment>;
  /** The ticket's comments / journal entries, oldest first (at most `limit`). */
  comments(ticket: TicketRef, limit: number): Promise<TicketComment[]>;
}
