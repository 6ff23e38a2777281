import type { TimelineEvent } from '../core/incident/timeline-event';
import type { UnitOfWork } from '../ports/store';

/** One thing that happened to an incident, with who did it and why. */
export type IncidentEvent = TimelineEvent & {
  incidentId: number;
  at: string;
  actor: string;
  reason: string;
  alertId?: number | null;
  /** What the audit record carries besides the event (the audit log is generic: any JSON). */
  audit: Record<string, unknown>;
  /** Audit action; defaults to `incident.<type>`. */
  action?: string;
};

/**
 * One thing that happened to an incident: its timeline entry (what the incident view, chat threads and
 * SLA clocks read) and its record in the hash-chained audit log, written together in the caller's
 * transaction.
 */
export async function recordEvent(
  uow: Pick<UnitOfWork, 'timeline' | 'audit'>,
  e: IncidentEvent,
): Promise<void> {
  const { incidentId, at, actor, reason } = e;
  await uow.timeline.add({ incidentId, at, actor, reason, alertId: e.alertId ?? null, ...timelineEvent(e) });
  await uow.audit.append({
    at,
    actor,
    action: e.action ?? `incident.${e.type}`,
    subject: `incident:${incidentId}`,
    data: e.audit,
  });
}

/** The event part of an IncidentEvent (type and data stay paired, so no cast is needed). */
const timelineEvent = (e: IncidentEvent): TimelineEvent => e;
