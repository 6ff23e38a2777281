import { signHead, type SignedHead } from '../core/audit/signed-head';
import type { AuditAnchors } from '../ports/audit-anchors';
import type { AuditReads } from '../ports/audit-log';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';

/** What anchoring needs: the chain, where anchors go (none: the log only), the key, clock and log. */
export interface AnchorAuditDeps {
  audit: Pick<AuditReads, 'head'>;
  anchors: AuditAnchors | null;
  /** The signing key's value (AUDIT_SIGNING_KEY), revealed by the caller for this use only. */
  key: string;
  clock: Clock;
  logger: Logger;
  /** Seconds between anchors while the head keeps moving. */
  interval: number;
}

/**
 * Signs the audit chain's head and writes it outside the database: one info log line (for the log
 * shipper) and one line in the anchor file. Nothing happens while the log is empty, when the head has
 * not moved since the last anchor, or before `interval` has passed since it (the anchor file is the
 * stored last run, so a restart neither skips nor repeats one). Returns the new anchor, if any.
 */
export async function anchorAudit(
  deps: AnchorAuditDeps,
  o: { force?: boolean } = {},
): Promise<SignedHead | null> {
  const head = await deps.audit.head();
  if (head.seq === 0) return null;
  const last = await deps.anchors?.last();
  const now = deps.clock.now();
  if (last && last.seq === head.seq && last.hash === head.hash) return null;
  if (!o.force && last && now.getTime() - Date.parse(last.at) < deps.interval * 1000) return null;
  const signed = signHead(head, now.toISOString(), deps.key);
  await deps.anchors?.append(signed);
  deps.logger.info('audit chain head signed', { anchor: signed });
  return signed;
}
