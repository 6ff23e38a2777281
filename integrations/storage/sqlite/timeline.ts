import type { TimelineEvent } from '../../../src/core/incident/timeline-event';
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
