import { GENESIS_HASH, auditHash } from '../core/audit/audit-hash';
import type { Store } from '../ports/store';

export type AuditVerdict =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; brokenAt: number; reason: string };

/**
 * Walks the audit log from the first entry and recomputes every link. Any edit, deletion or reordering
 * shows up as the first sequence number whose hash or predecessor does not fit.
 */
export async function verifyAudit(store: Pick<Store, 'audit'>): Promise<AuditVerdict> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let n = 0;
  for await (const e of store.audit.entries()) {
    if (e.seq !== expectedSeq)
      return {
        ok: false,
        entries: n,
        brokenAt: expectedSeq,
        reason: `entry ${expectedSeq} is missing (next is ${e.seq})`,
      };
    if (e.prevHash !== prev)
      return {
        ok: false,
        entries: n,
        brokenAt: e.seq,
        reason: 'prev_hash does not match the previous entry',
      };
    const hash = auditHash({
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      action: e.action,
      subject: e.subject,
      data: JSON.stringify(e.data),
      prevHash: e.prevHash,
    });
    if (hash !== e.hash)
      return { ok: false, entries: n, brokenAt: e.seq, reason: 'content does not match its hash' };
    prev = e.hash;
    expectedSeq++;
    n++;
  }
  return { ok: true, entries: n, head: prev };
}
