import type { Kysely } from 'kysely';
import type { TicketEvent, TicketHistory } from '../../src/core/sla/types';
import type { TicketQuery, TicketSource } from '../../src/ports/ticket-source';
import type { Database } from './database';

/** Timeline entries that change what the SLA clocks see, as ServiceNow-style states. */
const EVENT_OF: Record<string, (data: Record<string, unknown>) => Omit<TicketEvent, 'at' | 'seq'>> = {
  opened: (d) => ({
    state: 'New',
    priority: typeof d.priority === 'number' ? d.priority : undefined,
    assignee: typeof d.provider === 'string' ? d.provider : undefined,
  }),
  acknowledged: () => ({ state: 'In Progress', acknowledged: true }),
  reopened: () => ({ state: 'New' }),
  resolved: () => ({ state: 'Resolved' }),
  // Resolved by a person from chat (src/app/incident-actions.ts).
  resolved_by_user: () => ({ state: 'Resolved' }),
};

/**
 * The bridge's own store as a TicketSource: each incident with its timeline (opened, acknowledged,
 * reopened, resolved by recovery or by a person) in the SLA engine's terms. Pages through incidents by id so a long history
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
        .where('type', 'in', Object.keys(EVENT_OF))
        .orderBy('id')
        .execute();
      const byIncident = new Map<number, TicketEvent[]>();
      for (const e of entries) {
        const list = byIncident.get(e.incident_id) ?? [];
        list.push({ at: Date.parse(e.at), seq: e.id, ...EVENT_OF[e.type]!(JSON.parse(e.data)) });
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
