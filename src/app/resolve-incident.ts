import type { ChatActor } from '../ports/chat';
import {
  actorId,
  byPerson,
  inTransaction,
  recordChatEvent,
  ticketNames,
  type ActionDeps,
} from './chat-action';
import { stopIncidentEscalations } from './escalate-incidents';
import { enqueueTicketCommands } from './enqueue-ticket-commands';

/** A person resolves the incident and both tickets with their note. */
export function resolveIncident(deps: ActionDeps, actor: ChatActor, incidentId: number, note: string) {
  return inTransaction(deps, incidentId, async (uow, inc, now) => {
    if (inc.state === 'resolved')
      return { ok: false, incident: inc, message: `${ticketNames(inc)} is already resolved.` };
    const patch = { state: 'resolved' as const, resolvedAt: now, resolveDueAt: null, updatedAt: now };
    await uow.incidents.update(inc.id, patch);
    await recordChatEvent(uow, {
      inc,
      actor,
      now,
      reason: note,
      event: { type: 'resolved_by_user', data: { ...byPerson(actor), note } },
    });
    await stopIncidentEscalations(uow, {
      incidentId: inc.id,
      by: actorId(actor),
      at: now,
      reason: `resolved by ${actor.name}`,
      page: 'resolve',
    });
    await enqueueTicketCommands(uow, deps.ticketing, {
      incidentId: inc.id,
      command: { kind: 'resolve', payload: { notes: `Resolved by ${actor.name} via itsm-bridge: ${note}` } },
      now,
      chat: 'now',
    });
    return {
      ok: true,
      incident: { ...inc, ...patch },
      message: `${actor.name} resolved ${ticketNames(inc)}: ${note}`,
    };
  });
}
