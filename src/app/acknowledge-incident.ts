import type { ChatActor } from '../ports/chat';
import {
  actorId,
  byPerson,
  inTransaction,
  recordChatEvent,
  ticketNames,
  type ActionDeps,
} from './chat-action';
import { enqueueTicketCommands } from './enqueue-ticket-commands';
import { stopIncidentEscalations } from './escalate-incidents';

/** Someone takes the incident: ServiceNow In Progress + assigned_to, Jira assignee + In Progress. */
export function acknowledgeIncident(deps: ActionDeps, actor: ChatActor, incidentId: number) {
  return inTransaction(deps, incidentId, async (uow, inc, now) => {
    if (inc.state === 'resolved')
      return { ok: false, incident: inc, message: `${ticketNames(inc)} is already resolved.` };
    if (inc.acknowledged)
      return {
        ok: false,
        incident: inc,
        message: `${ticketNames(inc)} was already acknowledged by ${inc.acknowledged.name} at ${inc.acknowledged.at.slice(11, 16)} UTC.`,
      };
    const acknowledged = { at: now, by: actorId(actor), name: actor.name };
    await uow.incidents.update(inc.id, { acknowledged, updatedAt: now });
    await recordChatEvent(uow, {
      inc,
      actor,
      now,
      reason: `acknowledged in ${actor.platform}`,
      event: { type: 'acknowledged', data: byPerson(actor) },
    });
    await stopIncidentEscalations(uow, {
      incidentId: inc.id,
      by: actorId(actor),
      at: now,
      reason: `acknowledged by ${actor.name}`,
      page: 'acknowledge',
      triggers: ['opened', 'reopened'],
    });
    const where = actor.platform === 'slack' ? 'Slack' : 'Microsoft Teams';
    await enqueueTicketCommands(uow, deps.ticketing, {
      incidentId: inc.id,
      command: {
        kind: 'ack',
        payload: {
          email: actor.email,
          name: actor.name,
          note: `Acknowledged by ${actor.name} in ${where} (itsm-bridge).`,
        },
      },
      now,
      chat: 'now',
    });
    return {
      ok: true,
      incident: { ...inc, acknowledged },
      message: `${actor.name} acknowledged ${ticketNames(inc)}.`,
    };
  });
}
