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

/** The end of the chain: the last entry's sequence number and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The link after `head` for a new entry: the row to store (data as its JSON text) with its hash. */
export function nextLink(
  head: ChainHead,
  e: { at: string; actor: string; action: string; subject: string; data: Record<string, unknown> },
) {
  const link = { ...e, seq: head.seq + 1, data: JSON.stringify(e.data), prevHash: head.hash };
  return { ...link, hash: auditHash(link) };
}
