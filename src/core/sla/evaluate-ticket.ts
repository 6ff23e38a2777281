import { CalendarTimeline } from './calendar-timeline';
import { evaluateCycle, type ClockSegment } from './evaluate-cycle';
import { slaCycles, stateSets, type StateSets } from './sla-cycles';
import {
  changePoints,
  externalMadeSlaAsOf,
  orderUpdates,
  type ChangePoint,
  type OrderedUpdate,
} from './ticket-timeline';
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

/** Everything the engine derived from one ticket; `segments[i]` belongs to `records[i]` when asked for. */
export interface TicketEvaluation {
  updates: OrderedUpdate[];
  points: ChangePoint[];
  records: SlaRecord[];
  /** ServiceNow's `made_sla` as of `asOf` (the newest used update carrying it). */
  externalMadeSla: boolean | null;
  segments: ClockSegment[][] | null;
}

/**
 * Evaluates every SLA definition on one ticket as of `asOf` (epoch ms): one record per definition and
 * cycle, and with `withSegments` the clock stretches each record was summed from (`sla explain`).
 * Pure: the result depends only on the ticket history, the definitions, the calendars and asOf.
 */
export function evaluateTicketDetailed(
  ticket: TicketHistory,
  engine: SlaEngine,
  asOf: number,
  withSegments = false,
): TicketEvaluation {
  const updates = orderUpdates(ticket, asOf);
  const points = changePoints(ticket, updates, asOf);
  const records: SlaRecord[] = [];
  const segments: ClockSegment[][] | null = withSegments ? [] : null;
  if (points.length > 0) {
    for (const { def, sets } of engine.definitions) {
      slaCycles(points, def, sets).forEach((cycle, i) => {
        const sink: ClockSegment[] | undefined = segments ? [] : undefined;
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
            ...(sink ? { segments: sink } : {}),
          }),
        );
        if (sink) segments?.push(sink);
      });
    }
  }
  return { updates, points, records, externalMadeSla: externalMadeSlaAsOf(updates, ticket), segments };
}

/** The SLA records of one ticket as of `asOf` (see `evaluateTicketDetailed`). */
export function evaluateTicket(ticket: TicketHistory, engine: SlaEngine, asOf: number): SlaRecord[] {
  return evaluateTicketDetailed(ticket, engine, asOf).records;
}
