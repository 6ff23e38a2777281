import { GENESIS_HASH, nextLink, type ChainHead } from '../../../src/core/audit/audit-hash';
import type { TimelineEvent } from '../../../src/core/incident/timeline-event';
import type { AuditLog, NewAuditEntry } from '../../../src/ports/audit-log';
import type { NewTimelineEntry, TimelineWrites } from '../../../src/ports/timeline';
import { ofType, rowToTimeline } from '../row-mappers';
import type { Row, StatementCache } from './statement-cache';

/** The timeline on prepared statements. */
export class SqliteTimelineWrites implements TimelineWrites {
  constructor(private readonly q: StatementCache) {}

  async add(e: NewTimelineEntry) {
    this.q
      .get(
        'INSERT INTO timeline (incident_id, at, type, actor, reason, alert_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(e.incidentId, e.at, e.type, e.actor, e.reason, e.alertId, JSON.stringify(e.data));
  }

  async ofType<T extends TimelineEvent['type']>(incidentId: number, type: T) {
    const rows = this.q
      .get<Row<'timeline'>>('SELECT * FROM timeline WHERE incident_id = ? AND type = ? ORDER BY id')
      .all(incidentId, type);
    return ofType(rows.map(rowToTimeline), type);
  }
}

/** The hash-chained audit log on prepared statements; the chain head is read once per unit of work. */
export class SqliteAuditLog implements AuditLog {
  #chainHead: ChainHead | null = null;

  constructor(private readonly q: StatementCache) {}

  async append(e: NewAuditEntry) {
    this.#chainHead ??= this.q
      .get<ChainHead>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
      .get() ?? { seq: 0, hash: GENESIS_HASH };
    const l = nextLink(this.#chainHead, e);
    this.q
      .get(
        'INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(l.seq, l.at, l.actor, l.action, l.subject, l.data, l.prevHash, l.hash);
    this.#chainHead = l;
  }
}
