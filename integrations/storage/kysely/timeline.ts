import type { Insertable, Kysely } from 'kysely';
import type { TimelineEvent } from '../../../src/core/incident/timeline-event';
import type { NewTimelineEntry, TimelineReads, TimelineWrites } from '../../../src/ports/timeline';
import type { Database, TimelineTable } from '../database';
import { ofType, rowToTimeline } from '../row-mappers';

/** An incident's timeline as the API and chat read it. */
export class KyselyTimelineReads implements TimelineReads {
  constructor(private readonly db: Kysely<Database>) {}

  async of(incidentId: number, limit: number) {
    const rows = await this.db
      .selectFrom('timeline')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map(rowToTimeline);
  }
}

/** A new timeline entry as its row. */
export const timelineRow = (e: NewTimelineEntry): Insertable<TimelineTable> => ({
  incident_id: e.incidentId,
  at: e.at,
  type: e.type,
  actor: e.actor,
  reason: e.reason,
  alert_id: e.alertId,
  data: JSON.stringify(e.data),
});

/** The timeline inside one Kysely transaction. */
export class KyselyTimelineWrites implements TimelineWrites {
  constructor(private readonly tx: Kysely<Database>) {}

  async add(e: NewTimelineEntry) {
    await this.tx.insertInto('timeline').values(timelineRow(e)).execute();
  }

  async ofType<T extends TimelineEvent['type']>(incidentId: number, type: T) {
    const rows = await this.tx
      .selectFrom('timeline')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .where('type', '=', type)
      .orderBy('id')
      .execute();
    return ofType(rows.map(rowToTimeline), type);
  }
}
