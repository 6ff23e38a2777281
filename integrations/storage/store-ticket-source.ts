import type { Kysely } from 'kysely';
import { parseTimelineEvent } from '../../src/core/incident/timeline-event';
import { CLOCK_EVENT_TYPES, clockChangeOf } from '../../src/core/sla/incident-clock-event';
import type { TicketEvent, TicketHistory } from '../../src/core/sla/types';
import type { TicketQuery, TicketSource } from '../../src/ports/ticket-source';
import type { Database } from './database';

/**
 * The bridge's own store as a TicketSource: each incident with the timeline entries that move its SLA
 * clocks, translated by the core (src/core/sla/incident-clock-event.ts). Pages through incidents by id so a long history
 * streams instead of loading at once.
 */
export class StoreTicketSource implements TicketSource {
  readonly name = 'store';

  constructor(
    private readonly db: Kysely<Database>,
    private readonly pageSize = 1000,
  ) {}

  async *tickets(query: TicketQuery): AsyncIterable<TicketHistory> {
    const from = query.from.toISOString();
    const to = query.to.toISOString();
    let done = 0;
    for (let after = 0; ;) {
      const incidents = await this.db
        .selectFrom('incidents')
        .select(['id', 'key', 'opened_at', 'priority', 'provider', 'branch', 'service', 'rule', 'tickets'])
        .where('id', '>', after)
        .where('opened_at', '<', to)
        .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', from)]))
        .orderBy('id')
        .limit(this.pageSize)
        .execute();
      if (incidents.length === 0) return;
      const entries = await this.db
        .selectFrom('timeline')
        .select(['id', 'incident_id', 'at', 'type', 'data'])
        .where(
          'incident_id',
          'in',
          incidents.map((i) => i.id),
        )
        .where('type', 'in', CLOCK_EVENT_TYPES)
        .orderBy('id')
        .execute();
      const byIncident = new Map<number, TicketEvent[]>();
      for (const e of entries) {
        const change = clockChangeOf(parseTimelineEvent(e.type, e.data));
        if (!change) continue;
        const list = byIncident.get(e.incident_id) ?? [];
        list.push({ at: Date.parse(e.at), seq: e.id, ...change });
        byIncident.set(e.incident_id, list);
      }
      for (const i of incidents) {
        const tickets = JSON.parse(i.tickets) as { servicenow?: { number: string } };
        yield {
          id: String(i.id),
          number: tickets.servicenow?.number ?? i.key,
          openedAt: Date.parse(i.opened_at),
          events: byIncident.get(i.id) ?? [
            { at: Date.parse(i.opened_at), state: 'New', priority: i.priority, assignee: i.provider },
          ],
          branch: i.branch,
          service: i.service,
          category: i.rule,
        };
      }
      done += incidents.length;
      query.onProgress?.({ tickets: done });
      after = incidents[incidents.length - 1]!.id;
    }
  }
}
