import type { ChatActor } from '../ports/chat';
import type { IncidentRecord } from '../ports/store';
import { byPerson, inTransaction, recordChatEvent, type ActionDeps } from './chat-action';
import { enqueueTicketCommands } from './enqueue-ticket-commands';

/** A runbook step marked done: recorded (who, when) here and in both tickets; the first one counts. */
export function completeRunbookStep(
  deps: ActionDeps & { stepText: (inc: IncidentRecord, step: number) => string | null },
  actor: ChatActor,
  incidentId: number,
  step: number,
) {
  return inTransaction(deps, incidentId, async (uow, inc, now) => {
    const text = deps.stepText(inc, step);
    if (text === null)
      return {
        ok: false,
        incident: inc,
        message: `Step ${step + 1} is not part of this incident's runbook.`,
      };
    const done = (await uow.timeline.ofType(inc.id, 'runbook_step_done')).find((e) => e.data.step === step);
    if (done)
      return {
        ok: false,
        incident: inc,
        message: `Step ${step + 1} was already done by ${done.data.name}.`,
      };
    await recordChatEvent(uow, {
      inc,
      actor,
      now,
      reason: `step ${step + 1}: ${text}`,
      event: { type: 'runbook_step_done', data: { ...byPerson(actor), step } },
    });
    await enqueueTicketCommands(uow, deps.ticketing, {
      incidentId: inc.id,
      command: {
        kind: 'comment',
        payload: {
          text: `Runbook step ${step + 1} done by ${actor.name} at ${now.slice(0, 16).replace('T', ' ')} UTC: ${text}`,
        },
      },
      now,
      chat: 'now',
    });
    return { ok: true, incident: inc, message: `Step ${step + 1} marked done.` };
  });
}
