import { GENESIS_HASH, contentHash, legacyAuditHash, linkHash } from '../core/audit/audit-hash';
import { headSignatureValid, type SignedHead } from '../core/audit/signed-head';
import type { AuditEntry, AuditReads } from '../ports/audit-log';

export type AuditVerdict =
  | { ok: true; entries: number; head: string; anchors: number }
  | { ok: false; entries: number; brokenAt: number; reason: string };

/** The signed heads to check the chain against, and the key they were signed with. */
export interface AnchorCheck {
  anchors: readonly SignedHead[];
  key: string;
}

const broken = (entries: number, brokenAt: number, reason: string): AuditVerdict => ({
  ok: false,
  entries,
  brokenAt,
  reason,
});

/** How a verdict names an anchor: its place in the anchor file (1-based) and when it was written. */
const anchorName = (i: number, a: SignedHead) => `anchor #${i + 1} (seq ${a.seq}, signed ${a.at})`;

/** Why one entry does not fit its predecessor or its own hashes; null when it fits. */
function linkProblem(e: AuditEntry, prev: string, legacyPrev: string): string | null {
  if (e.prevHash !== prev) return 'prev_hash does not match the previous entry';
  const data = JSON.stringify(e.data);
  // A purged entry has lost its salt and content; its content hash is vouched for by the chain alone.
  if (e.purgedAt === null) {
    if (e.salt === null) return 'salt is missing although the entry is not purged';
    if (contentHash({ salt: e.salt, actor: e.actor, data }) !== e.contentHash)
      return 'content does not match its hash';
    if (e.legacyHash !== null && legacyAuditHash({ ...e, data, prevHash: legacyPrev }) !== e.legacyHash)
      return 'content does not match its hash from before migration 005';
  }
  if (linkHash(e) !== e.hash) return 'hash does not match the entry';
  return null;
}

/**
 * Walks the audit log from the first entry and recomputes every link. Any edit, deletion or reordering
 * shows up as the first sequence number whose hash or predecessor does not fit. With anchors, every
 * signed head must carry a valid signature and name an entry whose hash it equals: a chain rewritten
 * with recomputed hashes fails at the first anchor written before the rewrite.
 */
export async function verifyAudit(
  store: { audit: Pick<AuditReads, 'entries'> },
  check?: AnchorCheck,
): Promise<AuditVerdict> {
  const anchors = check?.anchors ?? [];
  const forged = anchors.findIndex((a) => !headSignatureValid(a, check?.key ?? ''));
  if (forged >= 0)
    return broken(
      0,
      anchors[forged]!.seq,
      `${anchorName(forged, anchors[forged]!)} has an invalid signature (another key, or an edited anchor)`,
    );
  const bySeq = new Map<number, number[]>();
  anchors.forEach((a, i) => bySeq.set(a.seq, [...(bySeq.get(a.seq) ?? []), i]));
  let prev = GENESIS_HASH;
  let legacyPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let n = 0;
  for await (const e of store.audit.entries()) {
    if (e.seq !== expectedSeq)
      return broken(n, expectedSeq, `entry ${expectedSeq} is missing (next is ${e.seq})`);
    const problem = linkProblem(e, prev, legacyPrev);
    if (problem) return broken(n, e.seq, problem);
    const diverging = (bySeq.get(e.seq) ?? []).find((i) => anchors[i]!.hash !== e.hash);
    if (diverging !== undefined)
      return broken(
        n,
        e.seq,
        `entry ${e.seq} does not match ${anchorName(diverging, anchors[diverging]!)}: the chain was rewritten after it was signed`,
      );
    prev = e.hash;
    if (e.legacyHash !== null) legacyPrev = e.legacyHash;
    expectedSeq++;
    n++;
  }
  const beyond = anchors.findIndex((a) => a.seq > n);
  if (beyond >= 0)
    return broken(
      n,
      n + 1,
      `the chain ends at entry ${n}, but ${anchorName(beyond, anchors[beyond]!)} was signed when it was longer: entries were removed`,
    );
  return { ok: true, entries: n, head: prev, anchors: anchors.length };
}
