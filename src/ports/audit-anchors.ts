import type { SignedHead } from '../core/audit/signed-head';

/**
 * Where signed chain heads are kept, outside the database: append-only, read back by `audit verify`.
 * The last one tells the anchoring job whether the head has moved and when it last signed.
 */
export interface AuditAnchors {
  append(head: SignedHead): Promise<void>;
  /** Every anchor, oldest first. */
  all(): Promise<SignedHead[]>;
  /** The newest anchor, or null before the first. */
  last(): Promise<SignedHead | null>;
}
