import type { InboxBatch } from '../../../src/ports/inbox';
import { rowToAlert } from '../row-mappers';
import type { Row, StatementCache } from './statement-cache';

/** The correlation side of the inbox on prepared statements. */
export class SqliteInboxBatch implements InboxBatch {
  constructor(private readonly q: StatementCache) {}

  async pending(limit: number) {
    return this.q
      .get<Row<'alerts'>>('SELECT * FROM alerts WHERE processed_at IS NULL ORDER BY id LIMIT ?')
      .all(limit)
      .map(rowToAlert);
  }

  async markProcessed(alertId: number, at: string, incidentId: number | null, decision: string) {
    this.q
      .get('UPDATE alerts SET processed_at = ?, incident_id = ?, decision = ? WHERE id = ?')
      .run(at, incidentId, decision, alertId);
  }
}
