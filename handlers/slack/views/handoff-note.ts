import type { App, SlackViewAction, ViewOutput } from '@slack/bolt';
import { z } from 'zod';
import { HandoffNote } from '../../../src/core/handoff/handoff';
import { HANDOFF_BLOCKS, HANDOFF_VIEW_ID } from '../../../src/ports/chat';
import { slackActor, type SlackHandlerDeps } from '../slack-deps';
import { answerSubmission, blockValues } from './view-values';

/** What the dialog carries in `private_metadata`: the incident, and the provider when the command named it. */
const Metadata = z.strictObject({
  incidentId: z.number().int().positive(),
  to: z.string().min(1).max(100).optional(),
});

const B = HANDOFF_BLOCKS;
/** Block ids of the note's fields (a zod path's first segments → the block that shows the error). */
const BLOCK_OF: Record<string, string> = {
  situation: B.situation,
  actionsTaken: B.actionsTaken,
  nextSteps: B.nextSteps,
  hypothesis: B.hypothesis,
  impact: B.branches,
  'impact.branches': B.branches,
  'impact.users': B.users,
  nextCheckpoint: B.nextCheckpoint,
};

/** The note from the dialog's values; empty optional fields are left out, as the API would. */
export function noteFromView(view: ViewOutput): { to: string | null; candidate: Record<string, unknown> } {
  const v = blockValues(view);
  const branches = v
    .text(B.branches)
    ?.split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const usersText = v.text(B.users);
  const users = usersText === null ? undefined : /^\d+$/.test(usersText) ? Number(usersText) : usersText;
  const at = v.dateTime(B.nextCheckpoint);
  const impact = {
    ...(branches?.length ? { branches } : {}),
    ...(users !== undefined ? { users } : {}),
  };
  const optional = (key: string, value: unknown) =>
    value === null || value === undefined ? {} : { [key]: value };
  return {
    to: v.selected(B.to),
    candidate: {
      situation: v.text(B.situation) ?? '',
      actionsTaken: v.text(B.actionsTaken) ?? '',
      nextSteps: v.text(B.nextSteps) ?? '',
      ...optional('hypothesis', v.text(B.hypothesis)),
      ...(Object.keys(impact).length ? { impact } : {}),
      ...optional('nextCheckpoint', at),
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
    const { to, candidate } = noteFromView(view);
    const target = meta.to ?? to;
    const errors: Record<string, string> = {};
    if (!target) errors[B.to] = 'Pick the provider to hand off to.';
    const note = HandoffNote.safeParse(candidate);
    if (!note.success)
      for (const issue of note.error.issues) {
        const path = issue.path.map(String);
        const block =
          BLOCK_OF[path.join('.')] ?? BLOCK_OF[path.slice(0, 2).join('.')] ?? BLOCK_OF[path[0] ?? ''];
        if (block && !errors[block]) errors[block] = issue.message.slice(0, 150);
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
