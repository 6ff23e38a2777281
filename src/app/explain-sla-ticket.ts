import { explainTicket, type SlaExplanation } from '../core/sla/explain-ticket';
import { slaReportSetup, type BuildSlaReportInput } from './build-sla-report';

/** Inputs of `sla explain`: the report's inputs plus the ticket (its number or source id). */
export interface ExplainSlaTicketInput extends BuildSlaReportInput {
  ticket: string;
}

/**
 * Explains one ticket's figures in one month's report (`itsm-bridge sla explain`,
 * `GET /reports/sla/explain`): reads the same source with the same query as the report and explains
 * the first ticket whose number or id matches. null when the source has no such ticket.
 */
export async function explainSlaTicket(input: ExplainSlaTicketInput): Promise<SlaExplanation | null> {
  const { engine, options, query } = slaReportSetup(input);
  for await (const ticket of input.source.tickets(query)) {
    if (ticket.number === input.ticket || ticket.id === input.ticket)
      return explainTicket(ticket, engine, options);
  }
  return null;
}
