import { ownershipIntervals, pingPong } from '../core/handoff/handoff';
import type { IncidentRecord, UnitOfWork } from '../ports/store';
import { startIncidentEscalation } from './escalate-incidents';
import { recordEvent } from './record-event';

/** The service manager's direct message: a one-step run the escalation timer carries out. */
const TELL_THE_SERVICE_MANAGER = {
  priorities: [1, 2, 3, 4, 5],
  steps: [{ after: 0, kind: 'dm' as const, targets: ['service-manager' as const] }],
};

/**
 * Ping-pong, after an accepted hand-off, in its transaction: when the incident's owning provider has
 * now changed `limit` times or more, the timeline and audit log say so and the service manager gets a
 * direct message (a stored escalation run, sent through ChatNotifier.notify like any escalation step).
 * Returns the number of changes when it fired, else null.
 */
export async function detectPingPong(
  uow: Pick<UnitOfWork, 'handoffs' | 'escalations' | 'timeline' | 'audit' | 'outbox'>,
  o: { incident: IncidentRecord; limit: number; at: string; actor: string },
): Promise<number | null> {
  const handoffs = await uow.handoffs.ofIncident(o.incident.id);
  const owners = ownershipIntervals(o.incident, handoffs);
  const effect = pingPong(owners, o.limit);
  if (!effect || effect.kind !== 'ping_pong') return null;
  const providers = owners.map((x) => x.provider);
  await recordEvent(uow, {
    type: 'handoff_ping_pong',
    data: { changes: effect.changes, providers },
    incidentId: o.incident.id,
    at: o.at,
    actor: o.actor,
    reason: `${effect.changes} changes of provider (${providers.join(' → ')}): the service manager is called in`,
    audit: { changes: effect.changes, providers, limit: o.limit },
  });
  const owner = providers[providers.length - 1]!;
  await startIncidentEscalation(
    uow,
    { policies: { [owner]: [TELL_THE_SERVICE_MANAGER] } },
    { incident: o.incident, provider: owner, trigger: 'ping_pong', at: o.at },
  );
  return effect.changes;
}
