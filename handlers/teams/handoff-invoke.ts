import { HandoffNote } from '../../src/core/handoff/handoff';
import { handoffFieldOf, handoffNoteCandidate } from '../../src/core/handoff/handoff-note-input';
import {
  CHAT_ACTIONS,
  HANDOFF_ACTIONS,
  type ChatActor,
  type ChatCommands,
  type CommandResult,
} from '../../src/ports/chat';
import { HandoffDecisionData, HandoffOfferData } from './activity-schema';

const refused = (text: string): CommandResult => ({ kind: 'text', ok: false, text });
const filled = (v: string | number | undefined): string | null => {
  const t = v === undefined ? '' : String(v).trim();
  return t ? t : null;
};

/** Input.Date + Input.Time (both UTC) as ISO; a date alone is its midnight; anything else is passed on. */
function checkpoint(date: string | undefined, time: string | undefined): string | null {
  const d = filled(date);
  if (!d) return null;
  const t = filled(time) ?? '00:00';
  return /^\d{4}-\d{2}-\d{2}$/.test(d) && /^\d{2}:\d{2}$/.test(t) ? `${d}T${t}:00Z` : `${d}T${t}`;
}

/**
 * The hand-off card actions of Teams: the form's Offer (checked with the same zod HandoffNote as the
 * API and the Slack dialog, each problem named by its field), Accept, and Reject with its reason. Null
 * when the action is none of them. Authorization is the command layer's, as for every action.
 */
export async function handoffInvoke(
  commands: ChatCommands,
  actor: ChatActor,
  data: Record<string, unknown>,
): Promise<CommandResult | null> {
  if (data.verb === HANDOFF_ACTIONS.accept || data.verb === HANDOFF_ACTIONS.reject) {
    const d = HandoffDecisionData.parse(data);
    if (d.verb === HANDOFF_ACTIONS.accept)
      return commands.decideHandoff(actor, d.handoffId, { kind: 'accept' });
    const reason = filled(d.reason);
    if (!reason)
      return (
        (await commands.mayDecideHandoff(actor, d.handoffId, 'reject')) ??
        refused('A rejection needs a reason.')
      );
    return commands.decideHandoff(actor, d.handoffId, { kind: 'reject', reason });
  }
  if (data.verb !== CHAT_ACTIONS.handoff || data.submit !== true) return null;
  const o = HandoffOfferData.parse(data);
  const to = filled(o.to);
  const note = HandoffNote.safeParse(
    handoffNoteCandidate({
      situation: filled(o.situation),
      actionsTaken: filled(o.actionsTaken),
      nextSteps: filled(o.nextSteps),
      hypothesis: filled(o.hypothesis),
      branches: filled(o.branches),
      users: filled(o.users),
      nextCheckpoint: checkpoint(o.nextCheckpointDate, o.nextCheckpointTime),
    }),
  );
  const problems = [
    ...(to ? [] : ['to: pick the provider to hand off to']),
    ...(note.success
      ? []
      : note.error.issues.map((i) => `${handoffFieldOf(i.path) ?? 'note'}: ${i.message}`)),
  ];
  if (problems.length > 0 || !note.success || !to)
    return refused(`The hand-off was not offered. ${problems.slice(0, 8).join('; ')}`);
  return commands.offerHandoff(actor, { incidentId: o.incidentId, to, note: note.data });
}
