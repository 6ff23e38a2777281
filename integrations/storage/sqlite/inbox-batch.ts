import type { InboxBatch } from '../../../src/ports/inbox';
import { rowToAlert, type AlertRowWithShared } from '../row-mappers';
import type { StatementCache } from './statement-cache';

/** The correlation side of the inbox on prepared statements. */
export class SqliteInboxBatch implements InboxBatch {
  constructor(private readonly q: StatementCache) {}

  async pending(limit: number) {
    return this.q
      .get<AlertRowWithShared>(
        `SELECT a.*, s.labels AS shared_labels, s.annotations AS shared_annotations
         FROM alerts a LEFT JOIN alert_shared s ON s.id = a.shared_id
         WHERE a.processed_at IS NULL ORDER BY a.id LIMIT ?`,
      )
      .all(limit)
      .map(rowToAlert);
  }

  async markProcessed(alertId: number, at: string, incidentId: number | null, decision: string) {
    this.q
      .get('UPDATE alerts SET processed_at = ?, incident_id = ?, decision = ? WHERE id = ?')
      .run(at, incidentId, decision, alertId);
  }
}
