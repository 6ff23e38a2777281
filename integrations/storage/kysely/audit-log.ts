import type { Kysely } from 'kysely';
import { GENESIS_HASH, nextLink, type ChainHead } from '../../../src/core/audit/audit-hash';
import type { AuditEntry, AuditLog, AuditReads, NewAuditEntry } from '../../../src/ports/audit-log';
import type { Database } from '../database';

/**
 * Appends to the hash-chained audit log inside one transaction. The chain head is read once per unit
 * of work (the transaction serialises writers, so nobody else moves it meanwhile).
 */
export class KyselyAuditLog implements AuditLog {
  #chainHead: ChainHead | null = null;

  constructor(private readonly tx: Kysely<Database>) {}

  async append(e: NewAuditEntry) {
    if (!this.#chainHead) {
      const last = await this.tx
        .selectFrom('audit_log')
        .select(['seq', 'hash'])
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      this.#chainHead = last ?? { seq: 0, hash: GENESIS_HASH };
    }
    const link = nextLink(this.#chainHead, e);
    const { prevHash, ...row } = link;
    await this.tx
      .insertInto('audit_log')
      .values({ ...row, prev_hash: prevHash })
      .execute();
    this.#chainHead = link;
  }
}

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
      for (const r of rows) {
        yield {
          seq: r.seq,
          at: r.at,
          actor: r.actor,
          action: r.action,
          subject: r.subject,
          data: JSON.parse(r.data),
          prevHash: r.prev_hash,
          hash: r.hash,
        };
      }
      if (rows.length < page) return;
      next = rows[rows.length - 1]!.seq + 1;
    }
  }
}
