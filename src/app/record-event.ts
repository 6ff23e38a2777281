import type { UnitOfWork } from '../ports/store';

/**
 * One thing that happened to an incident: its timeline entry (what the incident view, chat threads and
 * SLA clocks read) and its record in the hash-chained audit log, written together in the caller's
 * transaction. `action` defaults to `incident.<type>`.
 */
export async function recordEvent(
  uow: UnitOfWork,
  e: {
    incidentId: number;
    at: string;
    type: string;
    actor: string;
    reason: string;
    alertId?: number | null;
    timelineData: Record<string, unknown>;
    auditData: Record<string, unknown>;
    action?: string;
  },
): Promise<void> {
  await uow.addTimeline({
    incidentId: e.incidentId,
    at: e.at,
    type: e.type,
    actor: e.actor,
    reason: e.reason,
    alertId: e.alertId ?? null,
    data: e.timelineData,
  });
  await uow.audit({
    at: e.at,
    actor: e.actor,
    action: e.action ?? `incident.${e.type}`,
    subject: `incident:${e.incidentId}`,
    data: e.auditData,
  });
}
