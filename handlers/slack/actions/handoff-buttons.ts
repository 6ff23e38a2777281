import type { App, BlockAction, ButtonAction, types } from '@slack/bolt';
import { HANDOFF_ACTIONS, type CommandResult } from '../../../src/ports/chat';
import { slackActor, type SlackHandlerDeps } from '../slack-deps';

const INVALID: CommandResult = { kind: 'text', ok: false, text: 'This button is not valid any more.' };

/**
 * Accept / Reject on a hand-off offer in the receiving provider's channel; the value is the hand-off id.
 * Accept decides at once (committed before the ack; of two people clicking together one wins and the
 * other is told who did). Reject first checks that the clicker may reject, then asks for the reason in a
 * modal. Outcomes and refusals go to the clicker alone; the messages are redrawn by the outbox.
 */
export function registerHandoffButtons(app: App, deps: SlackHandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: new RegExp(`^(${Object.values(HANDOFF_ACTIONS).join('|')})$`) },
    async ({ ack, body, action, client, respond }) => {
      const id = /^[1-9]\d{0,9}$/.test(action.value ?? '') ? Number(action.value) : null;
      const actor = await slackActor(deps, body.user.id);
      const reject = action.action_id === HANDOFF_ACTIONS.reject;
      const result =
        id === null
          ? INVALID
          : reject
            ? await deps.commands.mayDecideHandoff(actor, id, 'reject')
            : await deps.commands.decideHandoff(actor, id, { kind: 'accept' });
      await ack();
      if (!result) {
        await client.views.open({
          trigger_id: body.trigger_id,
          view: deps.present.handoffRejectModal(id!) as types.View,
        });
        return;
      }
      const msg = deps.present.result(
        result.kind === 'incident' ? { kind: 'text', ok: true, text: result.text } : result,
      );
      const channel = body.channel?.id ?? body.container?.channel_id;
      if (channel) await client.chat.postEphemeral({ channel, user: body.user.id, text: msg.text });
      else await respond({ response_type: 'ephemeral', replace_original: false, text: msg.text });
    },
  );
}
