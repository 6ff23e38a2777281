import type { App, SlackViewAction, ViewOutput } from '@slack/bolt';
import { z } from 'zod';
import { HandoffNote } from '../../../src/core/handoff/handoff';
import {
  handoffFieldOf,
  handoffNoteCandidate,
  type HandoffNoteInput,
} from '../../../src/core/handoff/handoff-note-input';
import { HANDOFF_BLOCKS, HANDOFF_VIEW_ID } from '../../../src/ports/chat';
import { slackActor, type SlackHandlerDeps } from '../slack-deps';
import { answerSubmission, blockValues } from './view-values';

/** What the dialog carries in `private_metadata`: the incident, and the provider when the command named it. */
const Metadata = z.strictObject({
  incidentId: z.number().int().positive(),
  to: z.string().min(1).max(100).optional(),
});

const B = HANDOFF_BLOCKS;

/** The dialog's entries: the provider picked (when the select was shown) and the note's fields. */
export function noteFromView(view: ViewOutput): { to: string | null; input: HandoffNoteInput } {
  const v = blockValues(view);
  return {
    to: v.selected(B.to),
    input: {
      situation: v.text(B.situation),
      actionsTaken: v.text(B.actionsTaken),
      nextSteps: v.text(B.nextSteps),
      hypothesis: v.text(B.hypothesis),
      branches: v.text(B.branches),
      users: v.text(B.users),
      nextCheckpoint: v.dateTime(B.nextCheckpoint),
    },
  };
}

/**
 * The hand-off dialog submitted: the note is checked with the same zod `HandoffNote` as the API, each
 * problem shown under its field (`response_action: errors` naming the block); a refusal of the offer
 * itself (not a member, already open, same owner) is shown on the situation field. On success the dialog
 * closes and the user gets the outcome as a DM from the app.
 */
export function registerHandoffNoteView(app: App, deps: SlackHandlerDeps): void {
  app.view<SlackViewAction>(HANDOFF_VIEW_ID, async ({ ack, view, body, client }) => {
    const meta = parseMetadata(view.private_metadata);
    if (!meta) {
      await ack({
        response_action: 'errors',
        errors: { [B.situation]: 'This dialog lost its incident; run /itsm handoff again.' },
      });
      return;
    }
    const { to, input } = noteFromView(view);
    const target = meta.to ?? to;
    const errors: Record<string, string> = {};
    if (!target) errors[B.to] = 'Pick the provider to hand off to.';
    const note = HandoffNote.safeParse(handoffNoteCandidate(input));
    if (!note.success)
      for (const issue of note.error.issues) {
        // Block ids are the field names (HANDOFF_BLOCKS); the first problem of a field is shown.
        const block = B[handoffFieldOf(issue.path) ?? 'situation'];
        errors[block] ??= issue.message.slice(0, 150);
      }
    if (Object.keys(errors).length > 0 || !note.success || !target) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const actor = await slackActor(deps, body.user.id);
    const result = await deps.commands.offerHandoff(actor, {
      incidentId: meta.incidentId,
      to: target,
      note: note.data,
    });
    await answerSubmission({
      ack,
      client,
      deps,
      result,
      user: body.user.id,
      field: meta.to ? B.situation : B.to,
    });
  });
}

function parseMetadata(raw: string): z.infer<typeof Metadata> | null {
  try {
    const parsed = Metadata.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
