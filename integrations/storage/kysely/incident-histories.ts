import type { Kysely } from 'kysely';
import type { IncidentHistories, IncidentHistory } from '../../../src/ports/incident-histories';
import type { Database } from '../database';
import { rowToIncident, rowToTimeline } from '../row-mappers';

/**
 * Incidents overlapping a period with their timeline entries of the asked types, paged by id so a long
 * history streams instead of loading at once. Storage only reads: what an entry means for the SLA is
 * the core's business (src/core/sla/incident-clock-event.ts).
 */
export class KyselyIncidentHistories implements IncidentHistories {
  constructor(private readonly db: Kysely<Database>) {}

  async *pages(q: Parameters<IncidentHistories['pages']>[0]): AsyncIterable<IncidentHistory[]> {
    for (let after = 0; ;) {
      const incidents = await this.db
        .selectFrom('incidents')
        .selectAll()
        .where('id', '>', after)
        .where('opened_at', '<', q.to)
        .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', q.from)]))
        .orderBy('id')
        .limit(q.pageSize)
        .execute();
      if (incidents.length === 0) return;
      const entries =
        q.types.length === 0
          ? []
          : await this.db
              .selectFrom('timeline')
              .selectAll()
              .where(
                'incident_id',
                'in',
                incidents.map((i) => i.id),
              )
              .where('type', 'in', q.types)
              .orderBy('id')
              .execute();
      const byIncident = new Map<number, IncidentHistory>(
        incidents.map((row) => [row.id, { incident: rowToIncident(row), entries: [] }]),
      );
      for (const e of entries) byIncident.get(e.incident_id)?.entries.push(rowToTimeline(e));
      yield [...byIncident.values()];
      after = incidents[incidents.length - 1]!.id;
    }
  }
}
