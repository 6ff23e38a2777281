import { createHash } from 'node:crypto';

/** Hash of the empty chain; the first entry's prev_hash. */
export const GENESIS_HASH = '0'.repeat(64);

const sha256 = (parts: string[]) => createHash('sha256').update(parts.join('\u001f')).digest('hex');

/**
 * The purgeable part of an entry (who, and the details) hashed with a random per-entry salt. The chain
 * links this hash, not the content, so personal data can be purged without breaking the chain; purging
 * also drops the salt, so the hash that stays cannot be matched against a guessed name or chat id.
 */
export function contentHash(e: { salt: string; actor: string; data: string }): string {
  return sha256([e.salt, e.actor, e.data]);
}

/**
 * The chain link: SHA-256 over the previous hash, the entry's fixed fields and its content hash.
 * Changing, deleting or reordering any row breaks every later hash.
 */
export function linkHash(e: {
  seq: number;
  at: string;
  action: string;
  subject: string;
  contentHash: string;
  prevHash: string;
}): string {
  return sha256([e.prevHash, String(e.seq), e.at, e.action, e.subject, e.contentHash]);
}

/**
 * The link of the first format (before migration 005), which hashed actor and data inside the link.
 * Rows written then keep that hash as `legacy_hash`, so a head recorded in those days still checks.
 */
export function legacyAuditHash(e: {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: string;
  prevHash: string;
}): string {
  return sha256([e.prevHash, String(e.seq), e.at, e.actor, e.action, e.subject, e.data]);
}

/** The end of the chain: the last entry's sequence number and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** An entry as stored: data as its JSON text. */
export interface StoredContent {
  at: string;
  actor: string;
  action: string;
  subject: string;
  data: string;
}

/**
 * The link after `head` for an entry whose data is already JSON text (kept byte for byte): the row to
 * store with its hashes. `salt` is fresh randomness from the caller (the core does no I/O).
 */
export function linkAfter(head: ChainHead, e: StoredContent, salt: string) {
  const link = {
    ...e,
    seq: head.seq + 1,
    salt,
    contentHash: contentHash({ salt, actor: e.actor, data: e.data }),
    prevHash: head.hash,
  };
  return { ...link, hash: linkHash(link) };
}

/** The link after `head` for a new entry (data serialised to JSON). */
export function nextLink(
  head: ChainHead,
  e: { at: string; actor: string; action: string; subject: string; data: Record<string, unknown> },
  salt: string,
) {
  return linkAfter(head, { ...e, data: JSON.stringify(e.data) }, salt);
}
