import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import {
  GENESIS_HASH,
  linkAfter,
  type ChainHead,
  type StoredContent,
} from '../../../src/core/audit/audit-hash';

/** A row as stored before this migration. */
type OldRow = StoredContent & ChainHead;

/**
 * The audit chain links a salted hash of actor and details instead of the content itself (issue 13),
 * so retention can purge personal data while `audit verify` still passes. Existing rows are re-linked
 * in the new format, and each keeps its old link hash as `legacy_hash`: `audit verify` still checks
 * the old chain over every row not yet purged, so a head written down before this migration stays
 * verifiable, and tampering from before it still shows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('audit_log')
    .addColumn('content_hash', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('audit_log').addColumn('salt', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('purged_at', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('legacy_hash', 'text').execute();
  let head: ChainHead = { seq: 0, hash: GENESIS_HASH };
  // Paged, so a long log is re-linked in bounded memory.
  for (;;) {
    const { rows } = await sql<OldRow>`
      SELECT seq, at, actor, action, subject, data, hash FROM audit_log
      WHERE seq > ${head.seq} ORDER BY seq LIMIT 1000`.execute(db);
    if (rows.length === 0) return;
    for (const r of rows) {
      // The previous seq, not head.seq + 1: a gap left by a deleted row must still show in verify.
      const l = linkAfter({ seq: r.seq - 1, hash: head.hash }, r, randomBytes(16).toString('hex'));
      await sql`
        UPDATE audit_log SET content_hash = ${l.contentHash}, salt = ${l.salt}, legacy_hash = ${r.hash},
          prev_hash = ${l.prevHash}, hash = ${l.hash}
        WHERE seq = ${r.seq}`.execute(db);
      head = { seq: r.seq, hash: l.hash };
    }
  }
}
