import { CalendarTimeline } from './calendar-timeline';
import { evaluateCycle } from './evaluate-cycle';
import { slaCycles, stateSets, type StateSets } from './sla-cycles';
import { ticketTimeline } from './ticket-timeline';
import type { BusinessCalendar, SlaDefinition, SlaRecord, TicketHistory } from './types';

/** Definitions and calendars compiled once per report; timelines cache materialised days across tickets. */
export interface SlaEngine {
  definitions: { def: SlaDefinition; sets: StateSets }[];
  timelines: Map<string, CalendarTimeline>;
  fallback: CalendarTimeline;
}

/** Prepares definitions and calendars for many evaluations. */
export function createSlaEngine(definitions: SlaDefinition[], calendars: BusinessCalendar[]): SlaEngine {
  const timelines = new Map(calendars.map((c) => [c.name, new CalendarTimeline(c)]));
  for (const def of definitions) {
    for (const [priority, target] of Object.entries(def.targets)) {
      if (target && !timelines.has(target.calendar)) {
        throw new Error(`SLA ${def.id}, priority ${priority}: unknown calendar "${target.calendar}"`);
      }
    }
  }
  return {
    definitions: definitions.map((def) => ({ def, sets: stateSets(def) })),
    timelines,
    fallback: new CalendarTimeline({ name: '24x7', timeZone: 'UTC', weekly: null, closedDates: new Set() }),
  };
}

/**
 * Evaluates every SLA definition on one ticket as of `asOf` (epoch ms): one record per definition and
 * cycle. Pure: the result depends only on the ticket history, the definitions, the calendars and asOf.
 */
export function evaluateTicket(ticket: TicketHistory, engine: SlaEngine, asOf: number): SlaRecord[] {
  const points = ticketTimeline(ticket, asOf);
  if (points.length === 0) return [];
  const records: SlaRecord[] = [];
  for (const { def, sets } of engine.definitions) {
    slaCycles(points, def, sets).forEach((cycle, i) => {
      records.push(
        evaluateCycle(cycle, {
          ticketId: ticket.id,
          number: ticket.number,
          def,
          sets,
          points,
          cycleNo: i + 1,
          asOf,
          timelines: engine.timelines,
          fallback: engine.fallback,
        }),
      );
    });
  }
  return records;
}
