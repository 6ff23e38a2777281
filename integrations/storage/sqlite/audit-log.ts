import { GENESIS_HASH, nextLink, type ChainHead } from '../../../src/core/audit/audit-hash';
import type { AuditLog, NewAuditEntry } from '../../../src/ports/audit-log';
import { auditSalt } from '../audit-salt';
import type { StatementCache } from './statement-cache';

/** The hash-chained audit log on prepared statements; the chain head is read once per unit of work. */
export class SqliteAuditLog implements AuditLog {
  #chainHead: ChainHead | null = null;

  constructor(private readonly q: StatementCache) {}

  async append(e: NewAuditEntry) {
    this.#chainHead ??= this.q
      .get<ChainHead>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
      .get() ?? { seq: 0, hash: GENESIS_HASH };
    const l = nextLink(this.#chainHead, e, auditSalt());
    this.q
      .get(
        'INSERT INTO audit_log (seq, at, actor, action, subject, data, content_hash, salt, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(l.seq, l.at, l.actor, l.action, l.subject, l.data, l.contentHash, l.salt, l.prevHash, l.hash);
    this.#chainHead = l;
  }
}
