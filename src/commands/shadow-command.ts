import type { ActionDeps } from '../app/chat-action';
import { chatIncidentView, type ChatViewDeps } from '../app/chat-incident-view';
import { recordShadowAction, type ShadowAction } from '../app/record-shadow-action';
import type { ChatAction, ChatActor, CommandResult } from '../ports/chat';
import type { IncidentRecord } from '../ports/store';

/** The chat actions a shadow provider's member may take (transition mode). */
export type ShadowVerb = Extract<ChatAction, { verb: 'ack' | 'note' | 'step' }>;

/** True for the actions a shadow may take (acknowledge, note, tick a step). */
export const isShadowVerb = (a: ChatAction): a is ShadowVerb =>
  a.verb === 'ack' || a.verb === 'note' || a.verb === 'step';

const refused = (text: string): CommandResult => ({ kind: 'text', ok: false, text });

/**
 * A member of the shadow provider (and not of the owner) acknowledges, notes or ticks a step: recorded
 * as a shadow action, answered with the shadow's copy of the incident. Resolving and handing off stay
 * with the owner (`shadowRefusal`).
 */
export async function runShadowAction(
  deps: ActionDeps & ChatViewDeps & { afterChange(): void },
  actor: ChatActor,
  inc: IncidentRecord,
  action: ShadowVerb,
): Promise<CommandResult> {
  let a: ShadowAction;
  switch (action.verb) {
    case 'ack':
      a = { kind: 'acknowledged' };
      break;
    case 'note': {
      const text = action.text.trim();
      if (!text) return refused('The note is empty.');
      a = { kind: 'note', text: text.slice(0, 4000) };
      break;
    }
    case 'step': {
      const view = await chatIncidentView(deps, inc, undefined, 'shadow');
      const stepText = view.runbook?.steps[action.step]?.text;
      if (stepText === undefined)
        return refused(`Step ${action.step + 1} is not part of this incident's runbook.`);
      a = { kind: 'runbook_step_done', step: action.step, stepText };
      break;
    }
  }
  const result = await recordShadowAction(deps, actor, inc.id, a);
  if (!result.ok) return refused(result.message);
  deps.afterChange();
  return {
    kind: 'incident',
    text: result.message,
    incident: await chatIncidentView(deps, result.incident, undefined, 'shadow'),
  };
}

/** Why a shadow provider's member may not resolve or hand off: the owner does that. */
export function shadowRefusal(shadowName: string, ownerName: string): CommandResult {
  return refused(
    `${shadowName} shadows this incident (transition mode): its members can acknowledge, add notes and tick runbook steps, recorded as shadow actions. Only ${ownerName} may resolve or hand it off.`,
  );
}
