import { createHash } from 'node:crypto';

/** Hash of the empty chain; the first entry's prev_hash. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The chain link: SHA-256 over the previous hash and the entry exactly as stored (data as its JSON
 * text), so verification needs nothing but the table. Changing, deleting or reordering any row breaks
 * every later hash.
 */
export function auditHash(e: {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: string;
  prevHash: string;
}): string {
  return createHash('sha256')
    .update([e.prevHash, String(e.seq), e.at, e.actor, e.action, e.subject, e.data].join('\u001f'))
    .digest('hex');
}
