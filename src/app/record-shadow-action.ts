import type { ChatActor } from '../ports/chat';
import type { IncidentRecord } from '../ports/store';
import { byPerson, inTransaction, recordChatEvent, ticketNames, type ActionDeps } from './chat-action';
import { enqueueChatSync } from './enqueue-ticket-commands';

/** What a member of the shadow provider can do in transition mode. */
export type ShadowAction =
  | { kind: 'acknowledged' }
  | { kind: 'note'; text: string }
  | { kind: 'runbook_step_done'; step: number; stepText: string };

/**
 * An action of the shadow provider's people (transition mode): on the timeline and in the audit log as
 * `shadow_action`, with the shadow provider named, and both chat copies redrawn — but no ticket command,
 * no escalation stopped and no SLA clock moved: only the owner's actions change the tickets. The first
 * shadow acknowledgement and the first shadow tick of a step count, like the owner's.
 */
export function recordShadowAction(
  deps: ActionDeps,
  actor: ChatActor,
  incidentId: number,
  action: ShadowAction,
) {
  return inTransaction(deps, incidentId, async (uow, inc, now) => {
    const shadow = inc.shadow;
    if (!shadow) return { ok: false, incident: inc, message: `${ticketNames(inc)} has no shadow provider.` };
    const earlier = (await uow.timeline.ofType(inc.id, 'shadow_action')).find(
      (e) =>
        e.data.action === action.kind &&
        (action.kind === 'acknowledged' ||
          (action.kind === 'runbook_step_done' && e.data.step === action.step)),
    );
    if (earlier)
      return {
        ok: false,
        incident: inc,
        message: `${action.kind === 'acknowledged' ? `${ticketNames(inc)} was already acknowledged` : `Step ${(earlier.data.step ?? 0) + 1} was already done`} by ${earlier.data.name} for the shadow provider ${shadow}.`,
      };
    await recordChatEvent(uow, {
      inc,
      actor,
      now,
      reason: reasonOf(action, shadow),
      event: {
        type: 'shadow_action',
        data: {
          ...byPerson(actor),
          provider: shadow,
          action: action.kind,
          ...(action.kind === 'runbook_step_done' ? { step: action.step } : {}),
          ...(action.kind === 'note' ? { note: action.text } : {}),
        },
      },
    });
    await enqueueChatSync(uow, deps.ticketing, inc.id, now, 0);
    return { ok: true, incident: inc, message: `${actor.name} ${answerOf(action, inc, shadow)}` };
  });
}

/** The timeline reason (the chat thread shows it); retention purges a note's text from it and `data.note`. */
function reasonOf(a: ShadowAction, shadow: string): string {
  switch (a.kind) {
    case 'acknowledged':
      return `shadow acknowledgement (${shadow})`;
    case 'note':
      return `shadow note (${shadow}): ${a.text}`;
    case 'runbook_step_done':
      return `shadow step ${a.step + 1} (${shadow}): ${a.stepText}`;
  }
}

function answerOf(a: ShadowAction, inc: IncidentRecord, shadow: string): string {
  const what =
    a.kind === 'acknowledged'
      ? `acknowledged ${ticketNames(inc)}`
      : a.kind === 'note'
        ? `added a note to ${ticketNames(inc)}`
        : `marked step ${a.step + 1} done`;
  return `${what} as shadow (${shadow}); recorded, no ticket changed.`;
}
