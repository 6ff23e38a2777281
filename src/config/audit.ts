import { z } from 'zod';
import { Duration } from '../core/time/duration';

/**
 * The `audit` section: where the signed chain heads go (key: AUDIT_SIGNING_KEY in the environment).
 * The file belongs on storage the database's writers cannot rewrite: another host, an append-only
 * mount (`chattr +a`), or a log shipper's input.
 */
export const AuditConfig = z
  .strictObject({
    anchor: z
      .strictObject({
        /**
         * Append-only JSON Lines file of signed heads, relative to the working directory (like
         * DATABASE_URL); without it the heads go to the log only.
         */
        file: z.string().min(1).optional(),
        /** How often the head is signed when it has moved. */
        interval: Duration.prefault('1h').refine((s) => s >= 60, 'at least 60s'),
      })
      .prefault({}),
  })
  .prefault({});
export type AuditConfig = z.infer<typeof AuditConfig>;
