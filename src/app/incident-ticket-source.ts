import { handoffFacts, HANDOFF_EVENT_TYPES } from '../core/sla/handoff-facts';
import { SHADOW_EVENT_TYPES, shadowFact } from '../core/sla/shadow-comparison';
import { CLOCK_EVENT_TYPES, clockChangeOf } from '../core/sla/incident-clock-event';
import type { TicketEvent, TicketHistory } from '../core/sla/types';
import type { IncidentHistories } from '../ports/incident-histories';
import type { TicketQuery, TicketSource } from '../ports/ticket-source';

/** The clock events, the hand-offs for the OLA figures, and what owner and shadow did (transition mode). */
const READ_TYPES = [...new Set([...CLOCK_EVENT_TYPES, ...HANDOFF_EVENT_TYPES, ...SHADOW_EVENT_TYPES])];

/**
 * The bridge's own incidents as an SLA TicketSource: each incident with the timeline entries that move
 * its clocks (opened, acknowledged, reopened, resolved by recovery or by a person), translated by the
 * core, and its hand-offs. Streams page by page, so a long history never loads at once.
 */
export function incidentTicketSource(histories: IncidentHistories, pageSize = 1000): TicketSource {
  return {
    name: 'store',
    async *tickets(query: TicketQuery): AsyncIterable<TicketHistory> {
      let done = 0;
      for await (const page of histories.pages({
        from: query.from.toISOString(),
        to: query.to.toISOString(),
        types: READ_TYPES,
        pageSize,
      })) {
        for (const { incident: i, entries } of page) {
          const events: TicketEvent[] = entries.flatMap((e) => {
            const change = clockChangeOf(e);
            return change ? [{ at: Date.parse(e.at), seq: e.id, ref: `timeline ${e.id}`, ...change }] : [];
          });
          yield {
            id: String(i.id),
            number: i.tickets.servicenow?.number ?? i.key,
            openedAt: Date.parse(i.openedAt),
            events:
              events.length > 0
                ? events
                : [{ at: Date.parse(i.openedAt), state: 'New', priority: i.priority, assignee: i.provider }],
            branch: i.branch,
            service: i.service,
            category: i.rule,
            handoffs: handoffFacts(entries),
            shadow: shadowFact(i, entries),
          };
        }
        done += page.length;
        query.onProgress?.({ tickets: done });
      }
    },
  };
}
