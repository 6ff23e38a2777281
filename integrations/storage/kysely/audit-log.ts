import type { Kysely } from 'kysely';
import { GENESIS_HASH, nextLink, type ChainHead } from '../../../src/core/audit/audit-hash';
import type { AuditEntry, AuditLog, AuditReads, NewAuditEntry } from '../../../src/ports/audit-log';
import { auditSalt } from '../audit-salt';
import type { AuditLogTable, Database } from '../database';

/** The last entry's seq and hash, or the genesis head of an empty log. */
export async function auditHead(db: Kysely<Database>): Promise<ChainHead> {
  const last = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last ?? { seq: 0, hash: GENESIS_HASH };
}

/**
 * Appends to the hash-chained audit log inside one transaction. The chain head is read once per unit
 * of work; nobody else moves it meanwhile: SQLite serialises writing transactions, and where they run
 * concurrently (PostgreSQL) `lockChain` makes appending ones take turns until their commit.
 */
export class KyselyAuditLog implements AuditLog {
  #chainHead: ChainHead | null = null;

  constructor(
    private readonly tx: Kysely<Database>,
    private readonly lockChain?: (tx: Kysely<Database>) => Promise<void>,
  ) {}

  async append(e: NewAuditEntry) {
    if (!this.#chainHead) {
      await this.lockChain?.(this.tx);
      this.#chainHead = await auditHead(this.tx);
    }
    const [row] = auditRows(this.#chainHead, [e]);
    await this.tx.insertInto('audit_log').values(row!).execute();
    this.#chainHead = { seq: row!.seq, hash: row!.hash };
  }
}

/** The rows that append `entries`, in order, to the chain ending at `head`. */
export function auditRows(head: ChainHead, entries: readonly NewAuditEntry[]) {
  let last = head;
  return entries.map((e) => {
    const l = nextLink(last, e, auditSalt());
    last = l;
    return {
      seq: l.seq,
      at: l.at,
      actor: l.actor,
      action: l.action,
      subject: l.subject,
      data: l.data,
      content_hash: l.contentHash,
      salt: l.salt,
      prev_hash: l.prevHash,
      hash: l.hash,
    };
  });
}

/** A stored row as the port's entry. */
export const auditEntry = (r: AuditLogTable): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  action: r.action,
  subject: r.subject,
  data: JSON.parse(r.data),
  salt: r.salt,
  contentHash: r.content_hash,
  purgedAt: r.purged_at,
  legacyHash: r.legacy_hash,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** Streams the audit log in pages, for verification and export. */
export class KyselyAuditReads implements AuditReads {
  constructor(private readonly db: Kysely<Database>) {}

  async *entries(fromSeq = 1): AsyncIterable<AuditEntry> {
    const page = 1000;
    for (let next = fromSeq; ;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>=', next)
        .orderBy('seq')
        .limit(page)
        .execute();
      for (const r of rows) yield auditEntry(r);
      if (rows.length < page) return;
      next = rows[rows.length - 1]!.seq + 1;
    }
  }

  head(): Promise<ChainHead> {
    return auditHead(this.db);
  }

  async lastOf(action: string, actor?: string): Promise<AuditEntry | null> {
    let q = this.db.selectFrom('audit_log').selectAll().where('action', '=', action);
    if (actor !== undefined) q = q.where('actor', '=', actor);
    const r = await q.orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return r ? auditEntry(r) : null;
  }
}
