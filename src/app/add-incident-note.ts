import type { ChatActor } from '../ports/chat';
import { byPerson, inTransaction, recordChatEvent, ticketNames, type ActionDeps } from './chat-action';
import { enqueueTicketCommands } from './enqueue-ticket-commands';

/** A note from chat: a work note in ServiceNow and a comment in Jira. */
export function addIncidentNote(deps: ActionDeps, actor: ChatActor, incidentId: number, text: string) {
  return inTransaction(deps, incidentId, async (uow, inc, now) => {
    await recordChatEvent(uow, {
      inc,
      actor,
      now,
      reason: text,
      event: { type: 'note', data: { ...byPerson(actor), note: text } },
    });
    const where = actor.platform === 'slack' ? 'Slack' : 'Teams';
    await enqueueTicketCommands(uow, deps.ticketing, {
      incidentId: inc.id,
      command: { kind: 'comment', payload: { text: `Note from ${actor.name} (${where}): ${text}` } },
      now,
      chat: 'now',
    });
    return { ok: true, incident: inc, message: `Note added to ${ticketNames(inc)}.` };
  });
}
