import type { App, SlackViewAction } from '@slack/bolt';
import { HANDOFF_BLOCKS, HANDOFF_REJECT_VIEW_ID } from '../../../src/ports/chat';
import { slackActor, type SlackHandlerDeps } from '../slack-deps';
import { answerSubmission, blockValues } from './view-values';

/**
 * The reason dialog of the Reject button: a reason is required; the rejection is checked again in the
 * use-case (membership, still open) and a refusal is shown in the dialog.
 */
export function registerHandoffRejectView(app: App, deps: SlackHandlerDeps): void {
  app.view<SlackViewAction>(HANDOFF_REJECT_VIEW_ID, async ({ ack, view, body, client }) => {
    const id = /^[1-9]\d{0,9}$/.test(view.private_metadata) ? Number(view.private_metadata) : null;
    const reason = blockValues(view).text(HANDOFF_BLOCKS.reason) ?? '';
    if (id === null) {
      await ack({
        response_action: 'errors',
        errors: { [HANDOFF_BLOCKS.reason]: 'This dialog lost its hand-off; click Reject again.' },
      });
      return;
    }
    if (!reason) {
      await ack({
        response_action: 'errors',
        errors: { [HANDOFF_BLOCKS.reason]: 'A rejection needs a reason.' },
      });
      return;
    }
    const actor = await slackActor(deps, body.user.id);
    const result = await deps.commands.decideHandoff(actor, id, { kind: 'reject', reason });
    await answerSubmission({ ack, client, deps, result, user: body.user.id, field: HANDOFF_BLOCKS.reason });
  });
}
